import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError, connection
from playwright.sync_api import Page, expect

from fuyuan.cases import import_jobs, ledger
from fuyuan.cases.models import Case, ImportJob
from fuyuan.core.models import Region
from tests.browser.conftest import login, screenshot
from tests.cases.ledgers import litigation_row, reconsideration_row, write_workbook
from tests.factories import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_office_sees_every_error_then_imports_a_corrected_ledger(page: Page, world: World, tmp_path: Path) -> None:
    rows = [
        litigation_row("（2021）黔27行初1号", 结案方式="撤销", 结案日期="2021-05-06"),
        litigation_row("（2021）黔27行初2号"),
    ]
    rows[1]["立案日期"] = "2021-02-30"
    bad = write_workbook(
        tmp_path / "一季度台账.xlsx", rows, [reconsideration_row("黔南复〔2021〕1号", 结案方式="胜诉")]
    )
    login(page, "rol_pref")
    page.get_by_role("link", name="台账导入").click()

    page.get_by_label("选择台账文件（.xlsx）").set_input_files(str(bad))
    page.get_by_role("button", name="上传并检查").click()

    errors = page.get_by_test_id("import-errors")
    expect(errors).to_contain_text("有 2 处错误，未导入任何数据")
    expect(errors).to_contain_text("日期不存在“2021-02-30”")
    expect(errors).to_contain_text("未知的结案方式“胜诉”")
    screenshot(page, "import-errors")
    assert not Case.objects.exists()

    rows[1]["立案日期"] = "2021-02-28"
    good = write_workbook(tmp_path / "一季度台账（改）.xlsx", rows, [reconsideration_row("黔南复〔2021〕1号")])
    page.get_by_label("选择台账文件（.xlsx）").set_input_files(str(good))
    page.get_by_role("button", name="上传并检查").click()
    expect(page.get_by_test_id("import-preview")).to_contain_text("行政诉讼：将新增 2 件")
    screenshot(page, "import-preview")
    page.get_by_role("button", name="确认导入").click()

    expect(page.get_by_role("alert").first).to_contain_text("台账已导入")
    assert Case.objects.count() == 3


def test_a_mistyped_county_is_caught_before_it_becomes_a_region(page: Page, world: World, tmp_path: Path) -> None:
    rows = [
        litigation_row("（2021）黔27行初1号", 被告="荔波县林业局", 被告所属地区="荔波县", 法院="荔波县人民法院"),
        litigation_row("（2021）黔27行初2号", 被告="都云市林业局", 被告所属地区="都云市"),
    ]
    ledger = write_workbook(tmp_path / "二季度台账.xlsx", rows)
    login(page, "rol_pref")
    page.get_by_role("link", name="台账导入").click()
    page.get_by_label("选择台账文件（.xlsx）").set_input_files(str(ledger))
    page.get_by_role("button", name="上传并检查").click()

    new_regions = page.get_by_test_id("new-regions")
    expect(new_regions).to_contain_text("已有相近的地区：都匀市")
    page.get_by_label("确认新建地区“荔波县”").check()
    screenshot(page, "import-new-regions")
    page.get_by_role("button", name="确认导入").click()

    expect(page.get_by_test_id("unconfirmed-regions")).to_contain_text("未导入任何数据：都云市")
    expect(page.get_by_label("确认新建地区“荔波县”")).to_be_checked()
    screenshot(page, "import-new-regions-refused")
    assert not Case.objects.exists() and not Region.objects.filter(name__in=["荔波县", "都云市"]).exists()


def wait_on_table_locks(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
    """The tests' SQLite database is one in memory with a shared cache, where a statement on a table that another
    connection holds fails at once ("database table is locked") instead of waiting as it does on the deployed file
    with its busy timeout; the live server polls the job's progress while the worker claims, reports and finishes it.
    The worker thread's statements wait here instead, as the deployed worker's would (a statement that fails this way
    has changed nothing, and its transaction goes on)."""
    for attempt in range(200):
        try:
            return execute(sql, params, many, context)
        except OperationalError as error:
            if "table is locked" not in str(error) or attempt == 199:
                raise
            time.sleep(0.05)


class Worker:
    """``fuyuan worker``'s import step in a thread beside the live server, started when the test says."""

    def __init__(self) -> None:
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.loop, daemon=True)

    def loop(self) -> None:
        try:
            with connection.execute_wrapper(wait_on_table_locks):
                while not self.stop.wait(0.2):
                    import_jobs.run_queued_jobs()
        finally:
            connection.close()

    def start(self) -> None:
        self.thread.start()


@pytest.fixture
def worker() -> Iterator[Worker]:
    running = Worker()
    yield running
    running.stop.set()
    if running.thread.is_alive():
        running.thread.join(timeout=30)


def test_a_province_size_ledger_shows_its_progress_then_the_preview_then_imports(
    page: Page, world: World, tmp_path: Path, worker: Worker, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A province's ledger goes to the worker; here a small one does, slowed so that a person could read the progress.
    monkeypatch.setattr(import_jobs, "INLINE_BYTES", 0)
    monkeypatch.setattr(ledger, "PROGRESS_EVERY", 20)
    real_reporter = import_jobs._reporter

    def slow_reporter(job: ImportJob) -> ledger.Progress:
        report = real_reporter(job)

        def report_slowly(stage: str, done: int, total: int | None) -> None:
            report(stage, done, total)
            time.sleep(0.25)

        return report_slowly

    monkeypatch.setattr(import_jobs, "_reporter", slow_reporter)
    rows = [litigation_row(f"（2021）黔27行初{n}号") for n in range(1, 201)]
    ledger_file = write_workbook(tmp_path / "全州台账.xlsx", rows, [reconsideration_row("黔南复〔2021〕1号")])
    login(page, "rol_pref")
    page.get_by_role("link", name="台账导入").click()
    page.get_by_label("选择台账文件（.xlsx）").set_input_files(str(ledger_file))
    page.get_by_role("button", name="上传并检查").click()

    box = page.get_by_test_id("import-progress")
    expect(box).to_contain_text("排队等待后台任务进程处理")
    worker.start()
    expect(box).to_contain_text("/ 201 行")
    expect(box).to_contain_text("已用时")
    screenshot(page, "import-progress")

    preview = page.get_by_test_id("import-preview")
    expect(preview).to_contain_text("行政诉讼：将新增 200 件", timeout=60_000)
    screenshot(page, "import-progress-preview")
    assert not Case.objects.exists()
    page.get_by_role("button", name="确认导入").click()

    expect(page.get_by_test_id("import-progress")).to_contain_text("正在导入")
    expect(page.get_by_role("alert").first).to_contain_text("台账已导入。行政诉讼：已新增 200 件", timeout=60_000)
    screenshot(page, "import-progress-done")
    assert Case.objects.count() == 201
