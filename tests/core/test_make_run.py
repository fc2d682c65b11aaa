"""What `make run` serves: a server started as `make run` starts it (the environment of a fresh machine: no
FUYUAN_DEBUG, no FUYUAN_SECRET_KEY), on its own SQLite database, over HTTP.

A logged-in user who follows a stale or foreign link gets the site's Chinese 404 page with its stylesheets served,
never Django's debug page; a page needs a log-in unless it is public; and a changed secret key stops the server,
the worker and the WSGI application at start with one line saying why, instead of a 500 at every log-in.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests import migrated

FUYUAN = Path(sys.executable).with_name("fuyuan")
PASSWORD = "Fuyuan-make-run-2026"
MAKE_USER = f"""
from fuyuan.core.models import Region, RegionLevel, Role, User
region = Region.objects.create(name="黔南州", level=RegionLevel.PREFECTURE)
user = User(username="zfb", role=Role.RULE_OF_LAW_OFFICE, region=region, full_name="州依法治办", mobile="13912341234")
user.set_password("{PASSWORD}")
user.save()
"""


def fresh_machine(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of `make run` on a machine where nothing is configured, with its own data folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FUYUAN_", "DJANGO_", "DATABASE_URL"))}
    return {**env, "FUYUAN_DATA_DIR": str(data_dir), "DATABASE_URL": f"sqlite:///{data_dir / 'db.sqlite3'}", **extra}


def fuyuan(env: dict[str, str], *args: str, timeout: int = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(FUYUAN), *args], env=env, capture_output=True, text=True, timeout=timeout)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    url: str
    data_dir: Path
    env: dict[str, str]


# A real server process on the real time, started once for the module, on one
# worker under `make test` (tests/conftest.py, SHARED_SETUP): `make quick` leaves these out.
pytestmark = [pytest.mark.slow, pytest.mark.real_clock]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data_dir = tmp_path_factory.mktemp("make-run")
    env = fresh_machine(data_dir)
    migrated.copy_sqlite(data_dir / "db.sqlite3")  # the run's migrated database (tests/migrated.py): `make run`'s
    assert fuyuan(env, "migrate", "--noinput", "-v", "0").returncode == 0  # migrate then has nothing left to do
    made = fuyuan(env, "shell", "-c", MAKE_USER)
    assert made.returncode == 0, made.stderr
    port = free_port()
    process = subprocess.Popen(
        [str(FUYUAN), "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{url}/health/", timeout=2)
                break
            except (urllib.error.URLError, ConnectionError):
                assert process.poll() is None, process.stderr.read() if process.stderr else ""
                time.sleep(0.2)
        yield Server(url, data_dir, env)
    finally:
        process.terminate()
        process.wait(timeout=30)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def browser(*, follow: bool = True) -> tuple[urllib.request.OpenerDirector, http.cookiejar.CookieJar]:
    jar = http.cookiejar.CookieJar()
    handlers: list[urllib.request.BaseHandler] = [urllib.request.HTTPCookieProcessor(jar)]
    if not follow:
        handlers.append(NoRedirect())
    return urllib.request.build_opener(*handlers), jar


def get(opener: urllib.request.OpenerDirector, url: str) -> tuple[int, dict[str, str], str]:
    try:
        with opener.open(url, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def logged_in(server: Server) -> urllib.request.OpenerDirector:
    opener, jar = browser()
    get(opener, f"{server.url}/login/")
    token = next(c.value for c in jar if c.name == "csrftoken")
    form = urllib.parse.urlencode({"username": "zfb", "password": PASSWORD, "csrfmiddlewaretoken": token}).encode()
    with opener.open(f"{server.url}/login/", data=form, timeout=30) as response:
        assert "/login/" not in response.url, response.url  # landed on the user's own page, logged in
    return opener


def test_a_logged_in_users_unknown_address_gets_the_chinese_404_page_in_the_sites_layout(server: Server) -> None:
    status, _, page = get(logged_in(server), f"{server.url}/cases/no-such-page/")

    assert status == 404
    assert "页面不存在（404）" in page and "返回" in page
    assert "案件台账" in page and "退出" in page  # the site's bar, with this user's menu
    for debug in ("Page not found", "Using the URLconf", "DEBUG = True", "Traceback"):
        assert debug not in page


def test_the_stylesheets_the_404_page_links_are_served(server: Server) -> None:
    _, _, page = get(logged_in(server), f"{server.url}/no-such-page/")
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)

    assert stylesheets
    for href in stylesheets:
        status, headers, css = get(browser()[0], server.url + href)
        assert status == 200, href
        assert headers["Content-Type"].startswith("text/css") and "{" in css, href


def test_public_pages_open_without_log_in_and_every_other_page_redirects_to_it(server: Server) -> None:
    opener, _ = browser(follow=False)

    for path in ("/login/", "/disputes/apply/", "/health/", "/api/docs/", "/api/schema/"):
        assert get(opener, server.url + path)[0] == 200, path
    assert get(opener, f"{server.url}/api/v1/cases/")[0] == 401  # the API answers for itself
    for path in ("/", "/cases/", "/stats/dashboard/", "/disputes/", "/audit/", "/security/", "/api/systems/"):
        status, headers, _ = get(opener, server.url + path)
        assert (status, headers["Location"]) == (302, f"/login/?next={urllib.parse.quote(path)}"), path


def test_a_fresh_machine_gets_a_secret_key_of_its_own_in_the_data_folder(server: Server) -> None:
    key = (server.data_dir / "secret_key").read_text()

    assert len(key) >= 50 and "insecure" not in key
    assert (server.data_dir / "secret_key").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize(
    "command",
    [["runserver", "--noreload", "127.0.0.1:0"], ["worker", "--once"]],
    ids=["runserver", "worker"],
)
def test_a_changed_secret_key_stops_the_start_with_a_one_line_reason(server: Server, command: list[str]) -> None:
    env = {**server.env, "FUYUAN_SECRET_KEY": "another-key-" + "x" * 50}

    done = fuyuan(env, *command, timeout=120)

    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("无法启动：数据库中加密保存的个人信息（core.User.mobile）用当前密钥解不开")
    assert "FUYUAN_SECRET_KEY" in lines[0] and "Cannot start" in lines[0]


def test_the_wsgi_application_refuses_to_load_with_a_changed_secret_key(server: Server) -> None:
    env = {**server.env, "FUYUAN_SECRET_KEY": "another-key-" + "x" * 50}

    done = subprocess.run(
        [sys.executable, "-c", "import fuyuan.wsgi"], env=env, capture_output=True, text=True, timeout=120
    )

    assert done.returncode != 0
    assert done.stderr.strip().splitlines()[-1].endswith("用当前密钥解不开，FUYUAN_SECRET_KEY 或 FUYUAN_FIELD_KEY "
                                                          "与写入这些数据时不同，请恢复原来的密钥。 / Cannot start: "
                                                          "stored personal data (core.User.mobile) does not decrypt "
                                                          "with the current keys: FUYUAN_SECRET_KEY or "
                                                          "FUYUAN_FIELD_KEY changed since it was written; restore "
                                                          "the original key.")  # fmt: skip
