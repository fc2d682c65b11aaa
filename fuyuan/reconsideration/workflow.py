"""Reconsideration handling (行政复议办案, SPEC §6.8, 行政复议法 2023修订) as transitions.

Each function checks the actor's right, validates (``ReconsiderationError`` with the reason in Chinese, or
``PermissionDenied``; a refused transition writes nothing), changes the file, writes its Event on the file's
timeline, changes the registry case through ``cases.workflow`` (so the case's deadlines and events follow), and keeps
the file's own deadlines (``deadlines.models.Deadline`` rows with their due obligations), all in one transaction::

    received ─start_examination─▶ examining ─request_correction (once)─▶ correction_requested
       │  (online: the applicant amends)  │                                  │ receive_correction → examining
       │                                  │                                  │ extend_correction (第31条第2款)
       │                                  │                                  └ silence 10 working days → withdrawn (第31条)
       ├─accept / deem_accepted (第30条第3款, the sweep, from the day the review ends)─▶ accepted
       └─reject (不予受理, 第30条第2款) ─▶ rejected
    accepted: choose_procedure · send_copy_to_respondent · record_reply (late: 第70条) · schedule_hearing ·
              send_hearing_notice · designate_hearing_head · record_hearing · refer_to_committee ·
              record_committee_advice · request_extension / approve_extension · issue_opinion
       ├─suspend ─▶ suspended ─resume─▶ accepted
       ├─start_mediation ─▶ mediating ─end_mediation: agreed → decided (调解/和解) | failed → accepted
       └─decide (机构负责人) ─▶ decided ─record_service─▶ served ─publish (第79条) · record_non_performance (第77条)

Periods (``deadlines.rules``, on the working-day calendar, never counted here):
- derived from the case's dates by ``deadlines.workflow.sync_case_deadlines``, with this file's ``Terms``
  (``reconsideration.sweep.terms_of_cases``): ``reconsideration.acceptance`` (paused while a 补正 is awaited, restarted
  from the 补正, 第31条第3款) and the decision: ``reconsideration.decision`` / ``.simplified``, its last day later by an
  approved extension's days and the days suspended (``decision_added_days``);
- kept here: ``reconsideration.correction_notice`` (met by the 补正通知), ``.correction_reply``,
  ``.copy_to_respondent`` / ``.simplified_copy``, ``.reply`` / ``.simplified_reply``, ``.hearing_notice``;
- ``reconsideration.opinion_report``: the 销账本 item a 意见书 opens (``rectification``).
"""

from __future__ import annotations

import datetime
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from fuyuan.cases.choices import Acceptance, CaseKind, ReconsiderationOutcome
from fuyuan.cases.models import Case
from fuyuan.cases.rules import CaseInvalid
from fuyuan.cases.workflow import register_case, update_case
from fuyuan.core.models import Organisation, OrganisationKind, Region, User
from fuyuan.core.queries import work_calendar
from fuyuan.core.timeline import Actor, record_event
from fuyuan.core.uploads import check_upload
from fuyuan.deadlines.models import Deadline, DeadlineState
from fuyuan.deadlines.rules import compute_due, later_by
from fuyuan.deadlines.workflow import keep_obligations, state_of, sync_case_deadlines
from fuyuan.reconsideration.choices import (
    CLOSED,
    IN_PROCEDURE,
    Channel,
    CommitteeGround,
    MaterialKind,
    MediationKind,
    Procedure,
    RejectionGround,
    Stage,
)
from fuyuan.reconsideration.documents import anonymise
from fuyuan.reconsideration.models import (
    Application,
    CommitteeReview,
    Material,
    Mediation,
    NonPerformance,
    Opinion,
    ReconsiderationHearing,
    Suspension,
)
from fuyuan.reconsideration.queries import (
    FollowProof,
    can_answer,
    can_approve,
    can_handle,
    for_follow_up,
    proves_follow_up,
)
from fuyuan.reconsideration.rules import suggest_simplified

ONLINE_APPLICANT = Actor(label="申请人（网上）")
SWEEP = Actor(label="系统定时任务")

# What the applicant states, as the intake forms (window, 笔录, post, online) give it; ``amend_application`` and
# ``update_particulars`` change these.
PARTICULARS = (
    "applicant_name", "applicant_id_number", "applicant_phone", "applicant_address", "agent", "contested_act",
    "act_document_number", "known_on", "request", "facts_and_reasons", "domain", "act_type", "amount",
    "act_on_the_spot", "act_is_warning", "parties_agree_simplified",
)  # fmt: skip
REQUIRED_PARTICULARS = {
    "applicant_name": "申请人",
    "contested_act": "被申请行政复议的行政行为",
    "request": "行政复议请求",
}
# Shown masked on the timeline (the timeline is read more widely than the file's personal data).
PERSONAL = {"applicant_id_number", "applicant_phone", "applicant_address"}
MATERIAL_TYPES = (".pdf", ".docx", ".doc", ".jpg", ".jpeg", ".png")


class ReconsiderationError(Exception):
    """A transition refused for a reason the person can act on; the message says which (nothing was written)."""


class StaleApplication(ReconsiderationError):
    """The file was changed by someone else since the form was opened."""

    def __init__(self, latest: Application) -> None:
        super().__init__("此行政复议案件已被他人修改，请刷新后重试")
        self.latest = latest


@dataclass(frozen=True)
class FollowCode:
    """A follow-up code and its hash (the hash is what the file keeps)."""

    code: str
    hash: str


def new_follow_code() -> FollowCode:
    """A fresh 8-digit code, hashed with the password hasher (slow on purpose: the hash must not give the code away)."""
    code = f"{secrets.randbelow(10**8):08d}"
    return FollowCode(code, make_password(code))


@dataclass(frozen=True)
class Receipt:
    """What the applicant is given at receipt: the file (its ``receipt_number``) and the follow-up code, shown once
    and stored only as a hash."""

    application: Application
    follow_code: str


# ---------------------------------------------------------------------------------------------------------------
# Helpers


def _today() -> datetime.date:
    return timezone.localdate()


def _due(rule_id: str, start: datetime.date) -> datetime.date:
    return compute_due(rule_id, start, work_calendar()).due


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _staff(user: User | Actor, application: Application, action: str) -> User:
    """The body's own staff member, or PermissionDenied."""
    person = user.user if isinstance(user, Actor) else user
    _require(person is not None and can_handle(person, application), f"只有本行政复议机构的工作人员可以{action}")
    assert person is not None
    return person


def _head(user: User, application: Application, action: str) -> None:
    """行政复议机构负责人: approvals (第62条 extension, the decision, the 意见书)."""
    _require(can_approve(user, application), f"只有行政复议机构负责人可以{action}")


def _in_stage(application: Application, stages: Sequence[str], action: str) -> None:
    if application.stage not in stages:
        raise ReconsiderationError(
            f"{application.receipt_number} 当前为“{application.get_stage_display()}”，不能{action}"
        )


def _not_future(day: datetime.date, what: str) -> None:
    if day > _today():
        raise ReconsiderationError(f"{what}（{day.isoformat()}）不能晚于今天")


def _not_before(day: datetime.date, earlier: datetime.date | None, what: str, earlier_what: str) -> None:
    if earlier is not None and day < earlier:
        raise ReconsiderationError(f"{what}（{day.isoformat()}）不能早于{earlier_what}（{earlier.isoformat()}）")


def _locked(application: Application, expected_version: int | None = None) -> Application:
    """Re-read the file under a row lock (two clicks change it once); a stale ``expected_version`` is refused."""
    fresh = Application.objects.select_for_update().select_related("case", "body", "respondent").get(pk=application.pk)
    if expected_version is not None and fresh.version != expected_version:
        raise StaleApplication(fresh)
    return fresh


def _save(application: Application) -> None:
    application.version = F("version") + 1
    application.save()
    application.refresh_from_db(fields=["version"])


def _case_change(application: Application, values: dict[str, Any], by: User | Actor) -> Case:
    """Change the registry case through ``cases.workflow`` (its deadlines and events follow). The body's staff may edit
    their cases; the sweep and the public applicant act through this file's rules, checked here before."""
    actor = Actor.of(by)
    if actor.user is not None and not can_handle(actor.user, application):
        actor = Actor(label=f"{actor.user.display_name}（{application.body.name}行政复议案件）")
    try:
        return update_case(application.case, values, by=actor)
    except CaseInvalid as invalid:
        raise ReconsiderationError(str(invalid)) from None


def _actor_for(application: Application, by: User | Actor, code: str | FollowProof | None, action: str) -> Actor:
    """The applicant acting without an account must give the file's follow-up code, or the proof that they gave it
    (``queries.follow_proof``, checked without hashing the code again); a user must be the body's."""
    actor = Actor.of(by)
    if actor.user is None:
        if isinstance(code, FollowProof):
            followed = proves_follow_up(application, code)
        else:
            followed = code is not None and for_follow_up(application.receipt_number, code) is not None
        if not followed:
            raise PermissionDenied("收件编号或查询码不正确")
        return actor
    _staff(actor.user, application, action)
    return actor


