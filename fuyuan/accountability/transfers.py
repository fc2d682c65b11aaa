"""移送纪委监委 (SPEC §6.3; issue 6 §4): the yearly review of the losses whose 倒查 found a clue of 不作为 or 乱作为,
and the transfer of the clue to the 纪委监委.

The candidates of a year are the closed loss reviews (closed that year) whose causes include 不履行法定职责 (≈ 不作为)
or 超越职权/滥用职权 (≈ 乱作为) (``LossCause``; SPEC §6.3 一案一分析). A candidate becomes a ``ClueTransfer``:

1. 县级初审 — the county's 依法治办 (or the prefecture's, for a county without one) proposes it (``propose``) with
   the clue and its facts, and submits it to the prefecture (``submit``);
2. 州级复核 — the prefecture's 依法治办 agrees and records the transfer (``transfer``: date, 文号, to the 纪委监委
   organisation of the prefecture) or rejects it with a reason (``reject``: 不予移送, final);
3. 已移送 — the 纪委监委's liaison acknowledges it (``acknowledge``: 已签收);
4. 已签收 — the liaison reports the result (``answer``: 已反馈, final).

Each transition checks the actor's right and the state, changes the record and writes the Event and a notification
to the next actor in one transaction. Who sees which transfer is ``transfers_visible_to``: only the roles involved.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from fuyuan.accountability.losses import liaisons, office_users
from fuyuan.accountability.models import (
    TRANSFERRED_STATES,
    ClueKind,
    ClueTransfer,
    LossCause,
    LossReview,
    LossReviewState,
    TransferState,
)
from fuyuan.core.models import Organisation, OrganisationKind, Region, RegionLevel, Role, User
from fuyuan.core.timeline import record_event
from fuyuan.notifications.workflow import OutboxRow, personal_rows, put

# The causes of 一案一分析 that are clues of a breach of duty (SPEC §6.3): 不履行法定职责 is 不作为, 超越职权/滥用职权
# is 乱作为.
CLUE_CAUSES = {LossCause.NON_PERFORMANCE: ClueKind.INACTION, LossCause.ULTRA_VIRES: ClueKind.MISCONDUCT}
OFFICE_LEVELS = (RegionLevel.PREFECTURE, RegionLevel.COUNTY)


class TransferError(Exception):
    """A change that cannot be made, with the reason in Chinese for the person who tried."""


def link(transfer: ClueTransfer) -> str:
    return reverse("accountability:transfer_detail", args=[transfer.pk])


def clue_filter() -> Q:
    """The reviews naming a clue cause. ``causes`` is a JSON list of codes, matched quoted in its text (as
    ``stats.figures.cause_filter``): the same lookup on SQLite and PostgreSQL."""
    q = Q()
    for cause in CLUE_CAUSES:
        q |= Q(causes__icontains=f'"{cause}"')
    return q


def clue_of(review: LossReview) -> str:
    """The clue suggested by the review's causes (不作为 first when both are named)."""
    return next((str(kind) for cause, kind in CLUE_CAUSES.items() if cause in review.causes), "")


# ---------------------------------------------------------------------------------------------------------------
# Who sees, who acts


def office_region(user: User) -> Region | None:
    """The county or prefecture of a 依法治办 user (None for anyone else, and for a province's office)."""
    if not (user.is_authenticated and user.is_active and user.role == Role.RULE_OF_LAW_OFFICE):
        return None
    region = user.scope_region
    return region if region is not None and region.level in OFFICE_LEVELS else None


def transfers_visible_to(user: User) -> QuerySet[ClueTransfer]:
    """A county's 依法治办: its county's transfers; a prefecture's: all of its counties'; a 纪委监委 liaison: those
    transferred to its organisation, from 已移送 on. Leaders, agencies, courts and everyone else: none."""
    if not user.is_authenticated or not user.is_active:
        return ClueTransfer.objects.none()
    region = office_region(user)
    if region is not None:
        if region.level == RegionLevel.PREFECTURE:
            return ClueTransfer.objects.filter(prefecture=region)
        return ClueTransfer.objects.filter(county=region)
    if user.role == Role.DISCIPLINE_LIAISON and user.organisation_id:
        return ClueTransfer.objects.filter(discipline_id=user.organisation_id, state__in=TRANSFERRED_STATES)
    return ClueTransfer.objects.none()


