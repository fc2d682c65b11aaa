"""The demo's loss reviews (四必治败诉, SPEC §6.3): every first-instance loss of the demo walked like real work.

``walk_loss_reviews`` runs inside ``generate_demo`` after the cases are saved and before ``cases_changed`` is sent,
so that ``accountability.losses.sync_loss_reviews`` finds every loss already reviewed and opens none (the case is
unique on the review). Each review is opened on the day its case was concluded and goes through the steps as the
workflow (``accountability.losses``) would have recorded them:

- a loss concluded more than ``CLOSED_AFTER_DAYS`` before the demo runs is closed: 通报 (bulletin with its number),
  倒查 (one or two cause categories weighted like practice — 逾期举证, 程序违法 and 事实不清/证据不足 most common —
  with the narrative, the responsible persons and the measures), 约谈 (who interviewed whom, the conclusions) and
  追责 (a decision, or a reasoned 不予追责);
- a more recent one has gone as far as its steps' days allow: each step is done on a working day within its period
  (a few late), and the review waits at the first step whose day is still to come — on time, or overdue when that
  step is a late one whose period has run;
- the court's 点评 (程序/实体/出庭应诉) on about half, while the review was open.

Each step's period is computed by the same rule as the workflow (``deadlines.rules.compute_due`` on
``core.queries.work_calendar()``, from the day the previous step was recorded; 通报 from the 结案日期), and each
step has its ``Deadline`` row: met on the day it was done, or open/overdue for the step awaited. Every step is an
Event on the review's timeline at the moment it happened, by the person who would have recorded it.

Determinism: drawn from a stream of its own, seeded by the losses themselves (their numbers and dates, which the
demo's seed fixes) and walked in the order of their conclusion, so the cases' own values are untouched; the walk
also depends on the day the demo runs (``now``), like the hearings.
Speed: three bulk writes (reviews, deadlines, events); about 0.7 s for the default demo (20,000 cases, ~1,000
losses), partly offset by the reviews, deadlines and events ``sync_loss_reviews`` no longer opens.
"""

from __future__ import annotations

import datetime
import hashlib
import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from fuyuan.accountability.losses import SYSTEM, office_of
from fuyuan.accountability.models import STEP_RULES, LossCause, LossReview, LossReviewState
from fuyuan.cases.choices import CaseKind, Instance, loss_outcomes
from fuyuan.cases.models import Case
from fuyuan.core.bulk import insert_rows
from fuyuan.core.models import Event, HeadPost, Organisation, OrganisationHead, Region
from fuyuan.core.queries import work_calendar
from fuyuan.core.workdays import WorkCalendar
from fuyuan.deadlines.models import Deadline
from fuyuan.deadlines.rules import compute_due
from fuyuan.deadlines.workflow import keep_obligations, state_of
from fuyuan.demo.hearings import DemoPeople

# A loss concluded this long before the run is closed: the four steps take at most 50 working days (5 + 15 + 10 + 20,
# deadlines.rules), about ten weeks with the holidays.
CLOSED_AFTER_DAYS = 92
# The share of steps done after their period (a few days late), for the closed reviews and the open ones.
LATE_SHARE_CLOSED = 0.08
LATE_SHARE_OPEN = 0.03
LATE_WORKING_DAYS = (1, 6)
# The share of a recent review's steps that stall: done some weeks after their period (overdue meanwhile).
STALL_SHARE = 0.05
STALLED_WORKING_DAYS = (8, 30)
# Where in its period an on-time step is done: uniformly from this fraction of the period to its last day.
PACE_FROM = 0.6
COMMENT_SHARE = 0.5
ACCOUNTABLE_SHARE = 0.35
SECOND_CAUSE_SHARE = 0.35