def _keep_deadline(
    application: Application,
    rule_id: str,
    start: datetime.date,
    *,
    owner: Organisation | int,
    met_on: datetime.date | None = None,
) -> Deadline:
    """Open (or move) the file's deadline of ``rule_id`` from ``start`` and keep its due obligation with it."""
    due = compute_due(rule_id, start, work_calendar())
    owner_id = owner.pk if isinstance(owner, Organisation) else owner
    deadline, _ = Deadline.objects.update_or_create(
        case=application.case,
        rule_id=rule_id,
        defaults={
            "start_on": start,
            "due_on": due.due,
            "met_on": met_on,
            "owner_id": owner_id,
            "calendar_known": due.calendar_known,
            "state": state_of(due.due, met_on, _today()),
        },
    )
    keep_obligations([deadline])
    return deadline


def _meet_deadline(application: Application, rule_id: str, on: datetime.date) -> Deadline | None:
    deadline = Deadline.objects.filter(case=application.case, rule_id=rule_id).first()
    if deadline is None:
        return None
    deadline.met_on, deadline.state = on, DeadlineState.MET
    deadline.save(update_fields=["met_on", "state"])
    keep_obligations([deadline])
    return deadline


def _cancel_deadlines(application: Application, rule_ids: Sequence[str]) -> None:
    """Deadlines that no longer apply (the other procedure's, or the file closed) stop; overdue ones stay on record."""
    stopped = list(Deadline.objects.filter(case=application.case, rule_id__in=rule_ids, state=DeadlineState.OPEN))
    for deadline in stopped:
        deadline.state = DeadlineState.CANCELLED
    Deadline.objects.bulk_update(stopped, ["state"])
    keep_obligations(stopped)


def _resync(application: Application) -> None:
    """The file's ``Terms`` changed without the case: bring the case's derived deadlines to them."""
    sync_case_deadlines([application.case_id])


def _simplified(application: Application) -> bool:
    return application.procedure == Procedure.SIMPLIFIED


def copy_rule(application: Application) -> str:
    """第48条 (7 working days) or, in the simplified procedure, 第54条 (3 working days)."""
    return "reconsideration.simplified_copy" if _simplified(application) else "reconsideration.copy_to_respondent"


def reply_rule(application: Application) -> str:
    """第48条 (10 working days) or, in the simplified procedure, 第54条 (5 working days)."""
    return "reconsideration.simplified_reply" if _simplified(application) else "reconsideration.reply"


def acceptance_start(application: Application) -> datetime.date | None:
    """Where the 5-working-day review of 第30条 runs from: the receipt, or the day the 补正 came in (第31条第3款);
    None while a 补正 is awaited or once the application lapsed."""
    if application.stage in (Stage.CORRECTION_REQUESTED, Stage.WITHDRAWN):
        return None
    return application.correction_replied_on or application.case.received_on


def acceptance_due(application: Application) -> datetime.date | None:
    """The last day of the acceptance review (第30条), None when none runs."""
    start = acceptance_start(application)
    return None if start is None else _due("reconsideration.acceptance", start)


def correction_due(application: Application) -> datetime.date:
    """The last day for the 补正: 10 working days from the notice (第31条第2款), or the later day the body set when the
    applicant could not supply it in time for a good reason (依据 第31条第2款: a reasonable longer period for a good reason)."""
    assert application.correction_requested_on is not None
    if application.correction_extended_to is not None:
        return application.correction_extended_to
    return _due("reconsideration.correction_reply", application.correction_requested_on)


def decision_rule(application: Application) -> str:
    """第62条: 60 days (普通程序, 第1款), 30 (简易程序, 第2款). An approved extension lengthens the period by its days
    (``decision_added_days``); ``reconsideration.decision_extended`` (90 days, the outer limit) is not a file's rule."""
    return "reconsideration.simplified" if _simplified(application) else "reconsideration.decision"


def days_suspended(application: Application) -> int:
    """Calendar days the file was suspended, over its ended suspensions (read from ``sweep.suspended_days`` when the
    file was loaded with it)."""
    annotated = getattr(application, "days_suspended", None)
    if annotated is not None:
        return int(annotated)
    ended = application.suspensions.filter(resumed_on__isnull=False)
    return sum((s.resumed_on - s.suspended_on).days for s in ended if s.resumed_on is not None)


def decision_added_days(application: Application) -> int:
    """The days the decision period's last day moves later:

    - the days of an extension approved by the body's head (依据 行政复议法 (2023) 第62条第1款: a complex case may be
      extended once, with the approval of the head of the 行政复议机构, by at most 30 days), counted from the last day of
      the period extended;
    - the days the case was suspended. 第39条 lists the reasons for 中止 and says the hearing resumes once they are
      gone (第39条第2款); it does not say the suspended days are left out of the decision period. Leaving them out is
      the practice of reconsideration bodies, followed here: the period does not run while the case is suspended.
    """
    extension = (application.extension_days or 0) if application.extension_approved_on is not None else 0
    return extension + days_suspended(application)


def decision_period_note(application: Application) -> str:
    """What lengthened the decision period, for the file's list of deadlines: "（延长20日、中止10日不计）" or ""."""
    extension = (application.extension_days or 0) if application.extension_approved_on is not None else 0
    suspended = days_suspended(application)
    parts = ([f"延长{extension}日"] if extension else []) + ([f"中止{suspended}日不计"] if suspended else [])
    return f"（{'、'.join(parts)}）" if parts else ""


def decision_due(application: Application) -> datetime.date | None:
    """The last day of the decision period in force (``decision_rule`` from acceptance, later by
    ``decision_added_days``, the holiday end-rule applied to the day reached, ``deadlines.rules.later_by``)."""
    accepted_on = application.case.accepted_on
    if application.case.acceptance != Acceptance.ACCEPTED or accepted_on is None:
        return None
    cal = work_calendar()
    return later_by(
        compute_due(decision_rule(application), accepted_on, cal), decision_added_days(application), cal
    ).due


def _shown(field: str, value: Any) -> str:
    if value is None or value == "":
        return "（空）"
    if field in PERSONAL:
        return "（已修改）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.date):
        return value.isoformat()
    choices = getattr(Application._meta.get_field(field), "choices", None)
    if choices:
        return str(dict(choices).get(value, value))
    return str(value)


def _particulars_changes(application: Application, values: dict[str, Any]) -> dict[str, list[str]]:
    changes: dict[str, list[str]] = {}
    for field, new in values.items():
        old = getattr(application, field)
        if old == new or (old in (None, "") and new in (None, "")):
            continue
        label = str(getattr(Application._meta.get_field(field), "verbose_name", field))
        changes[label] = [_shown(field, old), _shown(field, new)]
    return changes


def _check_particulars(values: dict[str, Any]) -> None:
    missing = [label for field, label in REQUIRED_PARTICULARS.items() if not str(values.get(field) or "").strip()]
    if missing:
        raise ReconsiderationError(f"请填写{'、'.join(missing)}")
    known_on = values.get("known_on")
    if known_on is not None:
        _not_future(known_on, "知道该行政行为之日")
    amount = values.get("amount")
    if amount is not None and Decimal(amount) < 0:
        raise ReconsiderationError("涉案金额不能为负数")


def _apply_due(known_on: datetime.date | None) -> datetime.date | None:
    """行政复议法 (2023) 第20条第1款: 60 days from the day the applicant knew of the act (``reconsideration.apply``)."""
    return None if known_on is None else _due("reconsideration.apply", known_on)


def _case_particulars(application: Application) -> dict[str, Any]:
    """What the registry case carries of the application (the figures and lists read it there)."""
    return {
        "plaintiffs": application.applicant_name,
        "cause": application.act_type,
        "domain": application.domain,
        "request": application.request,
        "amount": application.amount,
    }


def _receipt_number(body: Organisation, year: int) -> str:
    """The next 收件编号 of the body's region for ``year``, e.g. ``黔南州复申〔2026〕000012号`` (numbering is serialised
    by a lock on the region's row; region names are unique, so numbers are)."""
    Region.objects.select_for_update().filter(pk=body.region_id).first()
    prefix = f"{body.region.name}复申〔{year}〕"
    taken = Application.objects.filter(receipt_number__startswith=prefix).count()
    return f"{prefix}{taken + 1:06d}号"


# ---------------------------------------------------------------------------------------------------------------
# Receipt and the acceptance review (第30-31条)


