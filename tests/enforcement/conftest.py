"""The shared setting of the enforcement supervision tests: in the shared world, the 州司法局's supervision staff
``zfjd_pref`` (黔南州) and ``zfjd_anyang`` (安阳市), three enforcement bodies — 都匀市自然资源局 (legal staff
``agency_duyun``), 福泉市公安局 (``agency_fuquan``) and 安阳市市场监督管理局 (``agency_anyang``) — and officers made as
the import makes them (``add_officer``). The clock stands on Wednesday 2026-12-02 (tests/conftest.py)."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from openpyxl import Workbook

from fuyuan.core.models import Role
from fuyuan.enforcement import rules
from fuyuan.enforcement.choices import CertificateKind, DecisionKind, MajorGround
from fuyuan.enforcement.models import Certificate, EnforcementBody, MajorDecision, Officer
from fuyuan.enforcement.workflow import keep_certificate_warnings, register_decision
from tests.factories import World, make_user

D = datetime.date
TODAY = D(2026, 12, 2)
ISSUED = D(2022, 1, 10)
REVIEWED = D(2025, 1, 10)


@pytest.fixture
def people(world: World, clock: Any) -> World:
    o, u = world.orgs, world.users
    u["zfjd_pref"] = make_user("zfjd_pref", Role.ENFORCEMENT_SUPERVISION, org=o["州司法局"])
    u["zfjd_anyang"] = make_user("zfjd_anyang", Role.ENFORCEMENT_SUPERVISION, org=o["安阳司法局"])
    u["agency_anyang"] = make_user("agency_anyang", Role.AGENCY_LIAISON, org=o["安阳市场监管局"])
    u["invited"] = make_user("invited", Role.INVITED_SUPERVISOR, region=world.regions["黔南州"])
    for key in ("都匀自然资源局", "福泉公安局", "安阳市场监管局"):
        EnforcementBody.objects.create(
            organisation=o[key], legal_basis="《中华人民共和国行政处罚法》", scope="行政处罚"
        )
    return world


def body(world: World, key: str) -> EnforcementBody:
    return EnforcementBody.objects.get(organisation=world.orgs[key])


def add_officer(
    world: World,
    key: str,
    name: str,
    number: str,
    *,
    valid_to: datetime.date,
    issued_on: datetime.date = ISSUED,
    reviewed_on: datetime.date | None = REVIEWED,
    joined_on: datetime.date | None = None,
    left_on: datetime.date | None = None,
    revoked_on: datetime.date | None = None,
) -> Officer:
    """An officer with one certificate, warned as an import warns it."""
    officer = Officer.objects.create(
        body=body(world, key), name=name, joined_on=joined_on or issued_on, left_on=left_on
    )
    cert = Certificate.objects.create(
        officer=officer, number=number, kind=CertificateKind.ENFORCEMENT, issued_on=issued_on, valid_to=valid_to,
        reviewed_on=reviewed_on, review_due_on=rules.review_due(issued_on, reviewed_on), revoked_on=revoked_on,
    )  # fmt: skip
    keep_certificate_warnings([cert])
    return officer


def registered(world: World, title: str = "某建材公司违法占地案", by: str = "agency_duyun") -> MajorDecision:
    return register_decision(
        title=title, kind=DecisionKind.PENALTY, ground=MajorGround.PUBLIC_INTEREST, by=world.users[by]
    )


def workbook(sheets: dict[str, list[list[Any]]]) -> io.BytesIO:
    """An .xlsx in memory with ``sheets`` (name → rows, the first the headers)."""
    book = Workbook()
    first = True
    for name, rows in sheets.items():
        sheet = book.active if first else book.create_sheet()
        assert sheet is not None
        sheet.title = name
        first = False
        for row in rows:
            sheet.append(row)
    stream = io.BytesIO()
    book.save(stream)
    stream.seek(0)
    stream.name = "officers.xlsx"  # type: ignore[attr-defined]
    return stream


OFFICER_HEADERS = ["姓名", "执法主体", "执法证号", "证件种类", "发证日期", "有效期至", "最近审验日期"]
TRAINING_HEADERS = ["执法证号", "年度", "培训学时", "考试日期", "考试成绩", "考试结果"]
