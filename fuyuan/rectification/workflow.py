"""The rectification workflow (销账本, SPEC §6.5): register → report → verify (销账) or return.

Each transition checks the actor's right, validates, changes the record, writes its Event on the recommendation's
timeline and puts its notifications in the outbox, in one transaction; nothing else writes these records.

- Due date: the document's own period if it states one, else ``rectification.default`` (2 months from the issue
  date, 司法建议/检察建议 practice; SPEC §5), computed on the working-day calendar by ``deadlines.rules``.
- Registration: the 依法治办 of the recipient's region, or the issuer's own liaison. Report: the owner agency's
  liaison. Verification and return: the issuer's liaison or the 依法治办 of the recipient's region.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from fuyuan.cases.models import Case
from fuyuan.core.models import Organisation, OrganisationKind, Role, User
from fuyuan.core.queries import work_calendar
from fuyuan.core.timeline import Actor, record_event
from fuyuan.core.uploads import check_upload
from fuyuan.deadlines.rules import RULES, compute_due
from fuyuan.notifications.workflow import personal_rows, put
from fuyuan.obligations import workflow as obligations
from fuyuan.obligations.models import Obligation
from fuyuan.obligations.registry import Kind
from fuyuan.rectification.models import ISSUER_KINDS, Item, ItemState, Recommendation, RecommendationKind
from fuyuan.rectification.queries import ISSUER_ROLES

DEFAULT_RULE = "rectification.default"
# A document kind whose period is set by statute rather than by practice: 行政复议法 (2023) 第76条, the recipient of a
# 行政复议意见书 reports its correction within 60 days.
KIND_RULES: dict[str, str] = {RecommendationKind.RECONSIDERATION_OPINION: "reconsideration.opinion_report"}
# Accepted files, by extension: the leading bytes that a real file of that type starts with.
FILE_TYPES = (".pdf", ".docx", ".doc", ".jpg", ".jpeg", ".png")
MAX_BYTES = 20 * 1024 * 1024


class RectificationError(Exception):
    """A transition that cannot be done, with the reason in Chinese for the person who tried."""


@dataclass
class ItemDraft:
    """An item as entered at registration; owner defaults to the recipient, due date to the document's."""

    text: str
    owner: Organisation | None = None
    due_on: datetime.date | None = None


def link(recommendation: Recommendation) -> str:
    return f"/rectification/{recommendation.pk}/"


# ---------------------------------------------------------------------------------------------------------------
# Rights


def _office_covers(user: User, recipient: Organisation) -> bool:
    region = user.scope_region
    return user.role == Role.RULE_OF_LAW_OFFICE and region is not None and recipient.region.path.startswith(region.path)


def _issuer_liaison(user: User, issuer: Organisation) -> bool:
    return user.role in ISSUER_ROLES and user.organisation_id is not None and user.organisation_id == issuer.pk


def can_register(user: User, issuer: Organisation, recipient: Organisation) -> bool:
    return _issuer_liaison(user, issuer) or _office_covers(user, recipient)


def can_register_any(user: User) -> bool:
    """Whether to offer the registration form at all."""
    return (user.role in ISSUER_ROLES and user.organisation_id is not None) or (
        user.role == Role.RULE_OF_LAW_OFFICE and user.scope_region is not None
    )


def can_report(user: User, item: Item) -> bool:
    return user.role == Role.AGENCY_LIAISON and user.organisation_id == item.owner_id


def can_verify(user: User, item: Item) -> bool:
    rec = item.recommendation
    return _issuer_liaison(user, rec.issuer) or _office_covers(user, rec.recipient)


def _require(allowed: bool, action: str) -> None:
    if not allowed:
        raise RectificationError(f"您无权{action}")


# ---------------------------------------------------------------------------------------------------------------
# Files


def check_file(upload: UploadedFile | None, *, what: str, required: bool) -> str:
    """The file's extension if acceptable ("" when none is given and none is required); otherwise
    RectificationError saying what is wrong and what to do."""
    if upload is None:
        if required:
            raise RectificationError(f"请选择要上传的{what}（PDF、Word 或图片）")
        return ""
    return check_upload(
        upload,
        accepted=FILE_TYPES,
        not_accepted=f"不是可接受的文件：{what}只接受 .pdf、.doc、.docx、.jpg、.png",
        error=RectificationError,
        max_bytes=MAX_BYTES,
    )


# ---------------------------------------------------------------------------------------------------------------
# Who is told


def _liaisons(org_ids: Iterable[int]) -> list[User]:
    return list(User.objects.filter(is_active=True, role=Role.AGENCY_LIAISON, organisation_id__in=set(org_ids)))


