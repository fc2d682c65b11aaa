"""The demo's supervision work (监督问责, SPEC §4, §6.3–§6.5), replayed through the workflows' own transitions.

``build_supervision`` runs inside ``generate_demo`` after the cases, hearings, loss reviews and disputes exist. Unlike
the bulk-written cases, every record here is made by the transition functions the pages call, each one run "at" the
moment it happened (``replayed_at``: the workflows read the clock through ``django.utils.timezone.now``), so each
row has its timeline, its notices in the inbox and the state its steps lead to — never a state written directly:

- 书面报告 (``accountability.workflow``): the threshold check (``open_report_duties``; the worker runs it daily)
  replayed every ``CHECK_EVERY_DAYS`` days from the first year on opens a county's duty when its loss rate of the
  year so far exceeds the threshold with enough cases; a duty of an earlier year was reported (a third of them
  returned once first) and accepted; this year's are in turn still owed (overdue once due), reported and awaiting
  review, and returned.
- 典型案例 (``accountability.typical``): the 州 依法治办 compiles each of the last ``TYPICAL_QUARTERS`` quarters from
  the losses concluded in it, edits each case's lesson and issues it (the agencies read it); this quarter's is a draft.
- 移送纪委 (``accountability.transfers``): the closed loss reviews that name a clue (不作为/乱作为) are proposed by
  their county's 依法治办 and go as far as their days allow: reviewed by the 州, rejected or transferred, acknowledged
  and answered by the 纪委监委.
- 领导包案 (``packaging.workflow``): each place's 依法治办 packages pending cases to its leader (the 州 to the 州长 for
  group cases); packages resolved, closed unresolved, withdrawn, on track with monthly progress, and behind (past
  their date or without progress for a month) with a 约谈.
- 销账本 (``rectification.workflow``): the courts, 司法局 and the 州 依法治办 issue 司法建议书, 复议意见书 and
  执法监督通知书 to agencies of their place; items are reported by the agency's liaison, verified or returned by the
  issuer, and the ones of agencies slow to report are overdue.

The uploaded files the workflows require (the written reports, the recommendations) are small Word documents made
here. Determinism: drawn from ``random.Random(f"{seed}:supervision")``; the replay depends on the day the demo runs.
"""

from __future__ import annotations

import datetime
import io
import random
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar
from xml.sax.saxutils import escape

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.utils import timezone

from fuyuan.accountability import transfers, typical
from fuyuan.accountability import workflow as duties
from fuyuan.accountability.models import ClueKind, LossReview, LossReviewState, ReportDuty, TransferState
from fuyuan.cases.choices import CaseKind, Instance, loss_outcomes
from fuyuan.cases.models import Case
from fuyuan.core.models import Organisation, OrganisationKind, Region, RegionLevel, Role, User
from fuyuan.packaging import workflow as packaging
from fuyuan.packaging.models import CasePackage, PackageKind, PackageState
from fuyuan.rectification import workflow as rectification
from fuyuan.rectification.models import Item, RecommendationKind

T = TypeVar("T")
# Monthly rather than daily: each check computes every county's figures (about 0.1 s at 20,000 cases).
CHECK_EVERY_DAYS = 30
TYPICAL_QUARTERS = 4
TYPICAL_CASES_PER_QUARTER = 3
TRANSFERS_AT_MOST = 12
TRANSFER_SETTLES_DAYS = 30
RECENT_DOCUMENT_DAYS = 80

