"""Non-litigation enforcement (非诉执行, SPEC §6.9, 行政强制法 第53-58条) as transitions.

Each function checks the actor's right, validates (``EnforcementError`` with the reason in Chinese, or
``PermissionDenied``; a refused transition writes nothing), changes the file, writes its Event on the file's timeline,
keeps the file's due obligations and tells whoever must act next, all in one transaction::

    register_file (agency) ─▶ registered ─record_reminder (催告, 第54条)─▶ reminded
        ─apply_to_court (第55条; refused before the date it may apply, flagged after 第53条's three months)─▶ applied
        ─accept_application (court, 第56条)─▶ accepted
        ─rule_on_application (court, 第57条; 第58条 after hearing the parties)─▶ granted | refused (closed)
    granted ─record_execution (the court executes)─▶ done
            └hand_over (裁执分离: the ruling names the government body that executes)─▶ handed_over
                ─record_execution (that body, or the applying agency)─▶ done

Dates come from the rules of ``deadlines.rules``, never counted here:
- ``remedy_end_on``: the later of ``reconsideration.apply`` and ``litigation.filing_limit`` from the decision's service,
  unless the agency enters the periods the decision stated;
- ``enforcement.application`` (3 months from ``remedy_end_on``, 第53条): the agency's due obligation until it applies;
- ``enforcement.reminder_wait`` (10 working days from the 催告书's service, 第54条): the agency may apply from the
  day after it ends (and not before the remedy periods have ended);
- ``enforcement.court_acceptance`` (5 working days, 第56条) and ``enforcement.court_ruling`` (7 working days, 第57条)
  or ``enforcement.court_hearing_ruling`` (30 days, 第58条), both from their start: the court's due obligations.

A 不准予 ruling counts for the agency like a loss in the loss-cause analysis (``nonlitigation.figures.refusal_causes``,
shown beside the 败诉原因 of ``stats.dashboard``): the ruling raises the dashboard figures' generation by name.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from fuyuan.core.masking import mask_id_number
from fuyuan.core.models import Organisation, OrganisationKind, Region, Role, User
from fuyuan.core.queries import work_calendar
from fuyuan.core.timeline import Actor, record_event
from fuyuan.deadlines.rules import compute_due
from fuyuan.nonlitigation.choices import REFUSAL_CAUSES, ExecutionResult, Executor, Ruling, Stage
from fuyuan.nonlitigation.models import EnforcementFile
from fuyuan.nonlitigation.queries import is_agency, is_court, is_executing_body, may_register
from fuyuan.notifications.workflow import personal_rows, put
from fuyuan.obligations import workflow as obligations
from fuyuan.obligations.models import Obligation
from fuyuan.obligations.registry import Kind

SYSTEM = Actor(label="系统定时任务")
# The due obligations of a file (``obligations``), one per rule: the agency's application, the court's acceptance
# and ruling.
PERIOD = "nonlitigation.period"
APPLICATION = "enforcement.application"
ACCEPTANCE = "enforcement.court_acceptance"
RULING = "enforcement.court_ruling"
HEARING_RULING = "enforcement.court_hearing_ruling"
REMINDER_WAIT = "enforcement.reminder_wait"
# The stage in which each obligation is still owed (the sweep closes one whose file has moved on).
OWED_IN: dict[str, tuple[str, ...]] = {
    APPLICATION: (Stage.REGISTERED, Stage.REMINDED),
    ACCEPTANCE: (Stage.APPLIED,),
    RULING: (Stage.ACCEPTED,),
    HEARING_RULING: (Stage.ACCEPTED,),
}
LAW = "《中华人民共和国行政强制法》"


class EnforcementError(Exception):
    """A transition refused for a reason the person can act on; the message says which (nothing was written)."""


def link(file: EnforcementFile) -> str:
    return reverse("nonlitigation:detail", args=[file.pk])


# ---------------------------------------------------------------------------------------------------------------
# Dates (from the rules of ``deadlines.rules``)


def _today() -> datetime.date:
    return timezone.localdate()


def _due(rule_id: str, start: datetime.date) -> datetime.date:
    return compute_due(rule_id, start, work_calendar()).due


def remedy_end(served_on: datetime.date) -> datetime.date:
    """The end of the periods to seek reconsideration (60 days, 行政复议法 第20条) or sue (6 months, 行政诉讼法 第46条)
    from the decision's service: the later of the two, since 第53条 waits for both."""
    return max(_due("reconsideration.apply", served_on), _due("litigation.filing_limit", served_on))