@transaction.atomic
def receive_application(
    values: dict[str, Any],
    *,
    body: Organisation,
    respondent: Organisation,
    channel: str,
    by: User | Actor,
    received_on: datetime.date | None = None,
    follow_code: FollowCode | None = None,
) -> Receipt:
    """收件: register an application received at ``body`` against ``respondent``, and its registry case (kind
    reconsideration, acceptance pending, received on the day of receipt), so the figures count it from now.

    ``values`` are the ``PARTICULARS``. The body's staff register window, oral (笔录), posted and online applications;
    an online application may also come from the applicant (``by=ONLINE_APPLICANT``, received today). An application
    after the 60-day limit of 第20条第1款 is registered, flagged and said so on the timeline: the body examines whether
    there was a lawful excuse (第20条第2款), nothing is refused silently. Returns the receipt with the follow-up code
    (shown once; ``follow_code`` gives one made beforehand, so that many files registered at once share one hashing).
    The acceptance review (``reconsideration.acceptance``) starts."""
    actor = Actor.of(by)
    channel = Channel(channel)
    if actor.user is None:
        if channel != Channel.ONLINE:
            raise PermissionDenied("只有行政复议机构工作人员可以登记窗口、口头和邮寄申请")
        received_on = _today()
    else:
        _require(
            can_handle(actor.user, Application(body=body, respondent=respondent)),
            "只有本行政复议机构的工作人员可以登记行政复议申请",
        )
    received_on = received_on or _today()
    _not_future(received_on, "收件日期")
    if body.kind != OrganisationKind.JUSTICE_BUREAU and body.kind != OrganisationKind.OTHER:
        raise ReconsiderationError(f"{body.name}不是行政复议机构")
    if respondent.pk == body.pk:
        raise ReconsiderationError("被申请人不能是行政复议机构本身")
    particulars = {f: values[f] for f in PARTICULARS if f in values}
    _check_particulars(particulars)
    application = Application(body=body, respondent=respondent, channel=channel, **particulars)
    application.receipt_number = _receipt_number(body, received_on.year)
    follow = follow_code or new_follow_code()
    application.follow_code_hash = follow.hash
    application.apply_due_on = _apply_due(application.known_on)
    application.registered_by = actor.user
    case_values = {
        "kind": CaseKind.RECONSIDERATION,
        "number": application.receipt_number,
        "reconsideration_body": body,
        "defendant": respondent,
        "received_on": received_on,
        "acceptance": Acceptance.PENDING,
        **_case_particulars(application),
    }
    try:
        application.case = register_case(case_values, by=actor, on_behalf=True)
    except CaseInvalid as invalid:
        raise ReconsiderationError(str(invalid)) from None
    application.save()
    summary = f"收到行政复议申请（{channel.label}），收件编号 {application.receipt_number}"
    if application.is_late_application:
        assert application.apply_due_on is not None
        summary += (
            f"；注意：申请期限已于 {application.apply_due_on.isoformat()} 届满（自知道该行政行为之日起六十日，"
            "行政复议法第20条第1款），请审查是否因不可抗力或者其他正当理由耽误（第20条第2款）"
        )
    record_event(application, by=actor, action="received", summary=summary)
    _resync(application)
    return Receipt(application, follow.code)


def _change_particulars(
    application: Application, values: dict[str, Any], *, by: Actor, action: str, summary: str
) -> Application:
    particulars = {f: values[f] for f in PARTICULARS if f in values}
    _check_particulars({**{f: getattr(application, f) for f in PARTICULARS}, **particulars})
    changes = _particulars_changes(application, particulars)
    if not changes:
        return application
    for field, value in particulars.items():
        setattr(application, field, value)
    application.apply_due_on = _apply_due(application.known_on)
    _save(application)
    record_event(application, by=by, action=action, summary=summary, changes=changes)
    _case_change(application, _case_particulars(application), by)
    return application


@transaction.atomic
def amend_application(
    application: Application,
    values: dict[str, Any],
    *,
    code: str | FollowProof,
    by: Actor = ONLINE_APPLICANT,
    expected_version: int | None = None,
) -> Application:
    """The applicant corrects their own online application (receipt number + ``code``) until the body starts
    examining it (SPEC §6.8: the public's complaint that nothing can be changed after submitting)."""
    _actor_for(application, Actor(label=by.label), code, "修改申请")
    application = _locked(application, expected_version)
    if application.channel != Channel.ONLINE:
        raise ReconsiderationError("只有网上提交的申请可以由申请人自行修改；其他申请请联系行政复议机构")
    _in_stage(application, [Stage.RECEIVED], "修改申请（行政复议机构已开始审查）")
    return _change_particulars(application, values, by=by, action="amended", summary="申请人修改了申请内容")


@transaction.atomic
def update_particulars(
    application: Application, values: dict[str, Any], *, by: User, expected_version: int | None = None
) -> Application:
    """The body's staff correct what the file says of the application (a typing error, a new phone number) while the
    file is open; the change is on the timeline (personal data masked)."""
    _staff(by, application, "修改申请信息")
    application = _locked(application, expected_version)
    if application.stage in CLOSED:
        raise ReconsiderationError(f"{application.receipt_number} 已办结，不能修改申请信息")
    return _change_particulars(
        application, values, by=Actor(user=by), action="particulars_updated", summary="修改申请信息"
    )


@transaction.atomic
def start_examination(application: Application, *, by: User, handler: User | None = None) -> Application:
    """Staff start examining the application (受理审查); from now on the applicant can no longer amend it online.
    ``handler`` (承办人, default: the person acting) must be the body's staff."""
    _staff(by, application, "开始审查")
    handler = handler or by
    _require(can_handle(handler, application), "承办人应为本行政复议机构的工作人员")
    application = _locked(application)
    _in_stage(application, [Stage.RECEIVED], "开始审查")
    application.stage = Stage.EXAMINING
    application.examination_started_on = _today()
    application.handler = handler
    _save(application)
    record_event(
        application, by=by, action="examination_started", summary=f"开始受理审查，承办人：{handler.display_name}"
    )
    return application


@transaction.atomic
def request_correction(application: Application, *, items: Sequence[str], by: User) -> Application:
    """补正通知 (第31条第1款): within 5 working days of receipt (``reconsideration.correction_notice``), once, listing
    everything missing. The applicant then has 10 working days (``reconsideration.correction_reply``); the
    acceptance review stops until the 补正 comes in."""
    _staff(by, application, "通知补正")
    application = _locked(application)
    _in_stage(application, [Stage.RECEIVED, Stage.EXAMINING], "通知补正")
    if application.correction_requested_on is not None:
        raise ReconsiderationError("补正通知只能发出一次，且应一次性载明需要补正的事项（行政复议法第31条第1款）")
    listed = [str(i).strip() for i in items if str(i).strip()]
    if not listed:
        raise ReconsiderationError("请逐项列明需要补正的材料或事项")
    today = _today()
    received_on = application.case.received_on
    assert received_on is not None
    notice_due = _due("reconsideration.correction_notice", received_on)
    if today > notice_due:
        raise ReconsiderationError(
            f"补正通知应自收到申请之日起五个工作日内发出（届满日 {notice_due.isoformat()}，行政复议法第31条第1款）；"
            "审查期限届满未作出不予受理决定的，视为受理（第30条第3款）"
        )
    application.stage = Stage.CORRECTION_REQUESTED
    application.correction_requested_on = today
    application.correction_items = listed
    application.handler = application.handler or by
    _save(application)
    _keep_deadline(
        application, "reconsideration.correction_notice", received_on, owner=application.body_id, met_on=today,
    )  # fmt: skip
    # The applicant has no organisation: the body watches the period for them.
    reply = _keep_deadline(application, "reconsideration.correction_reply", today, owner=application.body_id)
    lines = "；".join(f"{n}. {item}" for n, item in enumerate(listed, 1))
    record_event(
        application,
        by=by,
        action="correction_requested",
        summary=f"通知申请人补正（共{len(listed)}项，补正期限 {reply.due_on.isoformat()}）：{lines}",
    )
    _resync(application)
    return application


@transaction.atomic
def receive_correction(
    application: Application,
    *,
    reply: str = "",
    by: User | Actor,
    code: str | FollowProof | None = None,
    on: datetime.date | None = None,
) -> Application:
    """The applicant's 补正 came in (given online with the follow-up code, or recorded by staff), within its 10 working
    days: the file goes back to examination and the 5-working-day review starts again from that day (第31条第3款)."""
    actor = _actor_for(application, by, code, "登记补正材料")
    application = _locked(application)
    _in_stage(application, [Stage.CORRECTION_REQUESTED], "提交补正材料")
    on = on if actor.user is not None and on is not None else _today()
    _not_future(on, "补正材料提交日期")
    _not_before(on, application.correction_requested_on, "补正材料提交日期", "补正通知日期")
    due = correction_due(application)
    if on > due:
        raise ReconsiderationError(
            f"补正期限已于 {due.isoformat()} 届满；无正当理由逾期不补正的，视为申请人放弃行政复议申请（行政复议法第31条第2款）"
        )
    application.stage = Stage.EXAMINING
    application.correction_replied_on = on
    application.correction_reply = reply.strip()
    _save(application)
    _meet_deadline(application, "reconsideration.correction_reply", on)
    record_event(
        application,
        by=actor,
        action="correction_received",
        summary=f"收到补正材料（{on.isoformat()}），受理审查期限自该日重新计算（行政复议法第31条第3款）",
    )
    _resync(application)
    return application


