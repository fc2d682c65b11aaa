"""The performance workflow (生效裁判履行, SPEC §6.9): open → report (with proof) → confirm performed (on time or
late), or record not performed and the court's measures (行政诉讼法 第96条).

Each transition checks the actor's right, validates, changes the item, writes its Event on the case's timeline,
keeps the item's due obligation (``obligations``: reminded 临期 and chased 逾期 by the sweep) and puts its
notifications in the outbox, in one transaction; nothing else writes these records.

- Opening: ``open_on_effect`` is called by name from ``cases.workflow`` when a case it saves is a loss for its agency
  (``Case.is_loss``, the figures' definition) with a 生效日期; or the court liaison of the case's court opens an item
  (``open_item``), e.g. a second duty of the same judgment. The court liaison sets what must be done and the due date
  from the judgment (``set_terms``); by default the local rule of ``performance.rules``.
- Report: the agency's liaison. Confirmation, non-performance and measures: the court liaison of the case's court.
- A 司法建议 (第96条第(四)项) is registered in the 销账本 through ``rectification.workflow`` by name.
"""

from __future__ import annotations

import datetime
from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from fuyuan.cases.models import Case
from fuyuan.core.models import Organisation, Role, User
from fuyuan.core.queries import work_calendar
from fuyuan.core.timeline import Actor, record_event
from fuyuan.core.uploads import check_upload
from fuyuan.notifications.workflow import personal_rows, put
from fuyuan.obligations import workflow as obligations
from fuyuan.obligations.models import Obligation
from fuyuan.obligations.registry import Kind
from fuyuan.performance.models import Duty, ItemState, Measure, MeasureKind, PerformanceItem
from fuyuan.performance.rules import FINE_MAX, FINE_MIN, STATED, default_due, duty_of
from fuyuan.rectification.models import Recommendation

# The kind of due obligation a performance item is (registered by ``PerformanceConfig``).
ITEM = "performance.item"
FILE_TYPES = (".pdf", ".docx", ".doc", ".jpg", ".jpeg", ".png")
SYSTEM = Actor(label="系统定时任务")


class PerformanceError(Exception):
    """A transition that cannot be done, with the reason in Chinese for the person who tried."""


def link(item: PerformanceItem) -> str:
    return f"/performance/{item.pk}/"


# ---------------------------------------------------------------------------------------------------------------
# Rights


def is_court_liaison(user: User, item_or_case: PerformanceItem | Case) -> bool:
    court_id = item_or_case.court_id
    return user.role == Role.COURT_LIAISON and court_id is not None and user.organisation_id == court_id


def can_report(user: User, item: PerformanceItem) -> bool:
    return user.role == Role.AGENCY_LIAISON and user.organisation_id == item.agency_id


def _require(allowed: bool, action: str) -> None:
    if not allowed:
        raise PerformanceError(f"您无权{action}")


def _require_state(item: PerformanceItem, states: tuple[str, ...], action: str) -> None:
    if item.state not in states:
        raise PerformanceError(f"该履行事项当前状态为“{item.get_state_display()}”，不能{action}")


def _lock(item: PerformanceItem) -> PerformanceItem:
    fresh = PerformanceItem.objects.select_for_update().get(pk=item.pk)
    item.__dict__.update({k: v for k, v in fresh.__dict__.items() if not k.startswith("_")})
    return item


def _today() -> datetime.date:
    return timezone.localdate()


# ---------------------------------------------------------------------------------------------------------------
# Who is told


def _liaisons(role: str, org_id: int) -> list[User]:
    return list(User.objects.filter(is_active=True, role=role, organisation_id=org_id))


def _tell(
    item: PerformanceItem, users: list[User], *, key: str, subject: str, body: str, now: datetime.datetime | None = None
) -> None:
    put(
        personal_rows(
            users, subject=subject, body=body, link=link(item), dedup_key=f"performance:{item.pk}:{key}", now=now
        )
    )


def _title(item: PerformanceItem) -> str:
    return f"（{item.case.number}）{item.get_duty_display()}"


# ---------------------------------------------------------------------------------------------------------------
# Opening and terms