def may_apply_from(file: EnforcementFile, reminder_served_on: datetime.date) -> tuple[datetime.date, datetime.date]:
    """(the last day of the 催告's wait, the first day the agency may apply): the day after the 10 working days of
    第54条, and never before the day after the remedy periods (第53条: only when the party neither sought
    reconsideration nor sued within them)."""
    wait_ends = _due(REMINDER_WAIT, reminder_served_on)
    return wait_ends, max(wait_ends, file.remedy_end_on) + datetime.timedelta(days=1)


# ---------------------------------------------------------------------------------------------------------------
# Checks


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _in_stage(file: EnforcementFile, stages: Sequence[str], action: str) -> None:
    if file.stage not in stages:
        raise EnforcementError(f"{file.decision_number} 当前为“{file.get_stage_display()}”，不能{action}")


def _not_future(day: datetime.date | None, what: str) -> datetime.date:
    if day is None:
        raise EnforcementError(f"请填写{what}")
    if day > _today():
        raise EnforcementError(f"{what}（{day.isoformat()}）不能晚于今天")
    return day


def _not_before(day: datetime.date, earlier: datetime.date | None, what: str, earlier_what: str) -> None:
    if earlier is not None and day < earlier:
        raise EnforcementError(f"{what}（{day.isoformat()}）不能早于{earlier_what}（{earlier.isoformat()}）")


def _text(value: str, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise EnforcementError(f"请填写{what}")
    return value


def _locked(file: EnforcementFile) -> EnforcementFile:
    """Re-read the file under a row lock: two clicks change it once."""
    return (
        EnforcementFile.objects.select_for_update(of=("self",))
        .select_related("agency__region", "court")
        .get(pk=file.pk)
    )


# ---------------------------------------------------------------------------------------------------------------
# Who is told


def _liaisons(organisation_id: int | None, role: str) -> list[User]:
    if organisation_id is None:
        return []
    return list(User.objects.filter(is_active=True, role=role, organisation_id=organisation_id))


def _office_of(region: Region) -> list[User]:
    """The 依法治办 of the agency's county (it supervises the agency's enforcement)."""
    county = region.county()
    return list(
        User.objects.filter(is_active=True, role=Role.RULE_OF_LAW_OFFICE).filter(
            Q(region=county) | Q(region__isnull=True, organisation__region=county)
        )
    )


def _tell(file: EnforcementFile, users: Iterable[User], *, key: str, subject: str, body: str) -> None:
    now = timezone.now()
    put(
        personal_rows(
            users, subject=f"【非诉执行】{subject}", body=body, link=link(file), dedup_key=f"nonlitigation:{file.pk}:{key}",
            now=now,
        )
    )  # fmt: skip


def _keep(file: EnforcementFile, rule_id: str, start: datetime.date, owner_id: int | None) -> datetime.date:
    due = _due(rule_id, start)
    obligations.keep(PERIOD, file.pk, due_on=due, rule_id=rule_id, owner_organisation=owner_id)
    return due


# ---------------------------------------------------------------------------------------------------------------
# Transitions


REQUIRED = {
    "decision_number": "行政决定文号",
    "decision_summary": "决定内容",
    "party_name": "当事人",
}


@transaction.atomic
def register_file(values: dict[str, Any], *, by: User) -> EnforcementFile:
    """The agency's liaison opens the file of one decision it wants enforced. ``remedy_end_on`` may be given (the
    periods the decision stated); else it is computed from the service date. The agency's application becomes due
    (``enforcement.application``, 第53条)."""
    _require(may_register(by), "只有行政机关联络员可以登记非诉执行案卷")
    data: dict[str, Any] = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()}
    for field, label in REQUIRED.items():
        _text(data.get(field, ""), label)
    decision_date = _not_future(data.get("decision_date"), "行政决定日期")
    served_on = _not_future(data.get("served_on"), "行政决定送达日期")
    _not_before(served_on, decision_date, "行政决定送达日期", "行政决定日期")
    entered = data.get("remedy_end_on")
    if entered is not None:
        _not_before(entered, served_on, "复议/诉讼期限届满日", "行政决定送达日期")
    end: datetime.date = entered or remedy_end(served_on)
    assert by.organisation_id is not None
    file = EnforcementFile.objects.create(
        agency_id=by.organisation_id,
        decision_number=data["decision_number"],
        decision_date=decision_date,
        decision_summary=data["decision_summary"],
        party_name=data["party_name"],
        party_id_number=data.get("party_id_number", "") or "",
        served_on=served_on,
        remedy_end_on=end,
        remedy_end_entered=entered is not None,
        application_due_on=_due(APPLICATION, end),
        registered_by=by,
    )
    _keep(file, APPLICATION, end, file.agency_id)
    record_event(
        file, by=by, action="registered",
        summary=(
            f"登记非诉执行案卷：{file.decision_number}，当事人 {file.party_name}"
            f"{'（' + mask_id_number(file.party_id_number) + '）' if file.party_id_number else ''}；"
            f"复议/诉讼期限 {end.isoformat()} 届满{'（录入）' if entered else ''}，"
            f"申请执行期限至 {file.application_due_on.isoformat()}"
        ),
    )  # fmt: skip
    return file


