"""Every page needs a log-in (Django's LoginRequiredMiddleware) except the views marked ``@login_not_required``, and
those are exactly the public ones: the log-in page, the party's online application, health, the API (which
authenticates by token) with its schema and description, and the admin site's own log-in."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

PUBLIC = {
    "login",
    "health",
    "disputes:apply",
    "disputes:apply_done",
    # the citizen's online reconsideration application (fuyuan/reconsideration/public_urls.py)
    "reconsideration_public:apply",
    "reconsideration_public:apply_done",
    "reconsideration_public:follow",
    "reconsideration_public:amend",
    "reconsideration_public:correct",
    "reconsideration_public:leave",
    # the published catalogue and the comment page of a draft (fuyuan/decisions/public_urls.py)
    "decisions_public:comment",
    "decisions_public:catalogue",
    # 亮证执法: a citizen checks an officer's certificate number (fuyuan/enforcement/public_urls.py)
    "enforcement_public:lookup",
    # the public form's picture challenge and its refresh (fuyuan/disputes/challenge_urls.py)
    "captcha-image",
    "captcha-image-2x",
    "captcha-refresh",
    "api:cases",
    "api:case",
    "api:hearings",
    "api:outcomes",
    "api:figures",
    "api:unknown",
    "api:schema",
    "api:docs",
}
SAMPLE = {"int": "1", "str": "x", "slug": "x", "path": "x"}


def patterns(resolver: URLResolver, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str, Any]]:
    """(a path that resolves to the pattern, its name, its view) for every URL pattern of the site."""
    for p in resolver.url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            inner = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from patterns(p, route, inner)
        elif isinstance(p, URLPattern):
            path = re.sub(r"\(\?P<\w+>([^)|]*)[^)]*\)", r"\1", route)  # a regex group: its first alternative
            path = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE[m.group(1) or "str"], path)
            yield "/" + re.sub(r"[\^$\\]", "", path), namespace + (p.name or ""), p.callback


def is_public(view: Any) -> bool:
    return getattr(view, "login_required", True) is False


def test_the_views_open_without_log_in_are_exactly_the_public_ones() -> None:
    opened = {name for _, name, view in patterns(get_resolver()) if is_public(view) and not name.startswith("admin:")}

    assert opened == PUBLIC


def test_every_other_page_sends_an_anonymous_visitor_to_log_in(client: Client) -> None:
    for path, name, view in patterns(get_resolver()):
        if is_public(view) or name.startswith("admin:"):
            continue
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/login/?next="), (name, path)