# The cause categories' weights (SPEC §6.3; practice: 逾期举证, 程序违法 and 事实不清/证据不足 lead).
CAUSE_WEIGHTS: dict[str, float] = {
    LossCause.LATE_EVIDENCE: 27,
    LossCause.PROCEDURE: 26,
    LossCause.FACTS: 22,
    LossCause.LAW: 9,
    LossCause.NON_PERFORMANCE: 8,
    LossCause.ULTRA_VIRES: 5,
    LossCause.OTHER: 3,
}
# An outcome that says the cause: a judgment ordering performance is mostly a failure to perform.
OUTCOME_CAUSE: dict[str, str] = {
    "ordered_to_perform": LossCause.NON_PERFORMANCE,
    "confirmed_void": LossCause.ULTRA_VIRES,
}

ANALYSIS: dict[str, list[str]] = {
    LossCause.LATE_EVIDENCE: [
        "本机关收到起诉状副本后，承办科室未在十五日内向法院提交作出行政行为的证据和所依据的规范性文件，"
        "依照《行政诉讼法》第六十七条、第三十四条第二款视为没有相应证据。",
        "应诉材料内部流转耗时过长，答辩状及证据逾期提交，法院不予采纳，导致败诉。",
    ],
    LossCause.PROCEDURE: [
        "作出处理决定前未依法告知当事人陈述、申辩的权利，未履行听证告知程序，程序违法。",
        "送达程序不规范，决定书未依法送达当事人即予执行，被法院认定违反法定程序。",
    ],
    LossCause.FACTS: [
        "认定事实的主要证据不足：现场勘验笔录缺少当事人签字，测量数据与附图不一致。",
        "调查取证不充分，询问笔录与书证相互矛盾，未能证明违法事实。",
    ],
    LossCause.LAW: [
        "适用已废止的规范性文件作出决定，法律依据引用错误。",
        "对处罚幅度的适用条款理解有误，适用法律、法规错误。",
    ],
    LossCause.NON_PERFORMANCE: [
        "对当事人的申请未在法定期限内作出答复，构成不履行法定职责。",
        "信访转办件未按规定登记办理，逾期未履行法定职责。",
    ],
    LossCause.ULTRA_VIRES: [
        "该事项属上级机关法定职权，本机关超越职权作出决定。",
    ],
    LossCause.OTHER: [
        "应诉准备不充分，答辩意见未针对争议焦点，负责人出庭后未能就实质性化解发表意见。",
    ],
}
MEASURES: dict[str, str] = {
    LossCause.LATE_EVIDENCE: "建立行政应诉举证台账，收到应诉通知后三个工作日内确定承办人，十个工作日内完成证据整理并经法制审核。",
    LossCause.PROCEDURE: "全面梳理执法程序，修订告知、听证、送达文书格式，开展程序规范专题培训。",
    LossCause.FACTS: "规范调查取证和案卷制作，重大执法决定实行法制审核，案卷评查每季度一次。",
    LossCause.LAW: "建立规范性文件清理和法律依据核对机制，决定作出前由法律顾问审核适用条款。",
    LossCause.NON_PERFORMANCE: "建立依申请事项办理时限台账，到期前自动提醒，逾期事项专人督办。",
    LossCause.ULTRA_VIRES: "梳理权责清单，明确职权边界，越权事项一律移送有权机关办理。",
    LossCause.OTHER: "完善应诉工作流程，负责人出庭前召开应诉准备会，明确实质性化解方案。",
}  # fmt: skip
ROLES = ["承办人", "审核人", "分管负责人"]
UNITS = ["法规股", "执法大队", "业务科", "办公室"]
INTERVIEW_CONCLUSIONS = [
    "被约谈单位主要负责人作表态发言，承诺一个月内完成整改并书面报告整改情况。",
    "责令被约谈单位深刻反思，举一反三开展案卷自查，整改情况纳入年度法治政府建设考核。",
    "要求被约谈单位建立应诉工作责任制，主要负责人亲自抓，整改落实情况报依法治办备案。",
]
ACCOUNTABLE_DECISIONS = [
    "对承办人{a}予以诫勉谈话，对审核人{b}进行批评教育，责令{agency}向本级人民政府作出书面检查。",
    "对承办人{a}给予通报批评，扣减{agency}年度法治政府建设考核分值，相关线索按规定移送纪检监察机关。",
]
NOT_ACCOUNTABLE = [
    "经核查，败诉系上位规范性文件调整、执法标准变化所致，承办人员已尽审慎义务，依规不予追责；督促落实整改措施。",
    "经核查，{agency}已在判决后主动纠正并完成整改，相关人员情节轻微，依规不予追责，予以提醒教育。",
]
COMMENT_PROCEDURE = [
    "被告在作出决定前未履行告知义务，程序瑕疵是败诉的直接原因，建议规范执法文书。",
    "举证期限内未提交证据，应诉程序意识有待加强。",
]
COMMENT_SUBSTANCE = [
    "认定事实证据链不完整，建议加强调查取证和案卷制作。",
    "法律适用总体准确，但裁量说理不足。",
]
COMMENT_APPEARANCE = [
    "负责人出庭并发表意见，但答辩未针对争议焦点，实质性化解效果不佳。",
    "出庭应诉人员熟悉案情，庭审表现规范。",
]


