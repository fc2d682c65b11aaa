"""Several application servers on one Redis (issue 19): two gunicorn processes, each started with the command line of
``deploy/systemd/fuyuan-web.service`` (its ExecStart, parsed from the unit file), on one database and one Redis
(``FUYUAN_CACHE_URL``). A case registered through one shows at once on the other's dashboard, the two share the
dashboard's cache entries, and an API token's rate limit is one count across both.

Skipped, saying so, when no Redis answers at FUYUAN_TEST_REDIS_URL (default redis://127.0.0.1:6379/7). The keys
of a run carry a prefix of their own, so runs side by side do not meet and nothing needs emptying.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import secrets
import shlex
import signal
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
from typing import Any

import pytest

from tests import migrated

ROOT = Path(__file__).resolve().parents[2]
UNIT = ROOT / "deploy" / "systemd" / "fuyuan-web.service"
INSTALLED_AT = "/srv/fuyuan"  # the installation path the unit names
FUYUAN = Path(sys.executable).with_name("fuyuan")
REDIS_URL = os.environ.get("FUYUAN_TEST_REDIS_URL", "redis://127.0.0.1:6379/7")
PASSWORD = "Fuyuan-test-2026"  # tests.factories.PASSWORD
RATE = 6  # requests per minute per token on both servers

pytestmark = [pytest.mark.slow, pytest.mark.real_clock]

# The people, places and two external systems, made in the deployment's database (tests.factories, as the suite's
# personas); the systems' token secrets are printed as JSON.
MAKE_WORLD = """
import json
import django
django.setup()
from fuyuan.api.workflow import issue_token, register_system
from tests.factories import build_world
world = build_world()
secrets = {}
for name in ("pusher", "counted"):
    system = register_system(f"都匀法院审判系统-{name}", "court", world.orgs["都匀法院"], by=world.users["sysadmin"])
    secrets[name] = issue_token(system, by=world.users["sysadmin"])[1]
print(json.dumps(secrets))
"""


def unit_command_line(unit: Path, env: dict[str, str]) -> list[str]:
    """The unit's ExecStart as systemd would run it: ``${VAR}`` from the environment, the installation path here."""
    line = next(line for line in unit.read_text().splitlines() if line.startswith("ExecStart="))
    words = shlex.split(line.removeprefix("ExecStart="))
    expanded = [re.sub(r"\$\{(\w+)\}", lambda m: env[m.group(1)], word) for word in words]
    return [word.replace(INSTALLED_AT, str(ROOT)) for word in expanded]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def redis_or_skip() -> Any:
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis 不可达（{REDIS_URL}：{error}）：多台应用服务器共用缓存的测试需要 Redis")
    return client


def scratch_database(tmp: Path) -> tuple[str, str | None]:
    """A migrated database of its own (a copy of the run's, tests/migrated.py): a PostgreSQL database beside the
    suite's when it runs on PostgreSQL, else a file."""
    given = os.environ.get("DATABASE_URL", "")
    if not given.startswith(("postgres://", "postgresql://")):
        migrated.copy_sqlite(tmp / "db.sqlite3")
        return f"sqlite:///{tmp / 'db.sqlite3'}", None
    server = given.rsplit("/", 1)[0]
    name = f"servers_{secrets.token_hex(4)}"
    migrated.create_postgres(server, name)
    return f"{server}/{name}", name


