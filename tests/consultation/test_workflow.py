"""The risk notice's paths (SPEC §6.9): sent by the court, answered by the agency, what the suit then became, the
meeting; who may do each step; and that nothing is written when a step is refused."""

from __future__ import annotations

import pytest

from fuyuan.cases.choices import LitigationOutcome
from fuyuan.cases.models import Case
from fuyuan.cases.workflow import update_case
from fuyuan.consultation.choices import Answer, Concern, NoticeState
from fuyuan.consultation.models import RiskNotice
from fuyuan.consultation.workflow import ConsultationError, answer_notice, record_meeting, send_notice
from fuyuan.core.models import Event
from fuyuan.core.timeline import timeline
from fuyuan.notifications.models import Channel, Notification
from fuyuan.obligations.models import Obligation, ObligationState
from tests.consultation.conftest import D, notice_on, pending_case
from tests.factories import World

pytestmark = pytest.mark.django_db


def told(username: str) -> list[str]:
    return list(
        Notification.objects.filter(recipient__username=username, channel=Channel.IN_APP).values_list(
            "subject", flat=True
        )
    )


def test_a_notice_answered_by_correction_and_the_suit_withdrawn_counts_as_resolved(world: World, case: Case) -> None:
    # given the court's notice
    notice = notice_on(case, world)
    assert notice.state == NoticeState.SENT
    assert notice.answer_due_on == D(2026, 12, 16)
    assert told("agency_duyun") == ["【败诉风险提示】请按期答复"]
    assert told("rol_duyun") == ["【败诉风险提示】抄送"]
    # when the agency corrects its act and the plaintiff withdraws
    answer_notice(
        notice, answer=Answer.CORRECT, text="已撤销原处罚决定，重新调查后依法处理。", by=world.users["agency_duyun"]
    )
    update_case(
        case,
        {"concluded_on": D(2026, 12, 2), "outcome": LitigationOutcome.WITHDRAWN_AFTER_CHANGE},
        by=world.users["court_duyun"],
    )
    # then the notice counts as resolved, and each step is on the case's timeline
    notice = RiskNotice.objects.select_related("case").get(pk=notice.pk)
    assert notice.resolved and not notice.followed_by_loss
    assert notice.result == "已化解（行政机关改变行为后撤诉）"
    assert "【败诉风险提示】机关答复：自行纠正" in told("court_duyun")
    actions = [e.action for e in timeline(case)]
    assert actions[:2] == ["risk_notice_sent", "risk_notice_answered"]
    assert Obligation.objects.get(kind="consultation.answer", subject_id=notice.pk).state == ObligationState.MET


def test_a_notice_answered_by_defence_and_the_case_then_lost_is_followed_by_a_loss(world: World, case: Case) -> None:
    notice = notice_on(case, world)
    answer_notice(notice, answer=Answer.DEFEND, text="认为事实清楚、程序合法。", by=world.users["agency_duyun"])
    update_case(
        case, {"concluded_on": D(2026, 12, 2), "outcome": LitigationOutcome.REVOKED}, by=world.users["court_duyun"]
    )
    notice = RiskNotice.objects.select_related("case").get(pk=notice.pk)
    assert notice.followed_by_loss and not notice.resolved
    assert notice.result == "败诉（撤销）"


def test_a_plain_withdrawal_without_a_correction_or_settlement_is_not_resolved_by_the_notice(
    world: World, case: Case
) -> None:
    notice = notice_on(case, world)
    answer_notice(notice, answer=Answer.DEFEND, text="坚持应诉", by=world.users["agency_duyun"])
    update_case(
        case, {"concluded_on": D(2026, 12, 2), "outcome": LitigationOutcome.WITHDRAWN}, by=world.users["court_duyun"]
    )
    notice = RiskNotice.objects.select_related("case").get(pk=notice.pk)
    assert not notice.resolved and not notice.followed_by_loss


def test_a_consultation_meeting_is_minuted_on_the_case(world: World, case: Case) -> None:
    notice = notice_on(case, world)
    meeting = record_meeting(
        notice,
        held_on=D(2026, 12, 2),
        participants="都匀市人民法院 李法官；都匀市自然资源局 王局长；都匀市依法治办",
        minutes="各方认为被诉决定程序存在瑕疵，机关同意研究自行纠正。",
        place="都匀市人民法院第三会议室",
        by=world.users["rol_duyun"],
    )
    assert meeting.notice == notice
    assert timeline(case).filter(action="consultation_meeting").count() == 1
    assert "【判前会商】会商纪要" in told("agency_duyun")


