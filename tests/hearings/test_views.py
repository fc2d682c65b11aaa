"""The hearing pages as each persona meets them: the hearing file and its actions, 我的出庭任务, 本周开庭, the court's
开庭通知 page and the registration form (SPEC §6.1)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fuyuan.cases.choices import AbsenceReason
from fuyuan.core.models import Event
from fuyuan.hearings.models import Hearing, HearingState
from fuyuan.hearings.workflow import (
    designate,
    explain_absence,
    record_attendance,
    register_hearing,
    sweep_hearings,
)
from tests.factories import PASSWORD, World, local_today, make_case, make_head

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]
D = datetime.date
PERSONAS = (
    "rol_pref",
    "rol_duyun",
    "leader_pref",
    "court_duyun",
    "recon_pref",
    "agency_duyun",
    "agency_fuquan",
    "centre",
    "coordinator",
    "discipline",
    "sysadmin",
    "secadmin",
    "auditadmin",
)


def logged_in(persona: str) -> Client:
    client = Client()
    assert client.login(username=persona, password=PASSWORD)
    return client


def moment(day: datetime.date, hour: int = 8) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def days(n: int) -> datetime.date:
    return local_today() + datetime.timedelta(days=n)


def duyun_hearing(world: World, *, in_days: int = 10, number: str = "", **kw) -> Hearing:
    """A hearing of 都匀市自然资源局 at 都匀市人民法院, registered by the court; a past one is registered back then."""
    o = world.orgs
    case = make_case(defendant=o["都匀自然资源局"], court=o["都匀法院"], **({"number": number} if number else {}))
    held_on = days(in_days)
    now = moment(min(held_on, local_today()) - datetime.timedelta(days=10)) if in_days < 0 else None
    return register_hearing(case, held_on=held_on, by=world.users["court_duyun"], now=now, **kw)


def fuquan_hearing(world: World, *, in_days: int = 10) -> Hearing:
    o = world.orgs
    case = make_case(defendant=o["福泉公安局"], court=o["福泉法院"])
    return register_hearing(case, held_on=days(in_days), by=world.users["rol_pref"])


def html(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


def weekday_label(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日（周{'一二三四五六日'[day.weekday()]}）"


def hearings_in_every_state(world: World, n: int) -> None:
    """``n`` hearings of 都匀市自然资源局 (a multiple of 5), as the lists show them: waiting for a head, designated,
    excused, past and waiting for the attendance, and recorded (the head appeared and spoke)."""
    u = world.users
    for i in range(n):
        step = i % 5
        hearing = duyun_hearing(world, in_days=-(1 + i % 20) if step >= 3 else 2 + i % 20)
        if step == 1:
            designate(hearing, name="王局长", phone="13800001111", by=u["agency_duyun"])
        elif step == 2:
            explain_absence(
                hearing,
                reason=AbsenceReason.ACCIDENT,
                explanation="交通事故",
                delegate_name="陈科长",
                by=u["agency_duyun"],
            )
        elif step == 4:
            record_attendance(hearing, appeared=True, head_name="王局长", spoke=True, by=u["court_duyun"])


# --- who may see what -------------------------------------------------------------------------------------------


def test_the_hearing_file_is_visible_exactly_to_those_who_see_its_case(world: World) -> None:
    duyun = duyun_hearing(world)
    fuquan = fuquan_hearing(world)
    sees_duyun = {"rol_pref", "rol_duyun", "leader_pref", "court_duyun", "agency_duyun"}
    sees_fuquan = {"rol_pref", "leader_pref", "agency_fuquan"}

    for persona in PERSONAS:
        client = logged_in(persona)
        got = (
            client.get(reverse("hearings:detail", args=[duyun.pk])).status_code,
            client.get(reverse("hearings:detail", args=[fuquan.pk])).status_code,
        )
        assert got == (200 if persona in sees_duyun else 404, 200 if persona in sees_fuquan else 404), persona


def test_each_list_page_belongs_to_its_roles_and_is_forbidden_to_the_others(world: World) -> None:
    owners = {
        "hearings:mine": {"agency_duyun", "agency_fuquan"},
        "hearings:week": {"rol_pref", "rol_duyun", "leader_pref"},
        "hearings:court": {"court_duyun"},
        "hearings:new": {"court_duyun", "rol_pref", "rol_duyun"},
    }
    for persona in PERSONAS:
        client = logged_in(persona)
        for name, roles in owners.items():
            assert client.get(reverse(name)).status_code == (200 if persona in roles else 403), (persona, name)


def test_an_action_without_the_right_is_forbidden_and_an_invisible_hearing_is_not_found(world: World) -> None:
    hearing = duyun_hearing(world)
    designate_url = reverse("hearings:designate", args=[hearing.pk])
    cancel_url = reverse("hearings:cancel", args=[hearing.pk])

    assert logged_in("leader_pref").post(designate_url, {"designate-name": "王局长"}).status_code == 403
    assert logged_in("court_duyun").post(designate_url, {"designate-name": "王局长"}).status_code == 403
    assert logged_in("agency_duyun").post(cancel_url, {"cancel-reason": "不想去"}).status_code == 403
    assert logged_in("agency_fuquan").post(designate_url, {"designate-name": "王局长"}).status_code == 404
    assert logged_in("agency_duyun").get(designate_url).status_code == 405
    hearing.refresh_from_db()
    assert hearing.state == HearingState.NOTIFIED


# --- the hearing file -------------------------------------------------------------------------------------------


def test_the_hearing_file_shows_the_case_the_day_and_the_timeline(world: World) -> None:
    hearing = duyun_hearing(world, in_days=10, number="（2026）黔2701行初7号", courtroom="第三审判庭")

    page = html(logged_in("agency_duyun").get(reverse("hearings:detail", args=[hearing.pk])))

    assert f'href="{reverse("cases:detail", args=[hearing.case_id])}"' in page
    assert "（2026）黔2701行初7号" in page
    assert "都匀市人民法院" in page
    assert "第三审判庭" in page
    assert weekday_label(hearing.held_on) in page
    assert "还有10天" in page
    assert "待指定出庭负责人" in page
    assert f"应于 {weekday_label(hearing.designation_due())} 前" in page
    assert "登记开庭通知" in page  # the timeline's first event
    assert 'id="designate"' in page
    assert '<option value="王局长">' in page  # the roster valid on the day, offered while typing


def test_the_designees_phone_is_masked_for_all_and_revealable_by_the_agency_and_the_rule_of_law_office(
    world: World,
) -> None:
    hearing = duyun_hearing(world)
    designate(hearing, name="王局长", phone="13912341234", by=world.users["agency_duyun"])
    url = reverse("hearings:detail", args=[hearing.pk])

    for persona in ("agency_duyun", "rol_duyun", "rol_pref", "court_duyun", "leader_pref"):
        page = html(logged_in(persona).get(url))
        assert "139****1234" in page, persona
        assert "13912341234" not in page, persona
        assert ("查看完整号码</button>" in page) == (persona in ("agency_duyun", "rol_duyun", "rol_pref")), persona


def test_a_person_not_on_the_roster_is_refused_with_the_reason_and_nothing_changes(world: World) -> None:
    hearing = duyun_hearing(world)
    client = logged_in("agency_duyun")

    response = client.post(
        reverse("hearings:designate", args=[hearing.pk]), {"designate-name": "李科员", "designate-phone": ""}
    )

    page = html(response)
    assert response.status_code == 200
    assert 'data-testid="designation-refused"' in page
    assert "“李科员”不在都匀市自然资源局" in page
    assert "名册中的负责人：王局长（正职）" in page
    assert 'value="李科员"' in page  # what was typed stays in the form
    hearing.refresh_from_db()
    assert hearing.state == HearingState.NOTIFIED
    assert hearing.designated_head is None
    assert Event.objects.filter(object_id=hearing.pk, action="designation_refused").count() == 1


def test_the_agency_designates_a_head_on_the_roster_and_sees_it_confirmed(world: World) -> None:
    hearing = duyun_hearing(world)
    client = logged_in("agency_duyun")

    response = client.post(
        reverse("hearings:designate", args=[hearing.pk]),
        {"designate-name": "王局长", "designate-phone": "13912341234"},
        follow=True,
    )

    page = html(response)
    assert response.redirect_chain[-1][0] == reverse("hearings:detail", args=[hearing.pk])
    assert "已指定出庭负责人：王局长（正职）" in page
    assert "139****1234" in page
    hearing.refresh_from_db()
    assert hearing.state == HearingState.DESIGNATED
    assert hearing.designated_head is not None and hearing.designated_head.name == "王局长"


def test_a_bad_phone_number_is_refused_by_the_form_before_the_workflow(world: World) -> None:
    hearing = duyun_hearing(world)

    page = html(
        logged_in("agency_duyun").post(
            reverse("hearings:designate", args=[hearing.pk]), {"designate-name": "王局长", "designate-phone": "abc"}
        )
    )

    assert "手机号码格式不正确" in page
    hearing.refresh_from_db()
    assert hearing.state == HearingState.NOTIFIED


def test_a_written_explanation_needs_a_lawful_reason_and_a_delegate(world: World) -> None:
    hearing = duyun_hearing(world)
    client = logged_in("agency_duyun")
    url = reverse("hearings:explain", args=[hearing.pk])

    refused = html(client.post(url, {"explain-reason": "", "explain-explanation": "出差", "explain-delegate_name": ""}))
    hearing.refresh_from_db()
    assert "请选择不能出庭事由" in refused
    assert "请填写委托出庭工作人员" in refused
    assert hearing.state == HearingState.NOTIFIED

    page = html(
        client.post(
            url,
            {
                "explain-reason": AbsenceReason.IRREPLACEABLE_DUTY,
                "explain-explanation": "参加省政府防汛调度会议",
                "explain-delegate_name": "张科长",
                "explain-delegate_title": "法规科科长",
            },
            follow=True,
        )
    )
    hearing.refresh_from_db()
    assert hearing.state == HearingState.EXCUSED
    assert "已提交书面说明，委托张科长出庭" in page
    assert "需要履行他人不能代替的公务" in page
    assert "张科长（法规科科长）" in page


def test_attendance_cannot_be_recorded_before_the_day(world: World) -> None:
    hearing = duyun_hearing(world, in_days=3)
    client = logged_in("court_duyun")

    page = html(client.get(reverse("hearings:detail", args=[hearing.pk])))
    assert "起可在此登记出庭情况" in page
    assert f'action="{reverse("hearings:attendance", args=[hearing.pk])}"' not in page

    refused = html(client.post(reverse("hearings:attendance", args=[hearing.pk]), {"attendance-appeared": "no"}))
    assert "开庭当日或之后才能登记出庭情况" in refused
    hearing.refresh_from_db()
    assert hearing.state == HearingState.NOTIFIED


def test_the_court_records_that_the_head_appeared_and_spoke_and_the_case_counts_it(world: World) -> None:
    hearing = duyun_hearing(world, in_days=-2)
    designate(hearing, name="王局长", by=world.users["agency_duyun"], now=moment(days(-9)))
    client = logged_in("court_duyun")

    form = html(client.get(reverse("hearings:detail", args=[hearing.pk])))
    assert 'name="attendance-head_name" value="王局长"' in form  # prefilled with the designee

    page = html(
        client.post(
            reverse("hearings:attendance", args=[hearing.pk]),
            {
                "attendance-appeared": "yes",
                "attendance-head_name": "王局长",
                "attendance-spoke": "yes",
                "attendance-speech": "同意重新核定补偿标准，庭后协商",
            },
            follow=True,
        )
    )

    assert "已登记出庭情况：负责人已出庭，负责人出声" in page
    assert "同意重新核定补偿标准，庭后协商" in page
    hearing.refresh_from_db()
    hearing.case.refresh_from_db()
    assert hearing.state == HearingState.ATTENDED and hearing.spoke is True
    assert hearing.case.head_appeared is True and hearing.case.head_spoke is True


def test_attendance_of_someone_not_on_the_roster_is_refused_with_the_reason(world: World) -> None:
    hearing = duyun_hearing(world, in_days=-1)

    page = html(
        logged_in("agency_duyun").post(
            reverse("hearings:attendance", args=[hearing.pk]),
            {"attendance-appeared": "yes", "attendance-head_name": "李科员", "attendance-spoke": "yes"},
        )
    )

    assert "不能计为负责人出庭" in page
    hearing.refresh_from_db()
    assert hearing.state == HearingState.NOTIFIED
    assert hearing.attendance_recorded_at is None


def test_the_court_cancels_a_hearing_with_a_reason(world: World) -> None:
    hearing = duyun_hearing(world)
    client = logged_in("court_duyun")
    url = reverse("hearings:cancel", args=[hearing.pk])

    assert "请填写取消原因" in html(client.post(url, {"cancel-reason": ""}))
    page = html(client.post(url, {"cancel-reason": "原告撤诉"}, follow=True))

    hearing.refresh_from_db()
    assert hearing.state == HearingState.CANCELLED
    assert "本次开庭已取消。原因：原告撤诉" in page
    assert 'id="designate"' not in page


def test_the_leader_reads_the_file_but_is_offered_no_action(world: World) -> None:
    hearing = duyun_hearing(world)

    page = html(logged_in("leader_pref").get(reverse("hearings:detail", args=[hearing.pk])))

    assert "您对本次开庭没有需要办理的事项" in page
    assert 'id="designate"' not in page
    assert 'id="cancel"' not in page


# --- 我的出庭任务 -------------------------------------------------------------------------------------------------


def test_my_tasks_list_upcoming_hearings_first_with_days_left_and_late_designations_in_red(world: World) -> None:
    soon = duyun_hearing(world, in_days=3, number="（2026）黔2701行初3号")
    later = duyun_hearing(world, in_days=20, number="（2026）黔2701行初20号")
    past = duyun_hearing(world, in_days=-2, number="（2026）黔2701行初98号")
    fuquan = fuquan_hearing(world)

    page = html(logged_in("agency_duyun").get(reverse("hearings:mine")))

    upcoming = page[page.index('data-testid="upcoming"') : page.index('data-testid="awaiting"')]
    assert upcoming.index(soon.case.number) < upcoming.index(later.case.number)
    assert "还有3天" in upcoming and "还有20天" in upcoming
    assert "已逾期" in upcoming  # T-7 has passed for the hearing in 3 days
    assert upcoming.count('class="table-danger"') == 1
    awaiting = page[page.index('data-testid="awaiting"') :]
    assert past.case.number in awaiting and "已过2天" in awaiting
    assert f"{reverse('hearings:detail', args=[past.pk])}#attendance" in awaiting
    assert fuquan.case.number not in page
    assert '其中 <strong class="text-danger">1</strong> 件已过开庭前7日仍未指定出庭负责人' in page


@pytest.mark.parametrize(
    ("persona", "page_name", "bound"), [("agency_duyun", "hearings:mine", 5), ("court_duyun", "hearings:court", 6)]
)
def test_my_tasks_and_the_court_page_need_the_same_queries_for_five_hearings_as_for_fifty(
    world: World, django_assert_max_num_queries, persona: str, page_name: str, bound: int
) -> None:  # type: ignore[no-untyped-def]
    client = logged_in(persona)
    hearings_in_every_state(world, 5)
    with django_assert_max_num_queries(bound):
        assert client.get(reverse(page_name)).status_code == 200
    hearings_in_every_state(world, 45)
    with django_assert_max_num_queries(bound):
        page = html(client.get(reverse(page_name)))
    assert page.count('data-testid="hearing-state"') == 50


# --- 本周开庭 -----------------------------------------------------------------------------------------------------


def test_the_week_groups_hearings_by_day_with_their_status_and_counts(world: World) -> None:
    agency = world.users["agency_duyun"]
    designated = duyun_hearing(world, in_days=2)
    designate(designated, name="王局长", by=agency)
    duyun_hearing(world, in_days=5)
    escalated = duyun_hearing(world, in_days=1)
    sweep_hearings(now=moment(local_today(), 23))
    fuquan_hearing(world, in_days=3)
    duyun_hearing(world, in_days=8)  # next week

    page = html(logged_in("rol_pref").get(reverse("hearings:week")))

    counts = page[page.index('data-testid="week-counts"') :]
    assert '本周开庭 <strong class="fs-5">4</strong> 件' in counts
    assert '已指定 <strong class="text-success">1</strong>' in counts
    assert "未指定 <strong" in counts and '已督办 <strong class="text-danger">1</strong>' in counts
    assert page.count('data-testid="week-day"') == 7
    assert page.count('data-testid="week-hearing"') == 4
    assert page.index(weekday_label(days(1))) < page.index(escalated.case.number) < page.index(weekday_label(days(2)))
    assert ">已督办</span>" in page and ">已指定</span>" in page and ">未指定</span>" in page
    assert "王局长（正职）" in page


def test_the_week_moves_with_start_and_filters_by_county(world: World) -> None:
    duyun = duyun_hearing(world, in_days=8)
    fuquan = fuquan_hearing(world, in_days=9)
    client = logged_in("rol_pref")
    start = days(7).isoformat()

    both = html(client.get(reverse("hearings:week"), {"start": start}))
    only_fuquan = html(client.get(reverse("hearings:week"), {"start": start, "county": fuquan.county_id}))

    assert duyun.case.number in both and fuquan.case.number in both
    assert f"?start={local_today().isoformat()}" in both  # the previous week
    assert f"?start={days(14).isoformat()}" in both  # the next week
    assert fuquan.case.number in only_fuquan and duyun.case.number not in only_fuquan
    assert f"?start={days(14).isoformat()}&amp;county={fuquan.county_id}" in only_fuquan


def test_a_county_office_sees_only_its_county_and_no_county_filter(world: World) -> None:
    duyun = duyun_hearing(world, in_days=1)
    fuquan = fuquan_hearing(world, in_days=1)

    page = html(logged_in("rol_duyun").get(reverse("hearings:week")))

    assert duyun.case.number in page
    assert fuquan.case.number not in page
    assert 'name="county"' not in page


def test_the_week_page_needs_the_same_queries_for_three_hearings_as_for_thirty(
    world: World, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = logged_in("rol_pref")
    for i in range(3):
        duyun_hearing(world, in_days=i % 7)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("hearings:week")).status_code == 200
    for i in range(27):
        duyun_hearing(world, in_days=i % 7)
    with django_assert_max_num_queries(8):
        page = html(client.get(reverse("hearings:week")))
    assert page.count('data-testid="week-hearing"') == 30


# --- the court's page and registering a notice ------------------------------------------------------------------


def test_the_court_registers_a_notice_by_case_number(world: World) -> None:
    case = make_case(defendant=world.orgs["都匀自然资源局"], court=world.orgs["都匀法院"])
    client = logged_in("court_duyun")

    form = html(client.get(reverse("hearings:court")))
    assert f'<option value="{case.number}">' in form

    page = html(
        client.post(
            reverse("hearings:court"),
            {
                "case_number": case.number,
                "held_on": days(12).isoformat(),
                "starts_at": "09:30",
                "courtroom": "第一法庭",
            },
            follow=True,
        )
    )

    hearing = Hearing.objects.get(case=case)
    assert (hearing.held_on, hearing.starts_at, hearing.courtroom) == (days(12), datetime.time(9, 30), "第一法庭")
    assert f"已登记开庭通知：{case.number}，{weekday_label(days(12))}开庭" in page
    assert "已同时通知都匀市自然资源局和都匀市依法治办（双调度）" in page


def test_an_unknown_case_number_or_a_past_day_is_refused_and_nothing_is_registered(world: World) -> None:
    case = make_case(defendant=world.orgs["都匀自然资源局"], court=world.orgs["都匀法院"])
    fuquan = make_case(defendant=world.orgs["福泉公安局"], court=world.orgs["福泉法院"])
    client = logged_in("court_duyun")
    url = reverse("hearings:court")

    unknown = html(client.post(url, {"case_number": "（2026）黔2701行初999号", "held_on": days(5).isoformat()}))
    other_court = html(client.post(url, {"case_number": fuquan.number, "held_on": days(5).isoformat()}))
    past = html(client.post(url, {"case_number": case.number, "held_on": days(-1).isoformat()}))

    assert "未找到案号“（2026）黔2701行初999号”" in unknown
    assert f"未找到案号“{fuquan.number}”" in other_court
    assert "早于今天，请核对开庭通知" in past
    assert not Hearing.objects.exists()


def test_the_court_page_lists_upcoming_and_recent_hearings_with_attendance_links(world: World) -> None:
    upcoming = duyun_hearing(world, in_days=4)
    today = duyun_hearing(world, in_days=0)
    recent = duyun_hearing(world, in_days=-3)
    fuquan = fuquan_hearing(world)

    page = html(logged_in("court_duyun").get(reverse("hearings:court")))

    ahead = page[page.index('data-testid="court-upcoming"') : page.index('data-testid="court-recent"')]
    behind = page[page.index('data-testid="court-recent"') :]
    assert upcoming.case.number in ahead and today.case.number in ahead and "今日开庭" in ahead
    assert f"{reverse('hearings:detail', args=[today.pk])}#attendance" in ahead
    assert recent.case.number in behind
    assert f"{reverse('hearings:detail', args=[recent.pk])}#attendance" in behind
    assert fuquan.case.number not in page


def test_the_case_page_button_prefills_the_case_and_the_office_registers_it(world: World) -> None:
    case = make_case(defendant=world.orgs["福泉公安局"], court=world.orgs["福泉法院"])
    client = logged_in("rol_pref")

    detail = html(client.get(reverse("cases:detail", args=[case.pk])))
    assert f"{reverse('hearings:new')}?case={case.pk}" in detail
    assert "尚无开庭通知" in detail
    form = html(client.get(reverse("hearings:new"), {"case": case.pk}))
    assert f'value="{case.number}"' in form

    client.post(
        f"{reverse('hearings:new')}?case={case.pk}", {"case_number": case.number, "held_on": days(9).isoformat()}
    )

    hearing = Hearing.objects.get(case=case)
    detail = html(client.get(reverse("cases:detail", args=[case.pk])))
    assert reverse("hearings:detail", args=[hearing.pk]) in detail
    assert weekday_label(days(9)) in detail


def test_the_registration_form_for_a_case_one_may_not_register_is_refused(world: World) -> None:
    fuquan = make_case(defendant=world.orgs["福泉公安局"], court=world.orgs["福泉法院"])
    duyun = make_case(defendant=world.orgs["都匀自然资源局"], court=world.orgs["都匀法院"])

    assert logged_in("court_duyun").get(reverse("hearings:new"), {"case": fuquan.pk}).status_code == 404
    assert logged_in("rol_duyun").get(reverse("hearings:new"), {"case": fuquan.pk}).status_code == 404
    assert logged_in("court_duyun").get(reverse("hearings:new"), {"case": "x"}).status_code == 404
    assert logged_in("court_duyun").get(reverse("hearings:new"), {"case": duyun.pk}).status_code == 200
    agency_view = html(logged_in("agency_duyun").get(reverse("cases:detail", args=[duyun.pk])))
    assert reverse("hearings:new") not in agency_view


def test_a_head_valid_only_after_the_hearing_day_is_not_offered(world: World) -> None:
    make_head(world.orgs["都匀自然资源局"], "赵副局长", valid_from=days(30))
    hearing = duyun_hearing(world)

    page = html(logged_in("agency_duyun").get(reverse("hearings:detail", args=[hearing.pk])))

    assert '<option value="王局长">' in page
    assert "赵副局长" not in page