@dataclass
class Step:
    """One step as it happened (or is awaited): its rule, when its period started and ends, and when it was done
    (None while awaited)."""

    state: LossReviewState
    start: datetime.date
    due: datetime.date
    calendar_known: bool
    done: datetime.date | None
    late: bool


@dataclass
class AccountabilityCounts:
    reviews: int = 0
    by_state: dict[str, int] = field(default_factory=dict)


def _at(day: datetime.date, rng: random.Random, first: int = 9, last: int = 17) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(rng.randint(first, last), rng.randint(0, 59)))
    )


def _workday_on_or_after(day: datetime.date, cal: WorkCalendar) -> datetime.date:
    return day if cal.is_workday(day) else cal.next_workday(day)


def _walk(concluded: datetime.date, today: datetime.date, cal: WorkCalendar, rng: random.Random, late_share: float,
          stall_share: float = 0.0) -> list[Step]:  # fmt: skip
    """The steps of one review from its conclusion day: every step started so far, the last one awaited unless
    all four are done (a step is done only on a day before the run date)."""
    steps: list[Step] = []
    start = concluded
    for state, rule_id in STEP_RULES.items():
        due = compute_due(rule_id, start, cal)
        stalled = rng.random() < stall_share
        late = stalled or rng.random() < late_share
        if late:
            # Done after its period: a few days, or (stalled) some weeks; overdue meanwhile.
            day = cal.add_working_days(due.due, rng.randint(*(STALLED_WORKING_DAYS if stalled else LATE_WORKING_DAYS)))
        else:
            # Most steps are done in the second half of their period, as work is.
            span = max(1, (due.due - start).days)
            offset = max(1, round(span * rng.uniform(PACE_FROM, 1.0)))
            day = min(_workday_on_or_after(start + datetime.timedelta(days=offset), cal), due.due)
        done = day if day < today else None
        steps.append(Step(LossReviewState(state), start, due.due, due.calendar_known, done, late and done is not None))
        if done is None:
            break
        start = done
    return steps


def _causes(outcome: str, rng: random.Random) -> list[str]:
    first: str | None = OUTCOME_CAUSE.get(outcome) if rng.random() < 0.7 else None
    first = first or rng.choices(list(CAUSE_WEIGHTS), weights=list(CAUSE_WEIGHTS.values()))[0]
    chosen = {first}
    if rng.random() < SECOND_CAUSE_SHARE:
        others = {c: w for c, w in CAUSE_WEIGHTS.items() if c != first and c != LossCause.OTHER}
        chosen.add(rng.choices(list(others), weights=list(others.values()))[0])
    return [c for c in LossCause.values if c in chosen]  # in the categories' order, as the workflow stores them


def _head(heads: Sequence[OrganisationHead], on: datetime.date, posts: Iterable[str]) -> OrganisationHead | None:
    valid = [h for h in heads if h.valid_from <= on and (h.valid_to is None or h.valid_to >= on)]
    for post in posts:
        found = [h for h in valid if h.post == post]
        if found:
            return found[0]
    return valid[0] if valid else None