def _check_terms(case: Case, duty: str, text: str, due_on: datetime.date | None) -> tuple[str, str, datetime.date, str]:
    errors = []
    if duty not in Duty.values:
        errors.append("请选择履行内容类别")
    if not text.strip():
        errors.append("请填写应履行事项")
    assert case.effective_on is not None
    if due_on is not None and due_on < case.effective_on:
        errors.append(f"履行期限 {due_on.isoformat()} 早于裁判生效日期 {case.effective_on.isoformat()}，请核对")
    if errors:
        raise PerformanceError("；".join(errors))
    if due_on is None:
        due_on, rule = default_due(case.effective_on, work_calendar())
    else:
        rule = STATED
    return duty, text.strip(), due_on, rule


def _check_case(case: Case) -> None:
    if not case.is_loss:
        raise PerformanceError("只有行政机关败诉的裁判才需登记履行事项（结案方式不是败诉）")
    if case.effective_on is None:
        raise PerformanceError("案件尚未登记生效日期：请先在案件信息中填写裁判生效日期")


def _open(
    case: Case, *, duty: str, text: str, due_on: datetime.date | None, by: User | Actor, now: datetime.datetime
) -> PerformanceItem:
    duty, text, due, rule = _check_terms(case, duty, text, due_on)
    assert case.court_id is not None and case.effective_on is not None
    item = PerformanceItem.objects.create(
        case=case,
        agency_id=case.defendant_id,
        court_id=case.court_id,
        duty=duty,
        text=text,
        effective_on=case.effective_on,
        due_on=due,
        due_rule=rule,
        opened_at=now,
        opened_by=Actor.of(by).user,
    )
    obligations.keep(ITEM, item.pk, due_on=item.due_on, owner_organisation=item.agency_id)
    record_event(
        case,
        by=by,
        action="performance_opened",
        summary=f"生效裁判履行事项登记：{item.get_duty_display()}，{text}，履行期限 {due.isoformat()}（{rule}）",
    )
    _tell(
        item,
        _liaisons(Role.AGENCY_LIAISON, item.agency_id),
        key="opened",
        subject="【裁判履行】生效裁判待履行",
        body=f"{_title(item)}：{text}。请于 {due.isoformat()} 前履行完毕并报告履行情况、上传证明材料。",
        now=now,
    )
    return item


def open_on_effect(case: Case, *, by: User | Actor) -> PerformanceItem | None:
    """Called by ``cases.workflow`` inside its transaction after it saved ``case``: a loss for the agency whose judgment
    has taken effect gets its performance item, once (a case that already has one keeps it). The duty is the one its
    outcome usually orders and the due date the local default, until the court liaison sets them from the judgment."""
    if not case.is_loss or case.effective_on is None or case.court_id is None:
        return None
    if PerformanceItem.objects.filter(case=case).exists():
        return None
    outcome = case.outcome_label
    return _open(
        case,
        duty=duty_of(case.outcome),
        text=f"按生效裁判（{outcome}）履行，具体内容待法院联络员按裁判文书补充",
        due_on=None,
        by=by,
        now=timezone.localtime(),
    )


@transaction.atomic
def open_item(
    case: Case,
    *,
    duty: str,
    text: str,
    due_on: datetime.date | None = None,
    by: User,
    now: datetime.datetime | None = None,
) -> PerformanceItem:
    """The court liaison of the case's court opens a performance item (``due_on`` None: the local default)."""
    now = timezone.localtime(now or timezone.now())
    _require(is_court_liaison(by, case), "登记该案件的履行事项")
    _check_case(case)
    return _open(case, duty=duty, text=text, due_on=due_on, by=by, now=now)


@transaction.atomic
def set_terms(
    item: PerformanceItem, *, duty: str, text: str, due_on: datetime.date | None, by: User
) -> PerformanceItem:
    """The court liaison sets what must be done and the due date from the judgment; a new date is reminded afresh."""
    _require(is_court_liaison(by, item), "修改该履行事项")
    _lock(item)
    _require_state(item, (ItemState.OPEN,), "修改履行内容和期限")
    duty, text, due, rule = _check_terms(item.case, duty, text, due_on)
    changes = {}
    if duty != item.duty:
        changes["履行内容类别"] = [item.get_duty_display(), Duty(duty).label]
    if text != item.text:
        changes["应履行事项"] = [item.text, text]
    if due != item.due_on:
        changes["履行期限"] = [item.due_on.isoformat(), due.isoformat()]
    if not changes:
        return item
    item.duty, item.text, item.due_on, item.due_rule = duty, text, due, rule
    item.save(update_fields=["duty", "text", "due_on", "due_rule"])
    obligations.keep(ITEM, item.pk, due_on=item.due_on, owner_organisation=item.agency_id)
    record_event(item.case, by=by, action="performance_terms", summary="修改履行事项", changes=changes)
    return item


