"""The pages through the Django test client: registration with a bad field, an application refused on its page with
the date it may apply, the list (masked ID numbers, a query bound), the figures (each number opens its files), and the
sweep chasing a period once."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from fuyuan.core.timeline import timeline
from fuyuan.nonlitigation.choices import ExecutionResult, Ruling, Stage
from fuyuan.nonlitigation.models import EnforcementFile
from fuyuan.nonlitigation.workflow import (
    accept_application,
    apply_to_court,
    record_execution,
    record_reminder,
    register_file,
    rule_on_application,
)
from fuyuan.notifications.models import Notification
from fuyuan.obligations.workflow import sweep
from tests.factories import PASSWORD, World
from tests.nonlitigation.conftest import D, decision

pytestmark = pytest.mark.django_db


def logged_in(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def test_registration_with_no_party_names_the_field_and_writes_nothing(world: World, clock) -> None:  # type: ignore[no-untyped-def]
    clock(D(2026, 9, 25))
    client = logged_in("agency_duyun")
    data = {k: (v.isoformat() if isinstance(v, datetime.date) else v) for k, v in decision(party_name="").items()}

    response = client.post(reverse("nonlitigation:new"), data)

    assert response.status_code == 400
    assert "请填写当事人" in response.content.decode()
    assert not EnforcementFile.objects.exists()

    response = client.post(reverse("nonlitigation:new"), {**data, "party_name": "张三"})
    file = EnforcementFile.objects.get()
    assert response["Location"] == reverse("nonlitigation:detail", args=[file.pk])
    assert file.application_due_on == D(2026, 12, 7)


def test_an_application_too_early_is_refused_on_its_page_with_the_date_it_may_apply(
    registered: EnforcementFile, world: World, clock
) -> None:  # type: ignore[no-untyped-def]
    clock(D(2026, 10, 16))
    record_reminder(registered, number="催3号", served_on=D(2026, 9, 28), by=world.users["agency_duyun"])
    client = logged_in("agency_duyun")
    page = client.get(reverse("nonlitigation:detail", args=[registered.pk])).content.decode()
    assert "2026-10-17 起可申请" in page

    response = client.post(
        reverse("nonlitigation:step", args=[registered.pk, "apply"]),
        {"apply-court": world.orgs["都匀法院"].pk, "apply-applied_on": "2026-10-16"},
    )

    assert response.status_code == 400
    assert "2026-10-17 起方可申请人民法院强制执行" in response.content.decode()
    registered.refresh_from_db()
    assert registered.stage == Stage.REMINDED


def test_the_court_liaison_cannot_take_the_agencys_step(registered: EnforcementFile, world: World, clock) -> None:  # type: ignore[no-untyped-def]
    clock(D(2026, 10, 20))
    agency = world.users["agency_duyun"]
    f = record_reminder(registered, number="催", served_on=D(2026, 9, 28), by=agency)
    apply_to_court(f, court=world.orgs["都匀法院"], applied_on=D(2026, 10, 19), by=agency)

    response = logged_in("court_duyun").post(
        reverse("nonlitigation:step", args=[f.pk, "remind"]), {"remind-number": "x", "remind-served_on": "2026-10-01"}
    )

    assert response.status_code == 403


def many_files(world: World, n: int) -> None:
    agency = world.users["agency_duyun"]
    for i in range(n):
        f = register_file(decision(decision_number=f"第{i}号"), by=agency)
        record_reminder(f, number=f"催{i}", served_on=D(2026, 9, 28), by=agency)


def test_the_list_masks_the_id_number_and_runs_a_bounded_number_of_queries(
    world: World, clock, django_assert_max_num_queries: Any
) -> None:  # type: ignore[no-untyped-def]
    clock(D(2026, 12, 9))
    many_files(world, 2)
    client = logged_in("rol_duyun")
    with django_assert_max_num_queries(12):
        html = client.get(reverse("nonlitigation:list")).content.decode()
    many_files(world, 20)
    with django_assert_max_num_queries(12):
        html = client.get(reverse("nonlitigation:list")).content.decode()

    assert html.count('data-testid="file-row"') == 22
    assert "5227**********1234" in html and "522701199001011234" not in html
    # Past 7 December every file's application is overdue.
    assert html.count(">逾期<") == 22


def test_each_figure_opens_exactly_the_files_behind_it(registered: EnforcementFile, world: World, clock) -> None:  # type: ignore[no-untyped-def]
    clock(D(2026, 12, 9))
    agency, court = world.users["agency_duyun"], world.users["court_duyun"]
    f = record_reminder(registered, number="催", served_on=D(2026, 9, 28), by=agency)
    f = apply_to_court(f, court=world.orgs["都匀法院"], applied_on=D(2026, 10, 19), by=agency)
    f = accept_application(f, accepted_on=D(2026, 10, 21), court_case_number="审", by=court)
    f = rule_on_application(f, ruling=Ruling.GRANTED, ruled_on=D(2026, 10, 27), ruling_number="裁", by=court)
    record_execution(f, result=ExecutionResult.EXECUTED, executed_on=D(2026, 11, 5), text="已执行", by=court)
    many_files(world, 2)  # reminded, never applied: overdue since 7 December
    client = logged_in("rol_pref")

    html = client.get(reverse("nonlitigation:figures"), {"year": 2026}).content.decode()

    row = html[html.index('data-testid="agency-row"') :]
    row = row[: row.index("</tr>")]
    figures = re.findall(r'href="([^"]+)" data-testid="figure">(\d+)<', row)
    assert [n for _, n in figures] == ["1", "1", "1", "2"]  # applied, granted, executed, overdue
    assert "100.00%" in row
    for url, n in figures:
        listed = client.get(url.replace("&amp;", "&")).content.decode()
        assert listed.count('data-testid="file-row"') == int(n)


def test_the_sweep_chases_an_application_period_once_telling_the_agency_and_the_office(
    registered: EnforcementFile, world: World, clock
) -> None:  # type: ignore[no-untyped-def]
    clock(D(2026, 12, 8))

    first = sweep()
    again = sweep()

    assert first.of("nonlitigation.period")[1] == 1 and again.of("nonlitigation.period")[1] == 0
    told = set(Notification.objects.filter(subject__contains="非诉执行").values_list("recipient__username", flat=True))
    assert told == {"agency_duyun", "rol_duyun"}
    assert [e.action for e in timeline(registered)][-1] == "period_overdue"


def test_the_figures_page_runs_a_bounded_number_of_queries(
    world: World, clock, django_assert_max_num_queries: Any
) -> None:  # type: ignore[no-untyped-def]
    clock(D(2026, 12, 9))
    many_files(world, 3)
    client = logged_in("rol_pref")
    with django_assert_max_num_queries(10):
        client.get(reverse("nonlitigation:figures"))
    many_files(world, 15)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("nonlitigation:figures")).status_code == 200
