"""Major administrative decisions (重大行政决策, SPEC §6.6, 重大行政决策程序暂行条例 国务院令第713号) as transitions.

Each function checks the actor's right (``PermissionDenied``), checks that what must come before is there
(``DecisionError`` naming what is missing, in Chinese; a refused transition writes nothing), changes the record and
writes its Event on the record's timeline, in one transaction::

    catalogue: create_catalogue → add_catalogue_item … → approve_catalogue → publish_catalogue → adjust_catalogue …
    decision:  start_decision (drafting)
      ─open_public_comment─▶ public_participation: submit_comment (public) · answer_comment · record_hearing
      ─publish_answers─▶ expert_argument: add_expert (interested experts refused) · record_expert_opinion
      ─finish_expert_argument─▶ risk_assessment ─record_risk_assessment─▶ legality_review
      ─send_for_legality_review · record_legality_review (· mark_changes_made)─▶ collective_discussion
      ─record_collective_discussion─▶ decided ─publish_decision─▶ published ─start_execution─▶ executing
      ─start_post_evaluation─▶ post_evaluation ─finish_post_evaluation─▶ evaluated (or executing again)
      ─archive_decision─▶ archived (the whole record as one zip with its 卷宗目录)

Periods come from ``deadlines.rules`` (``decision.public_comment``, ``decision.legality_review``), never typed here.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from fuyuan.cases import queries as case_queries
from fuyuan.cases.models import Case
from fuyuan.core.models import Organisation, OrganisationKind, Region, User
from fuyuan.core.queries import work_calendar
from fuyuan.core.timeline import Actor, record_event
from fuyuan.core.uploads import check_upload
from fuyuan.deadlines.rules import compute_due
from fuyuan.decisions.choices import (
    STAGE_ORDER,
    Answer,
    CatalogueState,
    Conclusion,
    DocumentStep,
    MeetingKind,
    Stage,
    Trigger,
)
from fuyuan.decisions.models import (
    AdjustmentKind,
    CaseLink,
    Catalogue,
    CatalogueAdjustment,
    CatalogueItem,
    Comment,
    Decision,
    DecisionHearing,
    ExpertReview,
    PostEvaluation,
    StepDocument,
)
from fuyuan.decisions.queries import (
    is_government_office,
    is_owner,
    is_reviewer,
    matters_visible_to,
    may_link,
    visible_to,
)
from fuyuan.decisions.reminders import COMMENT, REVIEW, keep_period, settle_period
from fuyuan.disputes.models import Coordinator
from fuyuan.legalreview.models import LegalMatter

# The member of the public commenting on a draft has no account.
PUBLIC = Actor(label="社会公众（网上征求意见）")
# 条例 第17条: 听证会材料应当于召开听证会7日前送达听证参加人.
HEARING_NOTICE_DAYS = 7


class DecisionError(Exception):
    """A refused step, with the reason in Chinese naming what is missing."""


# ---------------------------------------------------------------------------------------------------------------
# Helpers


def _today() -> datetime.date:
    return timezone.localdate()


def _due(rule_id: str, start: datetime.date) -> datetime.date:
    return compute_due(rule_id, start, work_calendar()).due


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _text(value: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DecisionError(f"请填写{field}")
    return value


def _not_future(day: datetime.date, what: str) -> None:
    if day > _today():
        raise DecisionError(f"{what}不能晚于今天")


def _locked(decision: Decision) -> Decision:
    return Decision.objects.select_for_update().select_related("region", "owner").get(pk=decision.pk)


def _save(decision: Decision) -> None:
    decision.version = F("version") + 1
    decision.save()
    decision.refresh_from_db()


def _past(decision: Decision, stage: str) -> bool:
    return STAGE_ORDER.index(decision.stage) > STAGE_ORDER.index(stage)


def _in_stage(decision: Decision, stage: str, missing: str) -> None:
    """Refuse unless the decision is at ``stage``; ``missing`` says what has to come first."""
    if decision.stage == stage:
        return
    if STAGE_ORDER.index(decision.stage) < STAGE_ORDER.index(stage):
        raise DecisionError(missing)
    raise DecisionError(f"决策已处于“{decision.get_stage_display()}”环节，不能再办理“{Stage(stage).label}”环节的事项")


def _owner(user: User, decision: Decision, action: str) -> None:
    _require(is_owner(user, decision), f"只有决策承办单位可以{action}")


# ---------------------------------------------------------------------------------------------------------------
# 目录管理 (条例 第10条)


def _office(user: User, region: Region, action: str) -> None:
    _require(is_government_office(user, region.pk), f"只有本级依法治办（代行政府办公室职责）可以{action}")


@transaction.atomic
def create_catalogue(region: Region, year: int, *, by: User) -> Catalogue:
    _office(by, region, "编制决策事项目录")
    if Catalogue.objects.filter(region=region, year=year).exists():
        raise DecisionError(f"{region}{year}年度的决策事项目录已经存在")
    catalogue = Catalogue.objects.create(region=region, year=year)
    record_event(catalogue, by=by, action="catalogue_created", summary=f"编制{year}年度重大行政决策事项目录")
    return catalogue


def _check_item(title: str, owner: Organisation, start: datetime.date, end: datetime.date, catalogue: Catalogue) -> str:
    title = _text(title, "决策事项")
    if end < start:
        raise DecisionError("计划完成日期不能早于计划启动日期")
    if owner.kind != OrganisationKind.AGENCY:
        raise DecisionError(f"决策承办单位应当是行政机关，“{owner}”不是")
    if not owner.region.path.startswith(catalogue.region.path):
        raise DecisionError(f"决策承办单位“{owner}”不在{catalogue.region}范围内")
    return title


@transaction.atomic
def add_catalogue_item(
    catalogue: Catalogue,
    *,
    title: str,
    owner: Organisation,
    planned_start: datetime.date,
    planned_end: datetime.date,
    by: User,
) -> CatalogueItem:
    """An item of a catalogue still being drawn up (a published one changes only by ``adjust_catalogue``)."""
    _office(by, catalogue.region, "编制决策事项目录")
    if catalogue.state != CatalogueState.DRAFT:
        raise DecisionError("目录已经同意或公布，增加事项请通过“目录调整”并写明理由")
    title = _check_item(title, owner, planned_start, planned_end, catalogue)
    item = CatalogueItem.objects.create(
        catalogue=catalogue, title=title, owner=owner, planned_start=planned_start, planned_end=planned_end
    )
    record_event(catalogue, by=by, action="catalogue_item_added", summary=f"列入事项：{title}（承办单位：{owner}）")
    return item


@transaction.atomic
def approve_catalogue(catalogue: Catalogue, *, approved_on: datetime.date, basis: str, by: User) -> Catalogue:
    """条例 第10条: the catalogue is published after the Party committee of the same level agrees."""
    _office(by, catalogue.region, "报批决策事项目录")
    if catalogue.state != CatalogueState.DRAFT:
        raise DecisionError("目录已经同意，无需再次报批")
    if not catalogue.items.exists():
        raise DecisionError("目录还没有列入任何决策事项")
    _not_future(approved_on, "同意日期")
    catalogue.approval_basis = _text(basis, "同意依据（如：经县委常委会同意）")
    catalogue.approved_on = approved_on
    catalogue.state = CatalogueState.APPROVED
    catalogue.save()
    record_event(catalogue, by=by, action="catalogue_approved", summary=f"目录{catalogue.approval_basis}")
    return catalogue


@transaction.atomic
def publish_catalogue(catalogue: Catalogue, *, published_on: datetime.date, by: User) -> Catalogue:
    _office(by, catalogue.region, "公布决策事项目录")
    if catalogue.state != CatalogueState.APPROVED:
        raise DecisionError("目录须经同级党委同意后才能向社会公布（条例第10条），请先登记同意情况")
    _not_future(published_on, "公布日期")
    catalogue.published_on = published_on
    catalogue.state = CatalogueState.PUBLISHED
    catalogue.save()
    record_event(catalogue, by=by, action="catalogue_published", summary="目录已向社会公布")
    return catalogue


@transaction.atomic
def adjust_catalogue(
    catalogue: Catalogue,
    *,
    reason: str,
    by: User,
    withdraw: CatalogueItem | None = None,
    add: dict[str, Any] | None = None,
) -> CatalogueAdjustment:
    """条例 第10条: a published catalogue is adjusted as things change, the reason kept with the change; an item
    taken out stays on record, marked withdrawn."""
    _office(by, catalogue.region, "调整决策事项目录")
    if catalogue.state != CatalogueState.PUBLISHED:
        raise DecisionError("目录尚未公布，可以直接修改事项，无需调整")
    reason = _text(reason, "调整理由")
    if (withdraw is None) == (add is None):
        raise DecisionError("请选择调入一个事项或者调出一个事项")
    if withdraw is not None:
        if withdraw.catalogue_id != catalogue.pk or withdraw.withdrawn:
            raise DecisionError("所选事项不在目录中")
        if Decision.objects.filter(item=withdraw, stage__in=[Stage.DECIDED, Stage.PUBLISHED, Stage.EXECUTING]).exists():
            raise DecisionError("该事项已经作出决策，不能调出目录")
        withdraw.withdrawn = True
        withdraw.save()
        item, kind = withdraw, AdjustmentKind.WITHDRAWN
    else:
        assert add is not None
        title = _check_item(add["title"], add["owner"], add["planned_start"], add["planned_end"], catalogue)
        item = CatalogueItem.objects.create(catalogue=catalogue, **{**add, "title": title})
        kind = AdjustmentKind.ADDED
    adjustment = CatalogueAdjustment.objects.create(
        catalogue=catalogue, item=item, kind=kind, reason=reason, adjusted_on=_today(), adjusted_by=by
    )
    record_event(
        catalogue, by=by, action="catalogue_adjusted", summary=f"目录调整：{kind.label}“{item.title}”，理由：{reason}"
    )
    return adjustment


# ---------------------------------------------------------------------------------------------------------------
# 决策启动


@transaction.atomic
def start_decision(item: CatalogueItem, *, draft: str, by: User) -> Decision:
    """The 承办单位 starts the procedure of an item of a published catalogue with its draft."""
    catalogue = item.catalogue
    _require(is_owner(by, Decision(owner_id=item.owner_id)), "只有决策承办单位可以启动决策程序")
    if catalogue.state != CatalogueState.PUBLISHED:
        raise DecisionError("决策事项目录尚未公布，不能启动决策程序")
    if item.withdrawn:
        raise DecisionError("该事项已调出目录")
    if Decision.objects.filter(item=item).exists():
        raise DecisionError("该事项已经启动决策程序")
    decision = Decision.objects.create(
        item=item, region=catalogue.region, owner=item.owner, title=item.title, draft=_text(draft, "决策草案")
    )
    record_event(decision, by=by, action="decision_started", summary=f"启动决策程序，承办单位：{item.owner}")
    return decision


# ---------------------------------------------------------------------------------------------------------------
# 公众参与 (条例 第14条至第18条)


def comment_min_until(comment_from: datetime.date) -> datetime.date:
    """条例 第15条: the draft is open for comment for 30 days at least (``decision.public_comment``)."""
    return _due("decision.public_comment", comment_from)


@transaction.atomic
def open_public_comment(
    decision: Decision, *, comment_from: datetime.date, comment_until: datetime.date, short_reason: str = "", by: User
) -> Decision:
    """The draft published for comment. 条例 第15条: not less than 30 days, shorter only when the reason (such as an
    emergency) is stated when the draft is published."""
    decision = _locked(decision)
    _owner(by, decision, "公开征求意见")
    _in_stage(decision, Stage.DRAFTING, "")
    if comment_until < comment_from:
        raise DecisionError("征求意见截止日期不能早于开始日期")
    minimum = comment_min_until(comment_from)
    short_reason = short_reason.strip()
    if comment_until < minimum and not short_reason:
        days = (comment_until - comment_from).days
        raise DecisionError(
            f"征求意见期限只有{days}日，不足30日（条例第15条，应至少至{minimum.isoformat()}）；"
            "确需缩短的，请写明缩短期限的理由"
        )
    decision.comment_from, decision.comment_until, decision.comment_min_until = comment_from, comment_until, minimum
    decision.comment_short_reason = short_reason if comment_until < minimum else ""
    decision.stage = Stage.PUBLIC_PARTICIPATION
    _save(decision)
    keep_period(decision, COMMENT, comment_until)
    summary = f"公开征求意见：{comment_from.isoformat()} 至 {comment_until.isoformat()}"
    if decision.comment_short_reason:
        summary += f"（缩短期限，理由：{decision.comment_short_reason}）"
    record_event(decision, by=by, action="comment_opened", summary=summary)
    return decision


def comment_open(decision: Decision, today: datetime.date | None = None) -> bool:
    today = today or _today()
    return (
        decision.stage == Stage.PUBLIC_PARTICIPATION
        and decision.comment_from is not None
        and decision.comment_until is not None
        and decision.comment_from <= today <= decision.comment_until
    )


@transaction.atomic
def submit_comment(decision: Decision, *, content: str, author: str = "") -> Comment:
    """A comment from anyone, without an account, while the draft is open for comment."""
    if not comment_open(decision):
        raise DecisionError("该决策草案不在征求意见期间，不能提出意见")
    comment = Comment.objects.create(
        decision=decision,
        author=author.strip()[:100],
        content=_text(content, "意见内容")[:5000],
        received_at=timezone.now(),
    )
    record_event(decision, by=PUBLIC, action="comment_received", summary="收到一条公众意见")
    return comment


@transaction.atomic
def answer_comment(comment: Comment, *, answer: str, reason: str, by: User) -> Comment:
    """Each comment answered, adopted or not, with the reason (no "只征不用")."""
    decision = _locked(comment.decision)
    _owner(by, decision, "答复公众意见")
    _in_stage(decision, Stage.PUBLIC_PARTICIPATION, "尚未公开征求意见")
    if decision.answers_published_on is not None:
        raise DecisionError("意见采纳情况已经公布，不能再修改答复")
    if answer not in Answer.values:
        raise DecisionError("请选择采纳或者不采纳")
    comment.answer, comment.answer_reason, comment.answered_on = answer, _text(reason, "采纳或不采纳的理由"), _today()
    comment.save()
    record_event(
        decision,
        by=by,
        action="comment_answered",
        summary=f"答复公众意见“{comment.content[:20]}”：{Answer(answer).label}",
    )
    return comment


@transaction.atomic
def record_hearing(
    decision: Decision,
    *,
    held_on: datetime.date,
    material_sent_on: datetime.date,
    participants: str,
    record: str = "",
    by: User,
) -> DecisionHearing:
    """A 听证会 (条例 第16条); 第17条: its material reaches the participants 7 days before it is held."""
    decision = _locked(decision)
    _owner(by, decision, "登记听证")
    _in_stage(decision, Stage.PUBLIC_PARTICIPATION, "尚未公开征求意见，不能登记听证")
    latest = held_on - datetime.timedelta(days=HEARING_NOTICE_DAYS)
    if material_sent_on > latest:
        raise DecisionError(
            f"听证会材料应当于召开听证会7日前送达听证参加人（条例第17条），"
            f"{held_on.isoformat()}的听证会，材料最迟应于{latest.isoformat()}送达"
        )
    hearing = DecisionHearing.objects.create(
        decision=decision,
        held_on=held_on,
        material_sent_on=material_sent_on,
        participants=_text(participants, "听证参加人"),
        record=record.strip(),
    )
    record_event(decision, by=by, action="hearing_recorded", summary=f"登记听证会：{held_on.isoformat()}")
    return hearing


@transaction.atomic
def publish_answers(decision: Decision, *, by: User) -> Decision:
    """The answers published, once the period is over and every comment is answered; 公众参与 ends."""
    decision = _locked(decision)
    _owner(by, decision, "公布意见采纳情况")
    _in_stage(decision, Stage.PUBLIC_PARTICIPATION, "尚未公开征求意见")
    assert decision.comment_until is not None
    if _today() <= decision.comment_until:
        raise DecisionError(f"征求意见期限至{decision.comment_until.isoformat()}才届满，期满后才能公布采纳情况")
    unanswered = decision.comments.filter(answer="").count()
    if unanswered:
        raise DecisionError(f"还有{unanswered}条公众意见没有答复（采纳或不采纳及理由）")
    decision.answers_published_on = _today()
    decision.stage = Stage.EXPERT_ARGUMENT
    _save(decision)
    settle_period(decision, COMMENT)
    record_event(
        decision, by=by, action="answers_published", summary=f"公布公众意见采纳情况（{decision.comments.count()}条）"
    )
    return decision


# ---------------------------------------------------------------------------------------------------------------
# 专家论证 (条例 第19条至第21条)


def interest_of(expert: Coordinator, decision: Decision) -> str:
    """Why ``expert`` may not argue ``decision`` (a conflict declared in the pool against its 承办单位), or ""."""
    conflict = expert.conflicts.in_force().filter(organisation_id=decision.owner_id).first()
    return f"{expert.name}已申报与{decision.owner}存在利益冲突（{conflict.reason}），应当回避" if conflict else ""


@transaction.atomic
def add_expert(decision: Decision, expert: Coordinator, *, by: User) -> ExpertReview:
    """An expert of the pool invited to argue the draft; an interested one (a conflict declared against the
    承办单位 in the coordinator pool, ``disputes.Conflict``) is refused."""
    decision = _locked(decision)
    _owner(by, decision, "组织专家论证")
    _in_stage(decision, Stage.EXPERT_ARGUMENT, "公众参与尚未完成（公众意见采纳情况未公布），不能组织专家论证")
    if not expert.active:
        raise DecisionError(f"{expert.name}已不在专家库中")
    if reason := interest_of(expert, decision):
        raise DecisionError(reason)
    if decision.experts.filter(expert=expert).exists():
        raise DecisionError(f"{expert.name}已经在论证专家之列")
    review = ExpertReview.objects.create(decision=decision, expert=expert)
    record_event(decision, by=by, action="expert_added", summary=f"邀请专家论证：{expert.name}")
    return review


@transaction.atomic
def record_expert_opinion(
    review: ExpertReview, *, opinion: str, signed_by: str, signed_on: datetime.date, by: User
) -> ExpertReview:
    """The expert's written opinion, signed (条例 第20条)."""
    decision = _locked(review.decision)
    _owner(by, decision, "登记专家论证意见")
    _in_stage(decision, Stage.EXPERT_ARGUMENT, "尚未进入专家论证环节")
    review.opinion = _text(opinion, "书面论证意见")
    signed_by = _text(signed_by, "专家署名")
    if signed_by != review.expert.name:
        raise DecisionError(f"书面论证意见应当由{review.expert.name}本人署名")
    _not_future(signed_on, "署名日期")
    review.signed_by, review.signed_on = signed_by, signed_on
    review.save()
    record_event(decision, by=by, action="expert_opinion", summary=f"登记{review.expert.name}的书面论证意见")
    return review


