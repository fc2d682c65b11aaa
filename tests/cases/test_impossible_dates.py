"""A date that cannot be true is refused with the same rule (``cases.rules``) at every door: the case form, the
ledger import (command line and web page, as ``sheet, row N, column: reason``), the API and the hearing file's
attendance record. Today is frozen."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fuyuan.cases.choices import CaseKind, outcome_choices
from fuyuan.cases.models import Case
from fuyuan.cases.rules import LABELS
from fuyuan.cases.workflow import update_case
from fuyuan.core.models import Event
from fuyuan.core.timeline import Actor
from fuyuan.hearings.models import HearingState
from fuyuan.hearings.workflow import register_hearing
from fuyuan.notifications.models import Notification
from tests import migrated
from tests.api.conftest import make_caller
from tests.cases.ledgers import litigation_row, reconsideration_row, write_workbook
from tests.factories import PASSWORD, World, make_case, make_org

TODAY = datetime.date(2026, 6, 15)
D = datetime.date
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    """Today is 15 June 2026 in the deployment's time zone (Asia/Shanghai), for the rules and for everything else
    (the personas' passwords, set by the real clock, are not to expire on the frozen one)."""
    moment = timezone.make_aware(datetime.datetime(2026, 6, 15, 10, 0))
    monkeypatch.setattr(timezone, "now", lambda: moment)
    settings.FUYUAN_PASSWORD_MAX_AGE_DAYS = 0


@dataclass(frozen=True)
class Impossible:
    """A case with one impossible date: its dates, the field the error is on and the reason every door gives."""

    id: str
    kind: str
    dates: dict[str, datetime.date]
    field: str
    reason: str
    outcome: str = ""
    # Fields the API has no input for: the case is on file with them, and the push sends the rest.
    on_file: dict[str, datetime.date] = field(default_factory=dict)

    @property
    def column(self) -> str:
        return LABELS[self.field]

    @property
    def outcome_label(self) -> str:
        return str(dict(outcome_choices(self.kind).choices)[self.outcome]) if self.outcome else ""


L, R = CaseKind.LITIGATION, CaseKind.RECONSIDERATION
IMPOSSIBLE = [
    Impossible(
        "filed_a_year_ahead",
        L,
        {"filed_on": D(2027, 6, 15)},
        "filed_on",
        "立案日期（2027-06-15）不能晚于今天（2026-06-15）",
    ),
    Impossible(
        "received_tomorrow",
        R,
        {"received_on": D(2026, 6, 16)},
        "received_on",
        "收案日期（2026-06-16）不能晚于今天（2026-06-15）",
    ),
    Impossible(
        "concluded_tomorrow",
        L,
        {"filed_on": D(2026, 3, 1), "concluded_on": D(2026, 6, 16)},
        "concluded_on",
        "结案日期（2026-06-16）不能晚于今天（2026-06-15）",
        outcome="revoked",
    ),
    Impossible(
        "accepted_before_received",
        R,
        {"received_on": D(2026, 3, 10), "accepted_on": D(2026, 3, 9)},
        "accepted_on",
        "受理日期（2026-03-09）不能早于收案日期（2026-03-10）",
    ),
    Impossible(
        "concluded_before_accepted",
        R,
        {"received_on": D(2026, 3, 1), "accepted_on": D(2026, 3, 5), "concluded_on": D(2026, 3, 4)},
        "concluded_on",
        "结案日期（2026-03-04）不能早于受理日期（2026-03-05）",
        outcome="upheld",
    ),
    Impossible(
        "concluded_before_filed",
        L,
        {"filed_on": D(2026, 3, 10), "concluded_on": D(2026, 3, 9)},
        "concluded_on",
        "结案日期（2026-03-09）不能早于立案日期（2026-03-10）",
        outcome="revoked",
    ),
    Impossible(
        "hearing_before_filed",
        L,
        {"filed_on": D(2026, 3, 10), "hearing_on": D(2026, 3, 9)},
        "hearing_on",
        "开庭日期（2026-03-09）不能早于立案日期（2026-03-10）",
        # The API sends no 开庭日期 (a hearing comes by /hearings/): the case on file has its hearing, and the push
        # moves 立案日期 after it.
        on_file={"filed_on": D(2026, 3, 1), "hearing_on": D(2026, 3, 9)},
    ),
]
IDS = [case.id for case in IMPOSSIBLE]


# --- The form ----------------------------------------------------------------------------------------------------


def form_data(world: World, case: Impossible) -> dict[str, Any]:
    o = world.orgs
    if case.kind == L:
        data: dict[str, Any] = {
            "number": "（2026）黔2701行初1号",
            "instance": "first",
            "court": o["都匀法院"].pk,
            "defendant": o["都匀自然资源局"].pk,
            "filed_on": "2026-03-01",
        }
    else:
        data = {
            "number": "黔南复〔2026〕1号",
            "reconsideration_body": o["州司法局"].pk,
            "defendant": o["州人社局"].pk,
            "received_on": "2026-03-01",
        }
    data.update({name: day.isoformat() for name, day in case.dates.items()})
    if case.outcome:
        data["outcome"] = case.outcome
    return data


@pytest.mark.parametrize("case", IMPOSSIBLE, ids=IDS)
def test_the_case_form_refuses_the_impossible_date_on_its_field(client: Client, world: World, case: Impossible) -> None:
    assert client.login(username="rol_pref", password=PASSWORD)

    response = client.post(reverse("cases:create", args=[case.kind]), form_data(world, case))

    assert response.status_code == 200
    assert response.context["form"].errors[case.field] == [case.reason]
    assert not Case.objects.exists()


# --- The ledger --------------------------------------------------------------------------------------------------


def ledger(tmp_path: Path, case: Impossible) -> Path:
    cells = {LABELS[name]: day.isoformat() for name, day in case.dates.items()}
    if case.outcome:
        cells["结案方式"] = case.outcome_label
    if case.kind == L:
        return write_workbook(tmp_path / "l.xlsx", [litigation_row("（2026）黔27行初1号", **cells)])
    return write_workbook(tmp_path / "l.xlsx", reconsideration=[reconsideration_row("黔南复〔2026〕1号", **cells)])


def sheet(case: Impossible) -> str:
    return "行政诉讼" if case.kind == L else "行政复议"


@pytest.mark.parametrize("case", IMPOSSIBLE, ids=IDS)
def test_the_import_command_refuses_the_impossible_date_with_sheet_row_and_column(
    world: World, tmp_path: Path, case: Impossible
) -> None:
    err = StringIO()

    with pytest.raises(CommandError, match="台账有 1 处错误，未导入任何数据"):
        call_command("import_cases", str(ledger(tmp_path, case)), stdout=StringIO(), stderr=err)

    assert err.getvalue().splitlines() == [f"{sheet(case)}, row 2, {case.column}: {case.reason}"]
    assert not Case.objects.exists()


def test_the_fuyuan_command_exits_non_zero_and_names_sheet_row_and_column(tmp_path: Path) -> None:
    # A process of its own, on a database of its own, with the real clock: a date far ahead is in its future too.
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}"}
    fuyuan = Path(sys.executable).with_name("fuyuan")
    path = write_workbook(tmp_path / "l.xlsx", [litigation_row("（2026）黔27行初1号", 立案日期="2099-01-01")])
    migrated.copy_sqlite(tmp_path / "cli.sqlite3")

    done = subprocess.run(
        [fuyuan, "import-cases", str(path), "--region", "黔南州"], capture_output=True, text=True, env=env, timeout=120
    )

    assert done.returncode != 0
    assert "行政诉讼, row 2, 立案日期: 立案日期（2099-01-01）不能晚于今天（" in done.stderr
    assert "台账有 1 处错误，未导入任何数据" in done.stderr


