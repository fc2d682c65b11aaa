"""A 不准予 ruling counts for the agency like a loss: the supervision dashboard's 败诉原因 card shows the window's
refusals by agency and cause, as a source of their own, each number opening exactly the files behind it; the
litigation loss figures do not change."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from fuyuan.nonlitigation.choices import Ruling
from fuyuan.nonlitigation.models import EnforcementFile
from fuyuan.nonlitigation.workflow import accept_application, apply_to_court, record_reminder, rule_on_application
from tests.factories import PASSWORD, World
from tests.nonlitigation.conftest import D

pytestmark = pytest.mark.django_db

WINDOW = {"date_from": "2026-10-01", "date_to": "2026-10-31"}


def refuse(file: EnforcementFile, world: World, causes: list[str]) -> EnforcementFile:
    agency, court = world.users["agency_duyun"], world.users["court_duyun"]
    f = record_reminder(file, number="催", served_on=D(2026, 9, 28), by=agency)
    f = apply_to_court(f, court=world.orgs["都匀法院"], applied_on=D(2026, 10, 19), by=agency)
    f = accept_application(f, accepted_on=D(2026, 10, 21), court_case_number="审", by=court)
    return rule_on_application(
        f, ruling=Ruling.REFUSED, ruled_on=D(2026, 10, 27), ruling_number="裁", causes=causes, reasons="催告书未送达",
        by=court,
    )  # fmt: skip


def test_a_refusal_appears_in_the_loss_cause_analysis_by_agency_and_cause_linked_to_its_file(
    registered: EnforcementFile, world: World, clock, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    clock(D(2026, 11, 2))
    client = Client()
    assert client.login(username="rol_duyun", password=PASSWORD)
    client.get(reverse("stats:dashboard"), WINDOW)  # cached before the ruling: the ruling must refresh it

    with django_capture_on_commit_callbacks(execute=True):
        refuse(registered, world, ["procedure", "facts"])
    html = client.get(reverse("stats:dashboard"), WINDOW).content.decode()

    card = html[html.index('data-testid="refusal-causes"') :]
    assert re.search(r'data-testid="refusal-rulings">1<', card)
    row = card[card.index('data-testid="refusal-row"') :]
    assert "都匀市自然资源局" in row[:200]
    links = re.findall(r'href="([^"]+)" data-testid="refusal-cell">(\d+)<', row)
    assert [n for _, n in links] == ["1", "1"]
    assert "cause=procedure" in links[0][0] and "cause=facts" in links[1][0]

    listed = client.get(links[0][0].replace("&amp;", "&")).content.decode()
    assert listed.count('data-testid="file-row"') == 1
    assert registered.decision_number in listed
    # The litigation losses and their reviews are counted as before: none here.
    assert re.search(r'data-testid="cause-reviews">0<', html)


def test_a_granted_ruling_is_not_in_the_loss_cause_analysis(registered: EnforcementFile, world: World, clock) -> None:  # type: ignore[no-untyped-def]
    agency, court = world.users["agency_duyun"], world.users["court_duyun"]
    clock(D(2026, 11, 2))
    f = record_reminder(registered, number="催", served_on=D(2026, 9, 28), by=agency)
    f = apply_to_court(f, court=world.orgs["都匀法院"], applied_on=D(2026, 10, 19), by=agency)
    f = accept_application(f, accepted_on=D(2026, 10, 21), court_case_number="审", by=court)
    rule_on_application(f, ruling=Ruling.GRANTED, ruled_on=D(2026, 10, 27), ruling_number="裁", by=court)
    client = Client()
    assert client.login(username="rol_duyun", password=PASSWORD)

    html = client.get(reverse("stats:dashboard"), WINDOW).content.decode()

    assert re.search(r'data-testid="refusal-rulings">0<', html)
