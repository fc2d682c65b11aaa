"""Pre-judgment consultation (诉前沟通、判前会商, SPEC §6.9) as transitions::

    (pending first-instance case) ─send_notice (court liaison of the case's court)─▶ sent
    sent ─answer_notice (the defendant agency's liaison: 自行纠正 / 协调和解 / 坚持应诉)─▶ answered
    sent or answered ─record_meeting (court liaison or 依法治办 of the case's region)─▶ a 判前会商 minuted

Each function checks the actor's right, validates (``ConsultationError`` naming the field, nothing written), changes
the record, writes its Event on the case's timeline and puts its notifications in the outbox, in one transaction.
The answer is a due obligation (``obligations``, kind ``consultation.answer``) due by ``rules.answer_due``: the sweep
reminds the agency (临期) and chases it with the 依法治办 copied (逾期). What became of the suit is read from the case
(``RiskNotice.result``): a notice answered 自行纠正 or 协调和解 whose suit is then withdrawn counts as resolved (化解).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from fuyuan.accountability.losses import liaisons, office_users
from fuyuan.cases.choices import CaseKind, Instance
from fuyuan.cases.models import Case
from fuyuan.consultation.choices import Answer, Concern, NoticeState
from fuyuan.consultation.models import ConsultationMeeting, RiskNotice
from fuyuan.consultation.rules import ANSWER_RULE_ID, answer_due
from fuyuan.core.models import Role, User
from fuyuan.core.timeline import Actor, record_event
from fuyuan.notifications.workflow import personal_rows, put
from fuyuan.obligations import workflow as obligations
from fuyuan.obligations.models import Obligation
from fuyuan.obligations.registry import Kind

ANSWER = "consultation.answer"
SYSTEM = Actor(label="系统定时任务")
MAX_TEXT = 5000


class ConsultationError(Exception):
    """A transition that cannot be done, with the reason in Chinese naming the field (nothing was written)."""


def link(notice: RiskNotice) -> str:
    return f"/consultation/{notice.pk}/"


# ---------------------------------------------------------------------------------------------------------------
# Rights


def can_send(user: User, case: Case) -> bool:
    """The court liaison of the case's own court, on a pending first-instance case."""
    return (
        user.is_active
        and user.role == Role.COURT_LIAISON
        and user.organisation_id is not None
        and user.organisation_id == case.court_id
        and case.kind == CaseKind.LITIGATION
        and case.instance == Instance.FIRST
        and not case.is_concluded
    )


def can_answer(user: User, notice: RiskNotice) -> bool:
    return (
        user.is_active
        and user.role == Role.AGENCY_LIAISON
        and user.organisation_id == notice.agency_id
        and notice.state == NoticeState.SENT
    )


def can_record_meeting(user: User, notice: RiskNotice) -> bool:
    """判前会商 is minuted by the court that sent the notice or by the 依法治办 of the case's region (or above)."""
    if not user.is_active:
        return False
    if user.role == Role.COURT_LIAISON:
        return user.organisation_id == notice.court_id
    if user.role == Role.RULE_OF_LAW_OFFICE:
        region = user.scope_region
        return region is not None and notice.county.path.startswith(region.path)
    return False


def _require(allowed: bool, action: str) -> None:
    if not allowed:
        raise ConsultationError(f"您无权{action}")


