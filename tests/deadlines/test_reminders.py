"""``remind_deadlines``: 临期 warnings to the owner, 逾期 marking with its event and message, each once."""

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from fuyuan.cases.models import Case
from fuyuan.core.models import Event, OrganisationKind, Role
from fuyuan.core.timeline import timeline
from fuyuan.deadlines.models import Deadline, DeadlineState
from fuyuan.deadlines.reminders import remind_deadlines
from fuyuan.deadlines.workflow import sync_case_deadlines
from fuyuan.notifications.models import Notification
from tests.factories import World, make_case, make_org, make_user

pytestmark = pytest.mark.django_db

D = datetime.date
DEFENCE = "litigation.defence"
SERVED = D(2026, 3, 2)


def at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def defence_case(world: World, number: str = "（2026）黔2701行初7号", served: datetime.date = SERVED) -> Case:
    """A first-instance case against 都匀市自然资源局 whose defence (行政诉讼法 第67条: 15 days) is due on 17 March."""
    case = make_case(
        number=number,
        defendant=world.orgs["都匀自然资源局"],
        court=world.orgs["都匀法院"],
        filed_on=D(2026, 3, 1),
        complaint_served_on=served,
    )
    sync_case_deadlines([case.pk], today=served)
    return case


def defence(case: Case) -> Deadline:
    return Deadline.objects.get(case=case, rule_id=DEFENCE)


def messages(key: str) -> set[tuple[str, str]]:
    return set(Notification.objects.filter(dedup_key=key).values_list("recipient__username", "channel"))


def test_a_deadline_three_days_off_warns_the_owners_staff_once_on_every_channel_they_have(world: World) -> None:
    agency = world.users["agency_duyun"]
    agency.email, agency.mobile = "fazhi@duyun.example", "13800000001"
    agency.save()
    case = defence_case(world)
    d = defence(case)
    assert d.due_on == D(2026, 3, 17)

    first = remind_deadlines(at(D(2026, 3, 14)))
    second = remind_deadlines(at(D(2026, 3, 14), 10, 1))
    next_day = remind_deadlines(at(D(2026, 3, 15)))

    assert (first.warned, second.warned, next_day.warned) == (1, 0, 0)
    key = f"deadline:{d.pk}:due_soon"
    assert messages(key) == {("agency_duyun", "in_app"), ("agency_duyun", "email"), ("agency_duyun", "sms")}
    inbox = Notification.objects.get(dedup_key=key, channel="in_app")
    assert inbox.subject == "【临期提醒】（2026）黔2701行初7号 被告提交答辩状及证据"
    assert "将于 2026-03-17 届满（还剩 3 日）" in inbox.body
    assert "行政诉讼法 第67条" in inbox.body
    assert inbox.link == f"/cases/{case.pk}/"
    assert Notification.objects.get(dedup_key=key, channel="sms").phone == "13800000001"
    assert defence(case).state == DeadlineState.OPEN


def test_a_deadline_four_days_off_is_not_warned_yet(world: World) -> None:
    defence_case(world)

    report = remind_deadlines(at(D(2026, 3, 13)))

    assert report.warned == 0
    assert not Notification.objects.exists()


@override_settings(FUYUAN_DEADLINE_WARN_DAYS=5)
def test_the_warning_period_is_a_setting(world: World) -> None:
    defence_case(world)

    assert remind_deadlines(at(D(2026, 3, 12))).warned == 1


def test_on_its_last_day_a_deadline_is_due_today_not_overdue(world: World) -> None:
    case = defence_case(world)

    report = remind_deadlines(at(D(2026, 3, 17), 23, 59))

    assert (report.warned, report.overdue) == (1, 0)
    assert defence(case).state == DeadlineState.OPEN
    assert "今日届满" in Notification.objects.get(channel="in_app").body