# ---------------------------------------------------------------------------------------------------------------
# Report, confirmation, non-performance


def check_proof(upload: UploadedFile | None) -> str:
    if upload is None:
        raise PerformanceError("请上传履行证明材料（如支付凭证、重新作出的行政行为文书；PDF、Word 或图片）")
    return check_upload(
        upload,
        accepted=FILE_TYPES,
        not_accepted="不是可接受的文件：履行证明材料只接受 .pdf、.doc、.docx、.jpg、.png",
        error=PerformanceError,
    )


@transaction.atomic
def report_performance(
    item: PerformanceItem,
    *,
    text: str,
    upload: UploadedFile | None,
    by: User,
    now: datetime.datetime | None = None,
) -> PerformanceItem:
    """The agency reports how it performed, with proof; the court liaison is told to confirm."""
    now = timezone.localtime(now or timezone.now())
    _require(can_report(by, item), "报告该事项的履行情况")
    if not text.strip():
        raise PerformanceError("请填写履行情况")
    suffix = check_proof(upload)
    assert upload is not None
    _lock(item)
    _require_state(item, (ItemState.OPEN, ItemState.NOT_PERFORMED), "报告履行情况")
    before = item.get_state_display()
    item.state = ItemState.REPORTED
    item.report_text = text.strip()
    item.proof.save(f"履行证明{suffix}", upload, save=False)
    item.proof_name = PurePath(upload.name or "").name
    item.reported_at, item.reported_by = now, by
    item.save()
    obligations.settle(ITEM, item.pk)
    late = "（已超过履行期限）" if item.due_on < now.date() else ""
    record_event(
        item.case,
        by=by,
        action="performance_reported",
        summary=f"{item.agency.name}报告履行情况{late}：{item.report_text}",
        changes={"履行状态": [before, ItemState.REPORTED.label]},
    )
    _tell(
        item,
        _liaisons(Role.COURT_LIAISON, item.court_id),
        key=f"reported:{now:%Y%m%d%H%M%S%f}",
        subject="【裁判履行】履行情况待确认",
        body=f"{item.agency.name}已报告{_title(item)}的履行情况，请核实确认。",
        now=now,
    )
    return item


@transaction.atomic
def confirm_performance(
    item: PerformanceItem, *, performed_on: datetime.date, by: User, now: datetime.datetime | None = None
) -> PerformanceItem:
    """The court liaison confirms the judgment performed on ``performed_on``: on time, or late by so many days."""
    now = timezone.localtime(now or timezone.now())
    _require(is_court_liaison(by, item), "确认该事项的履行情况")
    _lock(item)
    _require_state(item, (ItemState.OPEN, ItemState.REPORTED, ItemState.NOT_PERFORMED), "确认履行")
    if performed_on > now.date():
        raise PerformanceError(f"履行完毕日期 {performed_on.isoformat()} 晚于今天，请核对")
    if performed_on < item.effective_on:
        raise PerformanceError(f"履行完毕日期早于裁判生效日期 {item.effective_on.isoformat()}，请核对")
    before = item.get_state_display()
    item.state = ItemState.PERFORMED
    item.performed_on = performed_on
    item.decided_at, item.decided_by = now, by
    item.save()
    obligations.settle(ITEM, item.pk)
    how = f"逾期履行（超过期限 {item.days_late(now.date())} 日）" if item.performed_late else "按期履行"
    record_event(
        item.case,
        by=by,
        action="performance_confirmed",
        summary=f"法院确认{item.get_duty_display()}已于 {performed_on.isoformat()} 履行完毕，{how}",
        changes={"履行状态": [before, ItemState.PERFORMED.label]},
    )
    _tell(
        item,
        _liaisons(Role.AGENCY_LIAISON, item.agency_id),
        key="confirmed",
        subject="【裁判履行】法院已确认履行",
        body=f"{_title(item)}：法院已确认履行完毕（{how}）。",
        now=now,
    )
    return item


