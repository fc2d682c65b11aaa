"""The demo's major decisions and legality review (重大行政决策、合法性审查, SPEC §6.6), replayed through the two apps'
own transitions.

``build_decisions`` runs inside ``generate_demo`` once the cases and the coordinator pool exist. As in
``fuyuan.demo.supervision``, every record is made by the transition the pages call, each run "at" the day it
happened (``replayed_at``), so that each has its timeline and the state its steps lead to. The 州 government (its
依法治办 ``zfb_zhou`` stands for the government office) keeps last year's and this year's catalogues; the 州自然资源局
(``jg_zhou_zrzy``) owns the decisions and sends documents for review; the 州司法局 (``sfj_zhou``) reviews both:

- 房屋征收补偿标准 (last year): the whole procedure, published, executed and post-evaluated; later challenged in court
  and lost (linked to a lost suit of the demo);
- 集体土地征收程序规定 (last year): published and executing; challenged in a suit still pending (linked);
- 城区停车收费标准调整 (this year): in 公众参与, one comment answered, two not yet (只征不用 until answered);
- 国土空间生态修复规划 (this year): with the 司法局 for its legality review, its period running;
- 矿产资源开发利用管理办法 (this year): drafting;
- legal matters: a normative document whose opinion was followed, a contract whose opinion was not, and a normative
  document under review (in the 司法局's queue).

Determinism: no randomness; the dates are counted back from the day the demo runs.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.utils import timezone

from fuyuan.cases.choices import CaseKind, loss_outcomes
from fuyuan.cases.models import Case
from fuyuan.core.models import Organisation, OrganisationKind, User
from fuyuan.decisions import workflow as wf
from fuyuan.decisions.models import Catalogue, Decision
from fuyuan.demo.supervision import replayed_at
from fuyuan.disputes.models import Coordinator
from fuyuan.legalreview import workflow as review
from fuyuan.legalreview.choices import Adoption, Conclusion, MatterKind

T = TypeVar("T")


@dataclass
class DecisionCounts:
    decisions: int = 0
    matters: int = 0
    links: int = 0


class _Decisions:
    def __init__(self, now: datetime.datetime) -> None:
        self.now = now
        self.today = timezone.localdate(now)
        self.office = User.objects.get(username="zfb_zhou")
        self.owner = User.objects.get(username="jg_zhou_zrzy")
        self.reviewer = User.objects.get(username="sfj_zhou")
        assert self.office.region is not None
        self.region = self.office.region
        assert self.owner.organisation is not None
        self.agency: Organisation = self.owner.organisation
        self.counts = DecisionCounts()

    def at(self, days_ago: int, step: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """``step(*args, **kwargs)`` run at 10:00 on the day ``days_ago`` days before the demo's day."""
        moment = timezone.make_aware(datetime.datetime.combine(self.day(days_ago), datetime.time(10)))
        with replayed_at(min(moment, self.now)):
            return step(*args, **kwargs)

    def day(self, days_ago: int) -> datetime.date:
        return self.today - datetime.timedelta(days=days_ago)

    def catalogue(self, year: int, days_ago: int, items: list[tuple[str, int, int]]) -> Catalogue:
        office = self.office
        catalogue = self.at(days_ago, lambda: wf.create_catalogue(self.region, year, by=office))
        for title, start, end in items:
            self.at(days_ago, wf.add_catalogue_item, catalogue, title=title, owner=self.agency,
                    planned_start=self.day(start), planned_end=self.day(end), by=office)  # fmt: skip
        self.at(days_ago, lambda: wf.approve_catalogue(catalogue, approved_on=self.day(days_ago),
                                                       basis="经州政府常务会议同意", by=office))  # fmt: skip
        return self.at(days_ago, lambda: wf.publish_catalogue(catalogue, published_on=self.day(days_ago), by=office))

    def start(self, catalogue: Catalogue, title: str, days_ago: int, draft: str) -> Decision:
        item = catalogue.items.get(title=title)
        self.counts.decisions += 1
        return self.at(days_ago, lambda: wf.start_decision(item, draft=draft, by=self.owner))

    def public_participation(self, decision: Decision, days_ago: int, comments: list[str], answer: int) -> Decision:
        """Published for 31 days from ``days_ago``; ``answer`` of the comments answered at the period's end."""
        owner = self.owner
        opened = self.at(days_ago, lambda: wf.open_public_comment(
            decision, comment_from=self.day(days_ago), comment_until=self.day(days_ago - 31), by=owner))  # fmt: skip
        made = [
            self.at(
                days_ago - 3 - n, lambda c=content, n=n: wf.submit_comment(opened, content=c, author=f"市民{n + 1}")
            )
            for n, content in enumerate(comments)
        ]
        for n, comment in enumerate(made[:answer]):
            adopted = n % 2 == 0
            self.at(max(days_ago - 32, 0), lambda c=comment, a=adopted: wf.answer_comment(
                c, answer="adopted" if a else "not_adopted",
                reason="意见合理，已修改草案相关条款" if a else "与上位法规定不一致，不予采纳", by=owner))  # fmt: skip
        return opened

    def to_review(self, decision: Decision, days_ago: int, expert: Coordinator) -> Decision:
        """From the end of 公众参与 (``days_ago``) through 专家论证 and 风险评估 to the 司法局."""
        owner = self.owner
        decision = self.at(days_ago, lambda: wf.publish_answers(decision, by=owner))
        invited = self.at(days_ago, lambda: wf.add_expert(decision, expert, by=owner))
        self.at(days_ago - 5, lambda: wf.record_expert_opinion(
            invited, opinion="草案依据充分，建议明确过渡期安排", signed_by=expert.name, signed_on=self.day(days_ago - 5),
            by=owner))  # fmt: skip
        decision = self.at(days_ago - 5, lambda: wf.finish_expert_argument(decision, by=owner))
        decision = self.at(days_ago - 8, lambda: wf.record_risk_assessment(
            decision, points=[("补偿标准调整可能引发群体性信访", "分片区宣讲、设立咨询窗口、过渡期安排")],
            plan="信访接待与舆情应对预案", controllable=True, by=owner))  # fmt: skip
        sent = self.day(days_ago - 10)
        return self.at(days_ago - 10, lambda: wf.send_for_legality_review(
            decision, sent_on=sent, review_until=wf.review_min_until(sent), by=owner))  # fmt: skip

    def decide_and_publish(self, decision: Decision, days_ago: int) -> Decision:
        """The review (a day before ``days_ago``), the discussion, publication and execution."""
        office = self.office
        decision = self.at(days_ago + 1, lambda: wf.record_legality_review(
            decision, conclusion="lawful", opinion="决策草案符合《土地管理法》《国有土地上房屋征收与补偿条例》等规定",
            adviser_name="州政府法律顾问 吴律师", adviser_opinion="未发现与上位法相抵触的内容", by=self.reviewer))  # fmt: skip
        speeches = [
            {"speaker": "副州长 甲", "content": "同意，建议加强宣传解读", "is_head": False, "dissent": False},
            {"speaker": "副州长 乙", "content": "同意", "is_head": False, "dissent": False},
            {"speaker": "州长", "content": "同意按程序公布实施", "is_head": True, "dissent": False},
        ]
        decision = self.at(days_ago, lambda: wf.record_collective_discussion(
            decision, meeting_kind="executive", meeting_on=self.day(days_ago), speeches=speeches,
            decided_text=f"同意《{decision.title}》，按程序公布实施", by=office))  # fmt: skip
        decision = self.at(days_ago - 2, lambda: wf.publish_decision(
            decision, published_on=self.day(days_ago - 2),
            adoption_note="公众意见采纳1条、未采纳1条并说明理由；专家论证意见已采纳", by=office))  # fmt: skip
        return self.at(days_ago - 5, lambda: wf.start_execution(
            decision, executor=self.agency, starts_on=self.day(days_ago - 5), by=office))  # fmt: skip

    def evaluate(self, decision: Decision, days_ago: int) -> None:
        office = self.office
        earlier = wf.earlier_evaluators(decision) | {decision.owner_id}
        evaluator = (
            Organisation.objects.filter(region=self.region, kind=OrganisationKind.AGENCY)
            .exclude(pk__in=earlier)
            .exclude(name__endswith="人民政府")  # not the government that decided
            .order_by("id")
            .first()
        )
        assert evaluator is not None
        evaluation = self.at(days_ago, lambda: wf.start_post_evaluation(
            decision, trigger="many_opinions", evaluator=evaluator, note="12345热线反映较多", by=office))  # fmt: skip
        self.at(days_ago - 20, lambda: wf.finish_post_evaluation(
            evaluation, conclusion="总体达到预期；补偿标准的区片划分宜细化，建议修订", by=office))  # fmt: skip

    def matters(self) -> None:
        owner, reviewer = self.owner, self.reviewer
        for days_ago, kind, title, adoption in (
            (90, MatterKind.NORMATIVE, "云岭州集体土地征收补偿安置办法", Adoption.ADOPTED),
            (60, MatterKind.CONTRACT, "州城区棚户区改造项目征收委托协议", Adoption.NOT_ADOPTED),
            (2, MatterKind.NORMATIVE, "云岭州国有建设用地供应管理规定", ""),
        ):
            matter = self.at(days_ago, review.submit_matter, kind=kind, title=title, text=f"《{title}》（送审稿）全文",
                             by=owner)  # fmt: skip
            matter = self.at(days_ago, review.assign_reviewer, matter, reviewer=reviewer, by=reviewer)
            self.counts.matters += 1
            if not adoption:
                continue
            matter = self.at(days_ago - 5, review.give_opinion, matter, conclusion=Conclusion.LAWFUL_IF_AMENDED,
                             text="第八条设定的罚款超出上位法规定的幅度，建议删除；其余条款合法", by=reviewer)  # fmt: skip
            reason = "" if adoption == Adoption.ADOPTED else "协议条款已与相对人商定，暂未修改"
            self.at(days_ago - 10, review.record_adoption, matter, adoption=adoption, reason=reason, by=owner)

    def link(self, decision: Decision, *, lost: bool) -> None:
        cases = Case.objects.filter(region__path__startswith=self.region.path, kind=CaseKind.LITIGATION)
        cases = cases.filter(outcome__in=loss_outcomes()) if lost else cases.filter(concluded_on__isnull=True)
        preferred = cases.filter(defendant=decision.owner).order_by("-filed_on", "id").first()
        case = preferred or cases.order_by("-filed_on", "id").first()
        if case is None:
            return
        note = "原告认为征收补偿标准违法" if lost else "原告对征收程序提出异议"
        wf.link_case(case, decision=decision, note=note, by=self.office)
        self.counts.links += 1