@transaction.atomic
def finish_expert_argument(decision: Decision, *, by: User) -> Decision:
    decision = _locked(decision)
    _owner(by, decision, "完成专家论证")
    _in_stage(decision, Stage.EXPERT_ARGUMENT, "公众参与尚未完成，不能进行专家论证")
    if not decision.experts.exists():
        raise DecisionError("还没有邀请论证专家")
    unsigned = [r.expert.name for r in decision.experts.select_related("expert") if not r.signed_on]
    if unsigned:
        raise DecisionError(f"以下专家的书面论证意见尚未提交或未署名：{'、'.join(unsigned)}")
    decision.experts_done_on = _today()
    decision.stage = Stage.RISK_ASSESSMENT
    _save(decision)
    record_event(decision, by=by, action="experts_done", summary="专家论证完成")
    return decision


# ---------------------------------------------------------------------------------------------------------------
# 风险评估 (条例 第22条至第24条)


@transaction.atomic
def record_risk_assessment(
    decision: Decision,
    *,
    points: Sequence[tuple[str, str]],
    plan: str,
    controllable: bool,
    assessor: Organisation | None = None,
    by: User,
) -> Decision:
    """The risk points with their measures, the 处置预案, and whether the risk is controllable. 条例 第24条: a risk
    found not controllable must be made controllable (the draft adjusted) before the decision is taken; the
    collective discussion refuses until then."""
    decision = _locked(decision)
    _owner(by, decision, "登记风险评估")
    _in_stage(decision, Stage.RISK_ASSESSMENT, "专家论证尚未完成，不能进行风险评估")
    rows = [{"point": p.strip(), "measure": m.strip()} for p, m in points if p.strip() or m.strip()]
    if not rows:
        raise DecisionError("请至少填写一个风险点及其防范措施")
    for n, row in enumerate(rows, start=1):
        if not row["point"] or not row["measure"]:
            raise DecisionError(f"第{n}个风险点的“风险点”和“防范措施”都要填写")
    decision.risk_points = rows
    decision.risk_plan = _text(plan, "风险处置预案")
    decision.risk_controllable = controllable
    decision.risk_assessor = assessor or decision.owner
    decision.risk_assessed_on = _today()
    decision.stage = Stage.LEGALITY_REVIEW
    _save(decision)
    record_event(
        decision,
        by=by,
        action="risk_assessed",
        summary=f"风险评估完成：{len(rows)}个风险点，{'风险可控' if controllable else '风险不可控'}",
    )
    return decision