@transaction.atomic
def record_non_performance(
    item: PerformanceItem, *, note: str, by: User, now: datetime.datetime | None = None
) -> PerformanceItem:
    """The court liaison records that the judgment has not been performed (a report that does not hold, or none
    after the due date); measures may follow. The agency may still perform and report."""
    now = timezone.localtime(now or timezone.now())
    _require(is_court_liaison(by, item), "登记该事项未履行")
    if not note.strip():
        raise PerformanceError("请写明未履行的情况")
    _lock(item)
    _require_state(item, (ItemState.OPEN, ItemState.REPORTED), "登记未履行")
    if item.state == ItemState.OPEN and item.due_on >= now.date():
        raise PerformanceError(f"履行期限 {item.due_on.isoformat()} 尚未届满，不能登记未履行")
    before = item.get_state_display()
    item.state = ItemState.NOT_PERFORMED
    item.non_performance_note = note.strip()
    item.decided_at, item.decided_by = now, by
    item.save()
    record_event(
        item.case,
        by=by,
        action="performance_refused",
        summary=f"法院登记未履行：{item.non_performance_note}",
        changes={"履行状态": [before, ItemState.NOT_PERFORMED.label]},
    )
    _tell(
        item,
        _liaisons(Role.AGENCY_LIAISON, item.agency_id),
        key=f"refused:{now:%Y%m%d%H%M%S%f}",
        subject="【裁判履行】法院认定未履行",
        body=f"{_title(item)}：法院认定未履行（{item.non_performance_note}），请立即履行并报告。",
        now=now,
    )
    return item


# ---------------------------------------------------------------------------------------------------------------
# The court's measures (行政诉讼法 第96条)


def record_measure(
    item: PerformanceItem,
    *,
    kind: str,
    taken_on: datetime.date,
    text: str,
    by: User,
    daily_fine: int | None = None,
    recipient: Organisation | None = None,
    number: str = "",
    document: UploadedFile | None = None,
    now: datetime.datetime | None = None,
) -> Measure:
    """The court liaison records a measure the court took against the agency's failure to perform by the due date.

    A 司法建议 (第(四)项) to the 监察机关 or the agency's superior (``recipient``) is registered in the 销账本 as the
    court's 司法建议书 (``number``, ``document``), its item falling due under ``rectification.default``."""
    now = timezone.localtime(now or timezone.now())
    _require(is_court_liaison(by, item), "登记该事项的法院措施")
    errors = []
    if kind not in MeasureKind.values:
        errors.append("请选择措施")
    if not text.strip():
        errors.append("请填写措施的内容")
    if taken_on > now.date():
        errors.append(f"采取日期 {taken_on.isoformat()} 晚于今天，请核对")
    if taken_on <= item.due_on:
        errors.append(f"履行期限 {item.due_on.isoformat()} 届满后才能采取第96条的措施，请核对采取日期")
    if item.state == ItemState.PERFORMED and not item.performed_late:
        errors.append("该事项已按期履行，无需采取措施")
    if kind == MeasureKind.FINE and (daily_fine is None or not FINE_MIN <= daily_fine <= FINE_MAX):
        # 行政诉讼法 第96条第(二)项: 按日处五十元至一百元的罚款.
        errors.append(f"每日罚款金额应在 {FINE_MIN} 元至 {FINE_MAX} 元之间（行政诉讼法 第96条第(二)项）")
    if kind == MeasureKind.JUDICIAL_ADVICE and recipient is None:
        errors.append("请选择接受司法建议的机关（监察机关或该行政机关的上一级行政机关）")
    if errors:
        raise PerformanceError("；".join(errors))
    with transaction.atomic():
        _lock(item)
        recommendation = None
        if kind == MeasureKind.JUDICIAL_ADVICE:
            recommendation = _advise(item, recipient, number, document, text.strip(), taken_on, by, now)
        measure = Measure.objects.create(
            item=item,
            kind=kind,
            taken_on=taken_on,
            text=text.strip(),
            daily_fine=daily_fine if kind == MeasureKind.FINE else None,
            recommendation=recommendation,
            recorded_at=now,
            recorded_by=by,
        )
        label = measure.get_kind_display()
        extra = f"，每日 {daily_fine} 元" if kind == MeasureKind.FINE else ""
        if recommendation is not None:
            extra = f"，向{recommendation.recipient.name}发出司法建议书（{recommendation.number}），已列入销账本"
        record_event(
            item.case,
            by=by,
            action="performance_measure",
            summary=f"法院于 {taken_on.isoformat()} 采取{label}措施（行政诉讼法 第96条）{extra}：{measure.text}",
        )
        _tell(
            item,
            _liaisons(Role.AGENCY_LIAISON, item.agency_id),
            key=f"measure:{measure.pk}",
            subject=f"【裁判履行】法院采取{label}措施",
            body=f"{_title(item)}：法院于 {taken_on.isoformat()} 采取{label}措施（行政诉讼法 第96条）：{measure.text}",
            now=now,
        )
    return measure


