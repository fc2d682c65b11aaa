"""The figures of SPEC §4 equal those of the same cases imported by ledger (issue 14, SPEC §6.8 and §9).

Fourteen files against two respondents (都匀市自然资源局 in 都匀市, 福泉市公安局 in 福泉市) are handled through the
workflow in September and October 2026 to every end a body reaches: 撤销, 维持, 确认违法, 变更, 驳回 (after a failed
mediation), 调解, 和解, 撤回, 终止 (after a suspension), 不予受理, 视为放弃 (no 补正), 视为受理 (第30条第3款), and two
still open. ``fuyuan stats --format json`` is taken, the workflow's writes are rolled back (the database is again the
empty world: regions and organisations, no case), the same cases are written as the 行政复议 sheet of a ledger as its
keeper would write them from the same history, ``fuyuan import-cases`` reads it, and ``fuyuan stats`` must print the
same JSON: every key of the reconsideration FIGURES, the total and the rows by month, agency and county.

Dates counted on the 2026 arrangements (中秋 25–27 September; 国庆 1–7 October, Saturday 10 October a working day).
"""

from __future__ import annotations

import datetime
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from fuyuan.cases.choices import ReconsiderationOutcome as Outcome
from fuyuan.cases.models import Case
from fuyuan.core.models import User
from fuyuan.core.timeline import Actor
from fuyuan.reconsideration.choices import Channel, MediationKind
from fuyuan.reconsideration.choices import RejectionGround as Ground
from fuyuan.reconsideration.models import Application
from fuyuan.reconsideration.workflow import (
    accept,
    decide,
    deem_accepted,
    end_mediation,
    receive_application,
    receive_correction,
    reject,
    request_correction,
    start_mediation,
    suspend,
    withdraw_for_silence,
)
from tests.cases.ledgers import write_workbook
from tests.factories import World
from tests.reconsideration.conftest import D, particulars

FACTS = "经审理查明：被申请人作出被申请的行政行为，申请人不服申请行政复议。"

pytestmark = pytest.mark.django_db

# (--from, --to): the whole year, and a window that leaves out the November conclusions.
WINDOWS = (("2026-01-01", "2026-12-31"), ("2026-09-01", "2026-10-31"))
GROUPINGS = (None, "month", "agency", "county")
SWEEP = Actor(label="系统定时任务")


def stats(date_from: str, date_to: str, by: str | None) -> dict[str, Any]:
    out = StringIO()
    args = ["--from", date_from, "--to", date_to, "--format", "json", *(["--by", by] if by else [])]
    call_command("stats", *args, stdout=out)
    return json.loads(out.getvalue())


def all_stats() -> dict[tuple[str, str, str | None], dict[str, Any]]:
    return {(f, t, by): stats(f, t, by) for f, t in WINDOWS for by in GROUPINGS}