# ---------------------------------------------------------------------------------------------------------------
# 合法性审查 (条例 第25条至第28条)


def review_min_until(sent_on: datetime.date) -> datetime.date:
    """条例 第27条: the review body is given the time it needs, as a rule not less than 7 working days
    (``decision.legality_review``, on the working-day calendar, holidays not counted)."""
    return _due("decision.legality_review", sent_on)


def justice_bureau_of(region: Region) -> Organisation | None:
    return Organisation.objects.filter(region=region, kind=OrganisationKind.JUSTICE_BUREAU).order_by("id").first()


@transaction.atomic
def send_for_legality_review(
    decision: Decision, *, sent_on: datetime.date, review_until: datetime.date, by: User
) -> Decision:
    decision = _locked(decision)
    _owner(by, decision, "送请合法性审查")
    _in_stage(decision, Stage.LEGALITY_REVIEW, "风险评估尚未完成，不能送请合法性审查")
    if decision.review_sent_on is not None:
        raise DecisionError("已经送请合法性审查")
    body = justice_bureau_of(decision.region)
    if body is None:
        raise DecisionError(f"{decision.region}没有登记司法局，无法送请合法性审查")
    _not_future(sent_on, "送审日期")
    minimum = review_min_until(sent_on)
    if review_until < minimum:
        raise DecisionError(
            f"合法性审查时间不足7个工作日（条例第27条）：{sent_on.isoformat()}送审，"
            f"审查期限最早应为{minimum.isoformat()}（节假日不计）"
        )
    decision.review_body = body
    decision.review_sent_on, decision.review_until, decision.review_min_until = sent_on, review_until, minimum
    _save(decision)
    keep_period(decision, REVIEW, review_until)
    record_event(
        decision,
        by=by,
        action="review_requested",
        summary=f"送请{body}合法性审查，审查期限至{review_until.isoformat()}",
    )
    return decision


