"""CSRF on every form and HTMX request (issue 7 §7).

Every page a user of each role can reach is fetched (the demo data gives each role something to open) and its
HTML read the way a browser would: each ``<form method="post">`` carries the token, each element that makes an
HTMX request which changes something sits under ``<body hx-headers>`` with the token. Then requests without the
token, from a form or from HTMX, are refused with the Chinese page and change nothing.
"""

from __future__ import annotations

import datetime
import json
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.utils import timezone

from fuyuan.core.models import Role, User
from fuyuan.demo.generator import generate_demo
from fuyuan.notifications.models import Channel, Notification
from fuyuan.packaging.workflow import create_package
from fuyuan.rectification.models import RecommendationKind
from fuyuan.rectification.workflow import ItemDraft, register_recommendation
from tests.accountability.test_transfers import build_clues
from tests.accountability.test_typical_workflow import make_typical_world
from tests.factories import World, build_world, make_case

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2026, 11, 23, 10, 0))
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
# Attribute values a browser or HTMX would run as code: blocked by the policy (HTMX's allowEval is off).
EVALUATED = ("javascript:", "js:")
HTMX_WRITES = ("hx-post", "hx-put", "hx-patch", "hx-delete")
# Pages per view: one instance of each page is enough (a case detail is the same template for every case).
MAX_PAGES = 150


@dataclass
class Page:
    """What one HTML page says about its forms, HTMX requests and scripts."""

    url: str
    body_headers: str | None = None
    post_forms: list[bool] = field(default_factory=list)  # per <form method=post>: does it carry the token?
    htmx_writes: list[str] = field(default_factory=list)
    inline_scripts: list[str] = field(default_factory=list)
    inline_handlers: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)