def verifiers(recommendation: Recommendation) -> list[User]:
    """The issuer's liaisons; if it has none (a 依法治办's notice), the 依法治办 of the recipient's county."""
    issuer = list(User.objects.filter(is_active=True, role__in=ISSUER_ROLES, organisation_id=recommendation.issuer_id))
    if issuer:
        return issuer
    region = recommendation.recipient.region.county()
    return list(
        User.objects.filter(is_active=True, role=Role.RULE_OF_LAW_OFFICE).filter(
            Q(region=region) | Q(region__isnull=True, organisation__region=region)
        )
    )


def _tell(recommendation: Recommendation, users: list[User], *, key: str, subject: str, body: str) -> None:
    put(
        personal_rows(
            users,
            subject=subject,
            body=body,
            link=link(recommendation),
            dedup_key=f"rectification:{recommendation.pk}:{key}",
        )
    )


def _title(rec: Recommendation) -> str:
    return f"{rec.issuer.name}{rec.get_kind_display()}（{rec.number}）"


# ---------------------------------------------------------------------------------------------------------------
# Transitions


def due_for(
    issued_on: datetime.date, stated: datetime.date | None, own: datetime.date | None, kind: str = ""
) -> tuple[datetime.date, str]:
    """An item's due date and the rule behind it: its own, the document's, the statute's for its kind
    (``KIND_RULES``), or ``rectification.default``."""
    if own is not None:
        return own, "文书对该事项另定期限"
    if stated is not None:
        return stated, "文书规定的整改期限"
    rule_id = KIND_RULES.get(kind, DEFAULT_RULE)
    due = compute_due(rule_id, issued_on, work_calendar())
    rule = RULES[rule_id]
    return due.due, f"{rule.label}（{rule.period_label}）：{rule.source}"


def register_recommendation(
    *,
    kind: str,
    number: str,
    issuer: Organisation,
    recipient: Organisation,
    issued_on: datetime.date,
    document: UploadedFile | None,
    items: Sequence[ItemDraft],
    summary: str = "",
    stated_due_on: datetime.date | None = None,
    case: Case | None = None,
    by: User,
    now: datetime.datetime | None = None,
) -> Recommendation:
    """Register a document and its items; everything is checked before anything (the file included) is written.
    The owners' liaisons are told at once."""
    now = timezone.localtime(now or timezone.now())
    _require(can_register(by, issuer, recipient), "登记该单位的建议书")
    errors = []
    if kind not in RecommendationKind.values:
        errors.append("请选择文书类别")
    elif issuer.kind not in ISSUER_KINDS[kind]:
        errors.append(f"{issuer.name}（{issuer.get_kind_display()}）不能发出{RecommendationKind(kind).label}")
    if not number.strip():
        errors.append("请填写文号")
    if recipient.kind not in (OrganisationKind.AGENCY, OrganisationKind.OTHER):
        errors.append(f"被建议单位应为行政机关，{recipient.name}是{recipient.get_kind_display()}")
    if issued_on > now.date():
        errors.append(f"发出日期 {issued_on.isoformat()} 晚于今天，请核对")
    if stated_due_on is not None and stated_due_on < issued_on:
        errors.append("文书规定的整改期限早于发出日期，请核对")
    drafts = [d for d in items if d.text.strip()]
    if not drafts:
        errors.append("请至少填写一项整改事项")
    for i, d in enumerate(drafts, 1):
        if d.due_on is not None and d.due_on < issued_on:
            errors.append(f"第{i}项整改期限早于发出日期")
    if errors:
        raise RectificationError("；".join(errors))
    suffix = check_file(document, what="建议书文书", required=True)
    assert document is not None
    number = number.strip()
    if Recommendation.objects.filter(issuer=issuer, number=number).exists():
        raise RectificationError(f"{issuer.name}的{number}已经登记过")
    try:
        with transaction.atomic():
            rec = Recommendation(
                kind=kind,
                number=number,
                issuer=issuer,
                recipient=recipient,
                issued_on=issued_on,
                stated_due_on=stated_due_on,
                case=case,
                summary=summary.strip(),
                document_name=PurePath(document.name or "").name,
                registered_at=now,
                registered_by=by,
            )
            rec.document.save(f"{number}{suffix}".replace("/", "-"), document, save=False)
            rec.save()
            made = []
            for position, d in enumerate(drafts, 1):
                due, rule = due_for(issued_on, stated_due_on, d.due_on, kind)
                made.append(
                    Item(
                        recommendation=rec,
                        position=position,
                        text=d.text.strip(),
                        owner=d.owner or recipient,
                        due_on=due,
                        due_rule=rule,
                    )
                )
            Item.objects.bulk_create(made)
            for it in made:
                obligations.keep(ITEM, it.pk, due_on=it.due_on, owner_organisation=it.owner_id)
            record_event(
                rec,
                by=by,
                action="registered",
                summary=f"登记{rec.get_kind_display()}（{number}），整改事项 {len(made)} 项",
            )
            lines = "；".join(f"{it.position}. {it.text}（期限 {it.due_on.isoformat()}）" for it in made)
            _tell(
                rec,
                _liaisons(it.owner_id for it in made),
                key="registered",
                subject="【整改销账】收到建议书，请按期整改",
                body=f"{_title(rec)}已登记，整改事项：{lines}",
            )
    except IntegrityError:
        rec.document.delete(save=False)
        raise RectificationError(f"{issuer.name}的{number}已经登记过") from None
    return rec


