"""The demo's reconsideration files (行政复议办案, SPEC §6.8), handled through ``reconsideration.workflow``.

``build_reconsideration`` runs inside ``generate_demo`` after the supervision work. The 州司法局 (the 州人民政府's
reconsideration body) holds about twenty files against the 州's departments and the counties' governments, each
made by the workflow's transitions replayed at the moments they happened (``supervision.replayed_at``), so every file
has its timeline, its deadlines and the state its steps lead to — never a state written directly. Together they are
what a body has on its desk at once: applications just received (at the window, by post, online), under examination,
awaiting a 补正, accepted with the respondent's reply due, a reply overdue and one given late (第70条), a simplified
case, a 听证 coming, suspended, in mediation, decided, served and published (撤销, 维持, 确认违法, 驳回, 调解, 和解), one with its 意见书 in the
销账本, refused (不予受理), deemed accepted (第30条第3款) and lapsed for want of a 补正 (第31条第2款).

The 州自然资源局 (whose liaison logs in) answers several of them: its replies page has files awaiting a reply, one
overdue, and the ones answered. All files share one follow-up code (``DEMO_FOLLOW_CODE``), hashed once: the public
follow page can be tried with any receipt number and it.

Determinism: drawn from ``random.Random(f"{seed}:reconsideration")``; the days are counted back from the day the demo
runs, and each step that would fall on it or after it is left undone (the file stays where its steps stopped).
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fuyuan.cases.choices import ActType, Domain, ReconsiderationOutcome
from fuyuan.core.models import Organisation, OrganisationKind, Region, RegionLevel, Role, User
from fuyuan.core.timeline import Actor
from fuyuan.demo.supervision import replayed_at, word_file
from fuyuan.reconsideration import workflow
from fuyuan.reconsideration.choices import Channel, MaterialKind, MediationKind, Procedure, RejectionGround, Stage
from fuyuan.reconsideration.models import Application

T = TypeVar("T")
DEMO_FOLLOW_CODE = "20262026"
SWEEP = Actor(label="系统定时任务")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

# (what the file shows, how many, received how many days ago (low, high)). The steps of each are in ``_Files.walk``.
PLAN: list[tuple[str, int, tuple[int, int]]] = [
    ("received", 2, (1, 2)),
    ("examining", 1, (2, 4)),
    ("correction", 1, (2, 4)),
    ("awaiting_reply", 2, (6, 10)),
    ("reply_overdue", 1, (32, 40)),
    ("reply_late", 1, (50, 56)),
    ("simplified", 1, (10, 20)),
    ("hearing_coming", 1, (24, 30)),
    ("suspended", 1, (40, 60)),
    ("mediating", 1, (25, 35)),
    ("decided", 3, (75, 140)),
    ("mediated", 1, (60, 90)),
    ("opinion", 1, (90, 120)),
    ("rejected", 1, (8, 40)),
    ("deemed", 1, (20, 30)),
    ("lapsed", 1, (40, 60)),
]
# The decisions of ``decided`` files, in turn (第63-69条; 和解 第74条).
DECISIONS = [
    (ReconsiderationOutcome.UPHELD, "被申请人认定事实清楚，证据确凿，适用依据正确，程序合法，内容适当，决定维持。"),
    (ReconsiderationOutcome.REVOKED, "被申请人作出行政行为前未告知申请人陈述、申辩的权利，程序违法，决定撤销。"),
    (ReconsiderationOutcome.REJECTED, "申请人请求被申请人履行的职责不属于其法定职责，驳回行政复议请求。"),
    (ReconsiderationOutcome.CONFIRMED_ILLEGAL, "被申请人的强制行为已实施完毕，不具有可撤销内容，确认违法。"),
    (ReconsiderationOutcome.SETTLED, "双方自愿达成和解，内容不损害社会公共利益和他人合法权益，本案终结。"),
    (ReconsiderationOutcome.UPHELD, "被申请人的处罚决定事实清楚、程序合法、处罚适当，决定维持。"),
]
ACTS = {
    ActType.PENALTY: ("行政处罚决定", "罚款{amount}元", "撤销该行政处罚决定"),
    ActType.REGISTRATION: ("不动产登记行为", "", "撤销该不动产登记"),
    ActType.CONFIRMATION: ("工伤认定决定", "", "撤销该工伤认定决定并责令重新作出"),
    ActType.INFORMATION: ("政府信息公开答复", "", "撤销该答复并责令重新答复"),
    ActType.LEVY: ("房屋征收补偿决定", "", "撤销该征收补偿决定"),
    ActType.NONPERFORMANCE: ("不履行法定职责", "", "责令被申请人履行法定职责"),
}
# The respondents' kinds of act (the 州's departments; the counties' governments for 征收 and 信息公开).
ACT_OF_AGENCY = {
    "自然资源局": [ActType.REGISTRATION, ActType.PENALTY],
    "公安局": [ActType.PENALTY],
    "市场监督管理局": [ActType.PENALTY],
    "人力资源和社会保障局": [ActType.CONFIRMATION],
    "住房和城乡建设局": [ActType.PENALTY, ActType.NONPERFORMANCE],
    "人民政府": [ActType.LEVY, ActType.INFORMATION],
}
DOMAIN_OF_AGENCY = {
    "自然资源局": Domain.NATURAL_RESOURCES,
    "公安局": Domain.PUBLIC_SECURITY,
    "市场监督管理局": Domain.MARKET,
    "人力资源和社会保障局": Domain.LABOUR,
    "住房和城乡建设局": Domain.HOUSING,
    "人民政府": Domain.LAND_EXPROPRIATION,
}
REPLY = (
    "被申请人认为：被诉行政行为认定事实清楚，证据确凿，适用依据正确，程序合法。现将作出该行政行为的证据、依据和"
    "其他有关材料一并提交，请求维持。"
)


@dataclass
class ReconsiderationCounts:
    files: int = 0
    stages: Counter[str] = field(default_factory=Counter)


def _id_number(rng: random.Random) -> str:
    """A made-up 18-digit number of the demo's made-up region code 532701, with a valid check digit (GB 11643)."""
    body = f"532701{rng.randint(1960, 2000)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(100, 999)}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]
    return body + check