@transaction.atomic
def extend_correction(application: Application, *, until: datetime.date, reason: str, by: User) -> Application:
    """延长补正期限 (依据 第31条第2款: the applicant has a good reason for not correcting in time): the body's staff set
    a later last day, with the applicant's reason, while the 补正 is awaited (before the sweep treats the silence as
    withdrawal). The period's deadline and its obligation move to that day; the sweep then waits for it."""
    _staff(by, application, "延长补正期限")
    application = _locked(application)
    _in_stage(application, [Stage.CORRECTION_REQUESTED], "延长补正期限")
    reason = reason.strip()
    if not reason:
        raise ReconsiderationError("请写明申请人不能按期补正的正当理由（行政复议法第31条第2款）")
    due = correction_due(application)
    if until <= due:
        raise ReconsiderationError(f"延长后的补正期限（{until.isoformat()}）应晚于现补正期限（{due.isoformat()}）")
    if until < _today():
        raise ReconsiderationError(f"延长后的补正期限（{until.isoformat()}）不能早于今天")
    application.correction_extended_to = until
    application.correction_extension_reason = reason
    _save(application)
    deadline = Deadline.objects.filter(case=application.case, rule_id="reconsideration.correction_reply").first()
    if deadline is not None:
        deadline.due_on, deadline.state = until, state_of(until, None, _today())
        deadline.save(update_fields=["due_on", "state"])
        keep_obligations([deadline])
    record_event(
        application,
        by=by,
        action="correction_extended",
        summary=f"延长补正期限至 {until.isoformat()}（原期限 {due.isoformat()}，行政复议法第31条第2款）：{reason}",
        changes={"补正期限": [due.isoformat(), until.isoformat()]},
    )
    return application


@transaction.atomic
def withdraw_for_silence(application: Application, *, by: User | Actor = SWEEP) -> Application:
    """视为放弃 (第31条第2款): the 10 working days of the 补正 passed without it. Done by the sweep on the day after the
    period (``reconsideration.sweep``), or by staff then. The case is closed as 撤回 on that day (recorded, 记录在案);
    it was never accepted, so it counts as received, not as accepted or rejected."""
    actor = Actor.of(by)
    if actor.user is not None:
        _staff(actor.user, application, "登记视为放弃申请")
    application = _locked(application)
    _in_stage(application, [Stage.CORRECTION_REQUESTED], "视为放弃申请")
    due = correction_due(application)
    if _today() <= due:
        raise ReconsiderationError(f"补正期限 {due.isoformat()} 尚未届满")
    lapsed_on = due + datetime.timedelta(days=1)
    application.stage = Stage.WITHDRAWN
    _save(application)
    record_event(
        application,
        by=actor,
        action="withdrawn_for_silence",
        summary=(
            f"申请人未在补正期限（{due.isoformat()}）内提交补正材料，依行政复议法第31条第2款视为放弃行政复议申请，记录在案"
        ),
    )
    _case_change(application, {"outcome": ReconsiderationOutcome.WITHDRAWN, "concluded_on": lapsed_on}, actor)
    return application


def _accept(application: Application, *, on: datetime.date, deemed: bool, procedure: str, by: Actor) -> Application:
    application.stage = Stage.ACCEPTED
    application.deemed_accepted = deemed
    application.procedure = Procedure(procedure)
    _save(application)
    # The procedure is saved before the case changes: the case's deadline sync reads it (its ``Terms``).
    _case_change(application, {"acceptance": Acceptance.ACCEPTED, "accepted_on": on}, by)
    copy = _keep_deadline(application, copy_rule(application), on, owner=application.body_id)
    decision = decision_due(application)
    if deemed:
        summary = f"受理审查期限于 {on.isoformat()} 届满，行政复议机构未作出不予受理决定，依行政复议法第30条第3款自该日起视为受理"
    else:
        summary = f"决定受理（{application.get_procedure_display()}）"
    summary += f"；申请书副本应于 {copy.due_on.isoformat()} 前发送被申请人，复议决定期限 {decision}"
    record_event(application, by=by, action="deemed_accepted" if deemed else "accepted", summary=summary)
    return application


@transaction.atomic
def accept(application: Application, *, by: User, procedure: str = Procedure.ORDINARY) -> Application:
    """受理 (第30条第1款), today, in ``procedure`` (simplified only where ``suggest_simplified`` finds a 第53条 reason).
    If the review period has already ended, the application was accepted by law on its last day (第30条第3款): it is
    recorded so, as the sweep would. The copy to the respondent falls due (7 working days; simplified 3)."""
    _staff(by, application, "受理")
    application = _locked(application)
    _in_stage(application, [Stage.RECEIVED, Stage.EXAMINING], "受理")
    _check_procedure(application, procedure)
    due = acceptance_due(application)
    assert due is not None
    if _today() > due:
        return _accept(application, on=due, deemed=True, procedure=Procedure.ORDINARY, by=Actor(user=by))
    return _accept(application, on=_today(), deemed=False, procedure=procedure, by=Actor(user=by))


@transaction.atomic
def deem_accepted(application: Application, *, by: User | Actor = SWEEP) -> Application:
    """视为受理 (第30条第3款): the review period ended without a 不予受理 decision; accepted from its last day, in the
    ordinary procedure. The sweep does this on the first day after the period (``reconsideration.sweep``)."""
    application = _locked(application)
    _in_stage(application, [Stage.RECEIVED, Stage.EXAMINING], "视为受理")
    due = acceptance_due(application)
    assert due is not None
    if _today() <= due:
        raise ReconsiderationError(f"受理审查期限 {due.isoformat()} 尚未届满")
    return _accept(application, on=due, deemed=True, procedure=Procedure.ORDINARY, by=Actor.of(by))


@transaction.atomic
def reject(
    application: Application,
    *,
    grounds: Sequence[str],
    reason: str,
    by: User,
    competent_body: Organisation | None = None,
) -> Application:
    """不予受理 (第30条第2款) within the review period: the conditions of 第30条第1款 the application fails
    (``RejectionGround``) and the reasons in the body's words; where it is not this body's case (第30条第1款第(六)项) the
    decision names the competent body (the transfer). After the period the application is accepted by law: a case
    found inadmissible then is dismissed by decision (驳回, 第69条)."""
    _staff(by, application, "作出不予受理决定")
    application = _locked(application)
    _in_stage(application, [Stage.RECEIVED, Stage.EXAMINING], "作出不予受理决定")
    chosen = list(dict.fromkeys(str(g) for g in grounds))
    if not chosen:
        raise ReconsiderationError("请选择不予受理的情形（不符合行政复议法第30条第1款的哪一项受理条件）")
    unknown = [g for g in chosen if g not in RejectionGround.values]
    if unknown:
        raise ReconsiderationError(f"不予受理的情形无效：{'、'.join(unknown)}")
    reason = reason.strip()
    if not reason:
        raise ReconsiderationError("请写明不予受理的理由（行政复议法第30条第2款）")
    not_competent = RejectionGround.NOT_COMPETENT in chosen
    if not_competent and competent_body is None:
        raise ReconsiderationError(
            "不属于本机关管辖的，应当在不予受理决定中告知申请人有管辖权的行政复议机关（第30条第2款）"
        )
    if competent_body is not None and not not_competent:
        raise ReconsiderationError("告知有管辖权的行政复议机关的，不予受理的情形应当包括“不属于本机关管辖”")
    if competent_body is not None and competent_body.pk == application.body_id:
        raise ReconsiderationError("有管辖权的行政复议机关不能是本机关")
    due = acceptance_due(application)
    assert due is not None
    today = _today()
    if today > due:
        raise ReconsiderationError(
            f"受理审查期限已于 {due.isoformat()} 届满，依行政复议法第30条第3款视为受理；"
            "受理后发现不符合受理条件的，应决定驳回行政复议申请（第69条）"
        )
    application.stage = Stage.REJECTED
    application.rejection_grounds = chosen
    application.rejection_reason = reason
    application.competent_body = competent_body
    _save(application)
    labels = "、".join(application.get_rejection_grounds_display())
    stated = f"{labels}。{reason}" + (
        f"（告知申请人有管辖权的行政复议机关：{competent_body.name}）" if competent_body else ""
    )
    record_event(application, by=by, action="rejected", summary=f"决定不予受理：{stated}")
    _case_change(
        application, {"acceptance": Acceptance.REJECTED, "accepted_on": today, "rejection_reason": stated[:500]}, by
    )
    return application


# ---------------------------------------------------------------------------------------------------------------
# The procedure


def _check_procedure(application: Application, procedure: str) -> None:
    if procedure not in Procedure.values:
        raise ReconsiderationError("请选择普通程序或简易程序")
    if procedure == Procedure.SIMPLIFIED and not suggest_simplified(application):
        raise ReconsiderationError(
            "本案不属于行政复议法第53条第1款所列情形，当事人各方也未同意适用简易程序（第53条第2款），不能适用简易程序"
        )