def _lock(item: Item) -> Item:
    fresh = Item.objects.select_for_update().get(pk=item.pk)
    item.__dict__.update({k: v for k, v in fresh.__dict__.items() if not k.startswith("_")})
    return item


def _require_state(item: Item, state: str, action: str) -> None:
    if item.state != state:
        raise RectificationError(f"第{item.position}项当前状态为“{item.get_state_display()}”，不能{action}")


def report_item(
    item: Item,
    *,
    text: str,
    upload: UploadedFile | None = None,
    by: User,
    now: datetime.datetime | None = None,
) -> Item:
    """The owner agency reports how it rectified the item (text, and a file if it has one); the verifier is told."""
    now = timezone.localtime(now or timezone.now())
    _require(can_report(by, item), "报送该事项的整改情况")
    if not text.strip():
        raise RectificationError("请填写整改情况")
    suffix = check_file(upload, what="整改材料", required=False)
    with transaction.atomic():
        _lock(item)
        _require_state(item, ItemState.IN_PROGRESS, "报送整改情况")
        rec = item.recommendation
        again = bool(item.return_note)
        item.state = ItemState.REPORTED
        item.report_text = text.strip()
        if upload is not None:
            item.report_file.save(f"第{item.position}项整改材料{suffix}", upload, save=False)
            item.report_name = PurePath(upload.name or "").name
        item.reported_at, item.reported_by = now, by
        item.save()
        obligations.settle(ITEM, item.pk)
        late = "（已逾期）" if item.due_on < now.date() else ""
        record_event(
            rec,
            by=by,
            action="item_reported",
            summary=f"第{item.position}项{'重新' if again else ''}报送整改情况{late}",
            changes={"状态": [ItemState.IN_PROGRESS.label, ItemState.REPORTED.label]},
        )
        _tell(
            rec,
            verifiers(rec),
            key=f"reported:{item.pk}:{now:%Y%m%d%H%M%S%f}",
            subject="【整改销账】整改情况待核验",
            body=f"{item.owner.name}已报送{_title(rec)}第{item.position}项的整改情况，请核验。",
        )
    return item


def verify_item(item: Item, *, by: User, now: datetime.datetime | None = None) -> Item:
    """The issuer's liaison or the 依法治办 accepts the rectification; the last item verified closes the account."""
    now = timezone.localtime(now or timezone.now())
    _require(can_verify(by, item), "核验该事项")
    with transaction.atomic():
        _lock(item)
        _require_state(item, ItemState.REPORTED, "核验销账")
        rec = Recommendation.objects.select_for_update().get(pk=item.recommendation_id)
        item.state = ItemState.VERIFIED
        item.verified_at, item.verified_by = now, by
        item.save()
        record_event(
            rec,
            by=by,
            action="item_verified",
            summary=f"第{item.position}项核验通过",
            changes={"状态": [ItemState.REPORTED.label, ItemState.VERIFIED.label]},
        )
        if not rec.items.exclude(state=ItemState.VERIFIED).exists():
            rec.closed_at = now
            rec.save(update_fields=["closed_at"])
            record_event(rec, by=by, action="closed", summary="全部整改事项核验通过，已销账")
            _tell(
                rec,
                _liaisons(rec.items.values_list("owner_id", flat=True)),
                key="closed",
                subject="【整改销账】已销账",
                body=f"{_title(rec)}的整改事项已全部核验通过，已销账。",
            )
        item.recommendation = rec
    return item


