import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from fuyuan.cases.choices import CaseKind
from fuyuan.core.workdays import WorkCalendar
from fuyuan.deadlines.models import Deadline
from fuyuan.deadlines.rules import compute_due
from fuyuan.deadlines.workflow import sync_case_deadlines
from tests.factories import PASSWORD, World, make_case

pytestmark = pytest.mark.usefixtures("clock")  # the due dates move by weekday and holiday: one known day
SOON = datetime.timedelta(days=7)


def test_the_list_shows_overdue_and_due_soon_deadlines_of_visible_cases_only(
    client: Client, world: World, django_assert_max_num_queries: object
) -> None:
    today = timezone.localdate()
    soon = make_case(
        CaseKind.RECONSIDERATION,
        number="复-临期",
        defendant=world.orgs["都匀自然资源局"],
        received_on=received_for_acceptance_due_soon(today),
        acceptance="pending",
    )
    late = make_case(
        number="诉-逾期",
        defendant=world.orgs["都匀自然资源局"],
        court=world.orgs["都匀法院"],
        complaint_served_on=today - datetime.timedelta(days=40),
        filed_on=today - datetime.timedelta(days=45),
    )
    other = make_case(
        number="诉-福泉",
        defendant=world.orgs["福泉公安局"],
        court=world.orgs["福泉法院"],
        complaint_served_on=today - datetime.timedelta(days=40),
        filed_on=today - datetime.timedelta(days=45),
    )
    sync_case_deadlines([soon.pk, late.pk, other.pk])
    client.login(username="agency_duyun", password=PASSWORD)

    due_soon = client.get("/deadlines/").content.decode()
    with django_assert_max_num_queries(9):
        overdue = client.get("/deadlines/", {"state": "overdue"}).content.decode()

    assert "复-临期" in due_soon and "复议受理审查" in due_soon
    assert "诉-逾期" not in due_soon
    # Served 40 days ago, the 15-day defence ended 25 days ago, or fewer when its end moved off a weekend or holiday.
    due_on = Deadline.objects.get(case=late, rule_id="litigation.defence").due_on
    assert "诉-逾期" in overdue and f"逾期 {(today - due_on).days} 天" in overdue and (today - due_on).days <= 25
    assert "诉-福泉" not in overdue


def received_for_acceptance_due_soon(today: datetime.date) -> datetime.date:
    """The latest receipt date whose 5-working-day acceptance review ends within the list's 7 days: the day before
    today on most days, earlier when a long holiday (国庆, 春节) lies ahead."""
    for days_ago in range(1, 30):
        received = today - datetime.timedelta(days=days_ago)
        if today <= compute_due("reconsideration.acceptance", received, WorkCalendar()).due <= today + SOON:
            return received
    raise AssertionError(f"no receipt date gives an acceptance review due within 7 days of {today}")


def overdue_case(world: World, number: str, agency: str, court: str, days_ago: int = 40) -> None:
    """A first-instance case whose defence is overdue (served ``days_ago`` days ago) and whose trial period is open."""
    today = timezone.localdate()
    case = make_case(
        number=number,
        defendant=world.orgs[agency],
        court=world.orgs[court],
        complaint_served_on=today - datetime.timedelta(days=days_ago),
        filed_on=today - datetime.timedelta(days=days_ago + 5),
    )
    sync_case_deadlines([case.pk])


def table_of(html: str) -> str:
    return html.split('data-testid="deadline-table"', 1)[1].split("</table>", 1)[0]


def rows(html: str) -> list[str]:
    """The case numbers of the list's rows, in order."""
    return re.findall(r'<td><a href="/cases/\d+/">([^<]+)</a></td>', table_of(html))


