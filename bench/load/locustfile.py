"""Locust users for ``bench/bench_load.py``: staff of several roles browsing, filtering and editing cases.

Run by ``bench_load.py`` only, as a subprocess (locust patches the standard library with gevent on import, so it never
runs inside the Django process or pytest). Environment it reads:

- ``FUYUAN_LOAD_MARKERS``: a folder; each locust process appends one line per acknowledged edit to
  ``markers-<pid>.txt`` (``<marker> <case id>``), one per edit refused as stale to ``stale-<pid>.txt``, one per form
  sent back with field errors to ``invalid-<pid>.txt``, and writes every request's time to ``timings-<pid>.tsv``.
- ``FUYUAN_LOAD_RUN``: the run's id, part of every marker, so that markers of an earlier run never count.
- ``FUYUAN_LOAD_PASSWORD``: the demo password (``Fuyuan@2026``).
- ``FUYUAN_LOAD_HOSTS``: comma-separated base URLs of several application servers; each user stays on one, the users
  spread over them in turn (a proxy's round robin, without one). Unset: the ``--host`` alone.

Each successful edit appends ``[load-<run>-<user>-<n>]`` to the case's 备注 (``note``). A 409 answer is optimistic
locking refusing a stale form (issue 7 §6): the product working, reported under its own name, not as a failure.
"""

from __future__ import annotations

import itertools
import os
import random
import re
import time
from pathlib import Path
from typing import Any

import gevent
from form_fields import form_fields  # beside this file (locust puts its folder on the path)
from locust import HttpUser, between, events, task
from locust.clients import HttpSession
from locust.exception import StopUser

RUN = os.environ.get("FUYUAN_LOAD_RUN", "run")
PASSWORD = os.environ.get("FUYUAN_LOAD_PASSWORD", "Fuyuan@2026")
MARKERS = Path(os.environ.get("FUYUAN_LOAD_MARKERS", "."))
HOSTS = [h for h in os.environ.get("FUYUAN_LOAD_HOSTS", "").split(",") if h]

# Demo logins (fuyuan/demo/generator.py DEMO_USERS) that may edit cases: the 依法治办 (their subtree), the courts (their
# litigation), the reconsideration bodies (their reconsideration). No administrator: they need a second factor.
EDITORS = ["zfb_zhou", "zfb_yuncheng", "zfb_qingshan", "zfb_shimen", "zfb_anlan", "fy_zhou", "fy_yuncheng",
           "fy_qingshan", "sfj_zhou", "sfj_qingshan"]  # fmt: skip
# Readers: leaders and agency liaisons see cases and the dashboard but change nothing here.
READERS = ["ld_zhou", "ld_qingshan", "ld_yuncheng", "jg_qingshan_ga", "jg_shimen_zf", "jg_yuncheng_zj"]
SEARCH_WORDS = ["行政处罚", "征收", "公安", "王", "李", "（2025）", "府复", "自然资源"]
KINDS = ["litigation", "reconsideration"]
STATUSES = ["open", "concluded"]
STALE = "过期表单被拒 409（乐观锁）"
INVALID = "保存被表单校验退回 200"
FIELD_ERROR = re.compile(r'<div class="invalid-feedback[^"]*">([^<]*)</div>')

_numbers = itertools.count(1)
_names = itertools.cycle(EDITORS * 2 + READERS)
CASE_LINK = re.compile(r'href="/cases/(\d+)/"')
REGION_OPTION = re.compile(r'<option value="(\d+)"')
REGION_SELECT = re.compile(r'<select name="region".*?</select>', re.S)


_timings: list[str] = []


@events.request.add_listener
def _time(name: str, response_time: float, exception: Exception | None, **_: Any) -> None:
    """Every request's time, so that ``bench_load.py`` computes exact percentiles over any set of request types."""
    _timings.append(f"{name}\t{response_time:.1f}\t{0 if exception is None else 1}\t{time.time():.3f}")


@events.quitting.add_listener
def _write_timings(**_: Any) -> None:
    (MARKERS / f"timings-{os.getpid()}.tsv").write_text("\n".join(_timings) + "\n", encoding="utf-8")


def _append(kind: str, line: str) -> None:
    with (MARKERS / f"{kind}-{os.getpid()}.txt").open("a", encoding="utf-8") as out:
        out.write(line + "\n")


