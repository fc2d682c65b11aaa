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
