"""The web ledger import run as a job by ``fuyuan worker`` (issue 13 item 11): the page shows the job's progress,
then the preview, then the import; a dead worker is reported and the job runs again; no job runs twice.

The worker's step (``import_jobs.run_queued_jobs``) is called directly where the worker would run it. Ledgers here
are small, so ``INLINE_BYTES`` is set to 0 for every job to go to the worker, as a province's ledger would.
"""

from __future__ import annotations

import datetime
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from fuyuan.cases import import_jobs, ledger
from fuyuan.cases.models import Case, ImportJob
from fuyuan.core.models import Event, Organisation, Region
from tests.cases.ledgers import litigation_row, reconsideration_row, write_workbook
from tests.conftest import Clock
from tests.factories import PASSWORD, World

PROGRESS = "/cases/import/{}/progress/"


@pytest.fixture(autouse=True)
def every_job_to_the_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(import_jobs, "INLINE_BYTES", 0)


@pytest.fixture
def office(client: Client, world: World) -> Client:
    assert client.login(username="rol_pref", password=PASSWORD)
    return client


def upload(client: Client, path: Path) -> str:
    with path.open("rb") as f:
        return client.post("/cases/import/", {"ledger": f}).content.decode()


def the_job() -> ImportJob:
    return ImportJob.objects.get()


def progress(client: Client) -> str:
    return client.get(PROGRESS.format(the_job().token)).content.decode()


def confirm(client: Client, **extra: Any) -> str:
    return client.post("/cases/import/", {"confirm": "1", "token": the_job().token, **extra}).content.decode()


def ledger_of(tmp_path: Path, rows: int = 2) -> Path:
    return write_workbook(
        tmp_path / "一季度台账.xlsx",
        [litigation_row(f"（2021）黔27行初{n}号") for n in range(1, rows + 1)],
        [reconsideration_row("黔南复〔2021〕1号")],
    )


def test_the_worker_checks_the_ledger_then_imports_it_once_confirmed(
    office: Client, world: World, tmp_path: Path
) -> None:
    page = upload(office, ledger_of(tmp_path))
    assert 'data-testid="import-progress"' in page and 'hx-trigger="every 1s"' in page
    assert "排队等待后台任务进程处理" in page
    assert not Case.objects.exists()

    assert import_jobs.run_queued_jobs() == 1
    preview = progress(office)
    assert "检查通过，确认后导入" in preview and "行政诉讼：将新增 2 件" in preview
    assert "hx-trigger" not in preview, "检查完成后页面不应继续轮询"
    assert not Case.objects.exists()

    page = confirm(office)
    assert "正在导入" in page and 'hx-trigger="every 1s"' in page
    assert not Case.objects.exists()

    assert import_jobs.run_queued_jobs() == 1
    done = office.get(PROGRESS.format(the_job().token))
    assert done["HX-Redirect"] == "/cases/"
    listed = office.get("/cases/").content.decode()
    assert "台账已导入。行政诉讼：已新增 2 件" in listed
    assert Case.objects.count() == 3
    assert Event.objects.get(summary="台账导入登记 （2021）黔27行初1号").actor == world.users["rol_pref"]
    again = office.post("/cases/import/", {"confirm": "1", "token": the_job().token}, follow=True)
    assert "导入已过期或已完成" in again.content.decode()
    assert import_jobs.run_queued_jobs() == 0 and Case.objects.count() == 3


def test_a_ledger_with_errors_shows_every_error_by_sheet_row_and_column_and_writes_nothing(
    office: Client, world: World, tmp_path: Path
) -> None:
    path = write_workbook(tmp_path / "l.xlsx", [litigation_row("A1"), litigation_row("A2", 立案日期="2021-13-01")])
    upload(office, path)

    import_jobs.run_queued_jobs()

    page = progress(office)
    assert "有 1 处错误，未导入任何数据" in page
    assert (
        '<td class="text-nowrap px-2">3</td><td class="text-nowrap">立案日期</td><td class="pe-3">日期不存在“2021-13-01”</td>'
        in page
    )
    assert not Case.objects.exists()
    assert not import_jobs.upload_path(the_job().token).exists()