REPORT_TEXT = (
    "关于{county}{year}年度行政诉讼败诉率超过阈值的书面报告及检查",
    "{year}年以来，{county}一审行政诉讼案件败诉率偏高，主要集中在征收补偿和行政处罚领域。经县人民政府常务会议专题研究，"
    "现将败诉原因、责任追究和整改措施报告如下：一是部分执法人员程序意识不强；二是应诉举证不及时；三是负责人出庭应诉后"
    "未能推动实质性化解。下一步，我县将建立败诉案件倒查机制，开展执法案卷评查，并将败诉率纳入法治政府建设考核。",
)
RETURN_NOTES = [
    "报告未逐案分析败诉原因，请补充每件败诉案件的责任单位和整改措施。",
    "检查内容过于笼统，请补充责任人员的处理情况和整改时限。",
]
ACCEPT_NOTES = ["报告内容完整，整改措施具体，同意办结。", "", "同意办结，请按报告所列措施抓好落实。"]
LESSONS = [
    "行政机关作出不利决定前必须履行告知、听证程序，程序违法即使实体正确也难逃败诉。",
    "收到起诉状副本后应在法定期限内举证，逾期举证视为没有证据，应建立应诉举证台账。",
    "事实认定应形成完整证据链，现场勘验、询问笔录须经当事人签字确认。",
    "对依申请事项应在法定期限内答复，不作为同样要承担败诉后果。",
]
CLUE_FACTS = {
    ClueKind.INACTION: "{agency}对当事人的申请未在法定期限内作出答复，经倒查，承办科室负责人多次催办未果，存在不作为情形。",
    ClueKind.MISCONDUCT: "{agency}超越法定职权作出决定，经倒查，系分管负责人授意承办人员在未经法制审核的情况下签发，存在乱作为情形。",
}
ANSWERS = [
    "经核查，对{agency}相关责任人给予诫勉谈话处理，责令作出书面检查。",
    "经核查，对{agency}承办科室负责人给予政务警告处分，对分管负责人进行提醒谈话。",
    "经初步核实，问题线索不属实，予以了结，已向线索移送机关反馈。",
]
REJECT_REASONS = ["经复核，败诉系上位政策调整所致，相关人员已尽审慎义务，不予移送。"]
PACKAGE_GOALS = [
    "推动案涉当事人与行政机关达成和解，实现案结事了",
    "督促行政机关依法重新作出处理决定，化解群体性争议",
    "协调补偿安置方案，力争原告撤诉",
]
PROGRESS = [
    "召开专班会议，听取行政机关汇报，明确化解思路。",
    "与原告代表面谈，了解诉求，初步形成补偿方案。",
    "组织行政机关、法院、司法局四方会商，方案已征求原告意见。",
    "原告对补偿方案基本认可，正在完善协议文本。",
]
RECOMMENDATION_TEXTS = {
    RecommendationKind.JUDICIAL: [
        "规范行政处罚案件的告知、听证程序，完善执法文书格式",
        "建立行政应诉举证台账，确保在法定期限内提交证据",
        "加强执法人员培训，提高证据收集和固定能力",
    ],
    RecommendationKind.RECONSIDERATION_OPINION: [
        "对复议纠错案件开展倒查，查明原因并整改",
        "完善重大执法决定法制审核制度",
    ],
    RecommendationKind.SUPERVISION_NOTICE: [
        "清理超期未办结的依申请事项，逐件明确办理时限",
        "整改执法案卷评查中发现的程序瑕疵",
    ],
}
REPORTS = [
    "已修订执法文书格式，组织全体执法人员专题培训，附培训签到表。",
    "已建立举证台账，明确专人负责，本季度应诉案件均按期举证。",
    "已完成整改，相关制度已印发执行。",
]
ITEM_RETURN_NOTES = ["整改材料不完整，请补充制度文件和落实情况。"]


@contextmanager
def replayed_at(moment: datetime.datetime) -> Iterator[None]:
    """Run a transition as if it were ``moment``: everything it stamps (its fields, its Event, its notices) carries
    that moment. The workflows read the clock only through ``django.utils.timezone.now``."""
    real = timezone.now
    setattr(timezone, "now", lambda: moment)  # noqa: B010 (an assignment mypy would refuse)
    try:
        yield
    finally:
        setattr(timezone, "now", real)  # noqa: B010


DOCX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="word/document.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/></Relationships>'
    ),
}
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def word_file(name: str, title: str, body: str) -> SimpleUploadedFile:
    """A small Word document (title in bold, then the text): what a county or a court would upload. Written as the
    three parts a .docx needs, since building it with python-docx would cost a tenth of a second each."""
    runs = [f'<w:p><w:r><w:rPr><w:b/><w:sz w:val="32"/></w:rPr><w:t>{escape(title)}</w:t></w:r></w:p>',
            f"<w:p><w:r><w:t>{escape(body)}</w:t></w:r></w:p>"]  # fmt: skip
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}"><w:body>'
        f"{''.join(runs)}</w:body></w:document>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for part, xml in DOCX_PARTS.items():
            package.writestr(part, xml)
        package.writestr("word/document.xml", document)
    return SimpleUploadedFile(name, out.getvalue())