def _text(value: str, field: str, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ConsultationError(f"请填写“{field}”")
    if len(value) > MAX_TEXT:
        raise ConsultationError(f"“{field}”不能超过{MAX_TEXT}字（现有{len(value)}字）")
    return value


# ---------------------------------------------------------------------------------------------------------------
# Who is told


def _tell(notice: RiskNotice, users: Iterable[User], *, key: str, subject: str, body: str) -> None:
    put(
        personal_rows(users, subject=subject, body=body, link=link(notice), dedup_key=f"consultation:{notice.pk}:{key}")
    )


def _agency(notice: RiskNotice) -> list[User]:
    return liaisons(notice.agency_id, Role.AGENCY_LIAISON)


def _court(notice: RiskNotice) -> list[User]:
    return liaisons(notice.court_id, Role.COURT_LIAISON)


def _office(notice: RiskNotice) -> list[User]:
    """抄送: the 依法治办 of the case's county, else of the nearest level above."""
    return office_users(notice.county)


def _concerns(notice: RiskNotice) -> str:
    return "、".join(notice.concern_labels)


# ---------------------------------------------------------------------------------------------------------------
# Transitions


@transaction.atomic
def send_notice(case: Case, *, concerns: Iterable[str], text: str, by: User) -> RiskNotice:
    """The court's 败诉风险提示: to the defendant agency, copied to the county's 依法治办; the answer falls due."""
    case = Case.objects.select_for_update(of=("self",)).select_related("court", "defendant", "county").get(pk=case.pk)
    _require(
        by.role == Role.COURT_LIAISON and by.organisation_id is not None and by.organisation_id == case.court_id,
        "对本案发送败诉风险提示（只有本案审理法院的联络员可以发送）",
    )
    if case.kind != CaseKind.LITIGATION or case.instance != Instance.FIRST:
        raise ConsultationError("败诉风险提示只能对一审行政诉讼案件发送")
    if case.is_concluded:
        raise ConsultationError(f"{case.number} 已结案，不能再发送败诉风险提示")
    chosen = list(dict.fromkeys(c for c in concerns if c))
    unknown = [c for c in chosen if c not in Concern.values]
    if unknown:
        raise ConsultationError(f"“风险类别”中有无效的选项：{'、'.join(unknown)}")
    if not chosen:
        raise ConsultationError("请至少选择一项“风险类别”（程序、证据、法律依据、职权或其他）")
    text = _text(text, "风险提示内容")
    if RiskNotice.objects.filter(case=case, state=NoticeState.SENT).exists():
        raise ConsultationError(f"{case.number} 已有一份待答复的败诉风险提示，请待机关答复后再发送")
    today = timezone.localdate()
    assert case.court is not None  # a litigation case has its court (``litigation_has_court_instance_filed_on``)
    notice = RiskNotice.objects.create(
        case=case,
        court=case.court,
        agency=case.defendant,
        county=case.county,
        concerns=[c for c in Concern.values if c in chosen],
        text=text,
        sent_on=today,
        sent_by=by,
        answer_due_on=answer_due(today),
    )
    obligations.keep(ANSWER, notice.pk, due_on=notice.answer_due_on, rule_id=ANSWER_RULE_ID,
                     owner_organisation=notice.agency_id)  # fmt: skip
    record_event(
        case,
        by=by,
        action="risk_notice_sent",
        summary=f"法院发送败诉风险提示（{_concerns(notice)}），请{notice.agency.name}于 {notice.answer_due_on:%Y-%m-%d} 前答复",
        changes={"风险提示": ["", notice.number], "风险类别": ["", _concerns(notice)]},
    )
    body = (
        f"{notice.court.name}就{case.number}（被告：{notice.agency.name}）发出败诉风险提示，风险类别：{_concerns(notice)}。"
        f"请于 {notice.answer_due_on:%Y-%m-%d} 前答复：自行纠正、协调和解或坚持应诉。"
    )
    _tell(notice, _agency(notice), key="sent", subject="【败诉风险提示】请按期答复", body=body)
    _tell(notice, _office(notice), key="sent-copy", subject="【败诉风险提示】抄送", body=body)
    return notice


@transaction.atomic
def answer_notice(notice: RiskNotice, *, answer: str, text: str, by: User) -> RiskNotice:
    """The agency's answer: 自行纠正 (correct or withdraw its act), 协调和解, or 坚持应诉; the court and the 依法治办
    are told, and the obligation is settled."""
    notice = (
        RiskNotice.objects.select_for_update(of=("self",))
        .select_related("case", "court", "agency", "county")
        .get(pk=notice.pk)
    )
    _require(by.role == Role.AGENCY_LIAISON and by.organisation_id == notice.agency_id, "答复此败诉风险提示")
    if notice.state != NoticeState.SENT:
        raise ConsultationError("此败诉风险提示已答复，不能重复答复")
    if answer not in Answer.values:
        raise ConsultationError("请选择“答复意见”：自行纠正、协调和解或坚持应诉")
    text = _text(text, "答复说明")
    today = timezone.localdate()
    notice.state = NoticeState.ANSWERED
    notice.answer = answer
    notice.answer_text = text
    notice.answered_on = today
    notice.answered_by = by
    notice.save(update_fields=["state", "answer", "answer_text", "answered_on", "answered_by"])
    obligations.settle(ANSWER, notice.pk)
    late = today > notice.answer_due_on
    label = Answer(answer).label
    record_event(
        notice.case,
        by=by,
        action="risk_notice_answered",
        summary=f"{notice.agency.name}答复败诉风险提示：{label}{'（逾期答复）' if late else ''}",
        changes={"答复意见": ["", label]},
    )
    body = f"{notice.agency.name}就{notice.case.number}的败诉风险提示答复：{label}。{text[:200]}"
    _tell(
        notice,
        [*_court(notice), *_office(notice)],
        key="answered",
        subject=f"【败诉风险提示】机关答复：{label}",
        body=body,
    )
    return notice


@transaction.atomic
def record_meeting(
    notice: RiskNotice, *, held_on: datetime.date | None, participants: str, minutes: str, place: str = "", by: User
) -> ConsultationMeeting:
    """A 判前会商 held on the notice, with its date, participants and minutes (纪要)."""
    notice = RiskNotice.objects.select_related("case", "court", "agency", "county").get(pk=notice.pk)
    _require(can_record_meeting(by, notice), "记录判前会商（只有发出提示的法院或本地区依法治办可以记录）")
    if held_on is None:
        raise ConsultationError("请填写“会商日期”")
    if held_on > timezone.localdate():
        raise ConsultationError(f"“会商日期”（{held_on.isoformat()}）不能晚于今天")
    if held_on < notice.sent_on:
        raise ConsultationError(
            f"“会商日期”（{held_on.isoformat()}）不能早于风险提示日期（{notice.sent_on.isoformat()}）"
        )
    meeting = ConsultationMeeting.objects.create(
        notice=notice,
        held_on=held_on,
        place=_text(place, "地点", required=False)[:200],
        participants=_text(participants, "参加人员"),
        minutes=_text(minutes, "会商纪要"),
        recorded_by=by,
    )
    record_event(
        notice.case,
        by=by,
        action="consultation_meeting",
        summary=f"召开判前会商（{held_on:%Y-%m-%d}），参加人员：{meeting.participants[:100]}",
        changes={"判前会商": ["", f"{notice.number} {held_on:%Y-%m-%d}"]},
    )
    told = [u for u in [*_court(notice), *_agency(notice), *_office(notice)] if u.pk != by.pk]
    _tell(
        notice,
        told,
        key=f"meeting:{meeting.pk}",
        subject="【判前会商】会商纪要",
        body=f"{notice.case.number}已于 {held_on:%Y-%m-%d} 召开判前会商，纪要已登记。",
    )
    return meeting


# ---------------------------------------------------------------------------------------------------------------
# The sweep: 临期 reminders and 逾期 chasing of the answer


@dataclass
class AnswerSweep:
    warned: int = 0
    overdue: int = 0
    failed: int = 0

    def summary(self) -> str:
        return f"答复临期提醒 {self.warned} 份，逾期督办 {self.overdue} 份"


def answer_sweep(report: obligations.ObligationSweep) -> AnswerSweep:
    warned, overdue, failed = report.of(ANSWER)
    return AnswerSweep(warned=warned, overdue=overdue, failed=failed)


def _awaiting(ob: Obligation) -> RiskNotice | None:
    """The notice of an obligation, if it still awaits its answer on a pending case (a suit ended needs none)."""
    return (
        RiskNotice.objects.filter(pk=ob.subject_id, state=NoticeState.SENT, case__concluded_on__isnull=True)
        .select_related("case", "court", "agency", "county")
        .first()
    )


def warn_answer(ob: Obligation, now: datetime.datetime) -> bool:
    """临期: the agency's liaisons are told once."""
    notice = _awaiting(ob)
    if notice is None:
        return False
    put(
        personal_rows(
            _agency(notice),
            subject="【败诉风险提示】答复临期",
            body=f"{notice.court.name}就{notice.case.number}发出的败诉风险提示将于 {notice.answer_due_on:%Y-%m-%d} 到期，请按期答复。",
            link=link(notice),
            dedup_key=f"consultation:{notice.pk}:warned",
            now=now,
        )
    )
    record_event(notice.case, by=SYSTEM, action="risk_notice_warned", summary="败诉风险提示答复临期提醒")
    return True


def chase_answer(ob: Obligation, now: datetime.datetime) -> bool:
    """逾期: the agency's liaisons and the 依法治办 are told once."""
    notice = _awaiting(ob)
    if notice is None:
        return False
    days = (now.date() - notice.answer_due_on).days
    put(
        personal_rows(
            [*_agency(notice), *_office(notice)],
            subject="【败诉风险提示】答复逾期",
            body=(
                f"{notice.court.name}就{notice.case.number}发出的败诉风险提示已于 {notice.answer_due_on:%Y-%m-%d} 到期，"
                f"已逾期{days}天，{notice.agency.name}尚未答复。"
            ),
            link=link(notice),
            dedup_key=f"consultation:{notice.pk}:overdue",
            now=now,
        )
    )
    record_event(notice.case, by=SYSTEM, action="risk_notice_overdue", summary=f"败诉风险提示答复逾期{days}天，已督办")
    return True


ANSWER_KIND = Kind(name=ANSWER, label="败诉风险提示答复", remind=warn_answer, chase=chase_answer)
