"""旁听庭审 through its workflow and the sweep: a unit records its sessions; a unit with one session in the year is
behind the rule (at least 2, a setting) and reminded once a month at most, chased after the year, and told no more
once it reaches the rule; the assessment's ``attendance_compliance`` against a hand count and its drill-down."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from fuyuan.attendance import workflow as wf
from fuyuan.attendance.indicators import attendance_compliance
from fuyuan.attendance.models import Attendee
from fuyuan.core.models import Role
from fuyuan.notifications.models import Notification
from fuyuan.notifications.sweep import run_sweep
from tests.attendance.conftest import D, at, attended
from tests.factories import World, make_case

pytestmark = pytest.mark.django_db


def told(world: World, username: str, subject: str) -> int:
    return Notification.objects.filter(
        recipient=world.users[username], channel="in_app", subject__contains=subject
    ).count()


def test_a_unit_records_a_session_with_its_people_and_the_case_is_linked_when_registered(world: World, clock) -> None:  # type: ignore[no-untyped-def]
    case = make_case(defendant=world.orgs["都匀自然资源局"], number="（2026）黔2701行初7号")
    session = attended(world, D(2026, 11, 3), case_number="（2026）黔2701行初7号",
                       people=[wf.Person("李明", "股长", "心得一"), wf.Person("王芳", "", ""), wf.Person("", "", "")])  # fmt: skip
    assert session.case == case
    assert list(Attendee.objects.filter(unit__session=session).values_list("name", flat=True)) == ["李明", "王芳"]
    assert attended(world, D(2026, 11, 4), case_number="（2026）黔27行终3号").case is None
    with pytest.raises(wf.AttendanceError, match="本单位已登记过2026-11-03旁听（2026）黔2701行初7号的庭审"):
        attended(world, D(2026, 11, 3), case_number="（2026）黔2701行初7号")
    with pytest.raises(wf.AttendanceError, match="第1位旁听人员填写了职务或心得，请填写姓名"):
        attended(world, D(2026, 11, 5), people=[wf.Person("", "股长", "")])
    with pytest.raises(wf.AttendanceError, match="晚于今天"):
        attended(world, D(2026, 12, 25))
    with pytest.raises(wf.AttendanceError, match="应为法院"):
        attended(world, D(2026, 11, 6), court=world.orgs["州司法局"])
    with pytest.raises(wf.AttendanceError, match="只有单位的机关联络员可以"):
        attended(world, D(2026, 11, 6), by="rol_duyun")


def test_a_unit_with_one_session_is_behind_and_reminded_once_a_month_until_it_meets_the_rule(
    world: World, clock
) -> None:  # type: ignore[no-untyped-def]
    clock(D(2026, 11, 5))
    attended(world, D(2026, 3, 10))  # 都匀市自然资源局: 1 in 2026
    attended(world, D(2026, 4, 1), by="agency_fuquan")
    attended(world, D(2026, 6, 1), by="agency_fuquan", case_number="（2026）黔2702行初9号")  # 福泉市公安局: 2
    duyun, fuquan = world.orgs["都匀自然资源局"].pk, world.orgs["福泉公安局"].pk
    assert (duyun, 1) in wf.behind(year=2026) and fuquan not in dict(wf.behind(year=2026))

    # the sweep reminds the unit behind, and the same month's sweeps say nothing more
    report = run_sweep(at(D(2026, 11, 5)))
    assert "旁听庭审——未达标单位提醒 3 个，年度未达标督办 0 个，新纳入提醒的未达标单位 3 个" in report.summary()
    run_sweep(at(D(2026, 11, 5)))
    run_sweep(at(D(2026, 11, 20)))
    assert told(world, "agency_duyun", "旁听庭审尚未达标") == 1
    assert told(world, "agency_fuquan", "旁听庭审") == 0
    body = Notification.objects.get(recipient=world.users["agency_duyun"], channel="in_app").body
    assert "2026年已旁听庭审1次，还差1次" in body and "每年不少于2次" in body
    # the next month, once more
    run_sweep(at(D(2026, 12, 1)))
    run_sweep(at(D(2026, 12, 2)))
    assert told(world, "agency_duyun", "旁听庭审尚未达标") == 2
    # after the year, still behind: chased once, the county's 依法治办 told
    run_sweep(at(D(2027, 1, 1)))
    run_sweep(at(D(2027, 1, 2)))
    assert told(world, "agency_duyun", "上年度旁听庭审未达标") == 1
    assert told(world, "rol_duyun", "上年度旁听庭审未达标") == 1


def test_a_unit_reaching_the_rule_is_told_no_more(world: World, clock) -> None:  # type: ignore[no-untyped-def]
    clock(D(2026, 11, 5))
    attended(world, D(2026, 3, 10))
    run_sweep(at(D(2026, 11, 5)))
    assert told(world, "agency_duyun", "尚未达标") == 1
    attended(world, D(2026, 11, 5), case_number="（2026）黔2701行初99号")
    run_sweep(at(D(2026, 12, 1)))
    run_sweep(at(D(2027, 1, 1)))
    assert told(world, "agency_duyun", "本年度旁听庭审尚未达标") == 2  # November's for 2026, January's for 2027
    assert told(world, "agency_duyun", "上年度旁听庭审未达标") == 0
    assert (
        Notification.objects.filter(
            recipient=world.users["agency_duyun"], channel="in_app", body__contains="2026年已旁听庭审"
        ).count()
        == 1
    )


def test_the_rule_is_a_setting(world: World, clock, settings) -> None:  # type: ignore[no-untyped-def]
    settings.FUYUAN_ATTENDANCE_MIN_SESSIONS = 1
    attended(world, D(2026, 3, 10))
    assert world.orgs["都匀自然资源局"].pk not in dict(wf.behind(year=2026))
    assert attendance_compliance(2026) == {world.orgs["都匀自然资源局"].pk: (1, 1)}


def sessions_listed(html: str) -> list[str]:
    return re.findall(r'data-testid="session-row"><td>([0-9-]+)</td>', html)


def test_attendance_compliance_equals_the_hand_count_and_its_drill_down(
    world: World, clock, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    # 都匀市自然资源局: 3 sessions in 2026 (capped at 2), 1 in 2025; 福泉市公安局: 1 in 2026
    for day, n in ((D(2026, 2, 1), 1), (D(2026, 5, 1), 2), (D(2026, 9, 1), 3), (D(2025, 9, 1), 4)):
        attended(world, day, case_number=f"案{n}")
    attended(world, D(2026, 6, 1), by="agency_fuquan")
    duyun, fuquan = world.orgs["都匀自然资源局"].pk, world.orgs["福泉公安局"].pk
    with django_assert_num_queries(1):
        result = attendance_compliance(2026)
    assert result == {duyun: (2, 2), fuquan: (1, 2)}
    assert attendance_compliance(2025) == {duyun: (1, 2)}
    assert attendance_compliance(2024) == {}
    client = Client()
    client.force_login(world.users["rol_pref"])
    page = client.get(reverse("attendance:list"), {"organisation": duyun, "year": 2026}).content.decode()
    assert sessions_listed(page) == ["2026-09-01", "2026-05-01", "2026-02-01"]
    page = client.get(reverse("attendance:list"), {"organisation": fuquan, "year": 2026}).content.decode()
    assert sessions_listed(page) == ["2026-06-01"]
    # the compliance page: 福泉 behind, 都匀 not; each count opens its sessions
    page = client.get(reverse("attendance:compliance"), {"year": 2026}).content.decode()
    assert f'?organisation={duyun}&year=2026">3</a>' in page and f'?organisation={fuquan}&year=2026">1</a>' in page
    assert world.users["rol_pref"].role == Role.RULE_OF_LAW_OFFICE
