"""Content-Security-Policy (issue 7 §7): every response carries the policy — only this site's own scripts, no
eval, no framing — and no page of any role has inline script or an inline event handler that the policy would
block (the browser test tests/browser/test_csp.py watches the same pages run)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from tests.core.test_csrf import crawl_every_page
from tests.factories import World

pytestmark = pytest.mark.django_db


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def test_every_page_carries_a_policy_allowing_only_the_sites_own_scripts(world: World) -> None:
    client = Client()
    client.force_login(world.users["rol_pref"])

    policy = directives(client.get("/stats/dashboard/")["Content-Security-Policy"])

    assert policy["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval'
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["form-action"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    # style attributes only (sized columns, ECharts tooltips); <style> elements and style sheets stay 'self'
    assert policy["style-src"] == ["'self'"] and policy["style-src-elem"] == ["'self'"]
    assert policy["style-src-attr"] == ["'unsafe-inline'"]
    assert not any("unsafe-eval" in v for values in policy.values() for v in values)


def test_the_public_pages_and_the_error_pages_carry_the_policy_too(world: World) -> None:
    client = Client()

    for url in ("/login/", "/disputes/apply/"):
        assert "script-src 'self'" in client.get(url)["Content-Security-Policy"]
    client.force_login(world.users["agency_duyun"])
    assert "script-src 'self'" in client.get("/no-such-page/")["Content-Security-Policy"]


def test_htmx_is_told_not_to_eval_and_not_to_inject_its_own_style(world: World) -> None:
    client = Client()
    client.force_login(world.users["rol_pref"])

    page = client.get("/cases/").content.decode()

    assert """<meta name="htmx-config" content='{"allowEval": false, "includeIndicatorStyles": false}'>""" in page


@pytest.mark.slow
def test_no_page_of_any_role_has_inline_script_or_inline_event_handlers(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path

    result = crawl_every_page()

    inline = [
        f"{who} {page.url}: {what}" for who, page in result.pages for what in page.inline_scripts + page.inline_handlers
    ]
    assert inline == []
    assert len(result.views) >= 40