@transaction.atomic
def record_legality_review(
    decision: Decision,
    *,
    conclusion: str,
    opinion: str,
    adviser_name: str,
    adviser_opinion: str,
    changes: str = "",
    by: User,
) -> Decision:
    """The review body's opinion. 条例 第28条: the review organises legal advisers or 公职律师 to give legal
    opinions, so one is attached; a conclusion of 修改后合法 names the changes to make."""
    decision = _locked(decision)
    _require(is_reviewer(by, decision), "只有负责合法性审查的司法局可以出具合法性审查意见")
    _in_stage(decision, Stage.LEGALITY_REVIEW, "风险评估尚未完成，决策草案尚未送请合法性审查")
    if decision.review_sent_on is None:
        raise DecisionError("决策草案尚未送请合法性审查")
    if decision.review_conclusion:
        raise DecisionError("已经出具合法性审查意见")
    if conclusion not in Conclusion.values:
        raise DecisionError("请选择审查结论：合法、不合法或修改后合法")
    decision.adviser_name = _text(adviser_name, "提出法律意见的法律顾问或公职律师")
    decision.adviser_opinion = _text(adviser_opinion, "法律顾问或公职律师的法律意见")
    decision.review_opinion = _text(opinion, "合法性审查意见")
    decision.review_changes = changes.strip()
    if conclusion == Conclusion.LAWFUL_IF_CHANGED and not decision.review_changes:
        raise DecisionError("审查结论为修改后合法的，请写明需要修改的内容")
    decision.review_conclusion = conclusion
    decision.reviewed_on = _today()
    if conclusion != Conclusion.UNLAWFUL:
        decision.stage = Stage.COLLECTIVE_DISCUSSION
    _save(decision)
    settle_period(decision, REVIEW)
    record_event(decision, by=by, action="review_concluded", summary=f"合法性审查结论：{Conclusion(conclusion).label}")
    return decision


