"""Fault: the gunicorn worker serving a web import (``/cases/import/``, the 确认导入 step of a 100,000-row ledger) killed
with ``kill -9`` while it writes (issue 7, "the server process killed in the middle of a 100,000-row import").

Every table must be exactly as before the confirmation was sent (row counts and checksums of every row, as in
``test_import_killed.py``). Then the same confirmation, sent again to the worker gunicorn started in the killed one's
place, imports every row.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.faults.conftest import (
    EARLIER_CASES,
    FUYUAN,
    ROWS,
    Database,
    fuyuan_env,
    import_earlier_ledger,
    wait_until_backend_gone,
    wait_until_writing,
)

PASSWORD = "Fault-test-2026!"


# Minutes each (a 100,000-row ledger, real processes killed): `make quick` leaves them out; they run in their own
# processes, so they keep the real time when FUYUAN_TEST_TODAY moves the suite (tests/conftest.py). Under `make test`
# both run on one worker, which writes the ledger once (tests/conftest.py, SHARED_SETUP).
pytestmark = [pytest.mark.slow, pytest.mark.real_clock]


def create_import_user(database: Database, folder: Path) -> None:
    """A 依法治办 of 滨海州 (the ledger's top region), who may import (``cases.queries.can_import``)."""
    code = (
        "from fuyuan.core.models import Region, RegionLevel, Role, User\n"
        "region = Region.objects.create(name='滨海州', level=RegionLevel.PREFECTURE)\n"
        "user = User(username='zfb_binhai', role=Role.RULE_OF_LAW_OFFICE, region=region, full_name='滨海州依法治办')\n"
        f"user.set_password('{PASSWORD}')\n"
        "user.save()\n"
    )
    done = subprocess.run(
        [str(FUYUAN), "shell", "-c", code], env=fuyuan_env(database, folder), capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]


def worker_pids(master: subprocess.Popen[str]) -> list[int]:
    found = subprocess.run(["ps", "-o", "pid=", "--ppid", str(master.pid)], capture_output=True, text=True)
    return [int(pid) for pid in found.stdout.split()]


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match, "页面上没有 CSRF 令牌"
    return match.group(1)


def test_worker_killed_during_a_web_import_leaves_the_cases_as_before_and_the_confirmation_sent_again_imports_all(
    big_ledger: Path, own_database: Database, tmp_path: Path
) -> None:
    import_earlier_ledger(own_database, tmp_path)
    create_import_user(own_database, tmp_path)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        host = f"http://127.0.0.1:{probe.getsockname()[1]}"
    env = {**fuyuan_env(own_database, tmp_path), "FUYUAN_DEBUG": "0", "FUYUAN_ALLOWED_HOSTS": "127.0.0.1"}
    env["FUYUAN_SECRET_KEY"] = "fault-test-" + "k" * 50
    log = (tmp_path / "gunicorn.log").open("w")
    master = subprocess.Popen(
        [str(FUYUAN.parent / "gunicorn"), "fuyuan.wsgi", "-w", "1", "--timeout", "900", "-b", host[7:]],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        browser = requests.Session()
        for _ in range(120):
            try:
                login_page = browser.get(f"{host}/login/", timeout=5)
                break
            except (requests.ConnectionError, requests.Timeout):  # not listening yet, or its worker still starting
                time.sleep(0.5)
        logged_in = browser.post(
            f"{host}/login/",
            data={"username": "zfb_binhai", "password": PASSWORD, "csrfmiddlewaretoken": csrf_token(login_page.text)},
            timeout=120,
        )
        assert "/login/" not in logged_in.url, "登录失败"

        # given: the 100,000-row ledger uploaded and checked (the preview offers 确认导入)
        form = browser.get(f"{host}/cases/import/", timeout=60)
        with big_ledger.open("rb") as ledger:
            preview = browser.post(
                f"{host}/cases/import/",
                data={"csrfmiddlewaretoken": csrf_token(form.text)},
                files={"ledger": ("台账.xlsx", ledger)},
                timeout=900,
            )
        assert preview.status_code == 200
        token = re.search(r'name="token" value="([0-9a-f]+)"', preview.text)
        assert token, "预览页没有“确认导入”"
        # the person ticks every new county the preview names (a county is created only once confirmed)
        new_regions = re.findall(r'name="new_region" value="([^"]+)"', preview.text)
        confirm = {
            "confirm": "1",
            "token": token.group(1),
            "csrfmiddlewaretoken": csrf_token(preview.text),
            "new_region": new_regions,
        }
        before = own_database.snapshot()

        # when: the worker is killed in the middle of the import's writes
        answer: dict[str, Any] = {}

        def send_confirmation() -> None:
            try:
                answer["response"] = browser.post(f"{host}/cases/import/", data=confirm, timeout=900)
            except requests.RequestException as exc:
                answer["error"] = exc

        started = time.perf_counter()
        sender = threading.Thread(target=send_confirmation)
        sender.start()
        seen = wait_until_writing(own_database, master)
        writing_after = time.perf_counter() - started
        [worker] = worker_pids(master)
        os.kill(worker, signal.SIGKILL)
        sender.join(timeout=120)
        assert "error" in answer, f"被终止的导入却得到了应答：{answer}"
        wait_until_backend_gone(own_database)

        # then: every table is exactly as before
        after = own_database.snapshot()
        changed = {
            t: (before.get(t), after.get(t)) for t in before.keys() | after.keys() if before.get(t) != after.get(t)
        }
        assert changed == {}, f"终止于“{seen}”后数据库与导入前不同：{changed}"

        # and: the same confirmation, sent again, reaches the new worker and imports every row
        started = time.perf_counter()
        done = browser.post(f"{host}/cases/import/", data=confirm, timeout=900, allow_redirects=False)
        rerun_took = time.perf_counter() - started
        assert done.status_code == 302, done.text[-2000:]
        assert own_database.count_cases() == EARLIER_CASES + ROWS
        print(
            f"\n[fault] web, {own_database.vendor}: worker killed {writing_after:.1f} s after the confirmation "
            f"({seen}); confirmation sent again took {rerun_took:.1f} s"
        )
    finally:
        master.send_signal(signal.SIGTERM)
        try:
            master.wait(timeout=30)
        except subprocess.TimeoutExpired:
            master.kill()
        log.close()