def _short(region: Region) -> str:
    return region.name if len(region.name) <= 2 or region.name.endswith("州") else region.name[:-1]


def walk_loss_reviews(
    cases: Iterable[Case],
    *,
    now: datetime.datetime,
    heads_by_org: dict[int, list[OrganisationHead]],
) -> AccountabilityCounts:
    """Open and walk the review of every first-instance loss among ``cases`` (saved, with ids); see the module."""
    losses = sorted(
        (
            c
            for c in cases
            if c.kind == CaseKind.LITIGATION and c.instance == Instance.FIRST and c.outcome in loss_outcomes()
            and c.concluded_on is not None
        ),
        key=lambda c: (c.concluded_on, c.number),
    )  # fmt: skip
    counts = AccountabilityCounts()
    if not losses:
        return counts
    from fuyuan.demo.generator import GIVEN, SURNAMES  # the generator imports this module

    def person(rng: random.Random) -> str:
        # Names of the demo's style, drawn from this module's stream only: the generator's ``person`` remembers
        # the names it gave, which would change the names (and the draws) of everything generated after.
        return rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))

    key = "|".join(f"{c.number}:{c.concluded_on}" for c in losses)
    rng = random.Random(hashlib.sha256(f"accountability|{key}".encode()).hexdigest())
    today = timezone.localtime(now).date()
    cal = work_calendar()
    people = DemoPeople.load(Region.objects.filter(parent__isnull=False, parent__parent__isnull=True).get().pk)
    regions = {r.pk: r for r in Region.objects.all()}
    orgs = {o.pk: o for o in Organisation.objects.filter(pk__in={c.defendant_id for c in losses})}
    governments = {o.region_id: o for o in Organisation.objects.filter(name__endswith="人民政府")}
    offices: dict[int, Organisation | None] = {}

    reviews: list[LossReview] = []
    walks: list[list[Step]] = []
    comments: list[datetime.date | None] = []
    for case in losses:
        assert case.concluded_on is not None and case.county_id is not None
        closed = (today - case.concluded_on).days > CLOSED_AFTER_DAYS
        steps = (
            _walk(case.concluded_on, today, cal, rng, LATE_SHARE_CLOSED)
            if closed
            else _walk(case.concluded_on, today, cal, rng, LATE_SHARE_OPEN, STALL_SHARE)
        )
        if closed and steps[-1].done is None:
            steps = _walk(case.concluded_on, today, cal, rng, 0.0)
        agency, county = orgs[case.defendant_id], regions[case.county_id]
        office = people.office_of(case)
        # 谁败诉、谁分析: the agency's liaison; an agency without a demo login is named on the timeline instead.
        liaison = people.agency_liaison.get(case.defendant_id)
        review = LossReview(
            case=case, agency=agency, court_id=case.court_id, outcome=case.outcome,
            opened_at=_at(case.concluded_on, rng, 17, 19),
        )  # fmt: skip
        done = [s for s in steps if s.done is not None]
        review.state = steps[-1].state if steps[-1].done is None else LossReviewState.CLOSED
        if done:  # 通报
            s = done[0]
            review.notice_on, review.notice_by = s.done, office
            review.notice_text = (
                f"{case.number}一审以“{case.outcome_label}”结案，{agency.name}败诉。根据“四必治败诉”工作机制，现予通报，"
                f"请{agency.name}在规定期限内完成倒查分析，报送败诉原因、责任人员和整改措施。"
            )
        if len(done) > 1:  # 倒查
            review.causes = _causes(case.outcome, rng)
            review.analysis = "".join(rng.choice(ANALYSIS[c]) for c in review.causes)
            review.responsible_persons = "；".join(
                f"{role}：{person(rng)}（{rng.choice(UNITS)}）" for role in ROLES[: rng.randint(1, 3)]
            )
            review.measures = "".join(MEASURES[c] for c in review.causes)
            review.analysis_on, review.analysis_by = done[1].done, liaison
        if len(done) > 2:  # 约谈
            on = done[2].done
            assert on is not None
            self_government = governments.get(county.pk) == agency
            level = regions.get(county.parent_id) if self_government and county.parent_id else county
            government = governments.get(level.pk) if level else None
            leader = _head(heads_by_org.get(government.pk, []), on, [HeadPost.DEPUTY, HeadPost.PRINCIPAL]) if government else None  # fmt: skip
            review.interviewer = (
                f"{government.name}{leader.title} {leader.name}"
                if government and leader
                else f"{county.name}人民政府领导"
            )
            head = _head(heads_by_org.get(agency.pk, []), on, [HeadPost.PRINCIPAL])
            review.interviewee = f"{agency.name}{head.title} {head.name}" if head else f"{agency.name}主要负责人"
            review.interview_on, review.interview_by = on, office
            review.interview_conclusions = rng.choice(INTERVIEW_CONCLUSIONS)
        if len(done) > 3:  # 追责
            review.accountable = rng.random() < ACCOUNTABLE_SHARE
            template = rng.choice(ACCOUNTABLE_DECISIONS if review.accountable else NOT_ACCOUNTABLE)
            review.decision = template.format(a=person(rng), b=person(rng), agency=agency.name)
            review.decision_on, review.decision_by = done[3].done, office
            decided = done[3].done
            assert decided is not None
            review.closed_at = _at(decided, rng)
        # 法院点评 while the review was open, after the 通报 (the court is invited then).
        comment_day = None
        court_user = people.court_liaison.get(case.court_id) if case.court_id else None
        if done and court_user is not None and rng.random() < COMMENT_SHARE:
            first = done[0].done
            last = done[-1].done if review.state == LossReviewState.CLOSED else today - datetime.timedelta(days=1)
            assert first is not None and last is not None
            if last > first:
                comment_day = first + datetime.timedelta(days=rng.randint(1, (last - first).days))
                if review.state == LossReviewState.CLOSED and comment_day >= last:
                    comment_day = None
            if comment_day is not None:
                review.comment_procedure = rng.choice(COMMENT_PROCEDURE)
                review.comment_substance = rng.choice(COMMENT_SUBSTANCE) if rng.random() < 0.8 else ""
                review.comment_appearance = rng.choice(COMMENT_APPEARANCE) if rng.random() < 0.6 else ""
                review.comment_at, review.comment_by = _at(comment_day, rng), court_user
        if county.pk not in offices:
            offices[county.pk] = office_of(county)
        reviews.append(review)
        walks.append(steps)
        comments.append(comment_day)
    _number_notices(reviews, regions)
    LossReview.objects.bulk_create(reviews, batch_size=500)
    _deadlines(reviews, walks, offices, today)
    _events(reviews, walks, comments, rng)
    counts.reviews = len(reviews)
    for r in reviews:
        counts.by_state[r.state] = counts.by_state.get(r.state, 0) + 1
    return counts