@transaction.atomic
def mark_changes_made(decision: Decision, *, note: str, by: User) -> Decision:
    """The 承办单位 changed the draft as the review asked (修改后合法)."""
    decision = _locked(decision)
    _owner(by, decision, "登记按审查意见修改的情况")
    if decision.review_conclusion != Conclusion.LAWFUL_IF_CHANGED:
        raise DecisionError("合法性审查结论不是“修改后合法”，无需登记修改情况")
    if decision.changes_made_on is not None:
        raise DecisionError("已经登记过修改情况")
    decision.changes_note = _text(note, "修改情况说明")
    decision.changes_made_on = _today()
    _save(decision)
    record_event(decision, by=by, action="review_changes_made", summary="已按合法性审查意见修改决策草案")
    return decision


# ---------------------------------------------------------------------------------------------------------------
# 集体讨论决定 (条例 第30条)


def discussion_blocker(decision: Decision) -> str:
    """Why the draft may not go to the collective discussion yet ("" when it may). 条例 第25条: a draft not reviewed,
    or reviewed and found unlawful, may not be discussed; 第24条: an uncontrollable risk is made controllable first."""
    if not decision.review_conclusion:
        return "决策草案未经合法性审查，不得提交决策机关讨论（条例第25条）"
    if decision.review_conclusion == Conclusion.UNLAWFUL:
        return "合法性审查结论为不合法，不得提交决策机关讨论（条例第25条）"
    if decision.review_conclusion == Conclusion.LAWFUL_IF_CHANGED and decision.changes_made_on is None:
        return "合法性审查结论为修改后合法，决策承办单位尚未登记按审查意见修改的情况"
    if decision.risk_controllable is False:
        return "风险评估认为风险不可控，须调整决策草案等确保风险可控后才能作出决策（条例第24条）"
    return ""