def candidates(user: User, year: int) -> QuerySet[LossReview]:
    """The year's closed loss reviews of the user's county or prefecture naming a clue cause (none for others)."""
    region = office_region(user)
    if region is None:
        return LossReview.objects.none()
    return LossReview.objects.filter(
        clue_filter(),
        state=LossReviewState.CLOSED,
        closed_at__year=year,
        case__region__path__startswith=region.path,
    )


def prefecture_of(county: Region) -> Region | None:
    return next((r for r in county.ancestors() if r.level == RegionLevel.PREFECTURE), None)


def is_proposer(user: User, transfer_or_review: ClueTransfer | LossReview) -> bool:
    """The 依法治办 of the case's county or prefecture (县级初审)."""
    region = office_region(user)
    if region is None:
        return False
    if isinstance(transfer_or_review, ClueTransfer):
        return region.pk in (transfer_or_review.county_id, transfer_or_review.prefecture_id)
    return transfer_or_review.case.region.path.startswith(region.path)


def is_prefecture_office(user: User, transfer: ClueTransfer) -> bool:
    """The 依法治办 of the transfer's prefecture (州级复核, 移送)."""
    region = office_region(user)
    return region is not None and region.pk == transfer.prefecture_id


def is_liaison(user: User, transfer: ClueTransfer) -> bool:
    """The liaison of the 纪委监委 the clue was transferred to (签收, 反馈)."""
    return (
        user.is_active
        and user.role == Role.DISCIPLINE_LIAISON
        and transfer.discipline_id is not None
        and user.organisation_id == transfer.discipline_id
    )


def allowed_actions(user: User, transfer: ClueTransfer) -> dict[str, bool]:
    """Which forms the transfer page offers this user now."""
    state = transfer.state
    prefecture = is_prefecture_office(user, transfer)
    return {
        "submit": is_proposer(user, transfer) and state == TransferState.COUNTY,
        "transfer": prefecture and state == TransferState.PREFECTURE,
        "reject": prefecture and state == TransferState.PREFECTURE,
        "acknowledge": is_liaison(user, transfer) and state == TransferState.TRANSFERRED,
        "answer": is_liaison(user, transfer) and state == TransferState.ACKNOWLEDGED,
    }


def discipline_of(prefecture: Region) -> Organisation | None:
    """The prefecture's 纪委监委 organisation."""
    return (
        Organisation.objects.filter(kind=OrganisationKind.DISCIPLINE, region=prefecture).order_by("name", "id").first()
    )


# ---------------------------------------------------------------------------------------------------------------
# Transitions


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _locked(transfer: ClueTransfer, states: Sequence[str], action: str) -> ClueTransfer:
    """Re-read under a row lock (two clicks record the step once) and check the state."""
    transfer = ClueTransfer.objects.select_for_update().select_related("review__case").get(pk=transfer.pk)
    if transfer.state not in states:
        raise TransferError(f"该移送事项当前状态为“{transfer.get_state_display()}”，不能{action}")
    return transfer


