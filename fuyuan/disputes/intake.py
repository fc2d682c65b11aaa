"""集中受理 checks: an application already on file (same applicants, agency and matter), and the case it concerns."""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.db.models import Q, QuerySet

from fuyuan.cases.models import Case
from fuyuan.core.fields import blind_index_of
from fuyuan.core.models import Organisation
from fuyuan.disputes.classify import applicant_names
from fuyuan.disputes.models import Dispute


def names(applicants: str) -> set[str]:
    """The named applicants (``"王伟、李娜等12人"`` names 王伟 and 李娜)."""
    return set(applicant_names(applicants))


_SEPARATOR = "[、，,;； ]"
# Words every application uses: they say nothing about which matter it is.
_FILLER = re.compile(r"[\s\W]|不服|要求|请求|申请人|申请|作出的|作出|依法|给予|对|被|的|了")


def _core(text: str, ignore: Sequence[str]) -> str:
    for word in ignore:
        if word:
            text = text.replace(word, "")
    return _FILLER.sub("", text)


def similar(a: str, b: str, *, ignore: Sequence[str] = ()) -> bool:
    """Two matters are the same when, leaving aside filler words and the ``ignore`` words (the agency's name), one
    contains the other or they share at least half of their two-character runs."""
    a, b = _core(a, ignore), _core(b, ignore)
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    grams_a = {a[i : i + 2] for i in range(len(a) - 1)}
    grams_b = {b[i : i + 2] for i in range(len(b) - 1)}
    return len(grams_a & grams_b) >= 0.5 * min(len(grams_a), len(grams_b))


def possible_duplicates(*, applicants: str, agency: Organisation, matter: str, id_number: str = "") -> list[Dispute]:
    """Disputes on file with the same agency and a similar matter, brought by a shared applicant (by name) or by
    the same person (by ID number, however the name was written). The ID number is compared on its blind index,
    without decrypting anything (个人信息保护法 第51条; ``core.crypto``)."""
    people = names(applicants)
    index = blind_index_of(Dispute, "applicant_id_number_index", id_number)
    query = Q()
    for person in people:
        query |= Q(applicants__contains=person)
    if index:
        query |= Q(applicant_id_number_index=index)
    if not query:
        return []
    candidates = Dispute.objects.filter(query, agency=agency).order_by("-received_on", "-id")[:50]
    ignore = [agency.name]
    return [
        d
        for d in candidates
        if (names(d.applicants) & people or (index and d.applicant_id_number_index == index))
        and similar(d.matter, matter, ignore=ignore)
    ]


def related_cases(*, applicants: str, agency: Organisation) -> QuerySet[Case]:
    """Cases against the same agency brought by one of the applicants (a whole name among the plaintiffs, so that
    王伟 does not find 王伟强): the dispute may concern one of them."""
    people = names(applicants)
    if not people:
        return Case.objects.none()
    query = Q()
    for person in people:
        query |= Q(plaintiffs__regex=f"(^|{_SEPARATOR}){re.escape(person)}($|{_SEPARATOR}|等)")
    return Case.objects.filter(query, defendant=agency).order_by("-id")