@transaction.atomic
def record_reminder(
    file: EnforcementFile, *, number: str, served_on: datetime.date | None, by: User
) -> EnforcementFile:
    """The agency records its 催告书 and its service (第54条; its content 第35条); the platform tells it from when it may
    apply. A 催告 recorded again (served anew) replaces the first, and the wait counts from the new service."""
    file = _locked(file)
    _require(is_agency(by, file), "只有申请机关的联络员可以登记催告")
    _in_stage(file, (Stage.REGISTERED, Stage.REMINDED), "登记催告")
    number = _text(number, "催告书文号")
    served_on = _not_future(served_on, "催告书送达日期")
    _not_before(served_on, file.served_on, "催告书送达日期", "行政决定送达日期")
    wait_ends, first_day = may_apply_from(file, served_on)
    file.reminder_number, file.reminder_served_on = number, served_on
    file.reminder_wait_ends_on, file.may_apply_from = wait_ends, first_day
    file.stage = Stage.REMINDED
    file.save()
    record_event(
        file, by=by, action="reminder_recorded",
        summary=(
            f"催告书 {number} 于 {served_on.isoformat()} 送达；催告期限（10个工作日）至 {wait_ends.isoformat()} 届满，"
            f"{first_day.isoformat()} 起可申请人民法院强制执行（依据 {LAW}第54条）"
        ),
    )  # fmt: skip
    return file


def too_early_message(file: EnforcementFile, applied_on: datetime.date) -> str:
    assert file.may_apply_from is not None and file.reminder_served_on is not None
    if file.may_apply_from > (file.reminder_wait_ends_on or file.may_apply_from) + datetime.timedelta(days=1):
        why = f"复议/诉讼期限 {file.remedy_end_on.isoformat()} 方届满（依据 {LAW}第53条）"
    else:
        why = (
            f"催告书于 {file.reminder_served_on.isoformat()} 送达，催告期限（10个工作日）至 "
            f"{file.reminder_wait_ends_on.isoformat() if file.reminder_wait_ends_on else ''} 届满（依据 {LAW}第54条）"
        )
    return (
        f"申请日期 {applied_on.isoformat()} 过早，不能申请：{why}；"
        f"{file.may_apply_from.isoformat()} 起方可申请人民法院强制执行"
    )