@pytest.mark.parametrize("case", IMPOSSIBLE, ids=IDS)
def test_the_web_import_refuses_the_impossible_date_with_sheet_row_and_column(
    client: Client, world: World, tmp_path: Path, case: Impossible
) -> None:
    assert client.login(username="rol_pref", password=PASSWORD)

    with ledger(tmp_path, case).open("rb") as f:
        page = client.post("/cases/import/", {"ledger": f}).content.decode()

    assert "有 1 处错误，未导入任何数据" in page
    assert sheet(case) in page
    assert (
        f'<td class="text-nowrap px-2">2</td><td class="text-nowrap">{case.column}</td>'
        f'<td class="pe-3">{case.reason}</td>' in page
    )
    assert not Case.objects.exists()


def test_a_ledger_row_updating_a_case_on_file_is_checked_with_the_dates_the_ledger_has_no_column_for(
    world: World, tmp_path: Path
) -> None:
    # given a case on file whose 起诉状副本 was served on 5 March (no ledger column holds that date)
    make_case(
        number="（2026）黔27行初1号",
        defendant=world.orgs["都匀自然资源局"],
        court=world.orgs["都匀法院"],
        filed_on=D(2026, 3, 1),
        complaint_served_on=D(2026, 3, 5),
    )
    path = write_workbook(tmp_path / "l.xlsx", [litigation_row("（2026）黔27行初1号", 立案日期="2026-03-06")])
    err = StringIO()

    # when the ledger moves 立案日期 after it
    with pytest.raises(CommandError):
        call_command("import_cases", str(path), stdout=StringIO(), stderr=err)

    # then the row is refused on the column it changed
    assert err.getvalue().splitlines() == [
        "行政诉讼, row 2, 立案日期: 起诉状副本送达日期（2026-03-05）不能早于立案日期（2026-03-06）"
    ]
    assert Case.objects.get().filed_on == D(2026, 3, 1)


# --- The API -----------------------------------------------------------------------------------------------------

API_FIELDS = {"filed_on", "received_on", "accepted_on", "concluded_on"}


