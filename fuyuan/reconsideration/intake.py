"""Checks at intake (SPEC §6.8 item 2), reusing the dispute centre's: an application already on file for the same
act, the cases and disputes of the same person against the same respondent (the path 争议 → 复议 → 一审 → 二审)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from fuyuan.cases.models import Case
from fuyuan.core.fields import blind_index_of
from fuyuan.disputes import intake as dispute_intake
from fuyuan.disputes.models import Dispute
from fuyuan.reconsideration.models import Application


def possible_duplicates(application: Application) -> list[Application]:
    """Other applications against the same respondent about a similar act, by a shared applicant (by name) or the
    same person (by ID number, compared on its blind index without decrypting anything)."""
    people = dispute_intake.names(application.applicant_name)
    index = blind_index_of(Application, "applicant_id_number_index", application.applicant_id_number)
    query = Q()
    for person in people:
        query |= Q(applicant_name__contains=person)
    if index:
        query |= Q(applicant_id_number_index=index)
    if not query:
        return []
    candidates = (
        Application.objects.filter(query, respondent_id=application.respondent_id)
        .exclude(pk=application.pk)
        .select_related("case")
        .order_by("-id")[:50]
    )
    ignore = [application.respondent.name]
    return [
        a
        for a in candidates
        if (dispute_intake.names(a.applicant_name) & people or (index and a.applicant_id_number_index == index))
        and dispute_intake.similar(a.contested_act, application.contested_act, ignore=ignore)
    ]


def related_cases(application: Application) -> QuerySet[Case]:
    """Cases (litigation or reconsideration) the applicant brought against the respondent, this one excluded."""
    return dispute_intake.related_cases(applicants=application.applicant_name, agency=application.respondent).exclude(
        pk=application.case_id
    )


def related_disputes(application: Application) -> list[Dispute]:
    """Disputes at a coordination centre about the same act by the same person (the file's dispute path)."""
    return dispute_intake.possible_duplicates(
        applicants=application.applicant_name,
        agency=application.respondent,
        matter=application.contested_act,
        id_number=application.applicant_id_number,
    )
