"""A year's 放假安排 entered, changed or deleted moves the open deadlines of that year (issue 3: a year unknown to the
calendar package is computed on weekends only, with a warning, until the administrator enters it); and wherever such a
deadline is shown or announced, the warning goes with it."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from fuyuan.cases.models import Case
from fuyuan.core.models import CalendarDay, CalendarYear, Event
from fuyuan.core.signals import calendar_changed
from fuyuan.deadlines.models import Deadline, DeadlineState
from fuyuan.deadlines.reminders import UNKNOWN_CALENDAR, remind_deadlines
from fuyuan.deadlines.rules import RULES
from fuyuan.deadlines.workflow import CASE_DATE_RULES, CASE_OWNERS, sync_case_deadlines
from fuyuan.notifications.models import Notification
from tests.factories import PASSWORD, World, make_case

pytestmark = pytest.mark.django_db

D = datetime.date


def served_case(world: World, served: datetime.date, number: str = "（2026）黔2701行初7号") -> Case:
    """A first-instance case against 都匀市自然资源局 served on ``served`` (defence: 15 calendar days)."""
    case = make_case(
        number=number,
        defendant=world.orgs["都匀自然资源局"],
        court=world.orgs["都匀法院"],
        filed_on=served,
        complaint_served_on=served,
    )
    sync_case_deadlines([case.pk], today=served)
    return case


def defence(case: Case) -> Deadline:
    return Deadline.objects.get(case=case, rule_id="litigation.defence")


def enter_2027(*holidays: datetime.date) -> CalendarYear:
    year = CalendarYear.objects.create(year=2027, source="国务院办公厅关于2027年部分节假日安排的通知")
    for day in holidays:
        CalendarDay.objects.create(calendar_year=year, day=day)
    return year


def test_entering_a_year_moves_only_the_open_deadlines_it_touches_and_writes_each_move_on_the_case(
    world: World,
) -> None:
    # given: one defence due Monday 11 January 2027 (weekends only), one met, one due in 2026 (known)
    open_2027 = served_case(world, D(2026, 12, 27), "诉-2027")
    met_2027 = served_case(world, D(2026, 12, 27), "诉-已答辩")
    Deadline.objects.filter(case=met_2027).update(state=DeadlineState.MET, met_on=D(2027, 1, 5))
    known_2026 = served_case(world, D(2026, 3, 2), "诉-2026")
    enter_2027(D(2027, 1, 11))

    # when
    calendar_changed.send(sender=CalendarYear, year=2027, by=world.users["sysadmin"])

    # then
    assert (defence(open_2027).due_on, defence(open_2027).calendar_known) == (D(2027, 1, 12), True)
    assert defence(met_2027).due_on == D(2027, 1, 11)
    assert defence(known_2026).due_on == D(2026, 3, 17)
    moved = Event.objects.filter(action="deadline_recomputed")
    assert {e.object_id for e in moved} == {open_2027.pk}
    assert "2027年节假日安排变更" in moved.first().summary  # type: ignore[union-attr]


def test_a_year_entered_again_with_nothing_new_moves_nothing_and_writes_nothing(world: World) -> None:
    served_case(world, D(2026, 12, 27), "诉-2027")
    enter_2027(D(2027, 1, 11))
    calendar_changed.send(sender=CalendarYear, year=2027, by=world.users["sysadmin"])
    before = Event.objects.filter(action="deadline_recomputed").count()

    calendar_changed.send(sender=CalendarYear, year=2027, by=world.users["sysadmin"])

    assert before == 2  # the defence moved; the trial period (due Monday 28 June 2027) became known
    assert Event.objects.filter(action="deadline_recomputed").count() == before


def test_the_case_page_warns_of_a_deadline_computed_on_weekends_only(client: Client, world: World) -> None:
    case = served_case(world, D(2026, 12, 27), "诉-2027")
    client.login(username="agency_duyun", password=PASSWORD)

    html = client.get(f"/cases/{case.pk}/").content.decode()

    assert "届满 2027-01-11" in html
    assert 'data-testid="calendar-unknown"' in html and "仅按周末" in html


def test_the_due_soon_and_overdue_messages_of_a_weekend_only_deadline_say_so(world: World) -> None:
    unknown = served_case(world, D(2026, 12, 27), "诉-2027")
    late = served_case(world, D(2026, 12, 22), "诉-2027-逾期")  # due Wednesday 6 January 2027
    assert defence(late).calendar_known is False  # its period runs into 2027

    remind_deadlines(timezone.make_aware(datetime.datetime(2027, 1, 8, 10)))

    warned = Notification.objects.get(dedup_key=f"deadline:{defence(unknown).pk}:due_soon", channel="in_app")
    overdue = Notification.objects.filter(dedup_key=f"deadline:{defence(late).pk}:overdue", channel="in_app").first()
    assert UNKNOWN_CALENDAR in warned.body
    assert overdue is not None and UNKNOWN_CALENDAR in overdue.body


def test_a_message_about_a_deadline_of_a_known_year_has_no_warning(world: World) -> None:
    case = served_case(world, D(2026, 3, 2), "诉-2026")

    remind_deadlines(timezone.make_aware(datetime.datetime(2026, 3, 14, 10)))

    body = Notification.objects.get(dedup_key=f"deadline:{defence(case).pk}:due_soon", channel="in_app").body
    assert UNKNOWN_CALENDAR not in body


def test_the_owner_of_every_deadline_derived_from_case_dates_comes_from_the_rule_table() -> None:
    assert {RULES[rule_id].owner for rule_id in CASE_DATE_RULES} <= set(CASE_OWNERS)
    assert RULES["litigation.defence"].owner.label == "被告行政机关"
    assert RULES["reconsideration.decision"].owner.label == "复议机构"