@pytest.mark.parametrize("case", IMPOSSIBLE, ids=IDS)
def test_the_api_refuses_the_impossible_date_on_its_field(world: World, case: Impossible) -> None:
    office = make_org("都匀市依法治办", world.regions["都匀市"], "rule_of_law_office")
    caller = make_caller(world, "都匀依法治办系统", "rule_of_law_office", office)
    number = "（2026）黔2701行初1号" if case.kind == L else "都匀复〔2026〕1号"
    if case.on_file:
        make_case(case.kind, number=number, defendant=world.orgs["都匀自然资源局"], **case.on_file)
    body: dict[str, Any] = {
        "number": number,
        "kind": case.kind,
        "forum": "都匀市人民法院" if case.kind == L else "都匀市司法局",
        "defendant": "都匀市自然资源局",
    }
    body.update({"instance": "一审", "filed_on": "2026-03-01"} if case.kind == L else {"received_on": "2026-03-01"})
    body.update({name: day.isoformat() for name, day in case.dates.items() if name in API_FIELDS})
    if case.outcome:
        body["outcome"] = case.outcome_label

    response = caller.put("/api/v1/cases/", body)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    api_field = case.field if case.field in API_FIELDS else "filed_on"
    assert error["fields"] == {api_field: [case.reason]}
    assert Case.objects.filter(number=number).count() == (1 if case.on_file else 0)
    if case.on_file:
        assert Case.objects.get(number=number).filed_on == case.on_file["filed_on"]


def test_an_outcome_pushed_with_a_date_in_the_future_is_refused(world: World) -> None:
    court = make_caller(world, "都匀法院审判系统", "court", world.orgs["都匀法院"])
    make_case(number="（2026）黔2701行初1号", defendant=world.orgs["都匀自然资源局"], court=world.orgs["都匀法院"])

    response = court.put(
        "/api/v1/outcomes/", {"case_number": "（2026）黔2701行初1号", "concluded_on": "2026-06-16", "outcome": "撤销"}
    )

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"concluded_on": ["结案日期（2026-06-16）不能晚于今天（2026-06-15）"]}
    assert Case.objects.get().concluded_on is None


# --- The hearing's attendance ------------------------------------------------------------------------------------


def test_an_attendance_that_would_put_the_hearing_before_the_filing_is_refused_with_the_rule(
    client: Client, world: World
) -> None:
    # given a hearing noticed for 10 June, and the case's 立案日期 corrected since to 12 June (no hearing on the case yet)
    o = world.orgs
    case = make_case(
        number="（2026）黔2701行初7号", defendant=o["都匀自然资源局"], court=o["都匀法院"], filed_on=D(2026, 6, 1)
    )
    noticed = timezone.make_aware(datetime.datetime(2026, 6, 1, 9, 0))
    hearing = register_hearing(case, held_on=D(2026, 6, 10), by=world.users["court_duyun"], now=noticed)
    case = update_case(case, {"filed_on": D(2026, 6, 12)}, by=Actor(label="测试"))
    events, notifications = Event.objects.count(), Notification.objects.count()
    assert client.login(username="court_duyun", password=PASSWORD)

    # when the court records on the hearing file that the head did not appear
    response = client.post(reverse("hearings:attendance", args=[hearing.pk]), {"attendance-appeared": "no"})

    # then the page says why, in the case rules' words, and nothing is written: not the hearing, not the case
    assert response.status_code == 200
    page = response.content.decode()
    assert "出庭情况不能记入案件 （2026）黔2701行初7号：开庭日期（2026-06-10）不能早于立案日期（2026-06-12）" in page
    hearing.refresh_from_db()
    assert hearing.state == HearingState.NOTIFIED and hearing.attendance_recorded_at is None
    stored = Case.objects.get(pk=case.pk)
    assert (stored.hearing_on, stored.head_appeared, stored.version) == (None, None, case.version)
    assert (Event.objects.count(), Notification.objects.count()) == (events, notifications)


def test_an_attendance_on_or_after_the_filing_is_carried_onto_the_case(client: Client, world: World) -> None:
    o = world.orgs
    case = make_case(
        number="（2026）黔2701行初8号", defendant=o["都匀自然资源局"], court=o["都匀法院"], filed_on=D(2026, 6, 1)
    )
    noticed = timezone.make_aware(datetime.datetime(2026, 6, 1, 9, 0))
    hearing = register_hearing(case, held_on=D(2026, 6, 10), by=world.users["court_duyun"], now=noticed)
    case = update_case(case, {"filed_on": D(2026, 6, 10)}, by=Actor(label="测试"))
    assert client.login(username="court_duyun", password=PASSWORD)

    client.post(reverse("hearings:attendance", args=[hearing.pk]), {"attendance-appeared": "no"})

    hearing.refresh_from_db()
    stored = Case.objects.get(pk=case.pk)
    assert hearing.state == HearingState.ABSENT
    assert (stored.hearing_on, stored.head_appeared) == (D(2026, 6, 10), False)