@transaction.atomic
def record_collective_discussion(
    decision: Decision,
    *,
    meeting_kind: str,
    meeting_on: datetime.date,
    speeches: Sequence[dict[str, Any]],
    decided_text: str,
    head_reason: str = "",
    by: User,
) -> Decision:
    """条例 第30条: the draft is discussed at the 常务会议 or 全体会议; the members speak, the 行政首长 speaks last and
    decides; a decision differing from the majority is explained at the meeting. ``speeches``: in order, each
    ``{"speaker", "content", "is_head", "dissent"}``."""
    decision = _locked(decision)
    _require(is_government_office(by, decision.region_id), "只有本级依法治办（代行政府办公室职责）可以登记集体讨论决定")
    if reason := discussion_blocker(decision):
        raise DecisionError(reason)
    _in_stage(decision, Stage.COLLECTIVE_DISCUSSION, "尚未完成合法性审查")
    if meeting_kind not in MeetingKind.values:
        raise DecisionError("请选择常务会议或者全体会议")
    _not_future(meeting_on, "会议日期")
    rows = [
        {
            "speaker": str(s.get("speaker", "")).strip(),
            "content": str(s.get("content", "")).strip(),
            "is_head": bool(s.get("is_head")),
            "dissent": bool(s.get("dissent")),
        }
        for s in speeches
        if str(s.get("speaker", "")).strip() or str(s.get("content", "")).strip()
    ]
    if len(rows) < 2:
        raise DecisionError("请登记会议组成人员的发言和行政首长的发言")
    for n, row in enumerate(rows, start=1):
        if not row["speaker"] or not row["content"]:
            raise DecisionError(f"第{n}个发言的发言人和发言内容都要填写")
    heads = [n for n, row in enumerate(rows) if row["is_head"]]
    if len(heads) != 1:
        raise DecisionError("请标明一位行政首长的发言")
    if heads[0] != len(rows) - 1:
        raise DecisionError("行政首长应当最后发表意见（条例第30条）")
    members = rows[:-1]
    dissenting = sum(1 for row in members if row["dissent"])
    head_reason = head_reason.strip()
    if dissenting * 2 > len(members) and not head_reason:
        raise DecisionError("行政首长的决定与会议组成人员多数人的意见不一致，应当说明理由（条例第30条）")
    decision.meeting_kind, decision.meeting_on, decision.speeches = meeting_kind, meeting_on, rows
    decision.decided_text = _text(decided_text, "决定内容")
    decision.head_reason_for_differing = head_reason
    decision.stage = Stage.DECIDED
    _save(decision)
    record_event(
        decision,
        by=by,
        action="decided",
        summary=f"{MeetingKind(meeting_kind).label}集体讨论决定（{len(rows)}人发言，{dissenting}人持不同意见）",
    )
    return decision


# ---------------------------------------------------------------------------------------------------------------
# 公布、执行 (条例 第32条、第34条)