def _number_notices(reviews: Sequence[LossReview], regions: dict[int, Region]) -> None:
    """``青山法治办通〔2025〕7号``: per county office and year, in order of the bulletin."""
    groups: dict[tuple[int, int], list[LossReview]] = defaultdict(list)
    for r in reviews:
        if r.notice_on is not None:
            groups[(r.case.county_id or 0, r.notice_on.year)].append(r)
    for (county_id, year), group in groups.items():
        group.sort(key=lambda r: (r.notice_on, r.case.number))
        for n, r in enumerate(group, 1):
            r.notice_number = f"{_short(regions[county_id])}法治办通〔{year}〕{n}号"


def _deadlines(
    reviews: Sequence[LossReview], walks: Sequence[list[Step]], offices: dict[int, Organisation | None],
    today: datetime.date,
) -> None:  # fmt: skip
    rows = []
    for review, steps in zip(reviews, walks, strict=True):
        office = offices.get(review.case.county_id or 0)
        for s in steps:
            rule_id = STEP_RULES[s.state]
            owner = review.agency_id if s.state == LossReviewState.ANALYSIS or office is None else office.pk
            rows.append(
                Deadline(
                    case_id=review.case_id, rule_id=rule_id, start_on=s.start, due_on=s.due, met_on=s.done,
                    state=state_of(s.due, s.done, today), owner_id=owner, calendar_known=s.calendar_known,
                )
            )  # fmt: skip
    Deadline.objects.bulk_create(rows, batch_size=1000)
    keep_obligations(Deadline.objects.filter(case_id__in={r.case_id for r in rows}, rule_id__in=STEP_RULES.values()))