@dataclass
class Deployment:
    servers: list[str]
    tokens: dict[str, str]
    redis: Any
    prefix: str


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    redis_client = redis_or_skip()
    tmp = tmp_path_factory.mktemp("servers")
    database_url, pg_name = scratch_database(tmp)
    prefix = f"fuyuan-test-{secrets.token_hex(4)}"
    base = {k: v for k, v in os.environ.items() if not k.startswith(("FUYUAN_", "DJANGO_", "DATABASE_"))}
    env = {
        **base,
        "DATABASE_URL": database_url,
        "FUYUAN_DATA_DIR": str(tmp / "data"),
        "FUYUAN_SECRET_KEY": secrets.token_urlsafe(50),
        "FUYUAN_CACHE_URL": REDIS_URL,
        "FUYUAN_CACHE_PREFIX": prefix,
        "FUYUAN_API_RATE": f"{RATE}/min",
        "FUYUAN_WEB_WORKERS": "1",
        "FUYUAN_WEB_THREADS": "2",
        "DJANGO_SETTINGS_MODULE": "fuyuan.settings",
    }
    processes: list[subprocess.Popen[bytes]] = []
    try:
        made = subprocess.run([sys.executable, "-c", MAKE_WORLD], env=env, cwd=ROOT, capture_output=True, text=True)
        assert made.returncode == 0, made.stderr[-2000:]
        tokens = json.loads(made.stdout.strip().splitlines()[-1])
        urls = []
        for _ in range(2):
            port = free_port()
            server_env = {**env, "FUYUAN_BIND": f"127.0.0.1:{port}"}
            processes.append(
                subprocess.Popen(
                    unit_command_line(UNIT, server_env),
                    env=server_env,
                    cwd=ROOT,
                    stdout=subprocess.DEVNULL,
                    stderr=(tmp / f"gunicorn-{port}.log").open("wb"),
                )
            )
            urls.append(f"http://127.0.0.1:{port}")
        for url, process in zip(urls, processes, strict=True):
            wait_until_up(url, process)
        yield Deployment(urls, tokens, redis_client, prefix)
    finally:
        for process in processes:
            process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
        for process in processes:
            process.wait(timeout=30)
        for key in redis_client.scan_iter(f"{prefix}:*"):
            redis_client.delete(key)
        if pg_name:
            import psycopg

            with psycopg.connect(database_url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')


def wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        try:
            urllib.request.urlopen(f"{url}/health/", timeout=10)
            return
        except OSError:  # refused while it starts, or slow on a busy machine
            assert process.poll() is None, f"gunicorn at {url} stopped"
            time.sleep(0.2)
    raise AssertionError(f"gunicorn at {url} did not answer")


def request(opener: urllib.request.OpenerDirector, url: str, data: bytes | None = None, **headers: str) -> Any:
    req = urllib.request.Request(url, data=data, headers=headers, method="PUT" if "PUT" in headers else None)
    try:
        with opener.open(req, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def logged_in(server: str, username: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    request(opener, f"{server}/login/")
    token = next(c.value for c in jar if c.name == "csrftoken")
    form = {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}
    with opener.open(f"{server}/login/", data=urllib.parse.urlencode(form).encode(), timeout=60) as response:
        assert "/login/" not in response.url, response.url
    return opener


def push_case(server: str, token: str, number: str) -> int:
    body = {
        "number": number,
        "kind": "litigation",
        "defendant": "都匀市自然资源局",
        "instance": "一审",
        "plaintiffs": "张三",
        "cause": "行政处罚",
        "domain": "自然资源",
        "filed_on": "2026-03-05",
    }
    req = urllib.request.Request(
        f"{server}/api/v1/cases/",
        data=json.dumps(body, ensure_ascii=False).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="PUT",
    )
    try:
        with urllib.request.urlopen(req, timeout=60) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def filed_on_dashboard(opener: urllib.request.OpenerDirector, server: str) -> int:
    status, page = request(opener, f"{server}/stats/dashboard/?date_from=2026-01-01&date_to=2026-12-31")
    assert status == 200
    return sum(int(n) for n in re.findall(r'data-testid="filed-count">(\d+)<', page))


def dashboard_entries(deployment: Deployment) -> int:
    """The dashboard entries of the year the tests look at (a log-in also lands on the dashboard to date)."""
    keys = deployment.redis.scan_iter(f"{deployment.prefix}:*:fuyuan:dashboard:*:2026-01-01:2026-12-31:*")
    return sum(1 for _ in keys)


def test_both_servers_started_with_the_units_command_line_serve_the_log_in_page(deployment: Deployment) -> None:
    for server in deployment.servers:
        status, page = request(urllib.request.build_opener(), f"{server}/login/")
        assert status == 200 and "登录" in page


def test_a_case_pushed_through_one_server_shows_at_once_on_the_other_servers_shared_dashboard(
    deployment: Deployment,
) -> None:
    first, second = deployment.servers
    on_first, on_second = logged_in(first, "rol_pref"), logged_in(second, "rol_pref")

    # given: the first server computed the dashboard; the second serves the same entry from Redis
    before = filed_on_dashboard(on_first, first)
    entries = dashboard_entries(deployment)
    assert entries == 1
    assert filed_on_dashboard(on_second, second) == before
    assert dashboard_entries(deployment) == entries  # no entry of its own: it read the first server's

    # when: a court's system registers a case through the second server
    assert push_case(second, deployment.tokens["pusher"], "（2026）黔2701行初901号") == 201

    # then: the first server's very next dashboard counts it
    assert filed_on_dashboard(on_first, first) == before + 1
    assert filed_on_dashboard(on_second, second) == before + 1


def test_the_api_rate_limit_is_one_count_across_both_servers(deployment: Deployment) -> None:
    first, second = deployment.servers
    opener = urllib.request.build_opener()
    token = deployment.tokens["counted"]
    statuses = [
        request(opener, f"{server}/api/v1/cases/?page_size=1", Authorization=f"Bearer {token}")[0]
        for server in [first, second] * RATE
    ]

    assert statuses[:RATE] == [200] * RATE
    assert statuses[RATE:] == [429] * RATE  # each server alone would have allowed RATE more
