"""Django's admin at /admin/ is the configuration console (``fuyuan.core.admin.configuration_site``): only the
system administrator, only regions, organisations with their heads rosters and the holiday calendar. It would
otherwise bypass every app's scoping for a superuser (SPEC §2; GB/T 22239-2019 8.1.10.1 a)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import resolve

from fuyuan.audit.models import AuditKind, AuditRecord
from fuyuan.core.admin import configuration_site
from fuyuan.core.models import Region, Role, User
from tests.factories import PASSWORD, World, make_case, make_user


def client_for(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_the_product_serves_the_configuration_site_at_admin() -> None:
    assert resolve("/admin/").func.admin_site is configuration_site  # type: ignore[attr-defined]


def test_the_configuration_site_holds_only_the_reference_data() -> None:
    registered = {model._meta.label for model in configuration_site._registry}

    assert registered == {"core.Region", "core.Organisation", "core.CalendarYear"}


def test_the_system_administrator_keeps_regions_organisations_rosters_and_the_calendar(world: World) -> None:
    client = client_for(world.users["sysadmin"])

    index = client.get("/admin/")

    assert index.status_code == 200
    html = index.content.decode()
    assert "地区" in html and "单位" in html and "节假日安排" in html
    organisation = world.orgs["都匀自然资源局"]
    assert client.get(f"/admin/core/organisation/{organisation.pk}/change/").status_code == 200
    assert "王局长" in client.get(f"/admin/core/organisation/{organisation.pk}/change/").content.decode()
    assert client.get("/admin/core/calendaryear/add/").status_code == 200


def test_a_change_in_the_configuration_site_is_audited(world: World) -> None:
    client = client_for(world.users["sysadmin"])

    response = client.post(
        "/admin/core/region/add/", {"name": "瓮安县", "level": 3, "parent": world.regions["黔南州"].pk}
    )

    assert response.status_code == 302
    record = AuditRecord.objects.get(kind=AuditKind.CHANGE, username="sysadmin", target_type="core.region")
    assert record.summary == "配置数据：新增地区「瓮安县」"


@pytest.mark.parametrize("model", ["cases/case", "disputes/dispute", "disputes/coordinator", "hearings/hearing",
                                   "notifications/notification", "core/user", "audit/auditrecord", "core/event"])  # fmt: skip
def test_no_case_content_account_or_log_model_is_served(world: World, model: str) -> None:
    make_case(defendant=world.orgs["都匀自然资源局"])
    client = client_for(world.users["sysadmin"])

    assert client.get(f"/admin/{model}/").status_code == 404


@pytest.mark.parametrize("persona", ["secadmin", "auditadmin", "root", "staff_office"])
def test_nobody_but_the_system_administrator_gets_in_not_even_a_superuser(world: World, persona: str) -> None:
    if persona == "root":
        user = make_user("root", "")
        user.is_superuser = user.is_staff = True
        user.save()
    elif persona == "staff_office":
        user = make_user("staff_office", Role.RULE_OF_LAW_OFFICE, region=world.regions["黔南州"])
        user.is_staff = True
        user.save()
    else:
        user = world.users[persona]
    client = client_for(user)

    for url in ("/admin/", "/admin/core/region/", f"/admin/core/organisation/{world.orgs['都匀法院'].pk}/change/"):
        response = client.get(url, follow=True)
        assert response.status_code == 403 and "配置数据仅供系统管理员维护" in response.content.decode(), url
    assert client.post("/admin/core/region/add/", {"name": "瓮安县", "level": 3}, follow=True).status_code == 403
    assert not Region.objects.filter(name="瓮安县").exists()


def test_the_configuration_site_has_no_log_in_page_of_its_own(world: World) -> None:
    anonymous = Client().get("/admin/login/?next=/admin/")

    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/")
    assert client_for(world.users["sysadmin"]).get("/admin/login/")["Location"] == "/admin/"


def test_changing_ones_password_from_the_configuration_site_goes_to_the_products_page(world: World) -> None:
    response = client_for(world.users["sysadmin"]).get("/admin/password_change/")

    assert response.status_code == 302 and response["Location"] == "/security/password/"


def test_entering_a_years_holidays_on_the_configuration_site_moves_the_deadlines_of_that_year(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: a defence served on 27 December 2026 runs 15 days to Monday 11 January 2027, a year the calendar package
    # does not know, so it is computed on weekends only and says so on the case page; today is 28 December 2026
    import datetime

    from django.utils import timezone

    from fuyuan.cases.workflow import register_case

    moment = timezone.make_aware(datetime.datetime(2026, 12, 28, 10, 0))
    monkeypatch.setattr(timezone, "now", lambda: moment)
    from fuyuan.core.models import Event
    from fuyuan.deadlines.models import Deadline
    from fuyuan.deadlines.workflow import sync_case_deadlines

    values = {
        "kind": "litigation", "number": "（2026）黔2701行初99号", "instance": "first", "court": world.orgs["都匀法院"],
        "defendant": world.orgs["都匀自然资源局"], "filed_on": datetime.date(2026, 12, 20),
        "complaint_served_on": datetime.date(2026, 12, 27),
    }  # fmt: skip
    case = register_case(values, by=world.users["court_duyun"])
    sync_case_deadlines([case.pk], today=datetime.date(2026, 12, 28))
    defence = Deadline.objects.get(case=case, rule_id="litigation.defence")
    assert (defence.due_on, defence.calendar_known) == (datetime.date(2027, 1, 11), False)
    court = client_for(world.users["court_duyun"])
    assert 'data-testid="calendar-unknown"' in court.get(f"/cases/{case.pk}/").content.decode()

    # when: the system administrator enters the 2027 arrangement, with 11 January as a holiday
    response = client_for(world.users["sysadmin"]).post(
        "/admin/core/calendaryear/add/",
        {
            "year": "2027", "source": "国务院办公厅关于2027年部分节假日安排的通知",
            "days-TOTAL_FORMS": "1", "days-INITIAL_FORMS": "0", "days-MIN_NUM_FORMS": "0", "days-MAX_NUM_FORMS": "1000",
            "days-0-day": "2027-01-11", "days-0-note": "放假",
        },
    )  # fmt: skip

    # then: the deadline ends on the next working day, without the warning, and the case's timeline says why
    assert response.status_code == 302
    defence.refresh_from_db()
    assert (defence.due_on, defence.calendar_known) == (datetime.date(2027, 1, 12), True)
    page = court.get(f"/cases/{case.pk}/").content.decode()
    assert "届满 2027-01-12" in page and 'data-testid="calendar-unknown"' not in page
    assert "2027年节假日安排变更，期限重算：被告提交答辩状及证据届满日 2027-01-12" in page
    event = Event.objects.get(
        action="deadline_recomputed", object_id=case.pk, changes__has_key="被告提交答辩状及证据届满日"
    )
    assert event.changes["被告提交答辩状及证据届满日"] == ["2027-01-11", "2027-01-12"]
    assert event.actor == world.users["sysadmin"]


def test_deleting_an_entered_year_on_the_configuration_site_puts_its_deadlines_back_on_weekends_only(
    world: World,
) -> None:
    import datetime

    from fuyuan.core.models import CalendarDay, CalendarYear
    from fuyuan.deadlines.models import Deadline
    from fuyuan.deadlines.workflow import sync_case_deadlines

    year = CalendarYear.objects.create(year=2027, source="国务院办公厅关于2027年部分节假日安排的通知")
    CalendarDay.objects.create(calendar_year=year, day=datetime.date(2027, 1, 11))
    case = make_case(
        defendant=world.orgs["都匀自然资源局"],
        court=world.orgs["都匀法院"],
        filed_on=datetime.date(2026, 12, 20),
        complaint_served_on=datetime.date(2026, 12, 27),
    )
    sync_case_deadlines([case.pk], today=datetime.date(2026, 12, 28))
    assert Deadline.objects.get(case=case, rule_id="litigation.defence").due_on == datetime.date(2027, 1, 12)

    response = client_for(world.users["sysadmin"]).post(f"/admin/core/calendaryear/{year.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    defence = Deadline.objects.get(case=case, rule_id="litigation.defence")
    assert (defence.due_on, defence.calendar_known) == (datetime.date(2027, 1, 11), False)
