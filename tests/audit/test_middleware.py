"""Reads of a case file, exports and changes made through a page are audited with who, when, from where and what
(GB/T 22239-2019 8.1.4.3 a)、b)); anonymous and failed requests are not."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from fuyuan.audit.middleware import CASE_FILE_PAGES
from fuyuan.audit.models import AuditKind, AuditRecord
from fuyuan.cases.forms import FORMS
from tests.factories import World, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world: World):  # type: ignore[no-untyped-def]
    return make_case(defendant=world.orgs["都匀自然资源局"], court=world.orgs["都匀法院"], plaintiffs="张某某")


def _records(kind: str) -> list[AuditRecord]:
    return list(AuditRecord.objects.filter(kind=kind).order_by("id"))


def test_reading_a_case_file_is_recorded_with_who_when_where_and_which_case(client, world: World, case) -> None:
    client.force_login(world.users["agency_duyun"])
    before = timezone.now()

    response = client.get(f"/cases/{case.pk}/", REMOTE_ADDR="10.2.3.4", HTTP_USER_AGENT="Firefox/130")

    assert response.status_code == 200
    [rec] = _records(AuditKind.READ)
    assert (rec.username, rec.role, rec.ip, rec.user_agent) == (
        "agency_duyun",
        "agency_liaison",
        "10.2.3.4",
        "Firefox/130",
    )
    assert (rec.target_type, rec.target_id) == ("cases.case", str(case.pk))
    assert before <= rec.at <= timezone.now()
    assert rec.summary == f"查阅案件 {case.number}"
    assert rec.target_label == case.number


def test_an_anonymous_visit_and_a_case_out_of_scope_are_not_recorded_as_reads(client, world: World, case) -> None:
    assert client.get(f"/cases/{case.pk}/").status_code == 302  # to the log-in page
    client.force_login(world.users["agency_fuquan"])  # another county's agency
    assert client.get(f"/cases/{case.pk}/").status_code == 404

    assert _records(AuditKind.READ) == []


def test_a_list_page_is_not_a_read_of_a_case_file(client, world: World, case) -> None:
    client.force_login(world.users["agency_duyun"])

    assert client.get("/cases/").status_code == 200

    assert _records(AuditKind.READ) == []


def test_every_case_file_page_in_the_table_resolves_to_its_model() -> None:
    from django.apps import apps
    from django.urls import reverse

    for name, (label, _page) in CASE_FILE_PAGES.items():
        assert reverse(name, kwargs={"pk": 1})
        assert apps.get_model(label)


def test_an_export_is_recorded_with_its_file_and_filters(client, world: World, case) -> None:
    client.force_login(world.users["rol_pref"])

    response = client.get("/cases/export.xlsx?kind=litigation", REMOTE_ADDR="10.2.3.5")

    assert response.status_code == 200
    [rec] = _records(AuditKind.EXPORT)
    assert (rec.username, rec.ip) == ("rol_pref", "10.2.3.5")
    assert rec.detail["url_name"] == "cases:export"
    assert rec.detail["query"] == {"kind": "litigation"}
    assert rec.detail["filename"].endswith(".xlsx")
    assert rec.detail["filename"] in rec.summary


def test_a_change_records_the_fields_posted_but_never_their_values(client, world: World, case) -> None:
    user = world.users["court_duyun"]
    client.force_login(user)
    form = FORMS[case.kind](instance=case, user=user)
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, datetime.date):
            value = value.isoformat()
        data[name] = "" if value is None else value
    data["plaintiffs"] = "王秘密"

    response = client.post(f"/cases/{case.pk}/edit/", data, REMOTE_ADDR="10.2.3.6")

    assert response.status_code in (200, 302)
    [rec] = _records(AuditKind.CHANGE)
    assert (rec.username, rec.ip) == ("court_duyun", "10.2.3.6")
    assert (rec.target_type, rec.target_id) == ("cases.case", str(case.pk))
    assert rec.detail["url_name"] == "cases:edit"
    assert "plaintiffs" in rec.detail["fields"]
    assert "王秘密" not in str(rec.detail) + rec.summary


def test_a_refused_change_is_not_recorded(client, world: World, case) -> None:
    client.force_login(world.users["agency_fuquan"])

    assert client.post(f"/cases/{case.pk}/edit/", {"plaintiffs": "x"}).status_code == 404
    client.logout()
    assert client.post("/notifications/read-all/").status_code == 302  # to the log-in page

    assert _records(AuditKind.CHANGE) == []


def test_a_change_without_a_case_file_is_recorded_by_its_page(client, world: World) -> None:
    client.force_login(world.users["centre"])

    client.post("/notifications/read-all/")

    [rec] = _records(AuditKind.CHANGE)
    assert rec.detail["url_name"] == "notifications:mark_all_read"
    assert rec.target_type == ""


def test_a_page_submitted_under_a_case_file_names_that_file(client, world: World, case) -> None:
    from django.test import RequestFactory

    from fuyuan.audit.middleware import _target

    request = RequestFactory().post("/accountability/losses/5/analysis/")

    assert _target(request, "accountability:loss_analysis", {"pk": 5}) == ("accountability.lossreview", "5", "败诉问责")


def test_auditing_a_case_read_adds_at_most_two_queries(world: World, case) -> None:
    without = [m for m in settings.MIDDLEWARE if m != "fuyuan.audit.middleware.AuditMiddleware"]
    counts = []
    for middleware in (settings.MIDDLEWARE, without):
        with override_settings(MIDDLEWARE=middleware):
            client = Client()  # a client loads the middleware at its first request
            client.force_login(world.users["agency_duyun"])
            client.get(f"/cases/{case.pk}/")  # warm caches (content types, session)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(f"/cases/{case.pk}/").status_code == 200
            counts.append(len(queries))

    assert counts[0] - counts[1] <= 2
    assert len(_records(AuditKind.READ)) == 2