class _Files:
    def __init__(self, *, seed: int, now: datetime.datetime, person: Callable[[random.Random], str]) -> None:
        self.rng = random.Random(f"{seed}:reconsideration")
        self.now = timezone.localtime(now)
        self.today = self.now.date()
        self.person = person
        prefecture = Region.objects.get(level=RegionLevel.PREFECTURE)
        self.body = Organisation.objects.get(kind=OrganisationKind.JUSTICE_BUREAU, region=prefecture)
        staff = User.objects.filter(role=Role.RECONSIDERATION_BODY, organisation=self.body, is_active=True)
        self.staff = staff.filter(is_head=False).order_by("pk").first()
        self.head = staff.filter(is_head=True).order_by("pk").first()
        departments = Organisation.objects.filter(kind=OrganisationKind.AGENCY, region=prefecture)
        self.respondents = [o for o in departments.order_by("name") if self.suffix(o) in ACT_OF_AGENCY]
        self.respondents += list(
            Organisation.objects.filter(kind=OrganisationKind.AGENCY, region__parent=prefecture, name__endswith="人民政府")
            .order_by("name")
        )  # fmt: skip
        self.liaison = {
            u.organisation_id: u for u in User.objects.filter(role=Role.AGENCY_LIAISON, is_active=True).order_by("-pk")
        }
        # The department whose liaison logs in answers a share of the files (its replies page has them all).
        self.answering = next((o for o in self.respondents if o.pk in self.liaison), self.respondents[0])
        # The demo's code is printed for all to try, so its hash protects nothing: it is made with few iterations
        # (check_password reads them from the hash) rather than the production hasher's second of work.
        hashed = PBKDF2PasswordHasher().encode(DEMO_FOLLOW_CODE, PBKDF2PasswordHasher().salt(), iterations=1000)
        self.follow_code = workflow.FollowCode(DEMO_FOLLOW_CODE, hashed)
        self.counts = ReconsiderationCounts()
        self.decisions = 0
        self.opinions = 0
        self.last = self.now

    @staticmethod
    def suffix(org: Organisation) -> str:
        return org.name.removeprefix(org.region.name)

    def at(self, day: datetime.date) -> datetime.datetime:
        """A moment in office hours on ``day``, before now, and after the file's previous step (its timeline keeps
        the order of the steps)."""
        minutes = self.rng.randint(9 * 60, 17 * 60 + 30)
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(minutes // 60, minutes % 60)))
        moment = min(moment, self.now - datetime.timedelta(minutes=self.rng.randint(30, 90)))
        if moment <= self.last:
            moment = self.last + datetime.timedelta(minutes=self.rng.randint(1, 10))
        self.last = moment
        return moment

    def run(self, day: datetime.date, transition: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """``transition`` at a moment of ``day``, or None (not done) when that day is not over: like the demo's cases,
        the files reach the day before the demo runs (today's work is still to be done)."""
        if day >= self.today:
            return None
        with replayed_at(self.at(day)):
            return transition(*args, **kwargs)

    def fresh(self, application: Application) -> Application:
        return Application.objects.select_related("case", "body", "respondent").get(pk=application.pk)

    # --- receipt ---------------------------------------------------------------------------------------------------
    def receive(self, day: datetime.date, respondent: Organisation, *, warning: bool = False) -> Application:
        rng = self.rng
        suffix = self.suffix(respondent)
        act_type = ActType.PENALTY if warning else rng.choice(ACT_OF_AGENCY[suffix])
        act, detail, request = ACTS[act_type]
        amount = Decimal(rng.choice([200, 500, 2000, 5000, 20000, 50000])) if act_type == ActType.PENALTY else None
        number = f"云{rng.randint(10, 99)}{act[:2]}〔{day.year}〕{rng.randint(1, 300)}号"
        if warning:
            detail, amount = "警告", None
        name = self.person(rng)
        values: dict[str, Any] = {
            "applicant_name": name,
            "applicant_id_number": _id_number(rng),
            "applicant_phone": f"139{rng.randint(10**7, 10**8 - 1):08d}",
            "applicant_address": f"{respondent.region.name}{rng.choice(['城关镇', '河西街道', '新华路'])}{rng.randint(1, 200)}号",
            "contested_act": f"{respondent.name}作出的{number}{act}" + (f"（{detail.format(amount=amount)}）" if detail else ""),
            "act_document_number": number,
            "known_on": day - datetime.timedelta(days=rng.randint(5, 50)),
            "request": request,
            "facts_and_reasons": "申请人认为该行政行为认定事实不清、证据不足，作出前未听取申请人的陈述和申辩，程序违法。",
            "domain": DOMAIN_OF_AGENCY[suffix],
            "act_type": act_type,
            "amount": amount,
            "act_is_warning": warning,
        }  # fmt: skip
        channel = rng.choice([Channel.WINDOW, Channel.WINDOW, Channel.POST, Channel.ONLINE, Channel.ORAL])
        assert self.staff is not None
        by: User | Actor = workflow.ONLINE_APPLICANT if channel == Channel.ONLINE else self.staff
        receipt = self.run(
            day,
            workflow.receive_application,
            values,
            body=self.body,
            respondent=respondent,
            channel=channel,
            by=by,
            received_on=day if channel != Channel.ONLINE else None,
            follow_code=self.follow_code,
        )
        assert receipt is not None
        application = receipt.application
        if self.rng.random() < 0.25:
            upload = SimpleUploadedFile("行政复议申请书.pdf", PDF, content_type="application/pdf")
            self.run(
                day, workflow.add_material, application, kind=MaterialKind.APPLICATION, upload=upload, by=self.staff
            )
        return application

    # --- the steps ------------------------------------------------------------------------------------------------
    def accept(self, a: Application, day: datetime.date, procedure: str = Procedure.ORDINARY) -> None:
        self.run(day, workflow.accept, a, by=self.staff, procedure=procedure)

    def copy_and_reply(self, a: Application, sent: datetime.date, replied: datetime.date | None) -> None:
        self.run(sent, workflow.send_copy_to_respondent, a, by=self.staff)
        if replied is None:
            return
        answerer = self.liaison.get(a.respondent_id, self.staff)
        self.run(replied, workflow.record_reply, a, text=REPLY, by=answerer)
        if answerer != self.staff and replied <= self.today:
            upload = word_file("答复书及证据目录.docx", "行政复议答复书", REPLY)
            self.run(replied, workflow.add_material, a, kind=MaterialKind.REPLY, upload=upload, by=answerer)

    def in_procedure(self, a: Application, d: datetime.date, procedure: str = Procedure.ORDINARY) -> None:
        """Accepted the day after receipt, the copy sent the day after, answered within a week."""
        self.accept(a, d + datetime.timedelta(days=1), procedure)
        self.copy_and_reply(a, d + datetime.timedelta(days=2), d + datetime.timedelta(days=self.rng.randint(5, 8)))

    def decide(self, a: Application, day: datetime.date, outcome: str, grounds: str) -> None:
        facts = f"经审理查明：被申请人作出{a.contested_act}，申请人不服，于{a.received_on:%Y年%m月%d日}申请行政复议。"
        if self.run(day, workflow.decide, a, outcome=outcome, facts=facts, grounds=grounds, by=self.head) is None:
            return
        served = day + datetime.timedelta(days=self.rng.randint(2, 5))
        if self.run(served, workflow.record_service, a, on=served, by=self.staff) is None:
            return
        self.decisions += 1
        if self.decisions % 2:
            return  # not every decision is published yet
        published = served + datetime.timedelta(days=self.rng.randint(3, 10))
        text = f"{self.fresh(a).contested_act}。申请人{a.applicant_name}不服，申请行政复议。本机关认为：{grounds}"
        self.run(published, workflow.publish, a, text=text, by=self.staff)

    def walk(self, kind: str, d: datetime.date, respondent: Organisation) -> Application:
        self.last = timezone.make_aware(datetime.datetime.combine(d, datetime.time(8)))
        a = self.receive(d, respondent, warning=kind == "simplified")
        day = lambda n: d + datetime.timedelta(days=n)  # noqa: E731
        if kind == "examining":
            self.run(day(1), workflow.start_examination, a, by=self.staff)
        elif kind in ("correction", "lapsed"):
            items = ["申请人身份证明复印件", "被申请行政复议的行政行为的文书或者证明材料"][: self.rng.randint(1, 2)]
            self.run(day(1), workflow.request_correction, a, items=items, by=self.staff)
            if kind == "lapsed":
                lapsed = workflow.correction_due(self.fresh(a)) + datetime.timedelta(days=1)
                self.run(lapsed, workflow.withdraw_for_silence, a, by=SWEEP)
        elif kind == "rejected":
            other = Organisation.objects.filter(kind=OrganisationKind.JUSTICE_BUREAU, region=respondent.region).first()
            transfer = other if self.rng.random() < 0.5 and other != self.body else None
            if transfer:  # 第30条第1款第(六)项: another body's case, transferred
                grounds, reason = (
                    [RejectionGround.NOT_COMPETENT],
                    "被申请人系县级人民政府工作部门，本机关不是该行政复议申请的行政复议机关",
                )
            else:  # 第30条第1款第(七)项
                grounds, reason = (
                    [RejectionGround.IN_LITIGATION],
                    "申请人已就同一行政行为向人民法院提起行政诉讼，人民法院已经依法受理",
                )
            self.run(
                day(2), workflow.reject, a, grounds=grounds, reason=reason, by=self.staff, competent_body=transfer,
            )  # fmt: skip
        elif kind == "deemed":
            due = workflow.acceptance_due(self.fresh(a))
            assert due is not None
            self.run(due + datetime.timedelta(days=1), workflow.deem_accepted, a, by=SWEEP)
            self.copy_and_reply(a, due + datetime.timedelta(days=3), due + datetime.timedelta(days=9))
        elif kind == "awaiting_reply":
            self.accept(a, day(1))
            self.copy_and_reply(a, day(2), None)
        elif kind == "reply_overdue":
            self.accept(a, day(1))
            self.copy_and_reply(a, day(3), None)
        elif kind == "reply_late":
            self.accept(a, day(1))
            self.copy_and_reply(a, day(3), day(33))
        elif kind == "simplified":
            self.in_procedure(a, d, Procedure.SIMPLIFIED)
        elif kind == "hearing_coming":
            self.in_procedure(a, d)
            scheduled = self.today - datetime.timedelta(days=3)
            held = scheduled + datetime.timedelta(days=21)
            moment = timezone.make_aware(datetime.datetime.combine(held, datetime.time(9, 30)))
            hearing = self.run(
                scheduled, workflow.schedule_hearing, a, held_at=moment, place=f"{self.body.name}听证室",
                matters="被申请人作出行政行为的事实认定和程序是否合法", by=self.staff,
            )  # fmt: skip
            assert hearing is not None
            self.run(scheduled + datetime.timedelta(days=1), workflow.send_hearing_notice, hearing, by=self.staff)
            heads = list(a.respondent.heads_on(held).order_by("post"))
            liaison = self.liaison.get(a.respondent_id)
            if liaison is not None and heads:
                self.run(scheduled + datetime.timedelta(days=2), workflow.designate_hearing_head, hearing,
                         name=heads[0].name, by=liaison)  # fmt: skip
        elif kind == "suspended":
            self.in_procedure(a, d)
            self.run(day(20), workflow.suspend, a, by=self.staff,
                     reason="本案须以相关民事纠纷的审理结果为依据，该案尚未审结（行政复议法第39条）")  # fmt: skip
        elif kind in ("mediating", "mediated"):
            self.in_procedure(a, d)
            mediation = self.run(day(15), workflow.start_mediation, a, kind=MediationKind.MEDIATION,
                                 mediator=f"{self.body.name}行政复议调解和解委员会", by=self.staff)  # fmt: skip
            if kind == "mediated" and mediation is not None:
                terms = "被申请人将罚款数额调整为原决定的一半，申请人自愿放弃其他复议请求。"
                self.run(day(35), workflow.end_mediation, mediation, succeeded=True, terms=terms, by=self.staff)
                self.run(day(38), workflow.record_service, a, on=day(38), by=self.staff)
        elif kind == "decided":
            self.in_procedure(a, d)
            outcome, reasons = DECISIONS[self.decisions % len(DECISIONS)]
            self.decide(a, day(self.rng.randint(35, 55)), outcome, reasons)
        elif kind == "opinion":
            self.in_procedure(a, d)
            self.decide(a, day(45), *DECISIONS[1])
            self.opinions += 1
            number = f"云岭府复意〔{day(50).year}〕{self.opinions}号"
            text = "被申请人在作出行政处罚前未依法告知当事人陈述、申辩的权利，同类问题多次出现，请加强执法程序管理。"
            document = word_file(f"{number}.docx", f"{self.body.name}行政复议意见书", text)
            self.run(
                day(50), workflow.issue_opinion, self.fresh(a), number=number, text=text, document=document,
                items=["开展行政处罚程序专项检查", "对相关执法人员进行执法程序培训"], by=self.head,
            )  # fmt: skip
        return a

    def build(self) -> None:
        if self.staff is None or self.head is None or not self.respondents:
            return
        others = [o for o in self.respondents if o != self.answering]
        n = 0
        for kind, count, (low, high) in PLAN:
            for _ in range(count):
                # Every third file is the logged-in department's, and its 听证 and an overdue reply (its replies page
                # shows each kind of file).
                ours = n % 3 == 0 or kind in ("hearing_coming", "reply_overdue") or (kind == "awaiting_reply" and n % 2)
                respondent = self.answering if ours else self.rng.choice(others)
                received = self.today - datetime.timedelta(days=self.rng.randint(low, high))
                self.walk(kind, received, respondent)
                n += 1
        self.counts.files = n
        stages = Application.objects.filter(body=self.body).values_list("stage", flat=True)
        self.counts.stages.update(str(Stage(stage).label) for stage in stages)


def build_reconsideration(
    *, seed: int, now: datetime.datetime, person: Callable[[random.Random], str]
) -> ReconsiderationCounts:
    """Handle the demo's reconsideration files through the workflow (see the module docstring)."""
    files = _Files(seed=seed, now=now, person=person)
    files.build()
    return files.counts