@transaction.atomic
def apply_to_court(
    file: EnforcementFile, *, court: Organisation | None, applied_on: datetime.date | None, by: User
) -> EnforcementFile:
    """The agency applies to the court (第55条). Refused, naming the date it may apply, before the 催告's wait and the
    remedy periods have run; after 第53条's three months it is recorded and flagged 超过申请期限. The court must
    accept within 5 working days (第56条): its due obligation."""
    file = _locked(file)
    _require(is_agency(by, file), "只有申请机关的联络员可以申请强制执行")
    if file.stage == Stage.REGISTERED:
        raise EnforcementError(f"尚未催告：申请人民法院强制执行前，应当催告当事人履行义务（依据 {LAW}第54条）")
    _in_stage(file, (Stage.REMINDED,), "申请强制执行")
    if court is None or court.kind != OrganisationKind.COURT:
        raise EnforcementError("请选择受理申请的人民法院")
    applied_on = _not_future(applied_on, "申请执行日期")
    if not file.may_apply_on(applied_on):
        raise EnforcementError(too_early_message(file, applied_on))
    file.court, file.applied_on = court, applied_on
    file.applied_late = applied_on > file.application_due_on
    file.stage = Stage.APPLIED
    obligations.settle(PERIOD, file.pk, APPLICATION)
    file.acceptance_due_on = _keep(file, ACCEPTANCE, applied_on, court.pk)
    file.save()
    late = f"；已超过申请期限（{file.application_due_on.isoformat()}，依据 {LAW}第53条）" if file.applied_late else ""
    record_event(
        file, by=by, action="applied",
        summary=f"向{court.name}申请强制执行（{applied_on.isoformat()}）{late}；法院应于 {file.acceptance_due_on.isoformat()} 前决定是否受理",
    )  # fmt: skip
    _tell(
        file, _liaisons(court.pk, Role.COURT_LIAISON), key="applied", subject="收到强制执行申请",
        body=(
            f"{file.agency.name}申请强制执行 {file.decision_number}（当事人 {file.party_name}），"
            f"请于 {file.acceptance_due_on.isoformat()} 前决定是否受理（依据 {LAW}第56条）。"
        ),
    )  # fmt: skip
    return file


@transaction.atomic
def accept_application(
    file: EnforcementFile,
    *,
    accepted_on: datetime.date | None,
    court_case_number: str,
    hears_parties: bool = False,
    by: User,
) -> EnforcementFile:
    """The court liaison records acceptance (第56条). The ruling falls due 7 working days later (第57条, written
    review), or 30 days later when the court hears the parties (第58条)."""
    file = _locked(file)
    _require(is_court(by, file), "只有受理法院的联络员可以登记受理")
    _in_stage(file, (Stage.APPLIED,), "登记受理")
    accepted_on = _not_future(accepted_on, "受理日期")
    _not_before(accepted_on, file.applied_on, "受理日期", "申请执行日期")
    file.accepted_on = accepted_on
    file.court_case_number = _text(court_case_number, "法院案号")
    file.hears_parties = hears_parties
    file.stage = Stage.ACCEPTED
    obligations.settle(PERIOD, file.pk, ACCEPTANCE)
    rule_id = HEARING_RULING if hears_parties else RULING
    file.ruling_due_on = _keep(file, rule_id, accepted_on, file.court_id)
    file.save()
    how = "听取被执行人和行政机关意见，依据 第58条 三十日内" if hears_parties else "书面审查，依据 第57条 七个工作日内"
    record_event(
        file, by=by, action="accepted",
        summary=f"法院受理（{file.court_case_number}，{accepted_on.isoformat()}）；{how}作出裁定，至 {file.ruling_due_on.isoformat()}",
    )  # fmt: skip
    _tell(
        file, _liaisons(file.agency_id, Role.AGENCY_LIAISON), key="accepted", subject="强制执行申请已受理",
        body=f"{file.court.name if file.court else '法院'}已受理 {file.decision_number} 的强制执行申请（{file.court_case_number}）。",
    )  # fmt: skip
    return file