class Files:
    """The files of the scenario and, for each, the ledger row its keeper writes from the same history."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.apps: dict[str, Application] = {}
        self.rows: dict[str, dict[str, Any]] = {}

    def receive(self, key: str, respondent: str, on: datetime.date) -> Application:
        org = self.world.orgs[respondent]
        app = receive_application(
            particulars(applicant_name=f"申请人{key}", contested_act=f"行政行为{key}"),
            body=self.world.orgs["州司法局"],
            respondent=org,
            channel=Channel.WINDOW,
            by=self.world.users["recon_pref"],
            received_on=on,
        ).application
        self.apps[key] = app
        self.rows[key] = {
            "案号": app.receipt_number,
            "复议机构": "黔南州司法局",
            "被申请人": org.name,
            "被申请人所属地区": org.region.name,
            "申请人": f"申请人{key}",
            "案由": "行政处罚",
            "领域": "自然资源",
            "收案日期": on.isoformat(),
            "受理情况": "审查中",
        }
        return app

    def ledger(self, key: str, **cells: Any) -> None:
        self.rows[key].update({k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in cells.items()})

    def app(self, key: str) -> Application:
        return Application.objects.select_related("case").get(pk=self.apps[key].pk)


def run_the_files(world: World, head: User, clock: Any) -> Files:
    staff = world.users["recon_pref"]
    f = Files(world)
    A, B = "都匀自然资源局", "福泉公安局"

    clock(D(2026, 9, 1))
    for key, respondent in (("1", A), ("2", B), ("3", A), ("4", B)):
        f.receive(key, respondent, D(2026, 9, 1))
        accept(f.app(key), by=staff)
        f.ledger(key, 受理情况="受理", 受理日期=D(2026, 9, 1))
    clock(D(2026, 9, 2))
    for key, respondent in (("5", A), ("6", B), ("7", A)):
        f.receive(key, respondent, D(2026, 9, 2))
    for key in ("5", "6"):
        accept(f.app(key), by=staff)
        f.ledger(key, 受理情况="受理", 受理日期=D(2026, 9, 2))
    reject(f.app("7"), grounds=[Ground.OUT_OF_SCOPE], reason="不属于行政复议范围（行政复议法第12条）", by=staff)
    f.ledger("7", 受理情况="不予受理", 受理日期=D(2026, 9, 2))
    clock(D(2026, 9, 4))
    f.receive("8", B, D(2026, 9, 4))
    f.receive("9", A, D(2026, 9, 4))
    f.receive("14", A, D(2026, 9, 4))
    accept(f.app("14"), by=staff)
    f.ledger("14", 受理情况="受理", 受理日期=D(2026, 9, 4))
    clock(D(2026, 9, 7))
    request_correction(f.app("8"), items=["申请人身份证明", "行政处罚决定书复印件"], by=staff)

    clock(D(2026, 9, 10))
    suspend(f.app("6"), reason="案件涉及法律适用问题，需要有权机关作出解释（行政复议法第39条）", by=staff)
    mediation = start_mediation(
        f.app("14"), kind=MediationKind.MEDIATION, mediator="黔南州行政复议调解和解委员会", by=staff
    )
    clock(D(2026, 9, 14))
    # 第30条第3款: the review of 9 (received Friday 4 September) ended on Friday 11 September.
    deem_accepted(f.app("9"), by=SWEEP)
    f.ledger("9", 受理情况="受理", 受理日期=D(2026, 9, 11))
    end_mediation(mediation, succeeded=False, by=staff)
    clock(D(2026, 9, 18))
    decide(f.app("5"), outcome=Outcome.WITHDRAWN, grounds="申请人撤回行政复议申请，准予撤回", by=head)
    f.ledger("5", 结案日期=D(2026, 9, 18), 结案方式="撤回")
    clock(D(2026, 9, 22))
    # 第31条第2款: the 补正 of 8 asked on 7 September fell due on 21 September; the day after, it lapsed.
    withdraw_for_silence(f.app("8"), by=SWEEP)
    f.ledger("8", 结案日期=D(2026, 9, 22), 结案方式="撤回")
    clock(D(2026, 9, 29))
    decide(
        f.app("6"),
        outcome=Outcome.TERMINATED,
        grounds="作为申请人的法人终止，没有承受其权利的法人或者其他组织",
        by=head,
    )
    f.ledger("6", 结案日期=D(2026, 9, 29), 结案方式="终止")
    mediation = start_mediation(f.app("3"), kind=MediationKind.MEDIATION, mediator="调解和解委员会", by=staff)
    settlement = start_mediation(f.app("4"), kind=MediationKind.SETTLEMENT, by=staff)
    f.receive("11", A, D(2026, 9, 29))
    f.receive("12", B, D(2026, 9, 29))
    f.receive("13", B, D(2026, 9, 29))
    accept(f.app("11"), by=staff)
    f.ledger("11", 受理情况="受理", 受理日期=D(2026, 9, 29))
    request_correction(f.app("12"), items=["申请书未写明行政复议请求"], by=staff)

    clock(D(2026, 10, 12))
    end_mediation(mediation, succeeded=True, terms="被申请人减轻处罚，申请人不再坚持复议请求", by=staff)
    f.ledger("3", 结案日期=D(2026, 10, 12), 结案方式="调解")
    end_mediation(settlement, succeeded=True, terms="双方达成和解协议", by=staff)
    f.ledger("4", 结案日期=D(2026, 10, 12), 结案方式="和解")
    receive_correction(f.app("12"), reply="已写明请求", by=staff)
    reject(
        f.app("13"), grounds=[Ground.OUT_OF_TIME], reason="超过法定申请期限且无正当理由（行政复议法第20条）", by=staff
    )
    f.ledger("13", 受理情况="不予受理", 受理日期=D(2026, 10, 12))
    clock(D(2026, 10, 13))
    accept(f.app("12"), by=staff)
    f.ledger("12", 受理情况="受理", 受理日期=D(2026, 10, 13))
    f.receive("10", A, D(2026, 10, 13))  # still awaiting examination at the end
    clock(D(2026, 10, 30))
    decide(f.app("1"), outcome=Outcome.REVOKED, facts=FACTS, grounds="认定事实不清", by=head)
    f.ledger("1", 结案日期=D(2026, 10, 30), 结案方式="撤销")
    decide(f.app("2"), outcome=Outcome.UPHELD, facts=FACTS, grounds="认定事实清楚，适用依据正确", by=head)
    f.ledger("2", 结案日期=D(2026, 10, 30), 结案方式="维持")
    decide(f.app("9"), outcome=Outcome.CONFIRMED_ILLEGAL, facts=FACTS, grounds="程序违法", by=head)
    f.ledger("9", 结案日期=D(2026, 10, 30), 结案方式="确认违法")
    clock(D(2026, 11, 3))
    decide(f.app("14"), outcome=Outcome.REJECTED, facts=FACTS, grounds="申请人的请求不成立", by=head)
    f.ledger("14", 结案日期=D(2026, 11, 3), 结案方式="驳回")
    decide(
        f.app("12"), outcome=Outcome.VARIED, facts=FACTS, grounds="处罚明显不当", content="将罚款变更为五千元", by=head
    )
    f.ledger("12", 结案日期=D(2026, 11, 3), 结案方式="变更")
    return f


def test_the_figures_of_handled_files_equal_those_of_the_same_cases_imported_by_ledger(
    world: World, head: User, clock: Any, tmp_path: Path
) -> None:
    # given: the files handled through the workflow, and what ``fuyuan stats`` prints of them
    with transaction.atomic():
        files = run_the_files(world, head, clock)
        clock(D(2026, 12, 2))
        handled = all_stats()
        assert Case.objects.count() == 14
        transaction.set_rollback(True)
    assert not Case.objects.exists()

    # when: the same cases, as their ledger's keeper writes them, are imported into the database without them
    ledger = write_workbook(
        tmp_path / "复议台账.xlsx", reconsideration=[files.rows[k] for k in sorted(files.rows, key=int)]
    )
    out = StringIO()
    call_command("import_cases", str(ledger), stdout=out, stderr=StringIO())
    assert "行政复议：已新增 14 件" in out.getvalue()

    # then: every figure, total and row, is the same
    imported = all_stats()
    for key, figures in handled.items():
        assert figures == imported[key], key
    total = handled[("2026-01-01", "2026-12-31", None)]["total"]["reconsideration"]
    assert total == {
        "received": 14,
        "accepted": 10,
        "rejected": 2,
        "concluded": 10,
        "corrected": 3,
        "correction_rate": 30.0,
        "mediated": 2,
        "mediation_rate": 20.0,
    }
    by_month = handled[("2026-01-01", "2026-12-31", "month")]["rows"]
    assert [(r["key"], r["reconsideration"]["received"], r["reconsideration"]["concluded"]) for r in by_month] == [
        ("2026-09", 13, 3),
        ("2026-10", 1, 5),
        ("2026-11", 0, 2),
    ]
    by_agency = handled[("2026-09-01", "2026-10-31", "agency")]["rows"]
    assert {r["key"]: r["reconsideration"]["concluded"] for r in by_agency} == {
        "都匀市自然资源局": 4,
        "福泉市公安局": 4,
    }