class PageReader(HTMLParser):
    def __init__(self, url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page(url)
        self._form_has_token: list[bool] = []
        self._form_is_post: list[bool] = []
        self._in_inline_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "body":
            self.page.body_headers = a.get("hx-headers")
        elif tag == "form":
            self._form_is_post.append(a.get("method", "get").lower() == "post")
            self._form_has_token.append(False)
        elif tag == "input" and a.get("name") == "csrfmiddlewaretoken" and a.get("value") and self._form_has_token:
            self._form_has_token[-1] = True
        elif tag == "a" and a.get("href"):
            self.page.links.append(a["href"])
        elif tag == "script" and "src" not in a and a.get("type", "") != "application/json":
            self._in_inline_script = True
        for name, value in a.items():
            if name in HTMX_WRITES:
                self.page.htmx_writes.append(f"<{tag} {name}={value}>")
            if name.startswith(("on", "hx-on")) or name == "hx-vars" or value.strip().lower().startswith(EVALUATED):
                self.page.inline_handlers.append(f"<{tag} {name}={value[:60]}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._form_is_post:
            if self._form_is_post.pop():
                self.page.post_forms.append(self._form_has_token.pop())
            else:
                self._form_has_token.pop()
        elif tag == "script":
            self._in_inline_script = False

    def handle_data(self, data: str) -> None:
        if self._in_inline_script and data.strip():
            self.page.inline_scripts.append(data.strip()[:80])


def read_page(url: str, html: str) -> Page:
    reader = PageReader(url)
    reader.feed(html)
    return reader.page


def argless_paths() -> list[str]:
    """Every URL of the site that takes no argument (the pages a menu links to, and public ones)."""
    found: list[str] = []

    def walk(patterns: list[URLPattern | URLResolver], prefix: str) -> None:
        for p in patterns:
            route = str(p.pattern)
            if "<" in route or "(?P" in route or route.startswith("^"):
                continue
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + route)
            else:
                found.append("/" + prefix + route)

    walk(get_resolver().url_patterns, "")
    return found


def view_key(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name or match.route


def crawl(client: Client, start: list[str], seen: set[str] | None = None) -> Iterator[Page]:
    """The site's HTML pages reachable from ``start`` by following links, one page per view; a view in ``seen`` (and
    every one crawled here is added) is neither fetched nor followed."""
    seen = set() if seen is None else seen
    fetched = 0
    queue = deque(start)
    while queue and fetched < MAX_PAGES:
        url = queue.popleft()
        parts = urlsplit(url)
        if parts.netloc or not parts.path.startswith("/") or parts.path.startswith("/static/"):
            continue
        key = view_key(parts.path)
        if key is None or key in seen or key == "logout":
            continue
        seen.add(key)
        fetched += 1
        response = client.get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        page = read_page(url, response.content.decode())
        yield page
        queue.extend(urljoin(url, href) for href in page.links)


def add_records_the_demo_lacks(world: World) -> None:
    """A typical-case compilation, transfer candidates, a recommendation with its items and a leader's package, so
    that their detail pages (with their confirm dialogs and upload forms) are crawled too."""
    u, o = world.users, world.orgs
    make_typical_world(world)
    build_clues(world)
    register_recommendation(
        kind=RecommendationKind.JUDICIAL,
        number="（2026）黔2701司建1号",
        issuer=o["都匀法院"],
        recipient=o["都匀自然资源局"],
        issued_on=datetime.date(2026, 3, 10),
        document=SimpleUploadedFile("司法建议书.pdf", PDF, content_type="application/pdf"),
        items=[ItemDraft("规范征收补偿程序")],
        by=u["court_duyun"],
        now=NOW,
    )
    create_package(
        kind="supervise",
        leader=u["leader_pref"],
        cases=[make_case(defendant=o["都匀自然资源局"], court=o["都匀法院"])],
        goal="组织专班协商化解",
        due_on=datetime.date(2026, 12, 30),
        by=u["rol_pref"],
        now=NOW,
    )


def standpoint(user: User) -> tuple[str, int | None]:
    """What decides the pages a user is shown: the role, and the level it works at (州 or county; none for the three
    administrators)."""
    region = user.region or (user.organisation.region if user.organisation else None)
    return user.role, region.level if region else None


@dataclass
class Crawl:
    pages: list[tuple[str, Page]] = field(default_factory=list)  # (who, page)
    # The views crawled per standpoint: a second user of the same role and level crawls only the views the first did
    # not reach (the demo's users first, then the personas: what the personas add is their county-level standpoints
    # and the views the demo's data does not lead to).
    crawled: dict[tuple[str, int | None], set[str]] = field(default_factory=dict)

    @property
    def views(self) -> set[str]:
        return {view_key(urlsplit(page.url).path) or "" for _, page in self.pages}

    def visit(self, who: str, client: Client, start: list[str], seen: set[str] | None = None) -> None:
        self.pages += [(who, page) for page in crawl(client, start, seen)]

    def as_users(self, users: list[User]) -> None:
        for user in users:
            client = Client()
            client.force_login(user)
            self.visit(user.username, client, argless_paths(), self.crawled.setdefault(standpoint(user), set()))


_crawled: list[Crawl] = []


def crawl_every_page() -> Crawl:
    """Every page of every role at each level: first over the demo prefecture (rolled back) as its first user of each
    role, then over the shared personas with the records the demo lacks (``Crawl.crawled``: a view crawled once per
    standpoint); and the public pages without logging in. The pages are the same for every test
    that asks (the CSRF and the CSP checks), so they are fetched once per test run."""
    if _crawled:
        return _crawled[0]
    result = Crawl()
    with transaction.atomic():
        generate_demo(cases=300, now=NOW)
        result.as_users([u for role in Role if (u := User.objects.filter(role=role).order_by("pk").first())])
        transaction.set_rollback(True)
    world = build_world()
    add_records_the_demo_lacks(world)
    result.as_users(list(world.users.values()))
    result.visit("未登录", Client(), ["/login/", "/disputes/apply/", "/reconsideration/apply/"])
    _crawled.append(result)
    return result


def csrf_problems(page: Page) -> list[str]:
    problems = [f"{page.url}: 第 {i + 1} 个 POST 表单没有 CSRF 令牌" for i, ok in enumerate(page.post_forms) if not ok]
    if page.htmx_writes:
        headers = json.loads(page.body_headers or "{}")
        if not headers.get("X-CSRFToken"):
            problems.append(f"{page.url}: {page.htmx_writes[0]} 不在带 X-CSRFToken 的 <body hx-headers> 之下")
    return problems


@pytest.mark.slow
def test_every_post_form_and_htmx_write_of_every_role_carries_the_csrf_token(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path

    result = crawl_every_page()

    assert [f"{who} {problem}" for who, page in result.pages for problem in csrf_problems(page)] == []
    # the crawl really reached the working pages, with their forms, and the public ones
    assert {"cases:detail", "disputes:detail", "hearings:detail", "accountability:typical_detail", "login",
            "rectification:detail", "packaging:detail", "accountability:transfer_candidates", "disputes:apply",
            "accountability:loss_detail", "stats:dashboard", "reconsideration:queue", "reconsideration:detail",
            "reconsideration:replies", "reconsideration:reply", "reconsideration_figures:figures",
            "reconsideration_public:apply"} <= result.views  # fmt: skip
    assert sum(len(page.post_forms) for _, page in result.pages) > 100


def test_the_body_of_every_page_hands_htmx_the_same_token_the_forms_carry(world: World) -> None:
    client = Client()
    client.force_login(world.users["rol_pref"])

    html = client.get("/cases/").content.decode()

    body = re.search(r"<body hx-headers='([^']*)'", html)
    assert body is not None
    token = json.loads(body.group(1))["X-CSRFToken"]
    assert f'name="csrfmiddlewaretoken" value="{token}"' in html  # the log-out form


def login_enforcing_csrf(user: User) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def unread(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def make_notification(user: User) -> None:
    Notification.objects.create(recipient=user, channel=Channel.IN_APP, subject="测试消息", dedup_key="test:csrf")


def test_a_form_post_without_the_token_is_refused_in_chinese_and_changes_nothing(world: World) -> None:
    user = world.users["agency_duyun"]
    make_notification(user)
    client = login_enforcing_csrf(user)

    response = client.post("/notifications/read-all/")

    assert response.status_code == 403
    text = response.content.decode()
    assert "请求未被接受" in text and "刷新页面" in text and "所填内容没有保存" in text
    assert "CSRF token" not in text  # Django's English developer page is not shown
    assert unread(user) == 1


def test_an_htmx_request_without_the_token_header_is_refused_and_with_it_goes_through(world: World) -> None:
    user = world.users["agency_duyun"]
    make_notification(user)
    client = login_enforcing_csrf(user)

    refused = client.post("/notifications/read-all/", headers={"HX-Request": "true"})
    assert refused.status_code == 403
    assert unread(user) == 1

    page = client.get("/notifications/").content.decode()
    body = re.search(r"<body hx-headers='([^']*)'", page)
    assert body is not None
    token = json.loads(body.group(1))["X-CSRFToken"]
    accepted = client.post("/notifications/read-all/", headers={"HX-Request": "true", "X-CSRFToken": token})
    assert accepted.status_code == 302
    assert unread(user) == 0


def test_a_token_from_another_session_is_refused(world: World) -> None:
    other = login_enforcing_csrf(world.users["agency_fuquan"])
    foreign = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', other.get("/notifications/").content.decode())
    assert foreign is not None
    user = world.users["agency_duyun"]
    make_notification(user)
    client = login_enforcing_csrf(user)

    response = client.post("/notifications/read-all/", {"csrfmiddlewaretoken": foreign.group(1)})

    assert response.status_code == 403
    assert unread(user) == 1


def test_the_public_application_and_the_log_in_refuse_a_post_without_the_token(world: World) -> None:
    client = Client(enforce_csrf_checks=True)

    login = client.post("/login/", {"username": "agency_duyun", "password": "Fuyuan-test-2026"})
    apply = client.post("/disputes/apply/", {"applicants": "张三"})

    assert login.status_code == 403 and apply.status_code == 403
    assert "_auth_user_id" not in client.session


def test_a_ledger_upload_without_the_token_is_refused(world: World) -> None:
    client = login_enforcing_csrf(world.users["rol_pref"])

    response = client.post("/cases/import/", {"ledger": b"PK\x03\x04"})

    assert response.status_code == 403