@transaction.atomic
def rule_on_application(
    file: EnforcementFile,
    *,
    ruling: str,
    ruled_on: datetime.date | None,
    ruling_number: str,
    causes: Sequence[str] = (),
    reasons: str = "",
    by: User,
) -> EnforcementFile:
    """The court liaison records the ruling (第57条、第58条): 准予执行, or 不准予执行 with its causes (the loss causes
    of ``accountability``) and reasons. A refusal closes the file and counts for the agency like a loss."""
    from fuyuan.stats.cache import figures_changed

    file = _locked(file)
    _require(is_court(by, file), "只有受理法院的联络员可以登记裁定")
    _in_stage(file, (Stage.ACCEPTED,), "登记裁定")
    if ruling not in Ruling.values:
        raise EnforcementError("请选择裁定结果（准予执行或不准予执行）")
    ruled_on = _not_future(ruled_on, "裁定日期")
    _not_before(ruled_on, file.accepted_on, "裁定日期", "受理日期")
    file.ruling_number = _text(ruling_number, "裁定书文号")
    if ruling == Ruling.REFUSED:
        offered = [str(c) for c in REFUSAL_CAUSES]
        unknown = [c for c in causes if c not in offered]
        if unknown:
            raise EnforcementError(f"不准予执行原因“{'、'.join(unknown)}”不在可选范围内")
        chosen = [c for c in offered if c in set(causes)]
        if not chosen:
            raise EnforcementError("不准予执行的，请至少选择一项原因")
        file.refusal_causes = chosen
        file.refusal_reasons = _text(reasons, "不准予执行理由")
        file.stage = Stage.REFUSED
    else:
        file.refusal_causes, file.refusal_reasons = [], ""
        file.stage = Stage.GRANTED
    file.ruling, file.ruled_on = ruling, ruled_on
    obligations.settle(PERIOD, file.pk)
    file.save()
    late = ""
    if file.ruling_due_on is not None and ruled_on > file.ruling_due_on:
        late = f"（超过裁定期限 {file.ruling_due_on.isoformat()}）"
    if ruling == Ruling.REFUSED:
        labels = "、".join(file.cause_labels)
        summary = (
            f"裁定不准予执行（{file.ruling_number}，{ruled_on.isoformat()}）{late}：{labels}；{file.refusal_reasons}"
        )
    else:
        summary = f"裁定准予执行（{file.ruling_number}，{ruled_on.isoformat()}）{late}"
    record_event(file, by=by, action="ruled", summary=summary)
    body = f"{file.decision_number}：{summary}。"
    recipients = _liaisons(file.agency_id, Role.AGENCY_LIAISON)
    if ruling == Ruling.REFUSED:
        recipients += _office_of(file.agency.region)
    _tell(file, recipients, key="ruled", subject=Ruling(ruling).label, body=body)
    figures_changed()
    return file


@transaction.atomic
def hand_over(
    file: EnforcementFile, *, executing_body: Organisation | None, handed_over_on: datetime.date | None, by: User
) -> EnforcementFile:
    """裁执分离: the court's ruling grants enforcement and names the government body that carries it out; the court
    liaison records the hand-over, and that body (or the applying agency) reports the result."""
    file = _locked(file)
    _require(is_court(by, file), "只有受理法院的联络员可以登记移交组织实施")
    _in_stage(file, (Stage.GRANTED,), "移交组织实施")
    if executing_body is None or executing_body.kind in (OrganisationKind.COURT, OrganisationKind.PROCURATORATE):
        raise EnforcementError("请选择组织实施的行政机关")
    handed_over_on = _not_future(handed_over_on, "移交日期")
    _not_before(handed_over_on, file.ruled_on, "移交日期", "裁定日期")
    file.executor, file.executing_body, file.handed_over_on = Executor.GOVERNMENT, executing_body, handed_over_on
    file.stage = Stage.HANDED_OVER
    file.save()
    record_event(
        file, by=by, action="handed_over",
        summary=f"裁执分离：移交{executing_body.name}组织实施（{handed_over_on.isoformat()}）",
    )  # fmt: skip
    _tell(
        file, _liaisons(executing_body.pk, Role.AGENCY_LIAISON), key="handed_over", subject="移交组织实施",
        body=f"{file.court.name if file.court else '法院'}裁定准予执行 {file.decision_number}，交由贵单位组织实施，请登记执行结果。",
    )  # fmt: skip
    return file