def _events(
    reviews: Sequence[LossReview], walks: Sequence[list[Step]], comments: Sequence[datetime.date | None],
    rng: random.Random,
) -> None:  # fmt: skip
    """The timeline as ``accountability.losses`` writes it, each event at the moment the step was recorded."""
    ct = ContentType.objects.get_for_model(LossReview).pk
    rows: list[tuple[Any, ...]] = []

    def add(review: LossReview, at: datetime.datetime, who: Any, action: str, summary: str,
            changes: dict[str, list[str]]) -> None:  # fmt: skip
        if who is None or isinstance(who, str):
            rows.append((ct, review.pk, at, None, who or SYSTEM.label, action, summary, changes))
        else:
            rows.append((ct, review.pk, at, who.pk, "", action, summary, changes))

    label = {s.value: s.label for s in LossReviewState}
    for review, steps, comment_day in zip(reviews, walks, comments, strict=True):
        case = review.case
        notice = steps[0]
        add(review, review.opened_at, None, "opened",
            f"{case.number}一审{case.outcome_label}（败诉），启动“四必治败诉”；通报期限 {notice.due.isoformat()}",
            {"状态": ["", label[LossReviewState.NOTICE]]})  # fmt: skip
        for i, s in enumerate(steps):
            if s.done is None:
                break
            late = "（逾期）" if s.done > s.due else ""
            following = steps[i + 1] if i + 1 < len(steps) else None
            after = label[following.state] if following else label[LossReviewState.CLOSED]
            at = _at(s.done, rng)
            change = {"状态": [label[s.state], after]}
            if s.state == LossReviewState.NOTICE:
                number = review.notice_number
                add(review, at, review.notice_by, "noticed",
                    f"通报（{number}）{late}；倒查分析期限 {following.due.isoformat() if following else ''}",
                    {**change, "通报日期": ["", s.done.isoformat()]})  # fmt: skip
            elif s.state == LossReviewState.ANALYSIS:
                labels = "、".join(review.cause_labels)
                add(review, at, review.analysis_by or f"{review.agency.name}（败诉机关）", "analysed",
                    f"完成倒查分析{late}：{labels}；约谈期限 {following.due.isoformat() if following else ''}",
                    {**change, "败诉原因": ["", labels]})  # fmt: skip
            elif s.state == LossReviewState.INTERVIEW:
                add(review, at, review.interview_by, "interviewed",
                    f"{review.interviewer}约谈{review.interviewee}{late}；追责决定期限 "
                    f"{following.due.isoformat() if following else ''}",
                    {**change, "约谈日期": ["", s.done.isoformat()]})  # fmt: skip
            else:
                verdict = "追责" if review.accountable else "不予追责"
                assert review.closed_at is not None
                add(review, review.closed_at, review.decision_by, "decided", f"作出决定：{verdict}{late}；问责事项办结",
                    {**change, "追责决定": ["", verdict]})  # fmt: skip
        if comment_day is not None and review.comment_at is not None:
            parts = [k for k, v in (("程序", review.comment_procedure), ("实体", review.comment_substance),
                                    ("出庭应诉", review.comment_appearance)) if v]  # fmt: skip
            add(review, review.comment_at, review.comment_by, "commented", f"填写法院点评（{'、'.join(parts)}）", {})
    rows.sort(key=lambda r: (r[2], r[1]))
    fields = ("content_type_id", "object_id", "at", "actor_id", "actor_label", "action", "summary", "changes")
    insert_rows(Event, fields, rows)