@transaction.atomic
def choose_procedure(application: Application, procedure: str, *, by: User) -> Application:
    """普通程序 or 简易程序 (第53条; ``suggest_simplified`` gives the reasons, staff choose). To the simplified procedure
    only before the copy went out under the ordinary one; from it to the ordinary procedure only with the head's
    approval (第57条). The copy's period and the decision's follow the choice."""
    _staff(by, application, "选择审理程序")
    application = _locked(application)
    _in_stage(application, IN_PROCEDURE, "选择审理程序")
    _check_procedure(application, procedure)
    if procedure == application.procedure:
        raise ReconsiderationError(f"本案已适用{application.get_procedure_display()}")
    if procedure == Procedure.SIMPLIFIED and application.copy_sent_on is not None:
        raise ReconsiderationError("已按普通程序发送申请书副本，不能再转为简易程序")
    if procedure == Procedure.ORDINARY:
        _head(by, application, "批准简易程序转为普通程序（行政复议法第57条）")
    if procedure == Procedure.SIMPLIFIED and application.extension_approved_on is not None:
        raise ReconsiderationError("已批准延长审理期限的案件不能转为简易程序")
    before = application.get_procedure_display()
    old_copy, old_reply = copy_rule(application), reply_rule(application)
    application.procedure = Procedure(procedure)
    _save(application)
    accepted_on = application.case.accepted_on
    assert accepted_on is not None
    if application.copy_sent_on is None:
        _cancel_deadlines(application, [old_copy])
        _keep_deadline(application, copy_rule(application), accepted_on, owner=application.body_id)
    elif application.reply_received_on is None and old_reply != reply_rule(application):
        _cancel_deadlines(application, [old_reply])
        _keep_deadline(application, reply_rule(application), application.copy_sent_on, owner=application.respondent_id)
    reasons = "；".join(suggest_simplified(application)) if procedure == Procedure.SIMPLIFIED else ""
    record_event(
        application,
        by=by,
        action="procedure_chosen",
        summary=f"审理程序：{application.get_procedure_display()}" + (f"（{reasons}）" if reasons else ""),
        changes={"审理程序": [before, application.get_procedure_display()]},
    )
    _resync(application)
    return application


@transaction.atomic
def send_copy_to_respondent(application: Application, *, by: User, on: datetime.date | None = None) -> Application:
    """The application (or the 笔录) is sent to the respondent (第48条: 7 working days from acceptance; 第54条: 3 in the
    simplified procedure); its written reply with the evidence falls due (10 working days; simplified 5)."""
    _staff(by, application, "发送申请书副本")
    application = _locked(application)
    _in_stage(application, IN_PROCEDURE, "发送申请书副本")
    if application.copy_sent_on is not None:
        raise ReconsiderationError(f"申请书副本已于 {application.copy_sent_on.isoformat()} 发送")
    on = on or _today()
    _not_future(on, "发送日期")
    _not_before(on, application.case.accepted_on, "发送日期", "受理日期")
    application.copy_sent_on = on
    _save(application)
    sent = _meet_deadline(application, copy_rule(application), on)
    reply = _keep_deadline(application, reply_rule(application), on, owner=application.respondent_id)
    late = " （晚于发送期限）" if sent is not None and sent.met_late else ""
    record_event(
        application,
        by=by,
        action="copy_sent",
        summary=f"向被申请人发送申请书副本{late}，被申请人应于 {reply.due_on.isoformat()} 前提出书面答复并提交证据、依据",
    )
    return application


@transaction.atomic
def record_reply(application: Application, *, text: str, by: User, on: datetime.date | None = None) -> Application:
    """被申请人的书面答复 with its evidence (第48条, 第54条): given by the respondent's liaison in the platform, or recorded
    by the body's staff from paper. A reply after its period is recorded and flagged: under 第70条 the act is then taken
    to have no evidence or basis."""
    actor_user = by
    if not can_answer(by, application):
        _staff(by, application, "登记被申请人答复")
    application = _locked(application)
    _in_stage(application, IN_PROCEDURE, "登记被申请人答复")
    if application.copy_sent_on is None:
        raise ReconsiderationError("尚未向被申请人发送申请书副本")
    if application.reply_received_on is not None:
        raise ReconsiderationError(f"被申请人已于 {application.reply_received_on.isoformat()} 答复")
    if not text.strip():
        raise ReconsiderationError("请填写书面答复的内容")
    on = on or _today()
    _not_future(on, "答复日期")
    _not_before(on, application.copy_sent_on, "答复日期", "申请书副本发送日期")
    due = _due(reply_rule(application), application.copy_sent_on)
    application.reply_received_on = on
    application.reply_text = text.strip()
    application.reply_late = on > due
    _save(application)
    _meet_deadline(application, reply_rule(application), on)
    summary = f"被申请人提出书面答复（{on.isoformat()}）"
    if application.reply_late:
        summary += (
            f"；逾期答复（期限 {due.isoformat()}）：依行政复议法第70条，被申请人未按期提出书面答复、提交证据的，"
            "视为该行政行为没有证据、依据"
        )
    record_event(application, by=actor_user, action="reply_recorded", summary=summary)
    return application


@transaction.atomic
def add_material(
    application: Application,
    *,
    kind: str,
    upload: UploadedFile,
    by: User | Actor,
    code: str | FollowProof | None = None,
) -> Material:
    """A file for the record: the applicant's (online with the follow-up code: their application, 补正 and evidence,
    while the file is open), the respondent's liaison (its reply and evidence), or the body's staff (any)."""
    actor = Actor.of(by)
    kind = MaterialKind(kind)
    if actor.user is None:
        _actor_for(application, actor, code, "上传材料")
        allowed = {MaterialKind.APPLICATION, MaterialKind.CORRECTION, MaterialKind.APPLICANT_EVIDENCE}
        if kind not in allowed or application.stage in CLOSED:
            raise PermissionDenied("申请人只能在案件办结前上传申请、补正材料和证据")
    elif can_answer(actor.user, application):
        if kind not in (MaterialKind.REPLY, MaterialKind.EVIDENCE):
            raise PermissionDenied("被申请人只能上传答复和证据、依据")
    else:
        _staff(actor.user, application, "上传案卷材料")
    suffix = check_upload(
        upload,
        accepted=MATERIAL_TYPES,
        not_accepted="不是可接受的文件：只接受 .pdf、.doc、.docx、.jpg、.png",
        error=ReconsiderationError,
    )
    application = _locked(application)
    name = PurePath(upload.name or f"材料{suffix}").name
    material = Material(
        application=application,
        kind=kind,
        name=name,
        uploaded_at=timezone.now(),
        uploaded_by=actor.user,
        uploaded_by_label=actor.label,
    )
    material.file.save(f"{kind}-{secrets.token_hex(4)}{suffix}", upload, save=False)
    material.save()
    record_event(application, by=actor, action="material_added", summary=f"上传{kind.label}：{name}")
    return material


# ---------------------------------------------------------------------------------------------------------------
# 听证 (第50-51条)


@transaction.atomic
def schedule_hearing(
    application: Application, *, held_at: datetime.datetime, place: str, matters: str = "", by: User
) -> ReconsiderationHearing:
    """Schedule a 听证. The notice must reach the parties at least 5 working days before it (第51条): the last day to
    send it (``reconsideration.hearing_notice``, counted back from the hearing) may not have passed already."""
    _staff(by, application, "安排听证")
    application = _locked(application)
    _in_stage(application, [Stage.ACCEPTED], "安排听证")
    if not place.strip():
        raise ReconsiderationError("请填写听证地点")
    day = timezone.localtime(held_at).date() if timezone.is_aware(held_at) else held_at.date()
    notice_due = _due("reconsideration.hearing_notice", day)
    if _today() > notice_due:
        raise ReconsiderationError(
            f"听证通知应于听证五个工作日前送达当事人（行政复议法第51条），{day.isoformat()}的听证最迟应于 "
            f"{notice_due.isoformat()} 发出通知；请另定听证日期"
        )
    hearing = ReconsiderationHearing.objects.create(
        application=application, held_at=held_at, place=place.strip(), matters=matters.strip()
    )
    _keep_deadline(application, "reconsideration.hearing_notice", day, owner=application.body_id)
    _save(application)
    record_event(
        application,
        by=by,
        action="hearing_scheduled",
        summary=f"安排听证：{day.isoformat()}，{hearing.place}；听证通知最迟于 {notice_due.isoformat()} 发出",
    )
    return hearing


def _hearing_locked(hearing: ReconsiderationHearing) -> tuple[ReconsiderationHearing, Application]:
    application = _locked(hearing.application)
    return ReconsiderationHearing.objects.select_for_update().get(pk=hearing.pk), application


def _hearing_day(hearing: ReconsiderationHearing) -> datetime.date:
    return timezone.localtime(hearing.held_at).date()