@transaction.atomic
def publish_decision(decision: Decision, *, published_on: datetime.date, adoption_note: str, by: User) -> Decision:
    """条例 第32条: the decision is published, saying how the public's comments and the experts' opinions were
    taken up."""
    decision = _locked(decision)
    _require(is_government_office(by, decision.region_id), "只有本级依法治办（代行政府办公室职责）可以公布决策")
    _in_stage(decision, Stage.DECIDED, "尚未经集体讨论作出决定，不能公布")
    _not_future(published_on, "公布日期")
    decision.adoption_note = _text(adoption_note, "公众意见、专家论证意见的采纳情况说明")
    decision.published_on = published_on
    decision.stage = Stage.PUBLISHED
    _save(decision)
    record_event(decision, by=by, action="published", summary=f"决策已公布（{published_on.isoformat()}）")
    return decision


@transaction.atomic
def start_execution(decision: Decision, *, executor: Organisation, starts_on: datetime.date, by: User) -> Decision:
    """条例 第34条: the 决策执行单位 named."""
    decision = _locked(decision)
    _require(is_government_office(by, decision.region_id), "只有本级依法治办（代行政府办公室职责）可以明确执行单位")
    _in_stage(decision, Stage.PUBLISHED, "决策尚未公布，不能执行")
    if starts_on < (decision.published_on or starts_on):
        raise DecisionError("开始执行日期不能早于公布日期")
    decision.executor, decision.execution_from = executor, starts_on
    decision.stage = Stage.EXECUTING
    _save(decision)
    record_event(decision, by=by, action="execution_started", summary=f"决策执行单位：{executor}")
    return decision


# ---------------------------------------------------------------------------------------------------------------
# 决策后评估 (条例 第36条)


def earlier_evaluators(decision: Decision) -> set[int]:
    """The units that bore the main argument and assessment before the decision (the risk assessor, the experts'
    organisations), which 条例 第36条 keeps from evaluating it afterwards."""
    units = set(decision.experts.values_list("expert__organisation_id", flat=True))
    if decision.risk_assessor_id:
        units.add(decision.risk_assessor_id)
    return units


@transaction.atomic
def start_post_evaluation(
    decision: Decision, *, trigger: str, evaluator: Organisation, note: str = "", by: User
) -> PostEvaluation:
    """决策后评估, started by one of the triggers of 条例 第36条第1款, by a unit other than the one that bore the main
    assessment before the decision (第36条第2款)."""
    decision = _locked(decision)
    _require(is_government_office(by, decision.region_id), "只有本级依法治办（代行政府办公室职责）可以组织决策后评估")
    if decision.stage != Stage.EVALUATED:  # a decision already evaluated may be evaluated again
        _in_stage(decision, Stage.EXECUTING, "决策尚未执行，不能进行决策后评估")
    if trigger not in Trigger.values:
        raise DecisionError("请选择启动决策后评估的情形")
    if evaluator.pk in earlier_evaluators(decision):
        raise DecisionError(f"{evaluator}在决策作出前承担了主要评估工作，不能承担决策后评估（条例第36条）")
    evaluation = PostEvaluation.objects.create(
        decision=decision, trigger=trigger, trigger_note=note.strip(), evaluator=evaluator, started_on=_today()
    )
    decision.stage = Stage.POST_EVALUATION
    _save(decision)
    record_event(
        decision,
        by=by,
        action="post_evaluation_started",
        summary=f"启动决策后评估（{Trigger(trigger).label}），评估单位：{evaluator}",
    )
    return evaluation


@transaction.atomic
def finish_post_evaluation(evaluation: PostEvaluation, *, conclusion: str, by: User) -> PostEvaluation:
    decision = _locked(evaluation.decision)
    _require(is_government_office(by, decision.region_id), "只有本级依法治办（代行政府办公室职责）可以登记评估结论")
    _in_stage(decision, Stage.POST_EVALUATION, "尚未启动决策后评估")
    evaluation.conclusion = _text(conclusion, "评估结论")
    evaluation.finished_on = _today()
    evaluation.save()
    decision.stage = Stage.EVALUATED
    _save(decision)
    record_event(decision, by=by, action="post_evaluation_finished", summary="决策后评估完成")
    return evaluation


# ---------------------------------------------------------------------------------------------------------------
# 归档 (条例 第33条: 决策过程记录和材料归档)


@transaction.atomic
def archive_decision(decision: Decision, *, by: User) -> bytes:
    """The whole record as one zip, its 卷宗目录 first (``reconsideration.archive``); the decision marked archived
    (the zip can be produced again at any time from the record)."""
    from fuyuan.decisions.documents import decision_archive

    decision = _locked(decision)
    _require(is_government_office(by, decision.region_id), "只有本级依法治办可以归档决策材料")
    if not _past(decision, Stage.PUBLISHED) and decision.stage != Stage.ARCHIVED:
        raise DecisionError("决策尚未公布执行，不能归档")
    if decision.stage != Stage.ARCHIVED:
        decision.archived_on = _today()
        decision.stage = Stage.ARCHIVED
        _save(decision)
        record_event(decision, by=by, action="archived", summary="决策全过程材料归档")
    return decision_archive(decision)