class Staff(HttpUser):
    """One person at work: logs in once, then browses, filters, opens cases, looks at the dashboard, edits."""

    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.username = next(_names)
        self.serial = next(_numbers)
        if HOSTS:
            self.host = HOSTS[self.serial % len(HOSTS)]
            self.client.base_url = self.host
        self.editor = self.username in EDITORS
        self.edits = 0
        self.case_ids: list[int] = []
        self.regions: list[str] = []
        self.anonymous = HttpSession(base_url=self.host, request_event=self.environment.events.request, user=self)
        self.log_in()

    def _insecure_cookies(self) -> None:
        """The load runs on loopback http: a ``Secure`` cookie (the hardening's setting) must still be sent back."""
        for cookie in self.client.cookies:
            cookie.secure = False

    def log_in(self) -> None:
        """Log in as a person does; a failed attempt is counted and tried again (three times at most)."""
        for _attempt in range(3):
            page = self.client.get("/login/", name="登录页 GET /login/")
            self._insecure_cookies()
            token = form_fields(page.text).get("csrfmiddlewaretoken", "") if page.ok else ""
            with self.client.post(
                "/login/",
                data={"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
                headers={"Referer": f"{self.host}/login/"},
                name="登录 POST /login/",
                catch_response=True,
            ) as response:
                self._insecure_cookies()
                if response.url is None or not response.ok:
                    response.failure(f"{self.username} 登录请求失败：{response.error or response.status_code}")
                elif "/login/" in response.url:
                    response.failure(f"{self.username} 登录失败（仍在登录页）")
                else:
                    response.success()
                    self.browse_list()
                    return
            gevent.sleep(random.uniform(1, 3))
        raise StopUser()

    def _get(self, url: str, name: str) -> Any:
        with self.client.get(url, name=name, catch_response=True) as response:
            self._insecure_cookies()
            if response.ok and "/login/" in (response.url or ""):
                response.failure("会话丢失：被重定向到登录页")
            return response

    def _remember(self, html: str) -> None:
        found = [int(pk) for pk in CASE_LINK.findall(html)]
        if found:
            self.case_ids = list(dict.fromkeys(found))[:50]
        if not self.regions:
            select = REGION_SELECT.search(html)
            self.regions = REGION_OPTION.findall(select.group(0)) if select else []

    @task(4)
    def browse_list(self) -> None:
        page = random.choice([1, 1, 2, 3, 5, 10])
        response = self._get(f"/cases/?page={page}", "案件列表 GET /cases/?page=")
        if response.ok and page == 1:
            self._remember(response.text)

    @task(4)
    def filter_list(self) -> None:
        query: dict[str, str] = random.choice(
            [
                {"kind": random.choice(KINDS)},
                {"status": random.choice(STATUSES)},
                {"q": random.choice(SEARCH_WORDS)},
                {"kind": random.choice(KINDS), "status": random.choice(STATUSES), "q": random.choice(SEARCH_WORDS)},
            ]
        )
        if self.regions and random.random() < 0.5:
            query["region"] = random.choice(self.regions)
        self._get("/cases/?" + "&".join(f"{k}={v}" for k, v in query.items()), "案件筛选 GET /cases/?筛选")

    @task(4)
    def open_case(self) -> None:
        if self.case_ids:
            self._get(f"/cases/{random.choice(self.case_ids)}/", "案件详情 GET /cases/<id>/")

    @task(2)
    def dashboard(self) -> None:
        self._get("/stats/dashboard/", "统计看板 GET /stats/dashboard/")

    @task(2)
    def static_baseline(self) -> None:
        """The baseline: the login page of an anonymous visitor (tiny, no query), served by the same workers."""
        self.anonymous.cookies.clear()
        # A new connection each time, as a first visit makes: this user's visits are tens of seconds apart, longer
        # than gunicorn keeps an idle connection, and reusing one it has closed fails in the client, not the server.
        self.anonymous.get("/login/", name="基准 GET /login/（未登录）", headers={"Connection": "close"})

    @task(3)
    def edit_case(self) -> None:
        if not self.editor or not self.case_ids:
            return
        # The first ten cases of the list: editors of one scope contend for them, so stale forms happen.
        pk = random.choice(self.case_ids[:10])
        form = self._get(f"/cases/{pk}/edit/", "编辑页 GET /cases/<id>/edit/")
        if not form.ok:
            return
        fields = form_fields(form.text)
        if "expected_version" not in fields:
            return
        self.edits += 1
        marker = f"[load-{RUN}-{self.serial}-{self.edits}]"
        fields["note"] = (fields.get("note", "") + " " + marker).strip()
        with self.client.post(
            f"/cases/{pk}/edit/",
            data=fields,
            headers={"Referer": f"{self.host}/cases/{pk}/edit/"},
            name="保存编辑 POST /cases/<id>/edit/",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            self._insecure_cookies()
            if response.status_code == 302 and "/login/" not in response.headers.get("Location", ""):
                _append("markers", f"{marker} {pk}")
                response.success()
            elif response.status_code == 409:
                _append("stale", f"{marker} {pk}")
                response.request_meta["name"] = STALE
                response.success()
            elif response.status_code == 200:
                reasons = "；".join(dict.fromkeys(FIELD_ERROR.findall(response.text))) or "表单有误"
                _append("invalid", f"{marker} {pk} {reasons}")
                response.request_meta["name"] = INVALID
                response.success()
            else:
                _append("refused", f"{marker} {pk} HTTP {response.status_code}")
                response.failure(f"保存被拒：HTTP {response.status_code}")