@dataclass
class SupervisionCounts:
    report_duties: Counter[str] = field(default_factory=Counter)
    compilations: int = 0
    transfers: Counter[str] = field(default_factory=Counter)
    packages: Counter[str] = field(default_factory=Counter)
    items: Counter[str] = field(default_factory=Counter)


class _Supervision:
    def __init__(self, *, seed: int, now: datetime.datetime, first_day: datetime.date) -> None:
        self.rng = random.Random(f"{seed}:supervision")
        self.now = timezone.localtime(now)
        self.today = self.now.date()
        self.first_day = first_day
        self.users = {u.username: u for u in User.objects.select_related("region", "organisation")}
        self.prefecture = Region.objects.get(level=RegionLevel.PREFECTURE)
        self.office_of_region = {
            u.region_id: u for u in self.users.values() if u.role == Role.RULE_OF_LAW_OFFICE and u.region_id
        }
        self.leader_of_region = {u.region_id: u for u in self.users.values() if u.role == Role.LEADER and u.region_id}
        self.liaison_of_org = {
            u.organisation_id: u
            for u in sorted(self.users.values(), key=lambda u: u.pk)
            if u.role == Role.AGENCY_LIAISON and u.organisation_id
        }
        self.counts = SupervisionCounts()
        self._template_file: dict[str, bytes] = {}

    @property
    def prefecture_office(self) -> User:
        return self.office_of_region[self.prefecture.pk]

    # --- moments ------------------------------------------------------------------------------------------------
    def at(self, day: datetime.date) -> datetime.datetime:
        """A moment in office hours on ``day``, before now."""
        minutes = self.rng.randint(9 * 60, 17 * 60 + 30)
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(minutes // 60, minutes % 60)))
        return min(moment, self.now - datetime.timedelta(minutes=self.rng.randint(5, 60)))

    def later(self, day: datetime.date, low: int, high: int) -> datetime.date:
        return day + datetime.timedelta(days=self.rng.randint(low, high))

    def happened(self, day: datetime.date) -> bool:
        """A step on ``day`` has happened by the time the demo runs (today's work is still to be done)."""
        return day < self.today

    def run(self, day: datetime.date, transition: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Call ``transition`` at a moment of ``day`` (its ``now``, and the clock it reads) and return what it returns:
        the record as the transition left it."""
        moment = self.at(day)
        with replayed_at(moment):
            return transition(*args, now=moment, **kwargs)

    # --- 书面报告 -----------------------------------------------------------------------------------------------
    def report_duties(self) -> None:
        day = self.first_day + datetime.timedelta(days=60)
        while day < self.today:
            moment = self.at(day)
            with replayed_at(moment):
                duties.open_report_duties(moment)
            day += datetime.timedelta(days=CHECK_EVERY_DAYS)
        reviewer = self.prefecture_office
        this_year = 0
        for duty in ReportDuty.objects.select_related("county", "government").order_by("opened_at", "pk"):
            reporter = self.office_of_region.get(duty.county_id) or self.liaison_of_org.get(duty.government_id or 0)
            if reporter is None:
                continue
            # An earlier year's duty was reported and accepted (a third of them after a return); this year's are in
            # turn still owed (overdue once due), reported and awaiting review, and returned for more.
            if duty.year == self.today.year:
                goes = ("owed", "submitted", "returned")[this_year % 3]
                this_year += 1
            else:
                goes = "returned_then_closed" if self.rng.random() < 0.35 else "closed"
            if goes != "owed":
                self.walk_duty(duty, reporter, reviewer, goes)
        for duty in ReportDuty.objects.all():
            state = "逾期" if duty.is_overdue(self.today) else duty.get_state_display()
            self.counts.report_duties[state] += 1

    def walk_duty(self, duty: ReportDuty, reporter: User, reviewer: User, goes: str) -> None:
        submitted = self.later(timezone.localtime(duty.opened_at).date(), 8, 28)
        if not self.happened(submitted):
            return
        self.submit_report(duty, reporter, submitted)
        reviewed = self.later(submitted, 3, 10)
        if goes == "submitted" or not self.happened(reviewed):
            return
        if goes in ("returned", "returned_then_closed"):
            note = self.rng.choice(RETURN_NOTES)
            self.run(reviewed, duties.return_report, duty, note=note, by=reviewer)
            again = self.later(reviewed, 4, 12)
            if goes == "returned" or not self.happened(again):
                return
            self.submit_report(duty, reporter, again)
            reviewed = self.later(again, 3, 8)
            if not self.happened(reviewed):
                return
        note = self.rng.choice(ACCEPT_NOTES)
        self.run(reviewed, duties.accept_report, duty, by=reviewer, note=note)

    def submit_report(self, duty: ReportDuty, reporter: User, day: datetime.date) -> None:
        title, body = REPORT_TEXT
        upload = word_file(
            f"{duty.county.name}{duty.year}年书面报告.docx",
            title.format(county=duty.county.name, year=duty.year),
            body.format(county=duty.county.name, year=duty.year),
        )
        self.run(day, duties.submit_report, duty, upload, by=reporter)

    # --- 典型案例 -----------------------------------------------------------------------------------------------
    def typical_cases(self) -> None:
        editor = self.prefecture_office
        year, quarter = self.today.year, (self.today.month - 1) // 3 + 1
        quarters = []
        for _ in range(TYPICAL_QUARTERS + 1):
            quarters.append((year, quarter))
            year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
        for year, quarter in reversed(quarters):
            start = datetime.date(year, 3 * quarter - 2, 1)
            end = (datetime.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)) - datetime.timedelta(days=1)
            current = end >= self.today
            opened = self.later(start, 20, 40) if current else self.later(end, 3, 10)
            if not self.happened(opened):
                opened = self.today - datetime.timedelta(days=1)
            losses = list(
                Case.objects.filter(
                    kind=CaseKind.LITIGATION,
                    instance=Instance.FIRST,
                    outcome__in=loss_outcomes(),
                    concluded_on__range=(start, min(end, opened)),
                )
                .select_related("defendant", "court")
                .order_by("concluded_on", "number")
            )
            if not losses:
                continue
            chosen = self.rng.sample(losses, min(len(losses), TYPICAL_CASES_PER_QUARTER - current))
            self.compile_quarter(editor, year, quarter, chosen, opened, issue=not current)

    def compile_quarter(
        self, editor: User, year: int, quarter: int, cases: Sequence[Case], opened: datetime.date, *, issue: bool
    ) -> None:
        moment = self.at(opened)
        with replayed_at(moment):
            compilation = typical.open_compilation(self.prefecture, year=year, quarter=quarter, by=editor, now=moment)
            for case in cases:
                item = typical.select_case(compilation, case, by=editor, now=moment)
                typical.edit_case(
                    item,
                    title=item.title,
                    summary=item.summary,
                    cause=item.cause or f"{case.defendant.name}在作出行政行为时存在{case.outcome_label}所指出的问题。",
                    comment=item.comment,
                    lesson=self.rng.choice(LESSONS),
                    by=editor,
                )
        self.counts.compilations += 1
        if not issue:
            return
        issued = self.later(opened, 5, 15)
        if not self.happened(issued):
            return
        compilation = self.run(issued, typical.issue_compilation, compilation, by=editor)
        for liaison in self.liaison_of_org.values():
            read = self.later(issued, 1, 12)
            if self.happened(read) and self.rng.random() < 0.8:
                self.run(read, typical.record_read, compilation, by=liaison)

    # --- 移送纪委 -----------------------------------------------------------------------------------------------
    def clue_transfers(self) -> None:
        reviewer = self.prefecture_office
        liaison = next(u for u in self.users.values() if u.role == Role.DISCIPLINE_LIAISON)
        candidates = list(
            LossReview.objects.filter(transfers.clue_filter(), state=LossReviewState.CLOSED)
            .select_related("case", "agency")
            .order_by("closed_at", "pk")
        )
        if len(candidates) > TRANSFERS_AT_MOST:
            # The most recent ones (still in their early steps) and some of every earlier year.
            recent = candidates[-TRANSFERS_AT_MOST // 2 :]
            earlier = self.rng.sample(candidates[: -TRANSFERS_AT_MOST // 2], TRANSFERS_AT_MOST - len(recent))
            candidates = sorted([*earlier, *recent], key=lambda r: (r.closed_at, r.pk))
        # A review closed in the last month waits for the county's initial review (a candidate on 待提出); of the
        # others, the four most recent are still on their way: proposed, submitted, transferred, acknowledged.
        settled_before = self.today - datetime.timedelta(days=TRANSFER_SETTLES_DAYS)
        candidates = [r for r in candidates if r.closed_at and timezone.localtime(r.closed_at).date() < settled_before]
        numbers: Counter[int] = Counter()
        for index, review in enumerate(candidates):
            steps = {1: 1, 2: 2, 3: 3, 4: 4}.get(len(candidates) - index, 5)
            self.clue_transfer(review, steps, reviewer, liaison, numbers)
        for state in transfers.ClueTransfer.objects.values_list("state", flat=True):
            self.counts.transfers[str(TransferState(state).label)] += 1

    def clue_transfer(
        self, review: LossReview, steps: int, reviewer: User, liaison: User, numbers: Counter[int]
    ) -> None:
        """One clue, from its proposal on, as far as ``steps`` (1 to 5) and the days allow."""
        assert review.closed_at is not None and review.case.county_id is not None
        proposer = self.office_of_region.get(review.case.county_id) or reviewer
        proposed = self.later(timezone.localtime(review.closed_at).date(), 3, 20)
        if not self.happened(proposed):
            return
        clue = transfers.clue_of(review)
        facts = CLUE_FACTS[ClueKind(clue)].format(agency=review.agency.name)
        transfer = self.run(proposed, transfers.propose, review, clue=clue, facts=facts, by=proposer)
        submitted = self.later(proposed, 1, 6)
        if steps < 2 or not self.happened(submitted):
            return
        transfer = self.run(submitted, transfers.submit, transfer, by=proposer)
        decided = self.later(submitted, 4, 15)
        if steps < 3 or not self.happened(decided):
            return
        if steps == 5 and self.rng.random() < 0.2:
            reason = self.rng.choice(REJECT_REASONS)
            self.run(decided, transfers.reject, transfer, reason=reason, by=reviewer)
            return
        numbers[decided.year] += 1
        number = f"云岭法治办移〔{decided.year}〕{numbers[decided.year]}号"
        transfer = self.run(decided, transfers.transfer_clue, transfer, on=decided, number=number, by=reviewer)
        signed = self.later(decided, 1, 4)
        if steps < 4 or not self.happened(signed):
            return
        transfer = self.run(signed, transfers.acknowledge, transfer, by=liaison)
        answered = self.later(signed, 20, 70)
        if steps < 5 or not self.happened(answered):
            return
        result = self.rng.choice(ANSWERS).format(agency=review.agency.name)
        self.run(answered, transfers.answer, transfer, result=result, by=liaison)

    # --- 领导包案 -----------------------------------------------------------------------------------------------
    # (months before today it was created, months it runs, how it goes)
    SCENARIOS = [
        (11, 4, "resolved"),
        (5, 3, "on_track"),
        (4, 3, "silent"),
        (4, 2, "past_due"),
        (8, 3, "unresolved"),
        (3, 4, "on_track"),
        (6, 3, "withdrawn"),
        (2, 3, "on_track"),
        (7, 3, "resolved"),
    ]

    def packages(self) -> None:
        places = [self.prefecture, *Region.objects.filter(level=RegionLevel.COUNTY).order_by("path")]
        for index, place in enumerate(places):
            office, leader = self.office_of_region.get(place.pk), self.leader_of_region.get(place.pk)
            if office is None or leader is None:
                continue
            scenarios = [self.SCENARIOS[index % len(self.SCENARIOS)]]
            if place == self.prefecture:
                scenarios.append((3, 2, "past_due"))
            for months_ago, months, how in scenarios:
                self.package(place, office, leader, months_ago, months, how)
        for package in CasePackage.objects.all():
            state = "落后" if package.is_lagging(self.today) else package.get_state_display()
            self.counts.packages[state] += 1

    def package(self, place: Region, office: User, leader: User, months_ago: int, months: int, how: str) -> None:
        created = self.today - datetime.timedelta(days=30 * months_ago + self.rng.randint(0, 10))
        due = created + datetime.timedelta(days=30 * months)
        kind = PackageKind.SUPERVISE if place == self.prefecture else PackageKind.RESOLVE
        pending = (
            Case.objects.filter(region__path__startswith=place.path, kind=CaseKind.LITIGATION, filed_on__lt=created)
            .filter(Q(concluded_on__isnull=True) | Q(concluded_on__gt=created))
            .exclude(packages__isnull=False)
        )
        groups = list(pending.filter(group_size__isnull=False).order_by("filed_on", "pk")[:3])
        cases = groups[:2] or list(pending.order_by("-filed_on", "pk")[:1])
        if not cases:
            return
        goal = self.rng.choice(PACKAGE_GOALS)
        moment = self.at(created)
        with replayed_at(moment):
            package = packaging.create_package(
                kind=kind, leader=leader, cases=cases, goal=goal, due_on=due, by=office, now=moment
            )
        # Monthly progress by the leader; a "silent" package stops reporting two months ago.
        stop = self.today - datetime.timedelta(days=45) if how == "silent" else min(due, self.today)
        reported = self.later(created, 20, 30)
        n = 0
        while reported < stop and self.happened(reported):
            text = PROGRESS[min(n, len(PROGRESS) - 1)]
            self.run(reported, packaging.report_progress, package, text=text, reported_on=reported, by=leader)
            n += 1
            reported = self.later(reported, 26, 34)
        if how in ("silent", "past_due"):
            lagging_since = (
                due + datetime.timedelta(days=1)
                if how == "past_due"
                else package.last_activity_on + datetime.timedelta(days=32)
            )
            held = self.later(lagging_since, 2, 6)
            if self.happened(held) and package.is_lagging(held):
                self.run(
                    held,
                    packaging.record_interview,
                    package,
                    held_on=held,
                    interviewer=f"{office.display_name}（依法治办）",
                    interviewee=f"{leader.display_name}（包案领导）",
                    conclusions="包案领导说明化解进展滞后的原因，承诺两周内召开专班会议并报送进展。",
                    by=office,
                )
        closing = {"resolved": PackageState.RESOLVED, "unresolved": PackageState.UNRESOLVED,
                   "withdrawn": PackageState.WITHDRAWN}.get(how)  # fmt: skip
        if closing is not None:
            closed = min(self.later(due, -10, 0), self.today - datetime.timedelta(days=3))
            note = {
                PackageState.RESOLVED: "原告已撤诉，争议实质性化解。",
                PackageState.UNRESOLVED: "经多次协调，原告坚持诉讼，已依法等待法院裁判，包案结束。",
                PackageState.WITHDRAWN: "案件已移交协调化解中心统一办理，撤销包案。",
            }[closing]
            self.run(closed, packaging.close_package, package, state=closing, note=note, by=office)

    # --- 销账本 -------------------------------------------------------------------------------------------------
    def rectification(self) -> None:
        issuers: list[tuple[User, str]] = [
            (u, RecommendationKind.JUDICIAL) for u in self.users.values() if u.role == Role.COURT_LIAISON
        ]
        issuers += [(u, RecommendationKind.RECONSIDERATION_OPINION) for u in self.users.values()
                    if u.role == Role.RECONSIDERATION_BODY]  # fmt: skip
        issuers.append((self.prefecture_office, RecommendationKind.SUPERVISION_NOTICE))
        issuers.sort(key=lambda pair: pair[0].pk)
        numbers: Counter[tuple[int, int]] = Counter()
        for issuer_user, kind in issuers:
            issuer_org = issuer_user.organisation or self.office_org(self.prefecture)
            region = issuer_org.region
            agencies = list(Organisation.objects.filter(kind=OrganisationKind.AGENCY, region=region).order_by("name"))
            with_liaison = [a for a in agencies if a.pk in self.liaison_of_org]
            # One recent document (still being rectified) and, to an agency that reports, an older one (mostly done).
            ages = (
                [self.rng.randint(100, 220), self.rng.randint(20, 75)] if with_liaison else [self.rng.randint(20, 75)]
            )
            for age in ages:
                recipient = self.rng.choice(with_liaison or agencies)
                issued = self.today - datetime.timedelta(days=age)
                numbers[(issuer_org.pk, issued.year)] += 1
                self.recommendation(
                    issuer_user, issuer_org, kind, recipient, issued, numbers[(issuer_org.pk, issued.year)]
                )
        for item in Item.objects.all():
            state = "逾期" if item.is_overdue(self.today) else item.get_state_display()
            self.counts.items[state] += 1

    def office_org(self, region: Region) -> Organisation:
        return Organisation.objects.get(kind=OrganisationKind.RULE_OF_LAW_OFFICE, region=region)

    def recommendation(
        self, by: User, issuer: Organisation, kind: str, recipient: Organisation, issued: datetime.date, n: int
    ) -> None:
        label = RecommendationKind(kind).label
        short = issuer.region.name.removesuffix("州")
        number = {
            RecommendationKind.JUDICIAL: f"（{issued.year}）{short}法司建{n}号",
            RecommendationKind.RECONSIDERATION_OPINION: f"{short}司复意〔{issued.year}〕{n}号",
            RecommendationKind.SUPERVISION_NOTICE: f"{short}法治办监〔{issued.year}〕{n}号",
        }[RecommendationKind(kind)]
        texts = RECOMMENDATION_TEXTS[RecommendationKind(kind)]
        chosen = self.rng.sample(texts, self.rng.randint(1, len(texts)))
        document = word_file(f"{number}.docx", f"{issuer.name}{label}", "；".join(chosen) + "。")
        registered = self.later(issued, 1, 4)
        if not self.happened(registered):
            registered = self.today - datetime.timedelta(days=1)
        moment = self.at(registered)
        with replayed_at(moment):
            rec = rectification.register_recommendation(
                kind=kind, number=number, issuer=issuer, recipient=recipient, issued_on=issued, document=document,
                items=[rectification.ItemDraft(text=t) for t in chosen],
                summary=f"针对{recipient.name}在行政执法和行政应诉中存在的问题提出{label}。", by=by, now=moment,
            )  # fmt: skip
        owner = self.liaison_of_org.get(recipient.pk)
        if owner is None:
            return
        for item in rec.items.order_by("position"):
            # Most report before the due date; some late, some not yet.
            roll = self.rng.random()
            if roll < 0.2:
                continue
            reported = self.later(item.due_on, -30, -3) if roll < 0.85 else self.later(item.due_on, 3, 20)
            reported = max(reported, registered + datetime.timedelta(days=2))
            if not self.happened(reported):
                continue
            text = self.rng.choice(REPORTS)
            self.run(reported, rectification.report_item, item, text=text, by=owner)
            checked = self.later(reported, 2, 10)
            if not self.happened(checked) or issued >= self.today - datetime.timedelta(days=RECENT_DOCUMENT_DAYS):
                continue  # a recent document's reports await the issuer's check
            if self.rng.random() < 0.2:
                note = self.rng.choice(ITEM_RETURN_NOTES)
                self.run(checked, rectification.return_item, item, note=note, by=by)
                continue
            self.run(checked, rectification.verify_item, item, by=by)


def build_supervision(*, seed: int, now: datetime.datetime, first_day: datetime.date) -> SupervisionCounts:
    """Replay the supervision work of the demo prefecture (see the module docstring)."""
    demo = _Supervision(seed=seed, now=now, first_day=first_day)
    demo.report_duties()
    demo.typical_cases()
    demo.clue_transfers()
    demo.packages()
    demo.rectification()
    return demo.counts