def return_item(item: Item, *, note: str, by: User, now: datetime.datetime | None = None) -> Item:
    """The verifier sends the item back to 整改中 with what is missing; the owner is told."""
    now = timezone.localtime(now or timezone.now())
    _require(can_verify(by, item), "退回该事项")
    if not note.strip():
        raise RectificationError("退回时请写明需要继续整改或补充的内容")
    with transaction.atomic():
        _lock(item)
        _require_state(item, ItemState.REPORTED, "退回")
        rec = item.recommendation
        item.state = ItemState.IN_PROGRESS
        item.return_note = note.strip()
        item.save()
        # Rectified again under the same due date: a notice already sent is not sent again.
        obligations.keep(ITEM, item.pk, due_on=item.due_on, owner_organisation=item.owner_id)
        record_event(
            rec,
            by=by,
            action="item_returned",
            summary=f"第{item.position}项退回继续整改：{item.return_note}",
            changes={"状态": [ItemState.REPORTED.label, ItemState.IN_PROGRESS.label]},
        )
        _tell(
            rec,
            _liaisons([item.owner_id]),
            key=f"returned:{item.pk}:{now:%Y%m%d%H%M%S%f}",
            subject="【整改销账】整改情况被退回",
            body=f"{_title(rec)}第{item.position}项的整改情况被退回：{item.return_note}",
        )
    return item


# ---------------------------------------------------------------------------------------------------------------
# The sweep: 临期 reminders and 逾期 notices


SYSTEM = Actor(label="系统定时任务")
# The kind of due obligation a rectification item is (``obligations``; registered by ``RectificationConfig``).
ITEM = "rectification.item"


@dataclass
class ItemSweep:
    warned: int = 0
    overdue: int = 0
    failed: int = 0

    def summary(self) -> str:
        return f"临期提醒 {self.warned} 项，逾期督办 {self.overdue} 项"


def sweep_items(now: datetime.datetime | None = None) -> ItemSweep:
    """The sweep's due obligations of rectification items alone (``obligations.workflow.sweep``; ``run_sweep``
    runs them with every other kind): the owner agency is told once when an item being rectified falls due within
    ``FUYUAN_DEADLINE_WARN_DAYS`` days (临期, as for case deadlines), and once when it is overdue — then the verifier
    (the issuer, or the county's 依法治办) is told as well, so that the 销账本 is chased (SPEC §6.5)."""
    return item_sweep(obligations.sweep(now, kinds=[ITEM]))


def item_sweep(report: obligations.ObligationSweep) -> ItemSweep:
    warned, overdue, failed = report.of(ITEM)
    return ItemSweep(warned=warned, overdue=overdue, failed=failed)


def _open_item(ob: Obligation) -> Item | None:
    """The item of an obligation, if it is still being rectified (a reported or verified one is not chased)."""
    return (
        Item.objects.filter(pk=ob.subject_id, state=ItemState.IN_PROGRESS)
        .select_related("recommendation__issuer", "recommendation__recipient__region", "owner")
        .first()
    )


def chase_item(ob: Obligation, now: datetime.datetime) -> bool:
    """逾期: the owner's liaisons and the verifiers are told, once (the obligation is chased once)."""
    item = _open_item(ob)
    if item is None:
        return False
    rec = item.recommendation
    days = (now.date() - item.due_on).days
    body = (
        f"{_title(rec)}第{item.position}项整改事项（{item.text}）已于 {item.due_on:%Y-%m-%d} 到期，"
        f"已逾期{days}天，{item.owner.name}尚未报送整改情况。"
    )
    put(
        personal_rows(
            [*_liaisons([item.owner_id]), *verifiers(rec)],
            subject="【整改销账】整改事项逾期",
            body=body,
            link=link(rec),
            dedup_key=f"rectification:item:{item.pk}:overdue",
            now=now,
        )
    )
    record_event(rec, by=SYSTEM, action="item_overdue", summary=f"第{item.position}项整改逾期，已督办")
    return True


def warn_item(ob: Obligation, now: datetime.datetime) -> bool:
    """临期: the owner's liaisons are told, once (the verifier is not bothered before the due date)."""
    item = _open_item(ob)
    if item is None:
        return False
    rec = item.recommendation
    put(
        personal_rows(
            _liaisons([item.owner_id]),
            subject="【整改销账】整改事项临期",
            body=(
                f"{_title(rec)}第{item.position}项整改事项（{item.text}）将于 {item.due_on:%Y-%m-%d} 到期，"
                "请按期完成整改并报送整改情况。"
            ),
            link=link(rec),
            dedup_key=f"rectification:item:{item.pk}:warned",
            now=now,
        )
    )
    record_event(rec, by=SYSTEM, action="item_warned", summary=f"第{item.position}项临期提醒")
    return True


ITEM_KIND = Kind(name=ITEM, label="整改事项", remind=warn_item, chase=chase_item)