@transaction.atomic
def send_hearing_notice(
    hearing: ReconsiderationHearing, *, by: User, on: datetime.date | None = None
) -> ReconsiderationHearing:
    """The 听证通知书 went to the parties (第51条): meets ``reconsideration.hearing_notice`` (late if after its day)."""
    _staff(by, hearing.application, "发出听证通知")
    hearing, application = _hearing_locked(hearing)
    if hearing.notice_sent_on is not None:
        raise ReconsiderationError(f"听证通知已于 {hearing.notice_sent_on.isoformat()} 发出")
    on = on or _today()
    _not_future(on, "听证通知发出日期")
    hearing.notice_sent_on = on
    hearing.save(update_fields=["notice_sent_on"])
    met = _meet_deadline(application, "reconsideration.hearing_notice", on)
    late = "（晚于听证前五个工作日）" if met is not None and met.met_late else ""
    record_event(application, by=by, action="hearing_notice_sent", summary=f"发出听证通知{late}")
    return hearing


def _roster_refusal(application: Application, name: str, day: datetime.date) -> str | None:
    """Why ``name`` cannot count as the respondent's head on ``day`` (None: they can) — checked against the heads
    roster valid that day, as court appearance is (法释〔2020〕3号 第2条; 行政复议法第51条: 被申请人的负责人应当参加听证)."""
    respondent = application.respondent
    if respondent.heads_on(day).filter(name=name.strip()).exists():
        return None
    valid = "、".join(f"{h.name}（{h.get_post_display()}）" for h in respondent.heads_on(day))
    return (
        f"“{name.strip()}”不在{respondent.name}于{day.isoformat()}有效的负责人名册中，不能计为被申请人负责人参加听证。"
        + (f"名册中的负责人：{valid}" if valid else "该单位尚无有效的负责人名册，请先维护名册")
    )


@transaction.atomic
def designate_hearing_head(hearing: ReconsiderationHearing, *, name: str, by: User) -> ReconsiderationHearing:
    """The respondent's liaison names the head who will attend (第51条), checked against its heads roster valid on the
    day of the hearing; a person not on it is refused with the reason."""
    _require(can_answer(by, hearing.application), "只有被申请人的机关联络员可以确定参加听证的负责人")
    hearing, application = _hearing_locked(hearing)
    if hearing.recorded_at is not None:
        raise ReconsiderationError("听证情况已经登记")
    refusal = _roster_refusal(application, name, _hearing_day(hearing))
    if refusal:
        raise ReconsiderationError(refusal)
    hearing.designated_head = name.strip()
    hearing.save(update_fields=["designated_head"])
    record_event(
        application, by=by, action="hearing_head_designated", summary=f"被申请人确定参加听证的负责人：{name.strip()}"
    )
    return hearing


@transaction.atomic
def record_hearing(
    hearing: ReconsiderationHearing,
    *,
    head_attended: bool,
    head_name: str = "",
    absence_reason: str = "",
    delegate_name: str = "",
    record: str = "",
    by: User,
) -> ReconsiderationHearing:
    """What happened at the 听证 (on or after its day): whether the respondent's head attended — a name checked against
    the roster valid that day, refused with the reason when not on it — or, if not, the reason given and the staff
    member sent in their place (第51条)."""
    _staff(by, hearing.application, "登记听证情况")
    hearing, application = _hearing_locked(hearing)
    day = _hearing_day(hearing)
    if _today() < day:
        raise ReconsiderationError(f"听证日期为 {day.isoformat()}，听证当日或之后才能登记听证情况")
    if hearing.recorded_at is not None:
        raise ReconsiderationError("听证情况已经登记")
    if head_attended:
        name = head_name.strip() or hearing.designated_head
        if not name:
            raise ReconsiderationError("请填写参加听证的被申请人负责人")
        refusal = _roster_refusal(application, name, day)
        if refusal:
            raise ReconsiderationError(refusal)
        head = application.respondent.heads_on(day).filter(name=name).order_by("post").first()
        assert head is not None
        hearing.head_attended, hearing.head_name, hearing.head_post = True, name, head.post
        summary = f"举行听证，被申请人负责人{name}（{head.get_post_display()}）参加"
    else:
        if not absence_reason.strip() or not delegate_name.strip():
            raise ReconsiderationError(
                "被申请人负责人不能参加听证的，应当说明理由并委托相应的工作人员参加（行政复议法第51条）"
            )
        hearing.head_attended, hearing.head_name, hearing.head_post = False, "", ""
        hearing.absence_reason, hearing.delegate_name = absence_reason.strip(), delegate_name.strip()
        summary = f"举行听证，被申请人负责人未参加（理由：{hearing.absence_reason}），委托{hearing.delegate_name}参加"
    hearing.record = record.strip()
    hearing.recorded_at = timezone.now()
    hearing.save()
    _save(application)
    record_event(application, by=by, action="hearing_recorded", summary=summary)
    return hearing


# ---------------------------------------------------------------------------------------------------------------
# 行政复议委员会 (第52条)


@transaction.atomic
def refer_to_committee(application: Application, *, ground: str, members: Sequence[User], by: User) -> CommitteeReview:
    """提请行政复议委员会咨询 on a ground of 第52条第2款; the members named see this case (and only those they are named
    for) until the end."""
    _staff(by, application, "提请行政复议委员会咨询")
    application = _locked(application)
    _in_stage(application, IN_PROCEDURE, "提请行政复议委员会咨询")
    if ground not in CommitteeGround.values:
        raise ReconsiderationError("请选择提请咨询的情形（行政复议法第52条第2款）")
    people = [m for m in members if m.is_active]
    if not people:
        raise ReconsiderationError("请选择参加咨询的行政复议委员会委员")
    review = CommitteeReview.objects.create(application=application, ground=ground, referred_on=_today())
    review.members.set(people)
    _save(application)
    record_event(
        application,
        by=by,
        action="referred_to_committee",
        summary=f"提请行政复议委员会咨询（{review.get_ground_display()}），委员：{'、'.join(p.display_name for p in people)}",
    )
    return review


@transaction.atomic
def record_committee_advice(review: CommitteeReview, *, advice: str, by: User) -> CommitteeReview:
    """The committee's advice (第52条), entered by one of its members or by the body's staff; the body takes it as an
    important reference for its decision (第61条)."""
    application = review.application
    if not review.members.filter(pk=by.pk).exists():
        _staff(by, application, "登记咨询意见")
    application = _locked(application)
    review = CommitteeReview.objects.select_for_update().get(pk=review.pk)
    if review.advised_on is not None:
        raise ReconsiderationError(f"咨询意见已于 {review.advised_on.isoformat()} 登记")
    if not advice.strip():
        raise ReconsiderationError("请填写咨询意见")
    review.advice, review.advised_on = advice.strip(), _today()
    review.save(update_fields=["advice", "advised_on"])
    _save(application)
    record_event(
        application, by=by, action="committee_advice", summary=f"行政复议委员会提出咨询意见：{review.advice[:200]}"
    )
    return review


# ---------------------------------------------------------------------------------------------------------------
# 中止, extension


@transaction.atomic
def suspend(application: Application, *, reason: str, by: User) -> Suspension:
    """行政复议中止 (第39条) with its reason. The decision deadline rests (cancelled, not chased) until ``resume``
    opens it again, later by the days suspended (``decision_added_days``)."""
    _staff(by, application, "中止审理")
    application = _locked(application)
    _in_stage(application, [Stage.ACCEPTED], "中止审理")
    if not reason.strip():
        raise ReconsiderationError("请写明中止的原因（行政复议法第39条）")
    suspension = Suspension.objects.create(application=application, reason=reason.strip(), suspended_on=_today())
    application.stage = Stage.SUSPENDED
    _save(application)
    # The decision period does not run while the case is suspended: its deadline (and obligation) rests until resume.
    _resync(application)
    record_event(
        application,
        by=by,
        action="suspended",
        summary=f"中止行政复议：{suspension.reason}；中止期间复议决定期限暂停计算",
    )
    return suspension


@transaction.atomic
def resume(application: Application, *, by: User) -> Suspension:
    """The cause of the suspension is gone: the case resumes (第39条第2款). The decision period does not run while the
    case is suspended (``decision_added_days``): its last day, deadline and obligation move later by the days
    suspended."""
    _staff(by, application, "恢复审理")
    application = _locked(application)
    _in_stage(application, [Stage.SUSPENDED], "恢复审理")
    suspension = application.suspensions.filter(resumed_on__isnull=True).order_by("-id").first()
    assert suspension is not None
    before = decision_due(application)
    suspension.resumed_on = _today()
    suspension.save(update_fields=["resumed_on"])
    application.stage = Stage.ACCEPTED
    _save(application)
    _resync(application)
    after = decision_due(application)
    days = (suspension.resumed_on - suspension.suspended_on).days
    summary = f"恢复审理（中止自 {suspension.suspended_on.isoformat()}，共{days}日）"
    changes = {}
    if before is not None and after is not None and after != before:
        summary += f"；中止期间不计入审理期限，复议决定期限顺延至 {after.isoformat()}"
        changes = {"复议决定期限": [before.isoformat(), after.isoformat()]}
    record_event(application, by=by, action="resumed", summary=summary, changes=changes)
    return suspension