@pytest.mark.parametrize("who", ["agency_duyun", "rol_duyun", "court_duyun_other", "leader_pref"])
def test_only_the_court_liaison_of_the_case_s_court_sends_a_notice(world: World, case: Case, who: str) -> None:
    from fuyuan.core.models import Role
    from tests.factories import make_user

    if who == "court_duyun_other":
        user = make_user("court_fuquan", Role.COURT_LIAISON, org=world.orgs["福泉法院"])
    else:
        user = world.users[who]
    with pytest.raises(ConsultationError, match="您无权"):
        notice_on(case, world, by=user)
    assert not RiskNotice.objects.exists() and not Event.objects.filter(action="risk_notice_sent").exists()


def test_a_concluded_or_second_instance_case_takes_no_notice(world: World, clock) -> None:  # type: ignore[no-untyped-def]
    concluded = pending_case(world, concluded_on=D(2026, 11, 30), outcome=LitigationOutcome.CLAIM_DISMISSED)
    with pytest.raises(ConsultationError, match="已结案"):
        notice_on(concluded, world)
    appeal = pending_case(world, instance="second")
    with pytest.raises(ConsultationError, match="一审"):
        notice_on(appeal, world)


@pytest.mark.parametrize(
    ("concerns", "text", "message"),
    [
        ([], "内容", "风险类别"),
        (["nonsense"], "内容", "风险类别"),
        ([Concern.LAW], "   ", "风险提示内容"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(
    world: World, case: Case, concerns: list[str], text: str, message: str
) -> None:
    with pytest.raises(ConsultationError, match=message):
        send_notice(case, concerns=concerns, text=text, by=world.users["court_duyun"])
    assert not RiskNotice.objects.exists() and not Notification.objects.exists()


def test_a_second_notice_waits_for_the_first_answer(world: World, case: Case) -> None:
    first = notice_on(case, world)
    with pytest.raises(ConsultationError, match="待答复"):
        notice_on(case, world)
    answer_notice(first, answer=Answer.SETTLE, text="同意协调和解", by=world.users["agency_duyun"])
    assert notice_on(case, world, concerns=[Concern.LAW]).pk != first.pk


def test_only_the_defendant_agency_answers_once_with_a_known_choice(world: World, case: Case) -> None:
    notice = notice_on(case, world)
    with pytest.raises(ConsultationError, match="您无权"):
        answer_notice(notice, answer=Answer.CORRECT, text="x", by=world.users["agency_fuquan"])
    with pytest.raises(ConsultationError, match="答复意见"):
        answer_notice(notice, answer="maybe", text="x", by=world.users["agency_duyun"])
    with pytest.raises(ConsultationError, match="答复说明"):
        answer_notice(notice, answer=Answer.CORRECT, text="", by=world.users["agency_duyun"])
    answer_notice(notice, answer=Answer.CORRECT, text="纠正", by=world.users["agency_duyun"])
    with pytest.raises(ConsultationError, match="已答复"):
        answer_notice(notice, answer=Answer.DEFEND, text="改主意", by=world.users["agency_duyun"])


def test_a_meeting_is_refused_to_the_agency_and_before_the_notice(world: World, case: Case) -> None:
    notice = notice_on(case, world)
    with pytest.raises(ConsultationError, match="您无权"):
        record_meeting(notice, held_on=D(2026, 12, 2), participants="p", minutes="m", by=world.users["agency_duyun"])
    with pytest.raises(ConsultationError, match="会商日期"):
        record_meeting(notice, held_on=D(2026, 11, 1), participants="p", minutes="m", by=world.users["court_duyun"])


def test_the_concern_categories_are_loss_causes() -> None:
    from fuyuan.accountability.models import LossCause

    assert set(Concern.values) <= set(LossCause.values)


def test_an_agency_may_still_answer_after_a_quick_withdrawal_and_the_notice_counts_as_resolved(
    world: World, case: Case
) -> None:
    # The agency corrected its act and the plaintiff withdrew before the written answer came in.
    notice = notice_on(case, world)
    update_case(
        case, {"concluded_on": D(2026, 12, 2), "outcome": LitigationOutcome.WITHDRAWN}, by=world.users["court_duyun"]
    )
    answer_notice(notice, answer=Answer.CORRECT, text="已撤销原决定，原告已撤诉", by=world.users["agency_duyun"])
    assert RiskNotice.objects.select_related("case").get(pk=notice.pk).resolved
