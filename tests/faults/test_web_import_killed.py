"""Fault: ``fuyuan worker`` running a web import (``/cases/import/``, the 确认导入 step of a 20,000-row ledger) killed
with ``kill -9`` while it writes (issue 7, "the server process killed in the middle of a 100,000-row import"; since
issue 13 item 11 the web import runs in the worker, not in the request). The 100,000 rows are the command line's kill
test (``test_import_killed.py``); the worker's import is the same code (``cases.ledger``), and here it makes three
passes (check, killed write, run again), so it takes a fifth of the rows: its writes still last seconds.

Every table must be exactly as before the import began to write (row counts and checksums of every row, as in
``test_import_killed.py``), but for the import job's own row, whose progress moved. The page then shows the job as
failed with nothing written, and 重新运行, with a worker running again, imports every row. No request takes more than
gunicorn's 30-second timeout: the long work is not in the requests.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

from tests.faults.conftest import (
    EARLIER_CASES,
    FUYUAN,
    WAL_BYTES_WRITING,
    WEB_ROWS,
    Database,
    fuyuan_env,
    import_earlier_ledger,
    wait_until_writing,
)

PASSWORD = "Fault-test-2026!"
JOB_TABLE = "cases_importjob"
# What the page's poll sends (templates/cases/import_job.html): a poll is no activity, so it does not write the
# session, which on SQLite would wait for the import's write lock.
POLL_HEADERS = {"HX-Request": "true", "X-Fuyuan-Poll": "1"}


# A minute or more (real processes killed): `make quick` leaves it out; its processes keep the real time when
# FUYUAN_TEST_TODAY moves the suite (tests/conftest.py).
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


def start_worker(env: dict[str, str], folder: Path, name: str) -> subprocess.Popen[str]:
    """``fuyuan worker`` with the sweep once an hour: between sweeps it runs the queued import jobs."""
    log = (folder / f"{name}.log").open("w")
    return subprocess.Popen(
        [str(FUYUAN), "worker", "--interval", "3600"], env=env, stdout=log, stderr=subprocess.STDOUT, text=True
    )


def follow_job(
    browser: requests.Session, host: str, token: str, *, says: str = "", sends_to: str = "", timeout: float = 900
) -> requests.Response:
    """Poll the job's progress fragment as the page does (HTMX, every second) until it ``says`` something, or sends
    the page on (``HX-Redirect``) ``sends_to`` a URL: the case list, once the import is done."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        fragment = browser.get(
            f"{host}/cases/import/{token}/progress/", headers=POLL_HEADERS, timeout=30, allow_redirects=False
        )
        assert fragment.status_code == 200, fragment.text[-2000:]
        if (says and says in fragment.text) or (sends_to and fragment.headers.get("HX-Redirect") == sends_to):
            return fragment
        time.sleep(1)
    pytest.fail(f"{timeout:.0f} 秒内导入任务页面没有出现“{says or sends_to}”")


def wait_until_the_job_writes(database: Database, worker: subprocess.Popen[str], timeout: float = 900) -> str:
    """Block until the worker's import is inside its write transaction, well into the bulk writes. On SQLite the
    job's progress updates (reading, checking) grew the write-ahead log already: count from where it stood when the
    job entered its write stage."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with database.connect() as conn:
            (stage,) = conn.execute(f"SELECT stage FROM {JOB_TABLE} WHERE action = 'apply'").fetchone()
        if stage == "write":
            break
        if worker.poll() is not None:
            pytest.fail(f"后台任务进程在写入之前已经结束（退出码 {worker.returncode}）")
        time.sleep(0.05)
    else:
        pytest.fail(f"导入任务在 {timeout:.0f} 秒内没有进入写入阶段")
    if database.vendor != "sqlite":
        return wait_until_writing(database, worker)
    wal = Path(f"{database.path}-wal")
    start = wal.stat().st_size if wal.exists() else 0
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            pytest.fail(f"后台任务进程在被终止之前已经结束（退出码 {worker.returncode}）")
        size = wal.stat().st_size if wal.exists() else 0
        if size > start + WAL_BYTES_WRITING:
            return f"SQLite 预写日志已增长到 {size / 1e6:.1f} MB（未提交的写入）"
        time.sleep(0.05)
    pytest.fail(f"导入在 {timeout:.0f} 秒内没有写入")


def wait_until_no_transaction(database: Database, timeout: float = 60) -> None:
    """PostgreSQL rolls back a killed client's transaction when its backend notices the closed socket."""
    if database.vendor == "sqlite":
        return
    deadline = time.monotonic() + timeout
    with database.connect() as conn:
        while time.monotonic() < deadline:
            (open_transactions,) = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
                " AND backend_xid IS NOT NULL",
                (database.name,),
            ).fetchone()
            if open_transactions == 0:
                return
            time.sleep(0.1)
    pytest.fail("被终止的后台任务进程的数据库事务在 60 秒内没有结束")


