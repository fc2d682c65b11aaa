"""四必治败诉 (黔西南州: 必通报、必倒查、必约谈、必追责; SPEC §6.3): the review of each first-instance loss.

A first-instance litigation case whose outcome is a loss (``cases.choices.loss_outcomes``) gets one ``LossReview``
(``open_loss_reviews``, run on ``cases_changed``), which then goes through four steps, each a function here that
checks the actor's right, the state, changes the review, marks its deadline met, opens the next one and writes the
Event and the notifications in one transaction:

1. 通报 — the 依法治办 of the case's county (or of the prefecture above it) records the bulletin (date, number, text);
2. 倒查 — the losing agency's liaison records the 一案一分析 (cause categories of SPEC §6.3, narrative, responsible
   persons, rectification measures: "谁败诉、谁分析");
3. 约谈 — the 依法治办 records the interview (the government leader who interviewed the agency head, when, what was
   concluded);
4. 追责 — the 依法治办 records the decision, or a reasoned "不予追责"; the review is closed.

The court liaison of the case's court adds its 点评 (程序/实体/出庭应诉) at any time before the review closes.

Each step is timed by a ``Deadline`` row of the case with the rule ``accountability.notice/analysis/interview/
decision`` (``deadlines.rules``: local defaults of the mechanism, working days), owned by the organisation that
must act: so the sweep reminds and marks them overdue like any other deadline.

A case whose outcome is corrected to one that is not a loss keeps its review, marked 已撤销 with an Event, and its
open deadline is cancelled: the record of what was done stays. If the outcome becomes a loss again, the review
resumes at the step where it stood (a re-imported ledger never opens a second review: the case is unique).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from fuyuan.accountability.models import STEP_RULES, LossCause, LossReview, LossReviewState
from fuyuan.cases.choices import CaseKind, Instance, loss_outcomes
from fuyuan.cases.models import Case
from fuyuan.core.models import Organisation, OrganisationKind, Region, Role, User
from fuyuan.core.queries import nearest_users, work_calendar
from fuyuan.core.timeline import Actor, PendingEvent, record_event, record_events
from fuyuan.deadlines.models import Deadline, DeadlineState
from fuyuan.deadlines.rules import compute_due
from fuyuan.deadlines.workflow import keep_obligations, state_of
from fuyuan.notifications.workflow import OutboxRow, personal_rows, put
from fuyuan.stats import counts as figure_counts

SYSTEM = Actor(label="系统（败诉自动启动）")
OPEN_STATES = (LossReviewState.NOTICE, LossReviewState.ANALYSIS, LossReviewState.INTERVIEW, LossReviewState.DECISION)


class LossReviewError(Exception):
    """A step that cannot be recorded, with the reason in Chinese for the person who tried."""


def link(review: LossReview) -> str:
    return reverse("accountability:loss_detail", args=[review.pk])


# What makes a case a reviewable loss (``is_reviewable_loss``): an edit of none of these fields opens, withdraws or
# resumes no review.
LOSS_FIELDS = frozenset({"kind", "instance", "outcome"})


def is_reviewable_loss(case: Case) -> bool:
    """A first-instance litigation case with a loss outcome (SPEC §4, §6.3)."""
    return case.kind == CaseKind.LITIGATION and case.instance == Instance.FIRST and case.outcome in loss_outcomes()


def _loss_filter() -> Q:
    return Q(kind=CaseKind.LITIGATION, instance=Instance.FIRST, outcome__in=loss_outcomes())


# ---------------------------------------------------------------------------------------------------------------
# Who acts


def office_of(region: Region) -> Organisation | None:
    """The 依法治办 organisation of the case's county, else of the nearest region above it (None if none)."""
    ids = [region.pk] + [r.pk for r in reversed(region.ancestors())]
    offices = {o.region_id: o for o in Organisation.objects.filter(kind=OrganisationKind.RULE_OF_LAW_OFFICE,
                                                                    region_id__in=ids).order_by("-name")}  # fmt: skip
    return next((offices[i] for i in ids if i in offices), None)