def test_the_page_shows_the_rows_read_and_checked_while_the_worker_runs(
    office: Client, world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ledger, "PROGRESS_EVERY", 4)
    upload(office, ledger_of(tmp_path, rows=11))
    seen: list[str] = []
    real_reporter = import_jobs._reporter

    def reporter_that_looks_at_the_page(job: ImportJob) -> ledger.Progress:
        report = real_reporter(job)

        def report_and_look(stage: str, done: int, total: int | None) -> None:
            report(stage, done, total)
            seen.append(progress(office))

        return report_and_look

    monkeypatch.setattr(import_jobs, "_reporter", reporter_that_looks_at_the_page)

    import_jobs.run_queued_jobs()

    shown = [line.strip() for page in seen for line in page.splitlines() if " 行" in line and "已" in line]
    # the two sheets hold 11 + 1 rows below their headers; the check counts the 12 rows read without error
    assert "已读取 4 / 12 行" in shown and "已读取 8 / 12 行" in shown
    assert "已校验 4 / 12 行" in shown and "已校验 12 / 12 行" in shown
    assert all("已用时" in page for page in seen)
    assert "检查通过" in progress(office)


def test_without_a_running_worker_the_page_says_so_instead_of_waiting_forever(
    office: Client, world: World, tmp_path: Path, clock: Clock
) -> None:
    upload(office, ledger_of(tmp_path))
    clock.shift(datetime.timedelta(seconds=20))
    assert "后台任务进程未运行" not in progress(office)

    clock.shift(datetime.timedelta(seconds=15))

    page = progress(office)
    assert "后台任务进程未运行，请联系管理员（fuyuan worker）" in page
    assert 'hx-trigger="every 1s"' in page, "进程恢复后应继续显示进度"


def test_an_import_whose_worker_died_while_writing_is_shown_failed_and_runs_again_to_import_all(
    office: Client, world: World, tmp_path: Path, clock: Clock
) -> None:
    upload(office, ledger_of(tmp_path))
    import_jobs.run_queued_jobs()
    confirm(office)
    # given: a worker took the import and began writing, then was killed (its transaction rolled back with it)
    job = import_jobs.claim(the_job().pk)
    assert job is not None
    import_jobs._reporter(job)("write", 0, 3)
    clock.shift(datetime.timedelta(minutes=1))
    assert "正在写入 3 行" in progress(office)

    clock.shift(datetime.timedelta(minutes=2))

    page = progress(office)
    assert "后台任务进程在写入阶段中断（已 2 分钟以上没有进展），未导入任何数据。可重新运行。" in page
    assert "hx-trigger" not in page
    assert not Case.objects.exists()

    page = office.post("/cases/import/", {"run_again": "1", "token": job.token}).content.decode()
    assert "正在导入" in page
    import_jobs.run_queued_jobs()
    assert office.get(PROGRESS.format(job.token))["HX-Redirect"] == "/cases/"
    assert Case.objects.count() == 3


def test_a_check_stalled_for_less_than_the_allowance_is_not_taken_for_dead(
    office: Client, world: World, tmp_path: Path, clock: Clock
) -> None:
    upload(office, ledger_of(tmp_path))
    job = import_jobs.claim(the_job().pk)
    assert job is not None
    import_jobs._reporter(job)("check", 1, 3)

    clock.shift(datetime.timedelta(seconds=110))

    page = progress(office)
    assert "已校验 1 / 3 行" in page and "中断" not in page
    assert office.post("/cases/import/", {"run_again": "1", "token": job.token}, follow=True).status_code == 200
    assert the_job().state == ImportJob.State.RUNNING and the_job().attempt == 1


def test_two_workers_that_see_the_same_queued_job_run_it_once(office: Client, world: World, tmp_path: Path) -> None:
    upload(office, ledger_of(tmp_path))
    pk = the_job().pk

    first, second = import_jobs.claim(pk), import_jobs.claim(pk)

    assert first is not None and second is None
    assert import_jobs.run_queued_jobs() == 0
    import_jobs.run_job(first)
    assert "检查通过" in progress(office)