def build_decisions(*, now: datetime.datetime) -> DecisionCounts:
    """Replay the decisions and legal matters of the demo prefecture (see the module docstring)."""
    demo = _Decisions(now)
    year = demo.today.year
    last_year = demo.catalogue(year - 1, 420, [
        ("州城区国有土地上房屋征收补偿标准", 400, 200),
        ("云岭州集体土地征收程序规定", 380, 150),
    ])  # fmt: skip
    this_year = demo.catalogue(year, max((demo.today - datetime.date(year, 1, 1)).days - 10, 60), [
        ("州城区停车收费标准调整", 50, -60),
        ("云岭州国土空间生态修复规划", 80, -30),
        ("云岭州矿产资源开发利用管理办法", 10, -120),
    ])  # fmt: skip
    experts = [c for c in Coordinator.objects.filter(active=True).order_by("id")[:20]]

    def expert_for(decision: Decision) -> Coordinator:
        return next(c for c in experts if not wf.interest_of(c, decision))

    evaluated = demo.start(last_year, "州城区国有土地上房屋征收补偿标准", 400, "房屋征收补偿标准（征求意见稿）")
    evaluated = demo.public_participation(evaluated, 395, ["建议提高困难家庭补助", "建议延长搬迁期限"], 2)
    evaluated = demo.to_review(evaluated, 362, expert_for(evaluated))
    evaluated = demo.decide_and_publish(evaluated, 340)
    demo.evaluate(evaluated, 120)

    executing = demo.start(last_year, "云岭州集体土地征收程序规定", 380, "集体土地征收程序规定（征求意见稿）")
    executing = demo.public_participation(executing, 375, ["建议公开征收补偿方案听证程序"], 1)
    executing = demo.to_review(executing, 342, expert_for(executing))
    executing = demo.decide_and_publish(executing, 320)

    parking = demo.start(this_year, "州城区停车收费标准调整", 20, "城区停车收费标准调整方案（征求意见稿）")
    demo.public_participation(parking, 15, ["建议夜间免费停车", "建议学校周边限时免费", "建议提高路内停车收费"], 1)

    planning = demo.start(this_year, "云岭州国土空间生态修复规划", 60, "国土空间生态修复规划（征求意见稿）")
    planning = demo.public_participation(planning, 55, ["建议增加湿地保护内容"], 1)
    demo.to_review(planning, 20, expert_for(planning))

    demo.start(this_year, "云岭州矿产资源开发利用管理办法", 5, "矿产资源开发利用管理办法（起草稿）")
    demo.matters()
    demo.link(evaluated, lost=True)
    demo.link(executing, lost=False)
    return demo.counts