def office_users(region: Region) -> list[User]:
    """The 依法治办 staff who act on a loss of this county: the county's, else the nearest level above's."""
    return nearest_users(region, Role.RULE_OF_LAW_OFFICE)


def liaisons(org_id: int | None, role: str) -> list[User]:
    if org_id is None:
        return []
    return list(User.objects.filter(is_active=True, role=role, organisation_id=org_id).order_by("id"))


def is_office_of(user: User, review: LossReview) -> bool:
    """The 依法治办 of the case's region or of a region above it (通报、约谈、追责)."""
    region = user.scope_region
    return (
        user.is_active
        and user.role == Role.RULE_OF_LAW_OFFICE
        and region is not None
        and review.case.region.path.startswith(region.path)
    )


def is_agency_of(user: User, review: LossReview) -> bool:
    """The losing agency's liaison (倒查: 谁败诉、谁分析)."""
    return user.is_active and user.role == Role.AGENCY_LIAISON and user.organisation_id == review.agency_id


def is_court_of(user: User, review: LossReview) -> bool:
    """The court liaison of the case's court (点评)."""
    return (
        user.is_active
        and user.role == Role.COURT_LIAISON
        and review.court_id is not None
        and user.organisation_id == review.court_id
    )


def allowed_actions(user: User, review: LossReview) -> dict[str, bool]:
    """Which forms the review page offers this user now."""
    office, agency = is_office_of(user, review), is_agency_of(user, review)
    return {
        "notice": office and review.state == LossReviewState.NOTICE,
        "analysis": agency and review.state == LossReviewState.ANALYSIS,
        "interview": office and review.state == LossReviewState.INTERVIEW,
        "decision": office and review.state == LossReviewState.DECISION,
        "comment": is_court_of(user, review) and review.state in OPEN_STATES,
    }


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _in_state(review: LossReview, states: Sequence[str], action: str) -> None:
    if review.state not in states:
        raise LossReviewError(f"该败诉问责事项当前状态为“{review.get_state_display()}”，不能{action}")


def _locked(review: LossReview) -> LossReview:
    """Re-read the review under a row lock: two clicks on the same button record the step once."""
    return LossReview.objects.select_for_update().select_related("case__region", "case__county").get(pk=review.pk)


