"""Who may see and do what with reconsideration files: the one place where their scoping is decided (SPEC §2, §6.8).

- A file is seen by whoever sees its registry case (``cases.queries.visible_to``: the body's staff, the respondent's
  liaison, the 依法治办 and leaders of the region subtree…), and by the members of a 行政复议委员会 it was referred
  to (their cases only, 第52条).
- The public applicant has no account: they reach their own file only with its receipt number and follow-up code
  (``for_follow_up``), never through ``visible_to``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple

from django.contrib.auth.hashers import check_password, make_password
from django.db.models import Q, QuerySet
from django.utils.crypto import constant_time_compare, salted_hmac

from fuyuan.cases.queries import case_scope
from fuyuan.core.models import Role, User
from fuyuan.core.timeline import timeline
from fuyuan.deadlines.models import Deadline, DeadlineState
from fuyuan.reconsideration.choices import Procedure, Stage
from fuyuan.reconsideration.models import Application, CommitteeReview


def visible_to(user: User) -> QuerySet[Application]:
    """The files ``user`` may open. Every page, export and helper that takes a file's id loads it from here.

    The registry's scope is a condition on the joined case (``cases.queries.case_scope``: the body's staff walk their
    body's cases by its index); the committee's files are added only for a user who sits on a committee."""
    scope = case_scope(user, via="case__")
    if user.is_authenticated and user.is_active and _sits_on_a_committee(user):
        committee = Q(pk__in=CommitteeReview.objects.filter(members=user).values("application_id"))
        scope = committee if scope is None else scope | committee
    if scope is None:
        return Application.objects.none()
    return Application.objects.filter(scope)


def body_files(user: User) -> QuerySet[Application]:
    """The files of ``user``'s own body that ``user`` may see: exactly ``visible_to(user).filter(body_id=…)``, the
    body's queue (``views.queue_files``) and its count.

    For the body's own staff it is read from the file's own body (``Application.body``, its index), not through the
    joined case: counting a body's tens of thousands of files then reads one index instead of looking up each case.
    It is the same set because a file's registry case is always of kind reconsideration and of the file's body —
    ``receive_application`` registers it so, and ``cases.workflow.update_case`` and the ledger import refuse to change
    either on a case that has a file (``cases.workflow.check_file_kept``). The committee's files a staff member may
    also see are of their body only if they are the body's files already. Every other role gets the general
    condition; ``tests/reconsideration/test_scoping.py`` holds the two equal over the whole matrix."""
    organisation_id = user.organisation_id
    if (
        user.is_authenticated
        and user.is_active
        and user.role == Role.RECONSIDERATION_BODY
        and organisation_id is not None
    ):
        return Application.objects.filter(body_id=organisation_id)
    return visible_to(user).filter(body_id=organisation_id)


# ---------------------------------------------------------------------------------------------------------------
# 行政复议案件台账 (the body's queue)


def queue_files(user: User, *, stage: str | None = None, procedure: str | None = None) -> QuerySet[Application]:
    """The queue's files: those of the staff member's body they may see (``body_files``), newest first, narrowed to a
    stage and a procedure when given. The paginator counts this query as it is (the file's own body index, no join)
    and slices it; ``queue_rows`` reads the page's rows from the slice."""
    files = body_files(user)
    if stage:
        files = files.filter(stage=stage)
    if procedure:
        files = files.filter(procedure=procedure)
    return files.order_by("-id")


class QueueRow(NamedTuple):
    """A row of the queue as its page shows it (reconsideration/queue.html): the file's own columns, its case's
    收案日期, its respondent's name and its nearest open deadline (soonest, then first made) with that deadline's
    rule; ``None`` for a file with nothing open."""

    pk: int
    receipt_number: str
    received: datetime.date
    respondent_name: str
    stage: str
    procedure: str
    reply_late: bool
    applicant_name: str
    next_rule_id: str | None
    next_due_on: datetime.date | None

    def get_stage_display(self) -> str:
        return str(Stage(self.stage).label)

    def get_procedure_display(self) -> str:
        return str(Procedure(self.procedure).label)


def queue_rows(files: QuerySet[Application]) -> list[QueueRow]:
    """The rows of one page of the queue (``files``: the paginator's slice of ``queue_files``), in its order, in two
    statements whatever the page's length: the files with their case's date and their respondent's name joined, then
    the open deadlines of the page's cases, the nearest of each picked here (a file has only a few open at once).

    Plain rows, not model instances with subquery columns: with 50 instances and four correlated subqueries per page
    the ORM spent twice as long building the statement and the objects as the database spent answering it
    (bench/bench_reconsideration.py, 300,000 files on SQLite)."""
    files_read: list[tuple[Any, ...]] = list(
        files.values_list(
            "pk", "receipt_number", "case__received_on", "respondent__name", "stage", "procedure", "reply_late",
            "applicant_name", "case_id",
        )
    )  # fmt: skip
    nearest: dict[int, tuple[datetime.date, int, str]] = {}
    if files_read:
        open_deadlines = (
            # ``case__id__in``: a plain IN on the column (``case_id__in`` would check each id as a related object).
            Deadline.objects.filter(case__id__in=[f[-1] for f in files_read], state=DeadlineState.OPEN)
            .order_by()
            .values_list("case_id", "due_on", "id", "rule_id")
        )
        for case_id, due_on, deadline_id, rule_id in open_deadlines:
            if case_id not in nearest or (due_on, deadline_id) < nearest[case_id][:2]:
                nearest[case_id] = (due_on, deadline_id, rule_id)
    rows = []
    for pk, number, received, respondent, stage, procedure, reply_late, applicant, case_id in files_read:
        next_due_on, _, next_rule_id = nearest.get(case_id) or (None, None, None)
        rows.append(QueueRow(
            pk, number, received, respondent, stage, procedure, reply_late, applicant, next_rule_id, next_due_on
        ))  # fmt: skip
    return rows


def _sits_on_a_committee(user: User) -> bool:
    return CommitteeReview.members.through.objects.filter(user=user).exists()


def can_handle(user: User, application: Application) -> bool:
    """The body's own staff (承办、审核) run the file."""
    return (
        user.is_authenticated
        and user.is_active
        and user.role == Role.RECONSIDERATION_BODY
        and user.organisation_id is not None
        and user.organisation_id == application.body_id
    )


def can_approve(user: User, application: Application) -> bool:
    """The body's head (机构负责人) approves an extension, a decision, a 意见书 (第62条, SPEC §6.8)."""
    return can_handle(user, application) and user.is_head


def can_answer(user: User, application: Application) -> bool:
    """The respondent's liaison gives its reply and evidence and names who attends (第48条, 第51条)."""
    return (
        user.is_authenticated
        and user.is_active
        and user.role == Role.AGENCY_LIAISON
        and user.organisation_id is not None
        and user.organisation_id == application.respondent_id
    )


def is_committee_member(user: User, application: Application) -> bool:
    return CommitteeReview.objects.filter(application=application, members=user).exists()


def may_reveal(user: User, application: Application) -> bool:
    """Whole ID numbers and phones of the applicant: the body's staff handling it only (``core.masking``)."""
    return can_handle(user, application)


@cache
def _no_such_file() -> str:
    """A hash checked when no file has the receipt number, so that a wrong number takes as long as a wrong code."""
    return make_password("fuyuan-no-such-file")


@dataclass(frozen=True)
class FollowProof:
    """What the applicant's session keeps once they gave the right receipt number and code (``follow_proof``): the
    file and a keyed hash (HMAC, with the site's secret key) of the file and its code's stored hash — never the code.
    Checking it is one comparison, not a password hash; it stops working if the code is changed."""

    application_id: int
    digest: str


def _follow_digest(application: Application) -> str:
    value = f"{application.pk}:{application.follow_code_hash}"
    return salted_hmac("fuyuan.reconsideration.follow", value, algorithm="sha256").hexdigest()


def follow_proof(application: Application) -> FollowProof:
    """The proof that whoever holds it reached ``application`` with its receipt number and follow-up code."""
    return FollowProof(application.pk, _follow_digest(application))


def proves_follow_up(application: Application, proof: FollowProof) -> bool:
    return proof.application_id == application.pk and constant_time_compare(proof.digest, _follow_digest(application))


def for_follow_proof(proof: FollowProof) -> Application | None:
    """The file a proof was made for, while it still holds; None otherwise."""
    application = (
        Application.objects.select_related("case", "body", "respondent").filter(pk=proof.application_id).first()
    )
    return application if application is not None and proves_follow_up(application, proof) else None


def for_follow_up(receipt_number: str, code: str) -> Application | None:
    """The applicant's own file, given its receipt number and follow-up code; None when either is wrong (the same
    answer for both, so a number cannot be probed)."""
    application = (
        Application.objects.select_related("case", "body", "respondent")
        .filter(receipt_number=receipt_number.strip())
        .first()
    )
    if application is None:
        check_password(code, _no_such_file())
        return None
    return application if check_password(code.strip(), application.follow_code_hash) else None


# What the applicant is shown of the file's timeline (the public follow-up page): the steps, in plain words, without
# the staff's summaries (which may name people and internal matters).
PUBLIC_STEPS = {
    "received": "已收到行政复议申请",
    "amended": "申请人修改了申请",
    "examination_started": "行政复议机构开始受理审查",
    "correction_requested": "行政复议机构通知补正材料",
    "correction_received": "已收到补正材料",
    "withdrawn_for_silence": "逾期未补正，视为放弃行政复议申请",
    "accepted": "已受理",
    "deemed_accepted": "审查期限届满，依法视为受理",
    "rejected": "决定不予受理",
    "copy_sent": "已向被申请人发送申请书副本",
    "reply_recorded": "被申请人已提出书面答复",
    "hearing_scheduled": "已安排听证",
    "suspended": "行政复议中止",
    "resumed": "恢复审理",
    "extension_approved": "经批准延长审理期限",
    "mediation_started": "调解和解中",
    "mediation_failed": "调解和解未达成协议，恢复审理",
    "mediation_succeeded": "调解和解达成协议，结案",
    "decided": "已作出行政复议决定",
    "served": "行政复议决定书已送达",
    "published": "行政复议决定书已公开",
}


def public_progress(application: Application) -> list[tuple[datetime.date, str]]:
    """The file's steps as the applicant following it sees them: (day, step), oldest first."""
    from django.utils import timezone

    return [
        (timezone.localdate(e.at), PUBLIC_STEPS[e.action]) for e in timeline(application) if e.action in PUBLIC_STEPS
    ]