@transaction.atomic
def request_extension(application: Application, *, reason: str, days: int, by: User) -> Application:
    """延长审理期限 asked (第62条第1款): only in the ordinary procedure, once, by at most 30 days, before the decision
    period ends; the body's head approves it (``approve_extension``)."""
    _staff(by, application, "申请延长审理期限")
    application = _locked(application)
    _in_stage(application, IN_PROCEDURE, "申请延长审理期限")
    if application.extension_requested_on is not None:
        raise ReconsiderationError("延长审理期限只能一次（行政复议法第62条第1款）")
    if _simplified(application):
        raise ReconsiderationError(
            "简易程序案件不能延长审理期限；不宜适用简易程序的，可经负责人批准转为普通程序（第57条）"
        )
    if not reason.strip():
        raise ReconsiderationError("请写明情况复杂、不能在规定期限内作出决定的理由")
    if not 1 <= int(days) <= 30:
        raise ReconsiderationError("延长期限最多不超过三十日（行政复议法第62条第1款）")
    due = decision_due(application)
    if due is not None and _today() > due:
        raise ReconsiderationError(f"复议决定期限已于 {due.isoformat()} 届满，不能再申请延长")
    application.extension_requested_on = _today()
    application.extension_reason = reason.strip()
    application.extension_days = int(days)
    application.extension_requested_by = by
    _save(application)
    record_event(
        application,
        by=by,
        action="extension_requested",
        summary=f"申请延长审理期限{days}日：{application.extension_reason}",
    )
    return application


@transaction.atomic
def approve_extension(application: Application, *, days: int = 30, by: User) -> Application:
    """The body's head approves the extension (依据 第62条第1款: approved by the head of the 行政复议机构, at most 30
    days), once, by ``days`` (1 to 30, as approved, whatever was asked): the decision's last day becomes the last day of
    the period extended plus those days, the holiday end-rule applied (``decision_added_days``); its deadline and
    obligation follow. The parties are told in writing (the document is the documents app's)."""
    _head(by, application, "批准延长审理期限（行政复议法第62条第1款）")
    application = _locked(application)
    _in_stage(application, IN_PROCEDURE, "批准延长审理期限")
    if application.extension_requested_on is None:
        raise ReconsiderationError("尚无延长审理期限的申请")
    if application.extension_approved_on is not None:
        raise ReconsiderationError(
            f"审理期限已于 {application.extension_approved_on.isoformat()} 批准延长{application.extension_days}日，"
            "不能再次延长（行政复议法第62条第1款）"
        )
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 30:
        raise ReconsiderationError(f"延长天数应为1至30日（{days}）：延长期限最多不超过三十日（行政复议法第62条第1款）")
    before = decision_due(application)
    asked = application.extension_days
    application.extension_days = days
    application.extension_approved_on = _today()
    application.extension_approved_by = by
    _save(application)
    _resync(application)
    after = decision_due(application)
    assert before is not None and after is not None
    asked_note = f"（申请{asked}日）" if asked and asked != days else ""
    record_event(
        application,
        by=by,
        action="extension_approved",
        summary=f"负责人批准延长审理期限{days}日{asked_note}，复议决定期限由 {before.isoformat()} 延至 {after.isoformat()}",
        changes={"复议决定期限": [before.isoformat(), after.isoformat()]},
    )
    return application


# ---------------------------------------------------------------------------------------------------------------
# 调解、和解 (第73-74条)


@transaction.atomic
def start_mediation(
    application: Application,
    *,
    kind: str,
    mediator: str = "",
    coordinator: Any = None,
    by: User,
) -> Mediation:
    """调解 (led by the body, its 调解和解委员会 or a coordinator of the pool) or 和解 between the parties (第73-74条)."""
    _staff(by, application, "组织调解和解")
    application = _locked(application)
    _in_stage(application, [Stage.ACCEPTED], "开始调解和解")
    kind = MediationKind(kind)
    if kind == MediationKind.MEDIATION and not mediator.strip() and coordinator is None:
        raise ReconsiderationError("请填写主持调解的人员或调解和解委员会，或选择专业协调员")
    mediation = Mediation.objects.create(
        application=application, kind=kind, mediator=mediator.strip(), coordinator=coordinator, started_on=_today()
    )
    application.stage = Stage.MEDIATING
    _save(application)
    who = mediation.mediator or (str(coordinator) if coordinator else "")
    record_event(
        application, by=by, action="mediation_started", summary=f"开始{kind.label}" + (f"（{who}）" if who else "")
    )
    return mediation


@transaction.atomic
def end_mediation(mediation: Mediation, *, succeeded: bool, terms: str = "", by: User) -> Mediation:
    """The end of a 调解/和解. Agreed: the case is concluded today as 调解 (its 调解书, 第73条) or 和解 (第74条), counted
    in 复议调解成功率. Not agreed: the case returns to its procedure (第73条第2款)."""
    application = mediation.application
    _staff(by, application, "登记调解和解结果")
    application = _locked(application)
    mediation = Mediation.objects.select_for_update().get(pk=mediation.pk)
    _in_stage(application, [Stage.MEDIATING], "登记调解和解结果")
    if mediation.ended_on is not None:
        raise ReconsiderationError("该调解和解已经结束")
    if succeeded and not terms.strip():
        raise ReconsiderationError("请填写达成的协议内容（调解书、和解协议）")
    today = _today()
    mediation.ended_on, mediation.succeeded, mediation.terms = today, succeeded, terms.strip()
    mediation.save(update_fields=["ended_on", "succeeded", "terms"])
    label = mediation.get_kind_display()
    if not succeeded:
        application.stage = Stage.ACCEPTED
        _save(application)
        record_event(
            application,
            by=by,
            action="mediation_failed",
            summary=f"{label}未达成协议，恢复审理（行政复议法第73条第2款）",
        )
        return mediation
    outcome = (
        ReconsiderationOutcome.MEDIATED if mediation.kind == MediationKind.MEDIATION else ReconsiderationOutcome.SETTLED
    )
    _conclude(application, outcome=outcome, content=mediation.terms, on=today, by=by)
    record_event(application, by=by, action="mediation_succeeded", summary=f"{label}达成协议，以{outcome.label}结案")
    return mediation


# ---------------------------------------------------------------------------------------------------------------
# Decision, service, publication (第63-69条, 第75条, 第79条)

# Open periods a concluded file no longer has (overdue ones stay on record).
FILE_RULES = (
    "reconsideration.copy_to_respondent", "reconsideration.simplified_copy", "reconsideration.reply",
    "reconsideration.simplified_reply", "reconsideration.hearing_notice",
)  # fmt: skip


def _conclude(
    application: Application,
    *,
    outcome: str,
    on: datetime.date,
    by: User,
    facts: str = "",
    grounds: str = "",
    content: str = "",
) -> None:
    application.stage = Stage.DECIDED
    application.decision_facts, application.decision_grounds, application.decision_content = facts, grounds, content
    application.decided_by = by
    _save(application)
    _cancel_deadlines(application, FILE_RULES)
    _case_change(application, {"outcome": outcome, "concluded_on": on}, by)


# Outcomes a decision may carry; 调解 comes from a mediation (``end_mediation``), with its 调解书.
DECISION_OUTCOMES = frozenset(set(ReconsiderationOutcome.values) - {ReconsiderationOutcome.MEDIATED})
# 中止 may end in 终止 (第41条) or withdrawal, not in a decision on the merits.
AFTER_SUSPENSION = frozenset({ReconsiderationOutcome.TERMINATED, ReconsiderationOutcome.WITHDRAWN})
# Outcomes whose 决定内容 only the body can state (变更: how; 责令履行: what and by when, 第63条, 第66条); the others have
# a plain order the 决定书 writes when none is given (``documents.default_orders``).
STATED_CONTENT = frozenset({ReconsiderationOutcome.VARIED, ReconsiderationOutcome.ORDERED_TO_PERFORM})
# Outcomes that end the case without deciding on the act: no facts need be found.
WITHOUT_MERITS = AFTER_SUSPENSION | {ReconsiderationOutcome.SETTLED}


