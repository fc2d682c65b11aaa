"""The deployment names its own local rules and examples (``FUYUAN_DEPLOYMENT_NAME``): a page says "云岭州规定", and
the place that first devised a mechanism (黔南州“两提两核一直达”, 黔西南州“四必治败诉”) is cited as its origin only."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse

from fuyuan.deadlines import rules
from fuyuan.disputes.choices import AssignmentRole
from fuyuan.disputes.workflow import Choice, accept_dispute, assign_coordinators
from tests.disputes.consent import WRITTEN
from tests.factories import PASSWORD, World, make_coordinator, make_dispute
from tests.visible import visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def named(settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """This deployment is 云岭州's; the rule table is built again as at a start with that setting."""
    settings.FUYUAN_DEPLOYMENT_NAME = "云岭州"
    for rule_id, rule in rules.build_rules().items():
        monkeypatch.setitem(rules.RULES, rule_id, rule)
    yield "云岭州"


def _client(persona: str) -> Client:
    client = Client()
    assert client.login(username=persona, password=PASSWORD)
    return client


def test_every_local_rule_is_named_after_the_deployment_and_cites_where_it_came_from(named: str) -> None:
    local = {
        r.id: r.source for r in rules.RULES.values() if r.id.startswith(("hearing.", "centre.", "accountability."))
    }

    assert all(source.startswith("云岭州规定：") for source in local.values())
    assert local["hearing.first_reminder"] == "云岭州规定：开庭前一周提醒（源自黔南州“两提两核一直达”）"
    assert local["accountability.notice"].endswith("机制源自黔西南州“四必治败诉”）")
    assert not any("黔南州规定" in r.source or r.source.startswith("地方规则") for r in rules.RULES.values())


def test_an_unnamed_deployment_calls_its_local_rules_local(settings) -> None:  # type: ignore[no-untyped-def]
    settings.FUYUAN_DEPLOYMENT_NAME = ""

    table = rules.build_rules()

    assert table["centre.plan"].source == "本地规定：5日内制作化解方案（源自黔南州行政争议化解工作时限）"


def test_the_calculator_names_the_deployments_rule(named: str, world: World) -> None:
    html = _client("agency_duyun").get(
        reverse("deadlines:calculator"), {"rule": "hearing.first_reminder", "start": "2026-03-16"}
    )

    assert "云岭州规定：开庭前一周提醒（源自黔南州“两提两核一直达”）" in visible_text(html.content.decode())


def test_the_dispute_page_names_the_deployments_rule(named: str, world: World) -> None:
    o, centre = world.orgs, world.users["centre"]
    d = make_dispute(o["州中心"], agency=o["都匀自然资源局"], by=centre)
    accept_dispute(d, by=centre, consent=WRITTEN)
    expert = make_coordinator("李专家", org=o["州司法局"], domains=["forestry"], user=world.users["coordinator"])
    assign_coordinators(d, [Choice(expert, AssignmentRole.LEAD)], by=centre)

    text = visible_text(_client("centre").get(reverse("disputes:detail", args=[d.pk])).content.decode())

    assert "受理后30日。云岭州规定：对申请诉前协调的案件" in text


def test_the_public_forms_example_is_the_deployments_own(settings, world: World) -> None:  # type: ignore[no-untyped-def]
    settings.FUYUAN_DEPLOYMENT_NAME = "云岭州"
    assert "如：云岭州自然资源局" in visible_text(Client().get(reverse("disputes:apply")).content.decode())

    settings.FUYUAN_DEPLOYMENT_NAME = ""
    text = visible_text(Client().get(reverse("disputes:apply")).content.decode())
    assert "如：××县自然资源局" in text
    assert "如：都匀" not in text


def test_the_deployment_name_is_read_from_the_environment() -> None:
    import os
    import subprocess
    import sys

    shown = subprocess.run(
        [sys.executable, "-c", "import fuyuan.settings as s; print(s.FUYUAN_DEPLOYMENT_NAME)"],
        env={**os.environ, "FUYUAN_DEPLOYMENT_NAME": " 黔南州 "},
        capture_output=True,
        text=True,
        check=True,
    )

    assert shown.stdout.strip() == "黔南州"