def test_the_office_lists_one_countys_or_one_organisations_deadlines_or_one_rules(client: Client, world: World) -> None:
    overdue_case(world, "诉-都匀", "都匀自然资源局", "都匀法院")
    overdue_case(world, "诉-福泉", "福泉公安局", "福泉法院")
    client.login(username="rol_pref", password=PASSWORD)
    everything = {"state": ""}

    fuquan = client.get("/deadlines/", {**everything, "county": world.regions["福泉市"].pk}).content.decode()
    agency = client.get("/deadlines/", {**everything, "owner": world.orgs["都匀自然资源局"].pk}).content.decode()
    trials = client.get("/deadlines/", {**everything, "rule": "litigation.first_instance"}).content.decode()

    assert rows(fuquan) == ["诉-福泉", "诉-福泉"]  # its defence and its trial period
    assert rows(agency) == ["诉-都匀"] and "被告提交答辩状及证据" in table_of(agency)
    assert sorted(rows(trials)) == ["诉-福泉", "诉-都匀"] and "被告提交答辩状及证据" not in table_of(trials)
    assert '<option value="{}" selected>都匀市自然资源局</option>'.format(world.orgs["都匀自然资源局"].pk) in agency
    assert '<option value="{}" selected>福泉市</option>'.format(world.regions["福泉市"].pk) in fuquan


def test_an_organisation_outside_the_users_region_is_ignored_with_a_notice(client: Client, world: World) -> None:
    overdue_case(world, "诉-都匀", "都匀自然资源局", "都匀法院")
    client.login(username="rol_duyun", password=PASSWORD)

    html = client.get("/deadlines/", {"state": "", "owner": world.orgs["安阳市场监管局"].pk}).content.decode()

    assert "筛选条件“责任单位”的值无效，已忽略" in html
    assert rows(html) == ["诉-都匀", "诉-都匀"]


def test_a_court_liaison_can_narrow_its_list_to_one_defendants_deadlines(client: Client, world: World) -> None:
    overdue_case(world, "诉-都匀", "都匀自然资源局", "都匀法院")
    client.login(username="court_duyun", password=PASSWORD)

    html = client.get("/deadlines/", {"state": "", "owner": world.orgs["都匀法院"].pk}).content.decode()

    assert rows(html) == ["诉-都匀"] and "一审审理期限" in table_of(html)
    assert "安阳市市场监督管理局" not in html  # only the owners of its own cases' deadlines are offered


def test_the_list_pages_by_fifty_keeping_its_filters_and_its_queries_do_not_grow_with_the_rows(
    client: Client, world: World, django_assert_max_num_queries: object
) -> None:
    for n in range(3):
        overdue_case(world, f"诉-福泉{n:02d}", "福泉公安局", "福泉法院", days_ago=40 + n)
    client.login(username="rol_pref", password=PASSWORD)
    query = {"state": "overdue", "county": world.regions["福泉市"].pk, "owner": world.orgs["福泉公安局"].pk}
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        few = client.get("/deadlines/", query).content.decode()
    for n in range(3, 55):
        overdue_case(world, f"诉-福泉{n:02d}", "福泉公安局", "福泉法院", days_ago=40 + n)

    with django_assert_max_num_queries(12):  # type: ignore[operator]
        first = client.get("/deadlines/", query).content.decode()
    second = client.get("/deadlines/", {**query, "page": 2}).content.decode()

    assert len(rows(few)) == 3
    assert "共 <strong>55</strong> 项" in first and len(rows(first)) == 50 and "1 / 2" in first
    # The longest overdue first. Which cases share a due date depends on the weekday (an end moved off a weekend or a
    # holiday), so the order is checked against the stored due dates.
    due = dict(Deadline.objects.filter(rule_id="litigation.defence").values_list("case__number", "due_on"))
    listed = rows(first) + rows(second)
    assert [due[n] for n in listed] == sorted(due[n] for n in listed) and due[listed[0]] == due["诉-福泉54"]
    next_link = f"county={world.regions['福泉市'].pk}&amp;owner={world.orgs['福泉公安局'].pk}&amp;page=2"
    assert next_link in first
    assert len(rows(second)) == 5 and "2 / 2" in second