def _advise(
    item: PerformanceItem,
    recipient: Organisation | None,
    number: str,
    document: UploadedFile | None,
    text: str,
    taken_on: datetime.date,
    by: User,
    now: datetime.datetime,
) -> Recommendation:
    from fuyuan.rectification.models import RecommendationKind
    from fuyuan.rectification.workflow import ItemDraft, RectificationError, register_recommendation

    assert recipient is not None
    try:
        return register_recommendation(
            kind=RecommendationKind.JUDICIAL,
            number=number,
            issuer=item.court,
            recipient=recipient,
            issued_on=taken_on,
            document=document,
            items=[ItemDraft(text=f"督促{item.agency.name}履行生效裁判（{item.case.number}）：{text}")],
            summary=f"{item.agency.name}未按期履行{_title(item)}（行政诉讼法 第96条第(四)项）",
            case=item.case,
            by=by,
            now=now,
        )
    except RectificationError as refused:
        raise PerformanceError(str(refused)) from None


# ---------------------------------------------------------------------------------------------------------------
# The sweep: 临期 reminders and 逾期 chasing


def _due_item(ob: Obligation) -> PerformanceItem | None:
    """The item of an obligation, while the agency still owes performance (a reported or confirmed one is not)."""
    return (
        PerformanceItem.objects.filter(pk=ob.subject_id, state__in=[ItemState.OPEN, ItemState.NOT_PERFORMED])
        .select_related("case", "agency")
        .first()
    )


def remind_item(ob: Obligation, now: datetime.datetime) -> bool:
    """临期: the agency's liaisons are told once."""
    item = _due_item(ob)
    if item is None:
        return False
    _tell(
        item,
        _liaisons(Role.AGENCY_LIAISON, item.agency_id),
        key="warned",
        subject="【裁判履行】履行期限临近",
        body=f"{_title(item)}（{item.text}）将于 {item.due_on.isoformat()} 届满，请按期履行并报告。",
        now=now,
    )
    record_event(item.case, by=SYSTEM, action="performance_warned", summary="生效裁判履行期限临近，已提醒")
    return True


def chase_item(ob: Obligation, now: datetime.datetime) -> bool:
    """逾期: the agency's liaisons and the court's are told once."""
    item = _due_item(ob)
    if item is None:
        return False
    days = (now.date() - item.due_on).days
    _tell(
        item,
        [*_liaisons(Role.AGENCY_LIAISON, item.agency_id), *_liaisons(Role.COURT_LIAISON, item.court_id)],
        key="overdue",
        subject="【裁判履行】生效裁判逾期未履行",
        body=f"{_title(item)}（{item.text}）已于 {item.due_on.isoformat()} 届满，已逾期{days}日，{item.agency.name}尚未报告履行。",
        now=now,
    )
    record_event(item.case, by=SYSTEM, action="performance_overdue", summary=f"生效裁判逾期{days}日未履行，已督办")
    return True


ITEM_KIND = Kind(name=ITEM, label="裁判履行事项", remind=remind_item, chase=chase_item)
