"""The demo's enforcement supervision (行政执法监督, SPEC §6.7 items 1-2), replayed through the app's own doors.

``build_enforcement`` runs inside ``generate_demo`` once the users exist. The 州司法局's supervision staff (``zfjd_zhou``)
register every agency of the prefecture but the governments as an enforcement body (``register_body``), confirm most
and publish many; then import the exam platform's workbook (``importer``: a few hundred officers with their
certificates and this year's and last year's training) — some certificates lapsing within the warning days, a few
lapsed, a few whose 审验 is overdue. The legal staff of the bodies with a demo log-in take major decisions through
``workflow``: reviewed and filed in time, one filed late, one made without review, one awaiting its filing, one still
being prepared. Each transition runs "at" its day (``replayed_at``). Determinism: ``random.Random(f"{seed}:enforcement")``;
the dates depend on the day the demo runs.
"""

from __future__ import annotations

import datetime
import io
import random
from typing import Any

from django.utils import timezone
from openpyxl import Workbook

from fuyuan.core.models import Organisation, OrganisationKind, Role, User
from fuyuan.demo.supervision import replayed_at
from fuyuan.enforcement import importer
from fuyuan.enforcement import workflow as wf
from fuyuan.enforcement.choices import DecisionKind, MajorGround, ReviewConclusion
from fuyuan.enforcement.models import EnforcementBody

# The laws that give each kind of agency its powers (法定依据), and the powers (执法职权范围), by the name's end.
BASES = {
    "自然资源局": ("《中华人民共和国土地管理法》第五条、第六十七条；《中华人民共和国矿产资源法》第十一条",
              "土地、矿产资源违法行为的行政处罚、行政强制；不动产登记"),
    "公安局": ("《中华人民共和国治安管理处罚法》第七条、第九十一条；《中华人民共和国道路交通安全法》第五条",
            "治安管理、道路交通安全管理的行政处罚、行政强制"),
    "市场监督管理局": ("《中华人民共和国行政处罚法》第十八条；《中华人民共和国食品安全法》第六条",
                "市场主体登记、食品安全、产品质量、价格监督检查的行政处罚、行政强制"),
    "人力资源和社会保障局": ("《劳动保障监察条例》第三条；《中华人民共和国社会保险法》第七十七条", "劳动保障监察、社会保险的行政处罚、工伤认定"),
    "住房和城乡建设局": ("《中华人民共和国城乡规划法》第十一条；《中华人民共和国建筑法》第六条", "建筑市场、房地产市场、城市建设的行政处罚、行政强制"),
    "生态环境局": ("《中华人民共和国环境保护法》第十条、第二十五条", "环境污染违法行为的行政处罚、查封扣押"),
    "林业局": ("《中华人民共和国森林法》第九条、第六十七条", "林业违法行为的行政处罚、林木采伐许可"),
    "交通运输局": ("《中华人民共和国公路法》第八条；《中华人民共和国道路运输条例》第七条", "公路路政、道路运输的行政处罚、行政强制"),
    "教育局": ("《中华人民共和国教育法》第十五条；《中华人民共和国民办教育促进法》第七条", "民办学校、校外培训机构的行政许可、行政处罚"),
    "卫生健康局": ("《中华人民共和国基本医疗卫生与健康促进法》第七条；《医疗机构管理条例》第五条", "医疗卫生、公共场所卫生的行政许可、行政处罚"),
}  # fmt: skip
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国文斌宇浩凯鹏飞鑫波辉红玉梅林峰晨阳"
OFFICERS_PER_BODY = (2, 6)
CASES = [
    "{}违法占用耕地建房案", "{}无证经营案", "{}超标排放污染物案", "{}未批先建案", "{}拖欠农民工工资案",
    "{}非法采砂案", "{}超限运输案", "{}违法销售不合格产品案",
]  # fmt: skip
COMPANIES = ["云岭鑫达建材有限公司", "青山宏远矿业有限公司", "石门县丰源化工厂", "安泰物流有限公司", "龙溪腾飞建筑公司",
             "松林县绿源农业合作社", "云城区恒通运输队", "白水县金穗食品厂"]  # fmt: skip