def test_an_import_whose_job_was_run_again_meanwhile_rolls_back_its_writes(
    office: Client, world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    upload(office, ledger_of(tmp_path))
    import_jobs.run_queued_jobs()
    confirm(office)
    real_apply = import_jobs.apply_import

    def apply_then_lose_the_job(*args: Any, **kwargs: Any) -> ledger.ImportPlan:
        plan = real_apply(*args, **kwargs)
        # another worker claims the job (the page took this one for dead and it was run again)
        ImportJob.objects.update(attempt=99)
        return plan

    monkeypatch.setattr(import_jobs, "apply_import", apply_then_lose_the_job)
    organisations, events = Organisation.objects.count(), Event.objects.count()

    import_jobs.run_queued_jobs()

    assert not Case.objects.exists()
    assert (Organisation.objects.count(), Event.objects.count()) == (organisations, events)
    assert the_job().state == ImportJob.State.RUNNING, "失去任务的运行不得写入结果"


def test_a_new_region_left_unticked_is_refused_with_nothing_written_and_can_be_ticked(
    office: Client, world: World, tmp_path: Path
) -> None:
    rows = [
        litigation_row("（2021）黔27行初1号", 被告="荔波县林业局", 被告所属地区="荔波县", 法院="荔波县人民法院"),
        litigation_row("（2021）黔27行初2号", 被告="都云市林业局", 被告所属地区="都云市"),
    ]
    upload(office, write_workbook(tmp_path / "l.xlsx", rows))
    import_jobs.run_queued_jobs()
    assert "已有相近的地区：<strong>都匀市" in progress(office)

    confirm(office, new_region=["荔波县"])
    import_jobs.run_queued_jobs()

    page = progress(office)
    assert "以下新地区未勾选确认，未导入任何数据：都云市" in page
    assert 'value="荔波县" id="new-region-1" checked' in page
    assert not Case.objects.exists() and not Region.objects.filter(name__in=["荔波县", "都云市"]).exists()
    confirm(office, new_region=["荔波县", "都云市"])
    import_jobs.run_queued_jobs()
    assert Case.objects.count() == 2


def test_coming_back_to_the_import_page_shows_the_running_job(office: Client, world: World, tmp_path: Path) -> None:
    upload(office, ledger_of(tmp_path))

    page = office.get("/cases/import/").content.decode()

    assert 'data-testid="import-progress"' in page
    # a browser without JavaScript follows the job on its own page
    assert f'href="/cases/import/{the_job().token}/"' in page
    import_jobs.run_queued_jobs()
    assert "检查通过，确认后导入" in office.get(f"/cases/import/{the_job().token}/").content.decode()


def test_another_persons_job_is_not_found(office: Client, world: World, tmp_path: Path) -> None:
    upload(office, ledger_of(tmp_path))
    other = Client()
    assert other.login(username="rol_duyun", password=PASSWORD)

    assert other.get(PROGRESS.format(the_job().token)).status_code in (403, 404)
    answer = other.post("/cases/import/", {"confirm": "1", "token": the_job().token})
    assert answer.status_code in (302, 403)


def test_fuyuan_worker_picks_up_a_queued_import(office: Client, world: World, tmp_path: Path) -> None:
    upload(office, ledger_of(tmp_path))

    call_command("worker", "--once", stdout=StringIO())

    assert "检查通过，确认后导入" in progress(office)


def test_a_small_ledger_is_checked_in_the_request_without_the_worker(
    office: Client, world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(import_jobs, "INLINE_BYTES", 50_000)

    page = upload(office, ledger_of(tmp_path))

    assert "检查通过，确认后导入" in page and "hx-trigger" not in page
    response = office.post("/cases/import/", {"confirm": "1", "token": the_job().token}, follow=True)
    assert "台账已导入" in response.content.decode() and Case.objects.count() == 3