def test_the_day_after_a_deadline_is_overdue_on_the_case_timeline_and_told_to_owner_and_county_office(
    world: World,
) -> None:
    office_org = make_org(
        "中共都匀市委全面依法治市委员会办公室", world.regions["都匀市"], OrganisationKind.RULE_OF_LAW_OFFICE
    )
    make_user("rol_duyun_staff", Role.RULE_OF_LAW_OFFICE, org=office_org)
    retired = make_user("agency_duyun_retired", Role.AGENCY_LIAISON, org=world.orgs["都匀自然资源局"])
    retired.is_active = False
    retired.save()
    case = defence_case(world)
    d = defence(case)

    first = remind_deadlines(at(D(2026, 3, 18), 0, 5))
    second = remind_deadlines(at(D(2026, 3, 18), 9))

    assert (first.overdue, second.overdue) == (1, 0)
    assert defence(case).state == DeadlineState.OVERDUE
    events = list(timeline(case).filter(action="deadline_overdue"))
    assert [(e.summary, e.who) for e in events] == [
        ("期限逾期：被告提交答辩状及证据（届满日 2026-03-17）", "系统定时任务")
    ]
    # Told to the owner's staff and to the 依法治办 of the case's county, not to the prefecture's or another county's.
    assert messages(f"deadline:{d.pk}:overdue") == {
        ("agency_duyun", "in_app"), ("rol_duyun", "in_app"), ("rol_duyun_staff", "in_app")
    }  # fmt: skip
    inbox = Notification.objects.get(dedup_key=f"deadline:{d.pk}:overdue", recipient__username="rol_duyun")
    assert inbox.subject == "【逾期提醒】（2026）黔2701行初7号 被告提交答辩状及证据"
    assert "已于 2026-03-17 届满，尚未完成，已逾期 1 日" in inbox.body


def test_a_met_or_cancelled_deadline_is_neither_warned_of_nor_marked_overdue(world: World) -> None:
    met = defence_case(world, "（2026）黔2701行初8号")
    Deadline.objects.filter(case=met, rule_id=DEFENCE).update(state=DeadlineState.MET, met_on=D(2026, 3, 10))
    cancelled = defence_case(world, "（2026）黔2701行初9号")
    Deadline.objects.filter(case=cancelled, rule_id=DEFENCE).update(state=DeadlineState.CANCELLED)

    warned = remind_deadlines(at(D(2026, 3, 15)))
    overdue = remind_deadlines(at(D(2026, 3, 20)))

    assert (warned.warned, overdue.overdue) == (0, 0)
    assert defence(met).state == DeadlineState.MET
    assert defence(cancelled).state == DeadlineState.CANCELLED
    assert not Notification.objects.exists()
    assert not Event.objects.filter(action="deadline_overdue").exists()


def test_many_overdue_deadlines_are_marked_in_chunks_each_with_one_event(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("fuyuan.deadlines.reminders.CHUNK", 4)
    cases = [defence_case(world, f"（2026）黔2701行初{100 + n}号") for n in range(10)]

    report = remind_deadlines(at(D(2026, 3, 18)))

    assert report.overdue == 10
    assert Deadline.objects.filter(rule_id=DEFENCE, state=DeadlineState.OVERDUE).count() == 10
    assert Event.objects.filter(action="deadline_overdue").count() == 10
    assert {e.object_id for e in Event.objects.filter(action="deadline_overdue")} == {c.pk for c in cases}


def test_the_sweep_reads_a_fixed_number_of_queries_however_many_deadlines_are_due(
    world: World, django_assert_max_num_queries: object
) -> None:
    for n in range(30):
        defence_case(world, f"（2026）黔2701行初{200 + n}号")
        defence_case(world, f"（2026）黔2701行初{300 + n}号", served=D(2026, 3, 3))

    with django_assert_max_num_queries(25):  # type: ignore[operator]  # 60 rows due: not one query each
        report = remind_deadlines(at(D(2026, 3, 18)))

    # Served on 2 March: due 17 March, overdue; served on 3 March: due 18 March, due today.
    assert (report.overdue, report.warned) == (30, 30)
