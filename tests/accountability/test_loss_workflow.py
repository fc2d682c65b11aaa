"""四必治败诉 (SPEC §6.3): a first-instance loss opens a review that goes 通报 → 倒查 → 约谈 → 追责, each step by
its owner, each timed by a deadline of the case."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from fuyuan.accountability import losses
from fuyuan.accountability.models import LossCause, LossReview, LossReviewState
from fuyuan.cases.choices import Instance, LitigationOutcome
from fuyuan.cases.models import Case
from fuyuan.cases.workflow import update_case
from fuyuan.core.models import Event, Organisation, OrganisationKind, Role, User
from fuyuan.core.queries import work_calendar
from fuyuan.core.timeline import timeline
from fuyuan.deadlines.models import Deadline, DeadlineState
from fuyuan.deadlines.rules import compute_due
from fuyuan.notifications.models import Channel, Notification
from tests.factories import World, make_case, make_org, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


@dataclass
class Loss:
    world: World
    case: Case
    office: Organisation

    @property
    def review(self) -> LossReview:
        return LossReview.objects.select_related("case__region", "case__county").get(case=self.case)

    def user(self, name: str) -> User:
        return self.world.users[name]


def lose(world: World, case: Case, outcome: str = LitigationOutcome.REVOKED, on: datetime.date | None = None) -> Case:
    """The outcome is entered through the case workflow (which sends ``cases_changed``)."""
    values = {"outcome": outcome, "concluded_on": on or timezone.localdate()}
    return update_case(case, values, by=world.users["rol_pref"])


def duyun_case(world: World, **kw: object) -> Case:
    return make_case(defendant=world.orgs["都匀自然资源局"], court=world.orgs["都匀法院"], **kw)


@pytest.fixture
def loss(world: World) -> Loss:
    office = make_org(
        "中共都匀市委全面依法治市委员会办公室", world.regions["都匀市"], OrganisationKind.RULE_OF_LAW_OFFICE
    )
    case = lose(world, duyun_case(world))
    return Loss(world, case, office)


def notice(loss: Loss, by: str = "rol_duyun") -> LossReview:
    return losses.record_notice(
        loss.review, on=timezone.localdate(), number="都法办通〔2026〕3号", text="通报全市", by=loss.user(by)
    )


def analyse(loss: Loss, by: str = "agency_duyun") -> LossReview:
    return losses.record_analysis(
        loss.review,
        causes=[LossCause.LATE_EVIDENCE, LossCause.PROCEDURE],
        analysis="未在15日内提交证据",
        responsible_persons="法规科 张三",
        measures="建立举证台账",
        by=loss.user(by),
    )


def interview(loss: Loss, by: str = "rol_duyun") -> LossReview:
    return losses.record_interview(
        loss.review,
        on=timezone.localdate(),
        interviewer="副市长 李四",
        interviewee="局长 王局长",
        conclusions="限期整改",
        by=loss.user(by),
    )


def decide(loss: Loss, by: str = "rol_duyun", accountable: bool = False) -> LossReview:
    return losses.record_decision(loss.review, accountable=accountable, decision="已整改，情节轻微", by=loss.user(by))


def deadline(case: Case, rule_id: str) -> Deadline:
    return Deadline.objects.get(case=case, rule_id=rule_id)


# ---------------------------------------------------------------------------------------------------------------
# Opening


def test_a_first_instance_loss_opens_a_review_awaiting_the_notice(loss: Loss) -> None:
    review = loss.review
    assert review.state == LossReviewState.NOTICE
    assert review.agency == loss.world.orgs["都匀自然资源局"]
    assert review.court == loss.world.orgs["都匀法院"]
    assert [e.action for e in timeline(review)] == ["opened"]


def test_opening_sets_the_notice_deadline_owned_by_the_county_office(loss: Loss) -> None:
    d = deadline(loss.case, "accountability.notice")
    expected = compute_due("accountability.notice", loss.case.concluded_on, work_calendar()).due
    assert (d.due_on, d.owner, d.state) == (expected, loss.office, DeadlineState.OPEN)


def test_without_an_office_organisation_the_agency_owns_the_notice_deadline(world: World) -> None:
    case = lose(world, duyun_case(world))
    assert deadline(case, "accountability.notice").owner == world.orgs["都匀自然资源局"]


def test_an_old_concluded_date_makes_the_notice_deadline_overdue_at_once_without_a_message_each(world: World) -> None:
    # A historical ledger of hundreds of losses shows them on the lists, overdue, instead of flooding the inboxes.
    case = lose(world, duyun_case(world), on=timezone.localdate() - datetime.timedelta(days=60))
    assert deadline(case, "accountability.notice").state == DeadlineState.OVERDUE
    assert LossReview.objects.get(case=case).state == LossReviewState.NOTICE
    assert not Notification.objects.filter(subject="【败诉问责】新增一审败诉案件").exists()


def test_opening_tells_the_county_office_and_the_agency_once(loss: Loss) -> None:
    update_case(loss.case, {"plaintiffs": "张某"}, by=loss.user("court_duyun"))  # a later edit sends the signal again
    in_app = Notification.objects.filter(channel=Channel.IN_APP, subject="【败诉问责】新增一审败诉案件")
    assert sorted(n.recipient.username for n in in_app) == ["agency_duyun", "rol_duyun"]


@pytest.mark.parametrize(
    "outcome",
    [LitigationOutcome.CLAIM_DISMISSED, LitigationOutcome.WITHDRAWN_AFTER_CHANGE, LitigationOutcome.MEDIATED],
)
def test_an_outcome_that_is_not_a_loss_opens_nothing(world: World, outcome: str) -> None:
    lose(world, duyun_case(world), outcome)
    assert not LossReview.objects.exists()


def test_a_second_instance_loss_opens_nothing(world: World) -> None:
    lose(world, duyun_case(world, instance=Instance.SECOND))
    assert not LossReview.objects.exists()


def test_editing_a_lost_case_again_opens_no_second_review(loss: Loss) -> None:
    update_case(loss.case, {"outcome": LitigationOutcome.VARIED}, by=loss.user("court_duyun"))
    losses.sync_loss_reviews([loss.case.pk])
    assert LossReview.objects.count() == 1
    assert Event.objects.filter(action="opened", object_id=loss.review.pk).count() == 1


def test_case_date_sync_keeps_the_review_deadlines(loss: Loss) -> None:
    update_case(loss.case, {"filed_on": datetime.date(2021, 3, 2)}, by=loss.user("court_duyun"))
    assert deadline(loss.case, "accountability.notice").state == DeadlineState.OPEN


# ---------------------------------------------------------------------------------------------------------------
# Correction of the outcome


def test_an_outcome_corrected_to_a_non_loss_withdraws_the_review_with_an_event(loss: Loss) -> None:
    update_case(loss.case, {"outcome": LitigationOutcome.CLAIM_DISMISSED}, by=loss.user("court_duyun"))
    review = loss.review
    assert review.state == LossReviewState.WITHDRAWN
    assert "不再属于一审败诉" in timeline(review).last().summary
    assert deadline(loss.case, "accountability.notice").state == DeadlineState.CANCELLED
    assert Notification.objects.filter(subject="【败诉问责】事项撤销", channel=Channel.IN_APP).count() == 2


def test_a_withdrawn_review_resumes_at_its_step_when_the_loss_is_restored(loss: Loss) -> None:
    notice(loss)
    court = loss.user("court_duyun")
    update_case(loss.case, {"outcome": LitigationOutcome.CLAIM_DISMISSED}, by=court)
    update_case(Case.objects.get(pk=loss.case.pk), {"outcome": LitigationOutcome.REVOKED}, by=court)
    assert loss.review.state == LossReviewState.ANALYSIS
    assert deadline(loss.case, "accountability.analysis").state == DeadlineState.OPEN
    assert LossReview.objects.count() == 1


# ---------------------------------------------------------------------------------------------------------------
# The four steps


def test_the_four_steps_close_the_review_and_meet_each_deadline(loss: Loss) -> None:
    notice(loss)
    assert loss.review.state == LossReviewState.ANALYSIS
    assert deadline(loss.case, "accountability.analysis").owner == loss.world.orgs["都匀自然资源局"]
    analyse(loss)
    assert loss.review.state == LossReviewState.INTERVIEW
    assert deadline(loss.case, "accountability.interview").owner == loss.office
    interview(loss)
    assert deadline(loss.case, "accountability.decision").owner == loss.office
    review = decide(loss)
    assert review.state == LossReviewState.CLOSED
    assert review.accountable is False and review.closed_at is not None
    rules = ["notice", "analysis", "interview", "decision"]
    states = {r: deadline(loss.case, f"accountability.{r}").state for r in rules}
    assert states == dict.fromkeys(rules, DeadlineState.MET)
    assert [e.action for e in timeline(review)] == ["opened", "noticed", "analysed", "interviewed", "decided"]


def test_each_step_opens_the_next_deadline_from_the_day_it_was_done(loss: Loss) -> None:
    notice(loss)
    today = timezone.localdate()
    d = deadline(loss.case, "accountability.analysis")
    assert (d.start_on, d.due_on) == (today, compute_due("accountability.analysis", today, work_calendar()).due)


def test_the_analysis_keeps_the_causes_in_the_spec_order(loss: Loss) -> None:
    notice(loss)
    review = analyse(loss)
    assert review.cause_labels == ["程序违法", "逾期举证"]
    assert "程序违法、逾期举证" in timeline(review).last().summary


def test_a_notice_tells_the_agency_and_invites_the_court_comment(loss: Loss) -> None:
    notice(loss)
    notice_rows = Notification.objects.filter(channel=Channel.IN_APP, subject="【败诉问责】请开展倒查分析")
    assert [n.recipient.username for n in notice_rows] == ["agency_duyun"]
    invite = Notification.objects.filter(channel=Channel.IN_APP, subject="【败诉问责】请填写法院点评")
    assert [n.recipient.username for n in invite] == ["court_duyun"]


def test_an_analysis_tells_the_office_to_interview(loss: Loss) -> None:
    notice(loss)
    analyse(loss)
    rows = Notification.objects.filter(channel=Channel.IN_APP, subject="【败诉问责】请组织约谈")
    assert [n.recipient.username for n in rows] == ["rol_duyun"]


def test_the_prefecture_office_may_also_act(loss: Loss) -> None:
    assert notice(loss, by="rol_pref").state == LossReviewState.ANALYSIS


def test_no_accountability_needs_a_reason(loss: Loss) -> None:
    notice(loss)
    analyse(loss)
    interview(loss)
    with pytest.raises(losses.LossReviewError, match="不予追责的，请写明理由"):
        losses.record_decision(loss.review, accountable=False, decision=" ", by=loss.user("rol_duyun"))


def test_an_analysis_without_a_cause_is_refused(loss: Loss) -> None:
    notice(loss)
    with pytest.raises(losses.LossReviewError, match="请至少选择一项败诉原因"):
        losses.record_analysis(
            loss.review, causes=[], analysis="x", responsible_persons="x", measures="x", by=loss.user("agency_duyun")
        )


def test_an_unknown_cause_is_refused(loss: Loss) -> None:
    notice(loss)
    with pytest.raises(losses.LossReviewError, match="未知的败诉原因"):
        losses.record_analysis(
            loss.review, causes=["other", "bad"], analysis="x", responsible_persons="x", measures="x",
            by=loss.user("agency_duyun"),
        )  # fmt: skip


def test_a_step_out_of_order_is_refused(loss: Loss) -> None:
    with pytest.raises(losses.LossReviewError, match="待通报"):
        interview(loss)


def test_a_notice_recorded_twice_is_refused(loss: Loss) -> None:
    notice(loss)
    with pytest.raises(losses.LossReviewError, match="不能登记通报"):
        notice(loss)


def test_a_notice_dated_tomorrow_is_refused(loss: Loss) -> None:
    with pytest.raises(losses.LossReviewError, match="不能晚于今天"):
        losses.record_notice(
            loss.review, on=timezone.localdate() + datetime.timedelta(days=1), number="", text="x",
            by=loss.user("rol_duyun"),
        )  # fmt: skip


def test_a_late_step_is_marked_late_on_the_timeline(world: World) -> None:
    case = lose(world, duyun_case(world), on=timezone.localdate() - datetime.timedelta(days=60))
    review = losses.record_notice(
        LossReview.objects.get(case=case), on=timezone.localdate(), number="", text="x", by=world.users["rol_duyun"]
    )
    assert "（逾期）" in timeline(review).last().summary


# ---------------------------------------------------------------------------------------------------------------
# The court's comment


def test_the_court_liaison_comments_before_closing_and_may_revise(loss: Loss) -> None:
    court = loss.user("court_duyun")
    losses.record_comment(loss.review, procedure="举证逾期", substance="", appearance="负责人未出庭", by=court)
    review = losses.record_comment(loss.review, procedure="举证逾期", substance="认定事实不清", appearance="", by=court)
    assert (review.comment_substance, review.comment_appearance) == ("认定事实不清", "")
    assert [e.summary for e in timeline(review)][-2:] == [
        "填写法院点评（程序、出庭应诉）",
        "修改法院点评（程序、实体）",
    ]


def test_a_comment_after_closing_is_refused(loss: Loss) -> None:
    notice(loss)
    analyse(loss)
    interview(loss)
    decide(loss, accountable=True)
    with pytest.raises(losses.LossReviewError, match="已办结"):
        losses.record_comment(loss.review, procedure="x", substance="", appearance="", by=loss.user("court_duyun"))


def test_an_empty_comment_is_refused(loss: Loss) -> None:
    with pytest.raises(losses.LossReviewError, match="至少填写一项"):
        losses.record_comment(loss.review, procedure="", substance=" ", appearance="", by=loss.user("court_duyun"))


# ---------------------------------------------------------------------------------------------------------------
# Refused roles


OTHERS = ["leader_pref", "court_duyun", "recon_pref", "agency_duyun", "agency_fuquan", "centre", "centre_duyun",
          "coordinator", "discipline", "sysadmin", "secadmin", "auditadmin", "rol_fuquan", "rol_anyang"]  # fmt: skip


@pytest.fixture
def outsiders(world: World) -> World:
    make_user("rol_fuquan", Role.RULE_OF_LAW_OFFICE, region=world.regions["福泉市"])
    make_user("rol_anyang", Role.RULE_OF_LAW_OFFICE, region=world.regions["安阳市"])
    make_user("court_fuquan", Role.COURT_LIAISON, org=world.orgs["福泉法院"])
    return world


def _user(name: str) -> User:
    return User.objects.get(username=name)


@pytest.mark.parametrize("name", OTHERS)
def test_only_the_region_office_records_the_notice(loss: Loss, outsiders: World, name: str) -> None:
    with pytest.raises(PermissionDenied):
        losses.record_notice(loss.review, on=timezone.localdate(), number="", text="x", by=_user(name))
    assert loss.review.state == LossReviewState.NOTICE


@pytest.mark.parametrize("name", [*[n for n in OTHERS if n != "agency_duyun"], "rol_duyun", "rol_pref"])
def test_only_the_losing_agency_records_the_analysis(loss: Loss, outsiders: World, name: str) -> None:
    notice(loss)
    with pytest.raises(PermissionDenied):
        losses.record_analysis(
            loss.review, causes=["other"], analysis="x", responsible_persons="x", measures="x", by=_user(name)
        )
    assert loss.review.state == LossReviewState.ANALYSIS


@pytest.mark.parametrize("name", OTHERS)
def test_only_the_region_office_records_the_interview_and_decision(loss: Loss, outsiders: World, name: str) -> None:
    notice(loss)
    analyse(loss)
    with pytest.raises(PermissionDenied):
        losses.record_interview(
            loss.review, on=timezone.localdate(), interviewer="x", interviewee="y", conclusions="z", by=_user(name)
        )
    interview(loss)
    with pytest.raises(PermissionDenied):
        losses.record_decision(loss.review, accountable=True, decision="x", by=_user(name))
    assert loss.review.state == LossReviewState.DECISION


@pytest.mark.parametrize("name", [*[n for n in OTHERS if n != "court_duyun"], "court_fuquan", "rol_duyun", "rol_pref"])
def test_only_the_case_court_liaison_comments(loss: Loss, outsiders: World, name: str) -> None:
    with pytest.raises(PermissionDenied):
        losses.record_comment(loss.review, procedure="x", substance="", appearance="", by=_user(name))
    assert loss.review.comment_at is None