@transaction.atomic
def record_execution(
    file: EnforcementFile,
    *,
    result: str,
    executed_on: datetime.date | None,
    text: str,
    by: User,
) -> EnforcementFile:
    """The result of the execution: by the court (its liaison records it, the file is then executed by the court), or
    under 裁执分离 by the body it was handed to (that body's or the applying agency's liaison)."""
    file = _locked(file)
    if file.stage == Stage.GRANTED:
        _require(is_court(by, file), "只有受理法院的联络员可以登记法院执行结果")
        executor = Executor.COURT
    else:
        _in_stage(file, (Stage.HANDED_OVER,), "登记执行结果")
        _require(is_executing_body(by, file), "只有组织实施机关或申请机关的联络员可以登记执行结果")
        executor = Executor.GOVERNMENT
    if result not in ExecutionResult.values:
        raise EnforcementError("请选择执行结果")
    executed_on = _not_future(executed_on, "执行结果日期")
    _not_before(executed_on, file.handed_over_on or file.ruled_on, "执行结果日期", "裁定或移交日期")
    file.execution_text = _text(text, "执行情况")
    file.executor, file.execution_result, file.executed_on = executor, result, executed_on
    file.stage = Stage.DONE
    file.save()
    who = file.executing_body.name if executor == Executor.GOVERNMENT and file.executing_body else "人民法院"
    record_event(
        file, by=by, action="executed",
        summary=f"{who}执行结果：{ExecutionResult(result).label}（{executed_on.isoformat()}）；{file.execution_text}",
    )  # fmt: skip
    return file


# ---------------------------------------------------------------------------------------------------------------
# The due obligations: reminded (临期) and chased (逾期) by the sweep


def _owed(ob: Obligation) -> EnforcementFile | None:
    """The file of an obligation, while the step it stands for is still owed."""
    return (
        EnforcementFile.objects.filter(pk=ob.subject_id, stage__in=OWED_IN.get(ob.rule_id, ()))
        .select_related("agency__region", "court")
        .first()
    )


STEP_NAMES = {
    APPLICATION: "申请人民法院强制执行",
    ACCEPTANCE: "决定是否受理强制执行申请",
    RULING: "作出是否准予执行的裁定",
    HEARING_RULING: "作出是否准予执行的裁定",
}


def _owner_role(rule_id: str) -> str:
    return Role.AGENCY_LIAISON if rule_id == APPLICATION else Role.COURT_LIAISON


def remind_period(ob: Obligation, now: datetime.datetime) -> bool:
    """临期: the owner's liaisons are told once."""
    file = _owed(ob)
    if file is None:
        return False
    step = STEP_NAMES[ob.rule_id]
    _tell(
        file, _liaisons(ob.owner_organisation_id, _owner_role(ob.rule_id)),
        key=f"{ob.rule_id}:{ob.date_changes}:warned", subject="期限临近",
        body=f"{file.decision_number}（{file.agency.name}）应于 {ob.due_on.isoformat()} 前{step}。",
    )  # fmt: skip
    record_event(file, by=SYSTEM, action="period_warned", summary=f"临期提醒：{step}，期限 {ob.due_on.isoformat()}")
    return True


def chase_period(ob: Obligation, now: datetime.datetime) -> bool:
    """逾期: the owner's liaisons and the 依法治办 of the agency's county are told once."""
    file = _owed(ob)
    if file is None:
        return False
    step = STEP_NAMES[ob.rule_id]
    days = (timezone.localtime(now).date() - ob.due_on).days
    _tell(
        file, [*_liaisons(ob.owner_organisation_id, _owner_role(ob.rule_id)), *_office_of(file.agency.region)],
        key=f"{ob.rule_id}:{ob.date_changes}:overdue", subject="期限已过",
        body=f"{file.decision_number}（{file.agency.name}）应于 {ob.due_on.isoformat()} 前{step}，已逾期{days}天。",
    )  # fmt: skip
    record_event(file, by=SYSTEM, action="period_overdue", summary=f"逾期督办：{step}，期限 {ob.due_on.isoformat()}")
    return True


PERIOD_KIND = Kind(name=PERIOD, label="非诉执行期限", remind=remind_period, chase=chase_period)


@dataclass
class PeriodSweep:
    warned: int = 0
    overdue: int = 0
    failed: int = 0

    def summary(self) -> str:
        return f"临期提醒 {self.warned} 项，逾期督办 {self.overdue} 项"


def period_sweep(report: obligations.ObligationSweep) -> PeriodSweep:
    warned, overdue, failed = report.of(PERIOD)
    return PeriodSweep(warned=warned, overdue=overdue, failed=failed)
