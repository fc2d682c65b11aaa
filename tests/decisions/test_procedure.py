"""The order of the procedure (重大行政决策程序暂行条例): each step refused, with the reason, when what must come
before is missing; nothing written when refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from fuyuan.core.models import Event
from fuyuan.decisions import workflow as wf
from fuyuan.decisions.choices import Conclusion, Stage
from fuyuan.decisions.models import Decision
from tests.decisions.conftest import D, discussion, run_to


def _events(decision: Decision) -> int:
    return Event.objects.filter(object_id=decision.pk, content_type__model="decision").count()


def test_collective_discussion_without_a_legality_review_is_refused(world, clock, decision, justice, expert):
    decision = run_to(Stage.LEGALITY_REVIEW, decision, world, clock, justice, expert)
    before = _events(decision)

    with pytest.raises(wf.DecisionError, match="未经合法性审查，不得提交决策机关讨论"):
        wf.record_collective_discussion(decision, **discussion(), by=world.users["rol_duyun"])

    decision.refresh_from_db()
    assert decision.stage == Stage.LEGALITY_REVIEW and decision.meeting_on is None
    assert _events(decision) == before


def test_collective_discussion_after_a_review_concluding_unlawful_is_refused(world, clock, decision, justice, expert):
    decision = run_to(Stage.COLLECTIVE_DISCUSSION, decision, world, clock, justice, expert, conclusion="unlawful")
    assert decision.review_conclusion == Conclusion.UNLAWFUL

    with pytest.raises(wf.DecisionError, match="合法性审查结论为不合法，不得提交决策机关讨论"):
        wf.record_collective_discussion(decision, **discussion(), by=world.users["rol_duyun"])


def test_lawful_if_changed_needs_the_changes_marked_made_before_discussion(world, clock, decision, justice, expert):
    decision = run_to(
        Stage.COLLECTIVE_DISCUSSION, decision, world, clock, justice, expert, conclusion="lawful_if_changed"
    )
    office, owner = world.users["rol_duyun"], world.users["agency_duyun"]
    with pytest.raises(wf.DecisionError, match="尚未登记按审查意见修改的情况"):
        wf.record_collective_discussion(decision, **discussion(), by=office)

    wf.mark_changes_made(decision, note="已删除第五条", by=owner)
    decision = wf.record_collective_discussion(decision, **discussion(), by=office)
    assert decision.stage == Stage.DECIDED


def test_a_comment_period_under_30_days_without_a_reason_is_refused(world, clock, decision):
    clock(D(2026, 8, 3))
    owner = world.users["agency_duyun"]

    with pytest.raises(wf.DecisionError) as refused:
        wf.open_public_comment(decision, comment_from=D(2026, 8, 3), comment_until=D(2026, 8, 23), by=owner)
    assert "不足30日" in str(refused.value) and "2026-09-02" in str(refused.value) and "理由" in str(refused.value)
    decision.refresh_from_db()
    assert decision.stage == Stage.DRAFTING

    # shorter, with the reason recorded
    decision = wf.open_public_comment(
        decision, comment_from=D(2026, 8, 3), comment_until=D(2026, 8, 23), short_reason="汛期排涝情况紧急", by=owner
    )
    assert decision.comment_short_reason == "汛期排涝情况紧急"
    # thirty days: no reason needed
    assert wf.comment_min_until(D(2026, 8, 3)) == D(2026, 9, 2)


def test_a_legality_review_given_under_7_working_days_across_national_day_is_refused(
    world, clock, decision, justice, expert
):
    decision = run_to(Stage.LEGALITY_REVIEW, decision, world, clock, justice, expert)
    clock(D(2026, 9, 29))
    owner = world.users["agency_duyun"]

    # 29 September + 7 working days: 30 Sep, 8, 9, 10 (Saturday, worked), 12, 13, 14 October → 14 October.
    with pytest.raises(wf.DecisionError) as refused:
        wf.send_for_legality_review(decision, sent_on=D(2026, 9, 29), review_until=D(2026, 10, 9), by=owner)
    assert "不足7个工作日" in str(refused.value) and "2026-10-14" in str(refused.value)

    decision = wf.send_for_legality_review(decision, sent_on=D(2026, 9, 29), review_until=D(2026, 10, 14), by=owner)
    assert decision.review_min_until == D(2026, 10, 14)
    assert decision.review_body == world.orgs["都匀司法局"]


def test_an_interested_expert_is_refused(world, clock, decision, justice, expert):
    expert.conflicts.create(
        organisation=world.orgs["都匀自然资源局"], reason="曾为该局常年法律顾问", declared_on=D(2026, 1, 5)
    )
    decision = run_to(Stage.EXPERT_ARGUMENT, decision, world, clock, justice, expert)

    with pytest.raises(
        wf.DecisionError, match="李教授已申报与都匀市自然资源局存在利益冲突（曾为该局常年法律顾问），应当回避"
    ):
        wf.add_expert(decision, expert, by=world.users["agency_duyun"])
    assert not decision.experts.exists()


def test_a_post_evaluation_by_the_earlier_evaluator_is_refused(world, clock, decision, justice, expert):
    decision = run_to(Stage.EXECUTING, decision, world, clock, justice, expert)
    clock(D(2026, 11, 2))

    with pytest.raises(wf.DecisionError, match="在决策作出前承担了主要评估工作，不能承担决策后评估"):
        wf.start_post_evaluation(
            decision, trigger="many_opinions", evaluator=world.orgs["都匀自然资源局"], by=world.users["rol_duyun"]
        )
    decision.refresh_from_db()
    assert decision.stage == Stage.EXECUTING and not decision.post_evaluations.exists()


def test_each_step_refuses_what_lacks_its_predecessor(world, clock, decision, justice, expert):
    owner = world.users["agency_duyun"]
    clock(D(2026, 8, 3))
    with pytest.raises(wf.DecisionError, match="公众参与尚未完成"):
        wf.add_expert(decision, expert, by=owner)
    with pytest.raises(wf.DecisionError, match="专家论证尚未完成，不能进行风险评估"):
        wf.record_risk_assessment(decision, points=[("a", "b")], plan="p", controllable=True, by=owner)
    with pytest.raises(wf.DecisionError, match="风险评估尚未完成，不能送请合法性审查"):
        wf.send_for_legality_review(decision, sent_on=D(2026, 8, 3), review_until=D(2026, 9, 1), by=owner)
    with pytest.raises(wf.DecisionError, match="尚未经集体讨论作出决定，不能公布"):
        wf.publish_decision(decision, published_on=D(2026, 8, 3), adoption_note="x", by=world.users["rol_duyun"])


def test_comments_must_all_be_answered_before_the_answers_are_published(world, clock, decision):
    owner = world.users["agency_duyun"]
    clock(D(2026, 8, 3))
    decision = wf.open_public_comment(decision, comment_from=D(2026, 8, 3), comment_until=D(2026, 9, 2), by=owner)
    wf.submit_comment(decision, content="建议增加残疾人车位")
    clock(D(2026, 9, 3))
    with pytest.raises(wf.DecisionError, match="还有1条公众意见没有答复"):
        wf.publish_answers(decision, by=owner)
    with pytest.raises(wf.DecisionError, match="不在征求意见期间"):
        wf.submit_comment(decision, content="迟到的意见")


def test_hearing_material_less_than_7_days_ahead_is_refused(world, clock, decision):
    owner = world.users["agency_duyun"]
    clock(D(2026, 8, 3))
    decision = wf.open_public_comment(decision, comment_from=D(2026, 8, 3), comment_until=D(2026, 9, 2), by=owner)
    with pytest.raises(wf.DecisionError, match=r"7日前送达听证参加人.*2026-08-13"):
        wf.record_hearing(
            decision, held_on=D(2026, 8, 20), material_sent_on=D(2026, 8, 15), participants="代表", by=owner
        )


def test_the_head_speaks_last(world, clock, decision, justice, expert):
    decision = run_to(Stage.COLLECTIVE_DISCUSSION, decision, world, clock, justice, expert)
    speeches = list(reversed(discussion()["speeches"]))
    with pytest.raises(wf.DecisionError, match="行政首长应当最后发表意见"):
        wf.record_collective_discussion(decision, **discussion(speeches=speeches), by=world.users["rol_duyun"])


def test_steps_are_allowed_only_to_their_roles(world, clock, decision, justice, expert):
    clock(D(2026, 8, 3))
    with pytest.raises(PermissionDenied):
        wf.open_public_comment(
            decision, comment_from=D(2026, 8, 3), comment_until=D(2026, 9, 2), by=world.users["agency_fuquan"]
        )
    decision = run_to(Stage.LEGALITY_REVIEW, decision, world, clock, justice, expert)
    clock(D(2026, 9, 11))
    decision = wf.send_for_legality_review(
        decision, sent_on=D(2026, 9, 11), review_until=D(2026, 9, 22), by=world.users["agency_duyun"]
    )
    with pytest.raises(PermissionDenied):
        wf.record_legality_review(
            decision,
            conclusion="lawful",
            opinion="o",
            adviser_name="a",
            adviser_opinion="b",
            by=world.users["recon_pref"],
        )


def test_an_experts_organisation_may_not_evaluate_afterwards_and_an_evaluated_decision_is_evaluated_again(
    world, clock, decision, justice, expert
):
    decision = run_to(Stage.EXECUTING, decision, world, clock, justice, expert)
    office = world.users["rol_duyun"]
    clock(D(2026, 11, 2))
    with pytest.raises(wf.DecisionError, match="黔南民族师范学院在决策作出前承担了主要评估工作"):
        wf.start_post_evaluation(decision, trigger="deemed_necessary", evaluator=expert.organisation, by=office)

    evaluation = wf.start_post_evaluation(
        decision, trigger="deemed_necessary", evaluator=world.orgs["州司法局"], by=office
    )
    wf.finish_post_evaluation(evaluation, conclusion="达到预期", by=office)
    again = wf.start_post_evaluation(decision, trigger="below_expectation", evaluator=world.orgs["州人社局"], by=office)
    assert again.decision.post_evaluations.count() == 2