class _Enforcement:
    def __init__(self, *, seed: int, now: datetime.datetime) -> None:
        self.rng = random.Random(f"{seed}:enforcement")
        self.now = now
        self.today = timezone.localdate(now)
        self.supervisor = User.objects.get(username="zfjd_zhou")
        self.counts: dict[str, int] = {}

    def at(self, day: datetime.date, hour: int = 10) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))

    def bodies(self) -> list[EnforcementBody]:
        agencies = Organisation.objects.filter(kind=OrganisationKind.AGENCY).exclude(name__endswith="人民政府")
        made = []
        registered_on = self.today - datetime.timedelta(days=300)
        for org in agencies.order_by("region__path", "name"):
            suffix = next((s for s in BASES if org.name.endswith(s)), None)
            if suffix is None:
                continue
            basis, scope = BASES[suffix]
            with replayed_at(self.at(registered_on)):
                body = wf.register_body(org, legal_basis=basis, scope=scope, by=self.supervisor)
            draw = self.rng.random()
            if draw < 0.9:
                with replayed_at(self.at(registered_on + datetime.timedelta(days=20))):
                    wf.confirm_body(body, by=self.supervisor)
            if draw < 0.7:
                with replayed_at(self.at(registered_on + datetime.timedelta(days=35))):
                    wf.publish_body(body, by=self.supervisor)
            made.append(body)
        self.counts["bodies"] = len(made)
        return made

    def _certificate(self, n: int) -> tuple[datetime.date, datetime.date, datetime.date | None]:
        """(issued, valid to, last reviewed) of the ``n``th officer: most valid, some lapsing within the warning days,
        a few lapsed, a few with their 审验 overdue."""
        draw = self.rng.random()
        if draw < 0.06:  # lapsing within the next 30 days
            valid_to = self.today + datetime.timedelta(days=self.rng.randint(1, 28))
        elif draw < 0.10:  # lapsed in the last months
            valid_to = self.today - datetime.timedelta(days=self.rng.randint(3, 150))
        else:
            valid_to = self.today + datetime.timedelta(days=self.rng.randint(60, 5 * 365))
        issued = valid_to - datetime.timedelta(days=6 * 365)
        if issued > self.today:
            issued = self.today - datetime.timedelta(days=30)
        overdue = self.rng.random() < 0.05
        back = self.rng.randint(800, 1000) if overdue else self.rng.randint(30, 700)
        reviewed = max(issued, self.today - datetime.timedelta(days=back))
        return issued, valid_to, (reviewed if reviewed > issued else None)

    def officers(self, bodies: list[EnforcementBody]) -> None:
        """The exam platform's workbook, imported by the supervision staff (all or nothing, as the page does)."""
        book = Workbook()
        people = book.active
        assert people is not None
        people.title = importer.OFFICER_SHEET
        people.append(["姓名", "执法主体", "执法证号", "证件种类", "发证日期", "有效期至", "最近审验日期"])
        training = book.create_sheet(importer.TRAINING_SHEET)
        training.append(["执法证号", "年度", "培训学时", "考试日期", "考试成绩", "考试结果"])
        n = 0
        for body in bodies:
            for _ in range(self.rng.randint(*OFFICERS_PER_BODY)):
                n += 1
                number = f"5327{body.organisation.region_id:02d}{n:05d}"
                name = self.rng.choice(SURNAMES) + "".join(self.rng.sample(GIVEN, self.rng.choice((1, 2))))
                issued, valid_to, reviewed = self._certificate(n)
                kind = "行政执法监督证" if self.rng.random() < 0.03 else "行政执法证"
                people.append([name, body.organisation.name, number, kind, issued, valid_to, reviewed])
                for year in (self.today.year - 1, self.today.year):
                    if year == self.today.year and self.rng.random() < 0.15:
                        continue  # this year's training not yet done
                    score = self.rng.randint(52, 98)
                    exam_on = (
                        datetime.date(year, 10, 15)
                        if year < self.today.year
                        else self.today - datetime.timedelta(days=20)
                    )
                    result = "合格" if score >= 60 else "不合格"
                    training.append([number, year, self.rng.choice((30, 40, 42, 48, 60)), exam_on, score, result])
        stream = io.BytesIO()
        book.save(stream)
        stream.seek(0)
        with replayed_at(self.at(self.today - datetime.timedelta(days=7))):
            plan = importer.plan_import(stream, by=self.supervisor)
            assert plan.ok, [str(e) for e in plan.errors[:5]]
            importer.apply_import(plan, by=self.supervisor)
        self.counts["officers"] = plan.new_officers

    def decisions(self) -> None:
        """Each body with a demo legal staff takes five major decisions, at their days."""
        staff = User.objects.filter(role=Role.AGENCY_LIAISON, organisation__enforcement_body__isnull=False).order_by(
            "pk"
        )
        made = 0
        for person in staff:
            stories = ["in_order", "in_order", "late", "unreviewed", "awaiting", "preparing"]
            for story in stories:
                self._decision(person, story)
                made += 1
        self.counts["decisions"] = made

    def _decision(self, person: User, story: str) -> None:
        title = self.rng.choice(CASES).format(self.rng.choice(COMPANIES))
        days = wf.rules.filing_days()
        decided = {
            "in_order": self.today - datetime.timedelta(days=self.rng.randint(30, 200)),
            "late": self.today - datetime.timedelta(days=self.rng.randint(60, 120)),
            "unreviewed": self.today - datetime.timedelta(days=self.rng.randint(10, 40)),
            "awaiting": self.today - datetime.timedelta(days=self.rng.randint(1, max(1, days - 3))),
            "preparing": None,
        }[story]
        start = (decided or self.today) - datetime.timedelta(days=12)
        kind = self.rng.choice(
            [DecisionKind.PENALTY, DecisionKind.PENALTY, DecisionKind.COERCION, DecisionKind.LICENCE]
        )
        ground = self.rng.choice(list(MajorGround))
        with replayed_at(self.at(start)):
            decision = wf.register_decision(title=title, kind=kind, ground=ground, by=person)
        if story != "unreviewed":
            reviewed = start + datetime.timedelta(days=self.rng.randint(2, 8))
            conclusion = ReviewConclusion.AMENDED if self.rng.random() < 0.3 else ReviewConclusion.AGREED
            opinion = {ReviewConclusion.AGREED: "执法主体适格，事实清楚，证据确凿，适用依据正确，程序合法，裁量适当，同意作出决定。",
                       ReviewConclusion.AMENDED: "事实清楚，程序合法；罚款数额应依裁量基准予以调整，修改后同意作出决定。"}[conclusion]  # fmt: skip
            with replayed_at(self.at(min(reviewed, self.today))):
                wf.record_review(
                    decision, conclusion=conclusion, opinion=opinion, reviewed_on=min(reviewed, self.today), by=person
                )
        if decided is None:
            return
        with replayed_at(self.at(decided, 15)):
            wf.record_decision(decision, decided_on=decided, by=person)
        filed = {
            "in_order": decided + datetime.timedelta(days=self.rng.randint(2, days)),
            "late": decided + datetime.timedelta(days=days + self.rng.randint(5, 20)),
            "unreviewed": decided + datetime.timedelta(days=self.rng.randint(1, 5)),
            "awaiting": None,
        }[story]
        if filed is not None and filed <= self.today:
            with replayed_at(self.at(filed, 16)):
                wf.file_decision(decision, filed_on=filed, by=person)


def build_enforcement(*, seed: int, now: datetime.datetime) -> dict[str, Any]:
    """Replay the enforcement supervision of the demo prefecture (see the module docstring); how many of each."""
    demo = _Enforcement(seed=seed, now=now)
    demo.officers(demo.bodies())
    demo.decisions()
    return demo.counts