@transaction.atomic
def decide(
    application: Application, *, outcome: str, facts: str = "", grounds: str, content: str = "", by: User
) -> Application:
    """行政复议决定 today, approved by the body's head: 维持 (第68条), 驳回 (第69条), 撤销 (第64条), 变更 (第63条),
    确认违法 (第65条), 确认无效 (第67条), 责令履行 (第66条), or the case ends as 和解 (第74条), 终止 or 撤回 (第41条).
    The 决定书 (第75条) states the facts found, the reasons and the law relied on, and what is decided: ``facts``
    (required but for 终止, 撤回 and 和解), ``grounds``, and ``content`` (required for 变更 and 责令履行; otherwise the
    outcome's plain order when left empty). The case is concluded with the outcome (the
    figures count it); its decision deadline is met (late if after it)."""
    _head(by, application, "作出行政复议决定")
    application = _locked(application)
    _in_stage(application, [Stage.ACCEPTED, Stage.SUSPENDED], "作出行政复议决定")
    if outcome == ReconsiderationOutcome.MEDIATED:
        raise ReconsiderationError("调解结案请登记调解结果（行政复议法第73条），由调解书结案")
    if outcome not in DECISION_OUTCOMES:
        raise ReconsiderationError("请选择决定结果")
    if application.stage == Stage.SUSPENDED and outcome not in AFTER_SUSPENSION:
        raise ReconsiderationError("中止期间只能决定终止或准予撤回；请先恢复审理")
    missing = [
        label
        for label, text, needed in (
            ("认定的事实", facts, outcome not in WITHOUT_MERITS),
            ("理由和依据", grounds, True),
            ("决定内容", content, outcome in STATED_CONTENT),
        )
        if needed and not text.strip()
    ]
    if missing:
        raise ReconsiderationError(f"请填写决定书的{'、'.join(missing)}")
    today = _today()
    due = decision_due(application)
    _conclude(
        application, outcome=outcome, facts=facts.strip(), grounds=grounds.strip(), content=content.strip(), on=today,
        by=by,
    )  # fmt: skip
    label = ReconsiderationOutcome(outcome).label
    late = f"（晚于复议决定期限 {due.isoformat()}）" if due is not None and today > due else ""
    record_event(application, by=by, action="decided", summary=f"作出行政复议决定：{label}{late}")
    return application


@transaction.atomic
def record_service(application: Application, *, on: datetime.date, by: User) -> Application:
    """The decision (or 调解书) was served (第75条: it takes effect on service)."""
    _staff(by, application, "登记送达")
    application = _locked(application)
    _in_stage(application, [Stage.DECIDED], "登记送达")
    _not_future(on, "送达日期")
    _not_before(on, application.case.concluded_on, "送达日期", "决定日期")
    application.served_on = on
    application.stage = Stage.SERVED
    _save(application)
    record_event(
        application, by=by, action="served", summary=f"行政复议决定书送达（{on.isoformat()}），自送达之日起发生法律效力"
    )
    return application


def publishable_text(application: Application, text: str) -> str:
    """``text`` (the decision as published) with the applicant's personal data removed (第79条; 个人信息保护法): the
    documents' one anonymiser (``documents.anonymise``), which the published 决定书 uses too."""
    return anonymise(
        text,
        names=[*re.split(r"[、，,;；\s]+", application.applicant_name), re.split(r"[，,（(]", application.agent)[0]],
        id_numbers=[application.applicant_id_number],
        addresses=[application.applicant_address],
        phones=[application.applicant_phone],
    )


@transaction.atomic
def publish(application: Application, *, text: str, by: User) -> Application:
    """公开 (第79条): the served decision is published with personal data removed — names replaced by pseudonyms, ID
    numbers, phones and addresses deleted (``publishable_text``); what is stored is the redacted text only."""
    _staff(by, application, "公开行政复议决定书")
    application = _locked(application)
    _in_stage(application, [Stage.SERVED], "公开行政复议决定书")
    if application.published_on is not None:
        raise ReconsiderationError(f"已于 {application.published_on.isoformat()} 公开")
    if not text.strip():
        raise ReconsiderationError("请提供要公开的决定书文本")
    application.published_text = publishable_text(application, text.strip())
    application.published_on = _today()
    _save(application)
    record_event(application, by=by, action="published", summary="公开行政复议决定书（已去除个人信息）")
    return application


# ---------------------------------------------------------------------------------------------------------------
# 意见书 (第76条)


@transaction.atomic
def issue_opinion(
    application: Application,
    *,
    number: str,
    text: str,
    items: Sequence[str],
    document: UploadedFile,
    by: User,
    recipient: Organisation | None = None,
) -> Opinion:
    """行政复议意见书 (第76条) to the respondent (or another lower body), approved by the body's head: registered in the
    销账本 as a 复议意见书 whose items fall due 60 days after it (``reconsideration.opinion_report``), reported on and
    verified there (``rectification.workflow``)."""
    from fuyuan.rectification.models import RecommendationKind
    from fuyuan.rectification.workflow import ItemDraft, RectificationError, register_recommendation

    _head(by, application, "制发行政复议意见书")
    application = _locked(application)
    if application.case.acceptance != Acceptance.ACCEPTED:
        raise ReconsiderationError("行政复议意见书在办理已受理的案件过程中制发")
    if not text.strip():
        raise ReconsiderationError("请填写意见书的内容")
    recipient = recipient or application.respondent
    try:
        recommendation = register_recommendation(
            kind=RecommendationKind.RECONSIDERATION_OPINION,
            number=number,
            issuer=application.body,
            recipient=recipient,
            issued_on=_today(),
            document=document,
            items=[ItemDraft(text=i) for i in items],
            summary=text.strip(),
            case=application.case,
            by=by,
        )
    except RectificationError as refused:
        raise ReconsiderationError(str(refused)) from None
    opinion = Opinion.objects.create(
        application=application,
        recipient=recipient,
        number=recommendation.number,
        text=text.strip(),
        issued_on=recommendation.issued_on,
        issued_by=by,
        recommendation=recommendation,
    )
    _save(application)
    record_event(
        application,
        by=by,
        action="opinion_issued",
        summary=f"向{recipient.name}制发行政复议意见书（{opinion.number}），应自收到之日起六十日内报送纠正情况（第76条）",
    )
    return opinion


# ---------------------------------------------------------------------------------------------------------------
# 不履行 (第77条)

# What the respondent must do after a decision or 调解书: 维持, 驳回, 终止 and 撤回 ask nothing of it; 和解 ends by the
# applicant's withdrawal (第74条).
PERFORMED = frozenset(
    {
        ReconsiderationOutcome.REVOKED,
        ReconsiderationOutcome.VARIED,
        ReconsiderationOutcome.CONFIRMED_ILLEGAL,
        ReconsiderationOutcome.CONFIRMED_VOID,
        ReconsiderationOutcome.ORDERED_TO_PERFORM,
        ReconsiderationOutcome.MEDIATED,
    }
)


@transaction.atomic
def record_non_performance(
    application: Application,
    *,
    number: str,
    particulars: str,
    perform_by: datetime.date,
    document: UploadedFile,
    interview: bool = False,
    criticism: bool = False,
    follow_up_note: str = "",
    by: User,
) -> NonPerformance:
    """被申请人不履行或者无正当理由拖延履行行政复议决定书、调解书 (第77条): the body (its head approving) orders the
    respondent to perform by ``perform_by`` — registered in the 销账本 as a 执法监督通知书 (the kind the justice bureau's
    supervisory orders take there) whose one item falls due that day, reported on and verified there
    (``rectification.workflow``) — and records what 第77条 lets it add: 约谈 of the respondent's responsible persons and
    通报批评."""
    from fuyuan.rectification.models import RecommendationKind
    from fuyuan.rectification.workflow import ItemDraft, RectificationError, register_recommendation

    _head(by, application, "责令被申请人履行（行政复议法第77条）")
    application = _locked(application)
    _in_stage(application, [Stage.SERVED], "登记不履行（决定书、调解书送达后发生法律效力，第75条）")
    outcome = application.case.outcome
    if outcome not in PERFORMED:
        label = ReconsiderationOutcome(outcome).label if outcome in ReconsiderationOutcome.values else "（无）"
        raise ReconsiderationError(f"本案以“{label}”结案，被申请人没有需要履行的决定内容")
    particulars = particulars.strip()
    if not particulars:
        raise ReconsiderationError("请写明被申请人不履行或者拖延履行的情况")
    today = _today()
    if perform_by <= today:
        raise ReconsiderationError(f"责令履行期限（{perform_by.isoformat()}）应晚于今天")
    if (interview or criticism) and not follow_up_note.strip():
        raise ReconsiderationError("请写明约谈、通报批评的情况（时间、对象）")
    document_name = "调解书" if outcome == ReconsiderationOutcome.MEDIATED else "行政复议决定书"
    order = f"履行{document_name}（{application.receipt_number}）：{particulars}"
    try:
        recommendation = register_recommendation(
            kind=RecommendationKind.SUPERVISION_NOTICE,
            number=number,
            issuer=application.body,
            recipient=application.respondent,
            issued_on=today,
            document=document,
            items=[ItemDraft(text=order)],
            summary=f"责令限期履行（行政复议法第77条）：{particulars}",
            stated_due_on=perform_by,
            case=application.case,
            by=by,
        )
    except RectificationError as refused:
        raise ReconsiderationError(str(refused)) from None
    record = NonPerformance.objects.create(
        application=application,
        particulars=particulars,
        perform_by=perform_by,
        interview=interview,
        criticism=criticism,
        follow_up_note=follow_up_note.strip(),
        recorded_on=today,
        recorded_by=by,
        recommendation=recommendation,
    )
    _save(application)
    follow = f"；{record.follow_up_label}：{record.follow_up_note}" if interview or criticism else ""
    record_event(
        application,
        by=by,
        action="non_performance",
        summary=(
            f"被申请人不履行{document_name}：{particulars}。责令于 {perform_by.isoformat()} 前履行"
            f"（{recommendation.number}，记入销账本，行政复议法第77条）{follow}"
        ),
    )
    return record