def _text(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise TransferError(message)
    return value


def _rows(transfer: ClueTransfer, users: Iterable[User], key: str, subject: str, body: str,
          now: datetime.datetime) -> list[OutboxRow]:  # fmt: skip
    return personal_rows(
        users, subject=subject, body=body, link=link(transfer), dedup_key=f"clue_transfer:{transfer.pk}:{key}", now=now
    )


def _state_change(before: str, transfer: ClueTransfer) -> dict[str, list[str]]:
    return {"状态": [str(TransferState(before).label), transfer.get_state_display()]}


@transaction.atomic
def propose(
    review: LossReview, *, clue: str, facts: str, by: User, now: datetime.datetime | None = None
) -> ClueTransfer:
    """提出移送 (县级初审): a candidate review of the proposer's county or prefecture becomes a transfer."""
    review = LossReview.objects.select_related("case__region", "case__county").get(pk=review.pk)
    _require(is_proposer(by, review), "移送线索由案件所在县(市、区)或州(市)的依法治办提出")
    if clue not in ClueKind.values:
        raise TransferError("请选择问题线索（不作为或乱作为）")
    facts = _text(facts, "请填写线索事实")
    if review.state != LossReviewState.CLOSED or not any(c in CLUE_CAUSES for c in review.causes):
        raise TransferError("只有已办结且败诉原因为不履行法定职责或超越职权/滥用职权的事项可以提出移送")
    if ClueTransfer.objects.filter(review=review).exists():
        raise TransferError(f"{review.case.number}已提出移送，不能重复提出")
    county = review.case.county
    prefecture = prefecture_of(county)
    if prefecture is None:
        raise TransferError("该案件所在地区不属于任何州(市)，无法复核移送")
    now = now or timezone.now()
    assert review.closed_at is not None
    try:
        with transaction.atomic():
            transfer = ClueTransfer.objects.create(
                review=review,
                year=timezone.localtime(review.closed_at).year,
                county=county,
                prefecture=prefecture,
                clue=clue,
                facts=facts,
                proposed_at=now,
                proposed_by=by,
            )
    except IntegrityError:  # proposed at the same moment by a colleague
        raise TransferError(f"{review.case.number}已提出移送，不能重复提出") from None
    record_event(
        transfer,
        by=by,
        action="proposed",
        summary=f"提出移送纪委监委（{transfer.get_clue_display()}），县级初审",
    )
    body = f"{review.case.number}的{transfer.get_clue_display()}线索已提出移送，请完成县级初审后报州级复核。"
    others = [u for u in office_users(county) if u.pk != by.pk]
    put(_rows(transfer, others, "proposed", "【移送纪委】请完成县级初审", body, now))
    return transfer


@transaction.atomic
def submit(transfer: ClueTransfer, *, by: User, now: datetime.datetime | None = None) -> ClueTransfer:
    """报州级复核: the county's initial review is done; the prefecture's 依法治办 reviews it."""
    _require(is_proposer(by, transfer), "移送线索由案件所在县(市、区)或州(市)的依法治办报送复核")
    transfer = _locked(transfer, [TransferState.COUNTY], "报送复核")
    now = now or timezone.now()
    transfer.state = TransferState.PREFECTURE
    transfer.submitted_at, transfer.submitted_by = now, by
    transfer.save()
    record_event(
        transfer, by=by, action="submitted", summary="县级初审完成，报州级复核",
        changes=_state_change(TransferState.COUNTY, transfer),
    )  # fmt: skip
    body = f"{transfer.county}报送{transfer.review.case.number}的{transfer.get_clue_display()}线索，请复核是否移送纪委监委。"
    put(_rows(transfer, office_users(transfer.prefecture), "submitted", "【移送纪委】请复核移送线索", body, now))
    return transfer


@transaction.atomic
def transfer_clue(
    transfer: ClueTransfer, *, on: datetime.date, number: str, by: User, now: datetime.datetime | None = None
) -> ClueTransfer:
    """州级复核同意并移送: the transfer record (date, 文号) to the prefecture's 纪委监委; its liaisons are told."""
    _require(is_prefecture_office(by, transfer), "移送线索由州(市)依法治办复核并移送")
    number = _text(number, "请填写移送文号")
    now = now or timezone.now()
    if on > timezone.localtime(now).date():
        raise TransferError("移送日期不能晚于今天")
    transfer = _locked(transfer, [TransferState.PREFECTURE], "移送")
    discipline = discipline_of(transfer.prefecture)
    if discipline is None:
        raise TransferError(f"{transfer.prefecture}尚未登记纪委监委单位，请联系系统管理员")
    transfer.state = TransferState.TRANSFERRED
    transfer.reviewed_at, transfer.reviewed_by = now, by
    transfer.transferred_on, transfer.transfer_number, transfer.discipline = on, number, discipline
    transfer.save()
    record_event(
        transfer, by=by, action="transferred", summary=f"州级复核同意，移送{discipline}（{number}）",
        changes=_state_change(TransferState.PREFECTURE, transfer),
    )  # fmt: skip
    body = f"{transfer.prefecture}依法治办移送{transfer.review.case.number}的{transfer.get_clue_display()}问题线索（{number}），请签收。"
    put(_rows(transfer, liaisons(discipline.pk, Role.DISCIPLINE_LIAISON), "transferred", "【移送纪委】请签收问题线索",
              body, now))  # fmt: skip
    return transfer


@transaction.atomic
def reject(transfer: ClueTransfer, *, reason: str, by: User, now: datetime.datetime | None = None) -> ClueTransfer:
    """州级复核不予移送, with the reason; the county's 依法治办 is told."""
    _require(is_prefecture_office(by, transfer), "移送线索由州(市)依法治办复核")
    reason = _text(reason, "请填写不予移送的理由")
    transfer = _locked(transfer, [TransferState.PREFECTURE], "复核")
    now = now or timezone.now()
    transfer.state = TransferState.REJECTED
    transfer.reviewed_at, transfer.reviewed_by, transfer.reject_reason = now, by, reason
    transfer.save()
    record_event(
        transfer, by=by, action="rejected", summary=f"州级复核不予移送：{reason}",
        changes=_state_change(TransferState.PREFECTURE, transfer),
    )  # fmt: skip
    body = f"{transfer.review.case.number}的移送线索经州级复核不予移送。理由：{reason}"
    put(_rows(transfer, office_users(transfer.county), "rejected", "【移送纪委】复核不予移送", body, now))
    return transfer


@transaction.atomic
def acknowledge(transfer: ClueTransfer, *, by: User, now: datetime.datetime | None = None) -> ClueTransfer:
    """签收: the 纪委监委's liaison acknowledges the clue; the prefecture's 依法治办 is told."""
    _require(is_liaison(by, transfer), "移送线索由接收的纪委监委联络员签收")
    transfer = _locked(transfer, [TransferState.TRANSFERRED], "签收")
    now = now or timezone.now()
    transfer.state = TransferState.ACKNOWLEDGED
    transfer.acknowledged_at, transfer.acknowledged_by = now, by
    transfer.save()
    record_event(
        transfer, by=by, action="acknowledged", summary=f"{transfer.discipline}签收",
        changes=_state_change(TransferState.TRANSFERRED, transfer),
    )  # fmt: skip
    body = f"{transfer.discipline}已签收{transfer.review.case.number}的问题线索（{transfer.transfer_number}）。"
    put(_rows(transfer, office_users(transfer.prefecture), "acknowledged", "【移送纪委】线索已签收", body, now))
    return transfer


@transaction.atomic
def answer(transfer: ClueTransfer, *, result: str, by: User, now: datetime.datetime | None = None) -> ClueTransfer:
    """反馈: the liaison reports the result; the prefecture's and the county's 依法治办 are told."""
    _require(is_liaison(by, transfer), "处理结果由接收的纪委监委联络员反馈")
    result = _text(result, "请填写处理结果")
    transfer = _locked(transfer, [TransferState.ACKNOWLEDGED], "反馈处理结果")
    now = now or timezone.now()
    transfer.state = TransferState.ANSWERED
    transfer.result, transfer.answered_at, transfer.answered_by = result, now, by
    transfer.save()
    record_event(
        transfer, by=by, action="answered", summary=f"反馈处理结果：{result}",
        changes=_state_change(TransferState.ACKNOWLEDGED, transfer),
    )  # fmt: skip
    body = f"{transfer.discipline}反馈{transfer.review.case.number}问题线索的处理结果：{result}"
    users = {u.pk: u for u in office_users(transfer.prefecture) + office_users(transfer.county)}
    put(_rows(transfer, users.values(), "answered", "【移送纪委】处理结果已反馈", body, now))
    return transfer
