import datetime

from django.test import Client
from django.utils import timezone

from fuyuan.cases.choices import CaseKind
from fuyuan.deadlines.workflow import sync_case_deadlines
from tests.factories import PASSWORD, World, make_case


def test_the_list_shows_overdue_and_due_soon_deadlines_of_visible_cases_only(
    client: Client, world: World, django_assert_max_num_queries: object
) -> None:
    today = timezone.localdate()
    soon = make_case(
        CaseKind.RECONSIDERATION,
        number="复-临期",
        defendant=world.orgs["都匀自然资源局"],
        received_on=today - datetime.timedelta(days=1),
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
    with django_assert_max_num_queries(8):
        overdue = client.get("/deadlines/", {"state": "overdue"}).content.decode()

    assert "复-临期" in due_soon and "复议受理审查" in due_soon
    assert "诉-逾期" not in due_soon
    assert "诉-逾期" in overdue and "逾期 25 天" in overdue
    assert "诉-福泉" not in overdue