def _text(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise LossReviewError(message)
    return value


# ---------------------------------------------------------------------------------------------------------------
# Deadlines of the steps


def _owner_id(review: LossReview, rule_id: str, offices: dict[int, Organisation | None] | None = None) -> int:
    """倒查 is the agency's; 通报, 约谈 and 追责 the 依法治办's (the agency's when no 依法治办 is registered)."""
    if rule_id == "accountability.analysis":
        return review.agency_id
    county = review.case.county
    office = offices[county.pk] if offices is not None and county.pk in offices else office_of(county)
    return office.pk if office else review.agency_id


def _open_deadline(review: LossReview, rule_id: str, start: datetime.date, today: datetime.date) -> Deadline:
    due = compute_due(rule_id, start, work_calendar())
    deadline, _ = Deadline.objects.update_or_create(
        case_id=review.case_id,
        rule_id=rule_id,
        defaults={
            "start_on": start,
            "due_on": due.due,
            "met_on": None,
            "state": state_of(due.due, None, today),
            "owner_id": _owner_id(review, rule_id),
            "calendar_known": due.calendar_known,
        },
    )
    keep_obligations([deadline])
    return deadline


def _meet_deadline(review: LossReview, rule_id: str, on: datetime.date) -> None:
    Deadline.objects.filter(case_id=review.case_id, rule_id=rule_id).exclude(state=DeadlineState.MET).update(
        state=DeadlineState.MET, met_on=on
    )
    _keep_obligation(review, rule_id)


def _keep_obligation(review: LossReview, rule_id: str) -> None:
    """The step's deadline, just written, has its due obligation brought into line (``deadlines.workflow``)."""
    keep_obligations(Deadline.objects.filter(case_id=review.case_id, rule_id=rule_id))


def current_deadline(review: LossReview) -> Deadline | None:
    rule_id = review.current_rule
    if rule_id is None:
        return None
    return Deadline.objects.filter(case_id=review.case_id, rule_id=rule_id).first()


# ---------------------------------------------------------------------------------------------------------------
# Opening, withdrawing, resuming (on ``cases_changed``)


def _rows(review: LossReview, users: Iterable[User], key: str, subject: str, body: str,
          now: datetime.datetime) -> list[OutboxRow]:  # fmt: skip
    return personal_rows(
        users, subject=subject, body=body, link=link(review), dedup_key=f"loss_review:{review.pk}:{key}", now=now
    )


def sync_loss_reviews(case_ids: Iterable[int], *, now: datetime.datetime | None = None) -> list[LossReview]:
    """Bring the loss reviews of these cases up to date; return the reviews opened now.

    Called inside the transaction that changed the cases. A case that is now a first-instance loss and has no
    review gets one, with its 通报 deadline, an Event and the notices; a review whose case is no longer a loss is
    withdrawn; a withdrawn review whose case is a loss again resumes. Idempotent: the case is unique on the review.
    """
    ids = list(case_ids)
    if not ids:
        return []
    now = timezone.localtime(now or timezone.now())
    opened: list[LossReview] = []
    changed: list[int] = []
    for i in range(0, len(ids), 2000):
        chunk = ids[i : i + 2000]
        opened += _open(chunk, now)
        for review in LossReview.objects.filter(case_id__in=chunk).select_related("case__region", "case__county"):
            loss = is_reviewable_loss(review.case)
            if review.state != LossReviewState.WITHDRAWN and not loss:
                _withdraw(review, now)
                changed.append(review.case_id)
            elif review.state == LossReviewState.WITHDRAWN and loss:
                _resume(review, now)
                changed.append(review.case_id)
    if changed:
        # A withdrawn review's 败诉原因 leave the figures' counts, a resumed one's come back (stats.counts).
        figure_counts.refresh(changed)
    return opened


def _open(chunk: list[int], now: datetime.datetime) -> list[LossReview]:
    cases = list(
        Case.objects.filter(_loss_filter(), pk__in=chunk, loss_review__isnull=True)
        .select_related("county", "region")
        .order_by("pk")
    )
    if not cases:
        return []
    reviews = [
        LossReview(case=c, agency_id=c.defendant_id, court_id=c.court_id, outcome=c.outcome, opened_at=now)
        for c in cases
    ]
    try:
        with transaction.atomic():
            LossReview.objects.bulk_create(reviews)
    except IntegrityError:
        # Another transaction opened some of these a moment ago: open the rest one by one.
        reviews = [r for r in reviews if _create_one(r)]
    today = now.date()
    cal = work_calendar()
    offices: dict[int, Organisation | None] = {}
    people: dict[int, list[User]] = {}
    agency_people: dict[int, list[User]] = {}
    deadlines, events, rows = [], [], []
    for review in reviews:
        case = review.case
        county = case.county
        if county.pk not in offices:
            offices[county.pk] = office_of(county)
            people[county.pk] = office_users(county)
        if review.agency_id not in agency_people:
            agency_people[review.agency_id] = liaisons(review.agency_id, Role.AGENCY_LIAISON)
        start = case.concluded_on or today
        due = compute_due("accountability.notice", start, cal)
        deadlines.append(
            Deadline(
                case_id=case.pk,
                rule_id="accountability.notice",
                start_on=start,
                due_on=due.due,
                state=state_of(due.due, None, today),
                owner_id=_owner_id(review, "accountability.notice", offices),
                calendar_known=due.calendar_known,
            )
        )
        outcome = case.outcome_label
        events.append(
            PendingEvent(
                review,
                "opened",
                f"{case.number}一审{outcome}（败诉），启动“四必治败诉”；通报期限 {due.due.isoformat()}",
                {"状态": ["", LossReviewState.NOTICE.label]},
            )
        )
        if due.due < today:
            # A loss entered after its 通报 period had run (a historical ledger, the demo) opens overdue and is told
            # by the lists, not by a message each: as a case deadline saved after its day is (deadlines.workflow).
            continue
        body = (
            f"{case.number}（被告：{case.defendant}）一审以“{outcome}”结案，属于败诉。"
            f"请依法治办于{due.due:%Y年%-m月%-d日}前完成通报；败诉机关随后开展倒查分析（谁败诉、谁分析）。"
        )
        rows += _rows(review, people[county.pk] + agency_people[review.agency_id], "opened",
                      "【败诉问责】新增一审败诉案件", body, now)  # fmt: skip
    Deadline.objects.bulk_create(deadlines, ignore_conflicts=True)
    keep_obligations(
        Deadline.objects.filter(case_id__in=[d.case_id for d in deadlines], rule_id="accountability.notice")
    )
    record_events(events, by=SYSTEM)
    put(rows)
    return reviews


def _create_one(review: LossReview) -> bool:
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError:
        return False
    return True


def _withdraw(review: LossReview, now: datetime.datetime) -> None:
    before = review.state
    rule_id = review.current_rule
    review.withdrawn_from = before
    review.state = LossReviewState.WITHDRAWN
    review.save(update_fields=["state", "withdrawn_from"])
    if rule_id:
        Deadline.objects.filter(case_id=review.case_id, rule_id=rule_id).exclude(state=DeadlineState.MET).update(
            state=DeadlineState.CANCELLED
        )
        _keep_obligation(review, rule_id)
    outcome = review.case.outcome_label or "（空）"
    record_event(
        review,
        by=SYSTEM,
        action="withdrawn",
        summary=f"案件结案方式更正为“{outcome}”，不再属于一审败诉，问责事项撤销",
        changes={"状态": [LossReviewState(before).label, LossReviewState.WITHDRAWN.label]},
    )
    body = f"{review.case.number}的结案方式已更正为“{outcome}”，不再属于一审败诉，该败诉问责事项已撤销。"
    put(_rows(review, office_users(review.case.county) + liaisons(review.agency_id, Role.AGENCY_LIAISON),
              f"withdrawn:{now:%Y%m%d%H%M%S%f}", "【败诉问责】事项撤销", body, now))  # fmt: skip


def _resume(review: LossReview, now: datetime.datetime) -> None:
    state = LossReviewState(review.withdrawn_from or LossReviewState.NOTICE)
    review.state, review.withdrawn_from = state, ""
    review.outcome = review.case.outcome
    review.save(update_fields=["state", "withdrawn_from", "outcome"])
    rule_id = STEP_RULES.get(state)
    if rule_id:
        Deadline.objects.filter(case_id=review.case_id, rule_id=rule_id, state=DeadlineState.CANCELLED).update(
            state=DeadlineState.OPEN
        )
        # An open deadline whose day has passed is overdue again.
        Deadline.objects.filter(
            case_id=review.case_id, rule_id=rule_id, state=DeadlineState.OPEN, due_on__lt=now.date()
        ).update(state=DeadlineState.OVERDUE)
        _keep_obligation(review, rule_id)
    record_event(
        review,
        by=SYSTEM,
        action="resumed",
        summary=f"案件结案方式更正为“{review.case.outcome_label}”（败诉），问责事项恢复办理",
        changes={"状态": [LossReviewState.WITHDRAWN.label, state.label]},
    )


# ---------------------------------------------------------------------------------------------------------------
# The four steps and the court's comment


def _advance(review: LossReview, done: LossReviewState, to: LossReviewState, today: datetime.date) -> Deadline | None:
    _meet_deadline(review, STEP_RULES[done], today)
    review.state = to
    rule_id = STEP_RULES.get(to)
    return _open_deadline(review, rule_id, today, today) if rule_id else None


def _late(review: LossReview, rule_id: str, today: datetime.date) -> str:
    late = Deadline.objects.filter(case_id=review.case_id, rule_id=rule_id, due_on__lt=today).exists()
    return "（逾期）" if late else ""


@transaction.atomic
def record_notice(
    review: LossReview, *, on: datetime.date, number: str, text: str, by: User, now: datetime.datetime | None = None
) -> LossReview:
    """必通报: the 依法治办 records the bulletin; the agency's 倒查 (``accountability.analysis``) starts."""
    _require(is_office_of(by, review), "败诉通报由案件所在地区的依法治办登记")
    text = _text(text, "请填写通报内容")
    number = (number or "").strip()
    now = timezone.localtime(now or timezone.now())
    today = now.date()
    if on > today:
        raise LossReviewError("通报日期不能晚于今天")
    review = _locked(review)
    _in_state(review, [LossReviewState.NOTICE], "登记通报")
    late = _late(review, "accountability.notice", today)
    review.notice_on, review.notice_number, review.notice_text, review.notice_by = on, number, text, by
    deadline = _advance(review, LossReviewState.NOTICE, LossReviewState.ANALYSIS, today)
    review.save()
    assert deadline is not None
    record_event(
        review,
        by=by,
        action="noticed",
        summary=f"通报{number and '（' + number + '）'}{late}；倒查分析期限 {deadline.due_on.isoformat()}",
        changes={"状态": [LossReviewState.NOTICE.label, review.get_state_display()], "通报日期": ["", on.isoformat()]},
    )
    case = review.case
    body = (
        f"{case.number}一审败诉已通报{number and '（' + number + '）'}。请{review.agency}于"
        f"{deadline.due_on:%Y年%-m月%-d日}前完成倒查分析（败诉原因、责任人员、整改措施）。"
    )
    put(_rows(review, liaisons(review.agency_id, Role.AGENCY_LIAISON), "noticed", "【败诉问责】请开展倒查分析",
              body, now))  # fmt: skip
    court_body = f"{case.number}一审败诉已通报，欢迎在问责事项办结前填写法院点评（程序、实体、出庭应诉）。"
    put(_rows(review, liaisons(review.court_id, Role.COURT_LIAISON), "comment_invited", "【败诉问责】请填写法院点评",
              court_body, now))  # fmt: skip
    return review


@transaction.atomic
def record_analysis(
    review: LossReview,
    *,
    causes: Sequence[str],
    analysis: str,
    responsible_persons: str,
    measures: str,
    by: User,
    now: datetime.datetime | None = None,
) -> LossReview:
    """必倒查 (一案一分析, 谁败诉、谁分析): the losing agency's liaison records why it lost; the 约谈 starts."""
    _require(is_agency_of(by, review), "倒查分析由败诉机关的联络员填报")
    known = dict(LossCause.choices)
    chosen = [c for c in known if c in set(causes)]
    if not chosen:
        raise LossReviewError("请至少选择一项败诉原因")
    unknown = [c for c in causes if c not in known]
    if unknown:
        raise LossReviewError(f"未知的败诉原因：{'、'.join(unknown)}")
    analysis = _text(analysis, "请填写原因分析")
    responsible_persons = _text(responsible_persons, "请填写责任人员（无责任人员的写明理由）")
    measures = _text(measures, "请填写整改措施")
    now = timezone.localtime(now or timezone.now())
    today = now.date()
    review = _locked(review)
    _in_state(review, [LossReviewState.ANALYSIS], "填报倒查分析")
    late = _late(review, "accountability.analysis", today)
    review.causes, review.analysis = chosen, analysis
    review.responsible_persons, review.measures = responsible_persons, measures
    review.analysis_on, review.analysis_by = today, by
    deadline = _advance(review, LossReviewState.ANALYSIS, LossReviewState.INTERVIEW, today)
    review.save()
    figure_counts.refresh([review.case_id])  # its 败诉原因 join the figures' counts (stats.counts)
    assert deadline is not None
    labels = "、".join(review.cause_labels)
    record_event(
        review,
        by=by,
        action="analysed",
        summary=f"完成倒查分析{late}：{labels}；约谈期限 {deadline.due_on.isoformat()}",
        changes={"状态": [LossReviewState.ANALYSIS.label, review.get_state_display()], "败诉原因": ["", labels]},
    )
    body = (
        f"{review.agency}已完成{review.case.number}的倒查分析（原因：{labels}）。"
        f"请于{deadline.due_on:%Y年%-m月%-d日}前组织约谈并登记。"
    )
    put(_rows(review, office_users(review.case.county), "analysed", "【败诉问责】请组织约谈", body, now))
    return review


@transaction.atomic
def record_interview(
    review: LossReview,
    *,
    on: datetime.date,
    interviewer: str,
    interviewee: str,
    conclusions: str,
    by: User,
    now: datetime.datetime | None = None,
) -> LossReview:
    """必约谈: the 依法治办 records who (the government leader) interviewed whom (the agency head), when, and the
    conclusions; the 追责 decision starts."""
    _require(is_office_of(by, review), "约谈记录由案件所在地区的依法治办登记")
    interviewer = _text(interviewer, "请填写约谈人（政府领导）")
    interviewee = _text(interviewee, "请填写被约谈人（败诉机关负责人）")
    conclusions = _text(conclusions, "请填写约谈结论")
    now = timezone.localtime(now or timezone.now())
    today = now.date()
    if on > today:
        raise LossReviewError("约谈日期不能晚于今天")
    review = _locked(review)
    _in_state(review, [LossReviewState.INTERVIEW], "登记约谈")
    late = _late(review, "accountability.interview", today)
    review.interview_on, review.interviewer, review.interviewee = on, interviewer, interviewee
    review.interview_conclusions, review.interview_by = conclusions, by
    deadline = _advance(review, LossReviewState.INTERVIEW, LossReviewState.DECISION, today)
    review.save()
    assert deadline is not None
    record_event(
        review,
        by=by,
        action="interviewed",
        summary=f"{interviewer}约谈{interviewee}{late}；追责决定期限 {deadline.due_on.isoformat()}",
        changes={
            "状态": [LossReviewState.INTERVIEW.label, review.get_state_display()],
            "约谈日期": ["", on.isoformat()],
        },
    )
    return review


@transaction.atomic
def record_decision(
    review: LossReview, *, accountable: bool, decision: str, by: User, now: datetime.datetime | None = None
) -> LossReview:
    """必追责: the 依法治办 records the accountability decision, or why no one is held accountable; closed."""
    _require(is_office_of(by, review), "追责决定由案件所在地区的依法治办登记")
    decision = _text(decision, "请填写追责决定" if accountable else "不予追责的，请写明理由")
    now = timezone.localtime(now or timezone.now())
    today = now.date()
    review = _locked(review)
    _in_state(review, [LossReviewState.DECISION], "登记追责决定")
    late = _late(review, "accountability.decision", today)
    review.accountable, review.decision, review.decision_on, review.decision_by = accountable, decision, today, by
    _advance(review, LossReviewState.DECISION, LossReviewState.CLOSED, today)
    review.closed_at = now
    review.save()
    verdict = "追责" if accountable else "不予追责"
    record_event(
        review,
        by=by,
        action="decided",
        summary=f"作出决定：{verdict}{late}；问责事项办结",
        changes={"状态": [LossReviewState.DECISION.label, review.get_state_display()], "追责决定": ["", verdict]},
    )
    body = f"{review.case.number}的败诉问责已办结：{verdict}。{decision}"
    put(_rows(review, liaisons(review.agency_id, Role.AGENCY_LIAISON), "closed", "【败诉问责】已办结", body, now))
    return review


@transaction.atomic
def record_comment(
    review: LossReview, *, procedure: str, substance: str, appearance: str, by: User, now: Any = None
) -> LossReview:
    """The court liaison's 点评 (程序/实体/出庭应诉), at any time before the review closes; it may be revised."""
    _require(is_court_of(by, review), "法院点评由本案法院的联络员填写")
    texts = {
        "程序": (procedure or "").strip(),
        "实体": (substance or "").strip(),
        "出庭应诉": (appearance or "").strip(),
    }
    if not any(texts.values()):
        raise LossReviewError("请至少填写一项点评（程序、实体或出庭应诉）")
    review = _locked(review)
    _in_state(review, OPEN_STATES, "填写法院点评")
    again = review.comment_at is not None
    review.comment_procedure, review.comment_substance, review.comment_appearance = texts.values()
    review.comment_at, review.comment_by = timezone.localtime(now or timezone.now()), by
    review.save()
    record_event(
        review,
        by=by,
        action="commented",
        summary=f"{'修改' if again else '填写'}法院点评（{'、'.join(k for k, v in texts.items() if v)}）",
    )
    return review
