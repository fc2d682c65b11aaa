"""The shared setting of the decision tests: in the shared world, the government of 都匀市 (its 依法治办
``rol_duyun`` stands for the government office) catalogues a decision owned by 都匀市自然资源局 (its liaison
``agency_duyun``); 都匀市司法局 (``justice_duyun``) reviews its legality; the coordinator pool gives the experts.

Dates counted by hand on the 2026 arrangements: 国庆 1–7 October, Saturday 10 October a working day.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from fuyuan.core.models import Role, User
from fuyuan.decisions import workflow as wf
from fuyuan.decisions.choices import Conclusion, Stage
from fuyuan.decisions.models import Catalogue, Decision
from fuyuan.disputes.models import Coordinator
from tests.conftest import Clock
from tests.factories import World, make_coordinator, make_org, make_user

D = datetime.date
ORDER = [s.value for s in Stage]


@pytest.fixture
def justice(world: World) -> User:
    return make_user("justice_duyun", Role.RECONSIDERATION_BODY, org=world.orgs["都匀司法局"])


@pytest.fixture
def expert(world: World) -> Coordinator:
    return make_coordinator("李教授", org=make_org("黔南民族师范学院", world.regions["黔南州"]))


@pytest.fixture
def catalogue(world: World, clock: Clock) -> Catalogue:
    clock(D(2026, 8, 3))
    office = world.users["rol_duyun"]
    catalogue = wf.create_catalogue(world.regions["都匀市"], 2026, by=office)
    wf.add_catalogue_item(
        catalogue,
        title="都匀市城区停车收费标准调整",
        owner=world.orgs["都匀自然资源局"],
        planned_start=D(2026, 8, 1),
        planned_end=D(2026, 12, 31),
        by=office,
    )
    wf.approve_catalogue(catalogue, approved_on=D(2026, 8, 3), basis="经市委常委会同意", by=office)
    return wf.publish_catalogue(catalogue, published_on=D(2026, 8, 3), by=office)


@pytest.fixture
def decision(world: World, catalogue: Catalogue) -> Decision:
    return wf.start_decision(
        catalogue.items.get(), draft="城区停车收费标准调整方案（征求意见稿）", by=world.users["agency_duyun"]
    )


def run_to(
    stage: str,
    decision: Decision,
    world: World,
    clock: Clock,
    justice: User,
    expert: Coordinator,
    *,
    conclusion: str = Conclusion.LAWFUL,
) -> Decision:
    """Run ``decision`` through the procedure until it reaches ``stage`` (each step on its own day)."""
    owner, office = world.users["agency_duyun"], world.users["rol_duyun"]

    def until(target: str) -> bool:
        return ORDER.index(decision.stage) <= ORDER.index(target) < ORDER.index(stage)

    if until(Stage.DRAFTING):
        clock(D(2026, 8, 3))
        decision = wf.open_public_comment(decision, comment_from=D(2026, 8, 3), comment_until=D(2026, 9, 2), by=owner)
        clock(D(2026, 8, 10))
        comment = wf.submit_comment(decision, content="建议夜间停车免费", author="市民王某")
        wf.record_hearing(
            decision, held_on=D(2026, 8, 20), material_sent_on=D(2026, 8, 12), participants="市民代表5人", by=owner
        )
        clock(D(2026, 9, 3))
        wf.answer_comment(comment, answer="adopted", reason="夜间车位空置率高，予以采纳", by=owner)
        decision = wf.publish_answers(decision, by=owner)
    if until(Stage.EXPERT_ARGUMENT):
        review = wf.add_expert(decision, expert, by=owner)
        clock(D(2026, 9, 8))
        wf.record_expert_opinion(review, opinion="方案总体可行", signed_by="李教授", signed_on=D(2026, 9, 8), by=owner)
        decision = wf.finish_expert_argument(decision, by=owner)
    if until(Stage.RISK_ASSESSMENT):
        clock(D(2026, 9, 10))
        decision = wf.record_risk_assessment(
            decision,
            points=[("收费上调引发群众不满", "分时段收费、设置过渡期")],
            plan="舆情应对与信访接待预案",
            controllable=True,
            by=owner,
        )
    if until(Stage.LEGALITY_REVIEW):
        clock(D(2026, 9, 11))
        decision = wf.send_for_legality_review(decision, sent_on=D(2026, 9, 11), review_until=D(2026, 9, 22), by=owner)
        clock(D(2026, 9, 21))
        decision = wf.record_legality_review(
            decision,
            conclusion=conclusion,
            opinion="该决策草案符合《价格法》等规定" if conclusion == Conclusion.LAWFUL else "草案第五条与上位法不一致",
            changes="删除第五条" if conclusion == Conclusion.LAWFUL_IF_CHANGED else "",
            adviser_name="赵律师（公职律师）",
            adviser_opinion="未发现违反上位法的内容",
            by=justice,
        )
        clock(D(2026, 9, 24))
    if until(Stage.COLLECTIVE_DISCUSSION):
        clock(D(2026, 9, 24))
        decision = wf.record_collective_discussion(decision, **discussion(), by=office)
    if until(Stage.DECIDED):
        clock(D(2026, 9, 28))
        decision = wf.publish_decision(
            decision, published_on=D(2026, 9, 28), adoption_note="采纳公众意见1条；专家意见1条均已采纳", by=office
        )
    if until(Stage.PUBLISHED):
        decision = wf.start_execution(
            decision, executor=world.orgs["都匀自然资源局"], starts_on=D(2026, 10, 8), by=office
        )
    return decision


def discussion(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "meeting_kind": "executive",
        "meeting_on": D(2026, 9, 24),
        "speeches": [
            {"speaker": "副市长甲", "content": "同意", "is_head": False, "dissent": False},
            {"speaker": "副市长乙", "content": "建议延后实施", "is_head": False, "dissent": True},
            {"speaker": "市长", "content": "原则同意，按程序公布", "is_head": True, "dissent": False},
        ],
        "decided_text": "同意城区停车收费标准调整方案，自2026年10月8日起执行",
    }
    values.update(overrides)
    return values