def move_the_job_back(env: dict[str, str], minutes: int) -> None:
    """Let the clock run on: the job's last progress was ``minutes`` ago (a job whose worker died is shown as failed
    only when its progress has not moved for a while, ``cases.import_jobs.looks_dead``)."""
    code = (
        "import datetime\n"
        "from fuyuan.cases.models import ImportJob\n"
        f"back = datetime.timedelta(minutes={minutes})\n"
        "for job in ImportJob.objects.all():\n"
        "    for field in ('queued_at', 'started_at', 'stage_started_at', 'progress_at'):\n"
        "        if getattr(job, field):\n"
        "            setattr(job, field, getattr(job, field) - back)\n"
        "    job.save()\n"
    )
    done = subprocess.run([str(FUYUAN), "shell", "-c", code], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match, "页面上没有 CSRF 令牌"
    return match.group(1)


def test_worker_killed_during_a_web_import_leaves_the_cases_as_before_and_running_it_again_imports_all(
    web_ledger: Path, own_database: Database, tmp_path: Path
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
        [str(FUYUAN.parent / "gunicorn"), "fuyuan.wsgi", "-w", "1", "--timeout", "30", "-b", host[7:]],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    workers: list[subprocess.Popen[str]] = []
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
            timeout=30,
        )
        assert "/login/" not in logged_in.url, "登录失败"
        workers.append(start_worker(env, tmp_path, "worker"))

        # given: the 20,000-row ledger uploaded and checked by the worker (the preview offers 确认导入)
        form = browser.get(f"{host}/cases/import/", timeout=30)
        started = time.perf_counter()
        with web_ledger.open("rb") as ledger:
            page = browser.post(
                f"{host}/cases/import/",
                data={"csrfmiddlewaretoken": csrf_token(form.text)},
                files={"ledger": ("台账.xlsx", ledger)},
                timeout=30,
            )
        assert page.status_code == 200 and 'data-testid="import-progress"' in page.text
        token = re.search(r"/cases/import/([0-9a-f]{32})/progress/", page.text)
        assert token, "上传后页面没有显示检查进度"
        preview = follow_job(browser, host, token.group(1), says="确认导入")
        checked_after = time.perf_counter() - started
        # the person ticks every new county the preview names (a county is created only once confirmed)
        confirm = {
            "confirm": "1",
            "token": token.group(1),
            "csrfmiddlewaretoken": csrf_token(preview.text),
            "new_region": re.findall(r'name="new_region" value="([^"]+)"', preview.text),
        }

        # when: the person confirms (the request returns at once: the worker imports), and the worker is killed in
        # the middle of the import's writes
        started = time.perf_counter()
        page = browser.post(f"{host}/cases/import/", data=confirm, timeout=30)
        assert page.status_code == 200 and "正在导入" in page.text
        # "before": the tables as the worker reads the ledger again and checks it, before it writes (the confirmation's
        # own audit record included)
        before = own_database.snapshot()
        with own_database.connect() as conn:
            (stage,) = conn.execute(f"SELECT stage FROM {JOB_TABLE} WHERE action = 'apply'").fetchone()
        assert stage != "write", "导入在记录导入前状态时已开始写入"
        seen = wait_until_the_job_writes(own_database, workers[0])
        writing_after = time.perf_counter() - started
        os.kill(workers[0].pid, signal.SIGKILL)
        workers[0].wait(timeout=30)
        wait_until_no_transaction(own_database)

        # then: every table is exactly as before, but for the job's progress
        after = own_database.snapshot()
        changed = {
            t: (before.get(t), after.get(t))
            for t in before.keys() | after.keys()
            if before.get(t) != after.get(t) and t != JOB_TABLE
        }
        assert changed == {}, f"终止于“{seen}”后数据库与导入前不同：{changed}"
        # and: once its progress has stood still for a while, the page says the import failed with nothing written
        move_the_job_back(env, minutes=60)
        failed = follow_job(browser, host, token.group(1), says="未导入任何数据。可重新运行。", timeout=30)
        assert "后台任务进程在写入阶段中断" in failed.text

        # and: 重新运行, with a worker running again, imports every row
        started = time.perf_counter()
        rerun = {"run_again": "1", "token": token.group(1), "csrfmiddlewaretoken": csrf_token(failed.text)}
        page = browser.post(f"{host}/cases/import/", data=rerun, timeout=30)
        assert page.status_code == 200 and "正在导入" in page.text, page.text[-2000:]
        workers.append(start_worker(env, tmp_path, "worker-again"))
        follow_job(browser, host, token.group(1), sends_to="/cases/")
        rerun_took = time.perf_counter() - started
        assert own_database.count_cases() == EARLIER_CASES + WEB_ROWS
        print(
            f"\n[fault] web, {own_database.vendor}: checked by the worker in {checked_after:.1f} s; worker killed "
            f"{writing_after:.1f} s after the confirmation ({seen}); run again took {rerun_took:.1f} s"
        )
    finally:
        for process in [*workers, master]:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
        log.close()