# ---------------------------------------------------------------------------------------------------------------
# 关联案件: a decision or a reviewed document later challenged in court or in reconsideration (issue 16 item 4)


def _source_kind(source: Decision | LegalMatter) -> str:
    return "一项重大行政决策" if isinstance(source, Decision) else f"一份经合法性审查的{source.get_kind_display()}"


def _source_label(source: Decision | LegalMatter) -> str:
    if isinstance(source, Decision):
        return f"重大行政决策《{source.title}》"
    return f"{source.get_kind_display()}《{source.title}》"


@transaction.atomic
def link_case(
    case: Case, *, decision: Decision | None = None, matter: LegalMatter | None = None, note: str = "", by: User
) -> CaseLink:
    """Record that ``case`` is about ``decision`` or ``matter`` (exactly one). Only a user who may link and sees both
    the case and the decision or document may; the Event goes on both timelines."""
    _require(may_link(by), "只有依法治办、行政机关联络员和司法局可以关联案件")
    if (decision is None) == (matter is None):
        raise DecisionError("请选择一项重大行政决策或一份经合法性审查的文件")
    _require(case_queries.visible_to(by).filter(pk=case.pk).exists(), "您无权查看该案件")
    source: Decision | LegalMatter
    if decision is not None:
        _require(visible_to(by).filter(pk=decision.pk).exists(), "您无权查看该决策")
        source = decision
        there = CaseLink.objects.filter(case=case, decision=decision)
    else:
        assert matter is not None
        _require(matters_visible_to(by).filter(pk=matter.pk).exists(), "您无权查看该文件")
        source = matter
        there = CaseLink.objects.filter(case=case, matter=matter)
    if there.exists():
        raise DecisionError(f"案件{case.number}已经关联{_source_label(source)}")
    note = (note or "").strip()
    if len(note) > 200:
        raise DecisionError("关联说明不能超过200字")
    link = CaseLink.objects.create(
        case=case, decision=decision, matter=matter, note=note, linked_by=by, linked_at=timezone.now()
    )
    record_event(case, by=by, action="source_linked", summary=f"关联{_source_kind(source)}")
    kind = "行政诉讼" if case.is_litigation else "行政复议"
    # Each timeline is read by people who may not see the other side (another county's office, the agency sued), so
    # neither summary names the other record; the link itself is shown, beside the timeline, only to those who see
    # both.
    record_event(source, by=by, action="case_linked", summary=f"关联一件{kind}案件", changes={"case_id": case.pk})
    return link


# ---------------------------------------------------------------------------------------------------------------
# 环节材料: each step's own documents, uploaded by who did the step, kept in the archive (条例 第33条)

DOCUMENT_TYPES = (".pdf", ".docx", ".doc", ".jpg", ".jpeg", ".png")
# Who uploads to which step: the one who acts in it.
DOCUMENT_OWNERS = {
    DocumentStep.PUBLIC: "owner",
    DocumentStep.EXPERTS: "owner",
    DocumentStep.RISK: "owner",
    DocumentStep.REVIEW: "reviewer",
    DocumentStep.DISCUSSION: "office",
    DocumentStep.PUBLICATION: "office",
    DocumentStep.EXECUTION: "office",
    DocumentStep.EVALUATION: "office",
}


def may_upload(user: User, decision: Decision, step: str) -> bool:
    who = DOCUMENT_OWNERS.get(DocumentStep(step)) if step in DocumentStep.values else None
    if who == "owner":
        return is_owner(user, decision)
    if who == "reviewer":
        return is_reviewer(user, decision)
    return who == "office" and is_government_office(user, decision.region_id)


@transaction.atomic
def attach_step_document(decision: Decision, *, step: str, title: str, upload: UploadedFile, by: User) -> StepDocument:
    """A document of ``step`` (PDF, Word or a scan), checked as every upload of the product is
    (``core.uploads.check_upload``), stored, and put in the archive's catalogue."""
    decision = _locked(decision)
    if step not in DocumentStep.values:
        raise DecisionError("请选择材料所属的环节")
    _require(may_upload(by, decision, step), f"您无权上传“{DocumentStep(step).label}”环节的材料")
    if decision.stage == Stage.ARCHIVED:
        raise DecisionError("决策材料已经归档，不能再上传")
    title = _text(title, "材料名称")[:100]
    check_upload(
        upload,
        accepted=DOCUMENT_TYPES,
        not_accepted="不是可以上传的材料格式，请上传 PDF、Word 或 JPG/PNG 扫描件",
        error=DecisionError,
    )
    document = StepDocument(
        decision=decision,
        step=step,
        title=title,
        file_name=(upload.name or "")[-255:],
        uploaded_by=by,
        uploaded_on=_today(),
    )
    document.file.save(upload.name or "document", upload, save=False)
    document.save()
    record_event(
        decision, by=by, action="document_uploaded", summary=f"上传“{DocumentStep(step).label}”环节材料：{title}"
    )
    return document
