"""The shared setting of the case-file review tests: in the shared world, the 州司法局's enforcement supervision staff
``zfjd_pref`` organise the 2026 review of 都匀市自然资源局 (3 files) and 福泉市公安局 (2 files) under the usual sheet,
reviewed by ``tyjd`` (a 特邀执法监督员) and ``tyjd2``; 安阳市司法局 has its own staff ``zfjd_anyang``. The clock
stands on 2026-12-02 (tests/conftest.py)."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

from fuyuan.core.models import Role
from fuyuan.filereview import workflow as wf
from fuyuan.filereview.models import ActKind, ItemKind, ReviewFile, ReviewMode, ReviewPlan, ScoreSheet, SheetItem
from tests.factories import World, make_user

D = datetime.date


def add_supervisors(world: World) -> None:
    o, u, r = world.orgs, world.users, world.regions
    u["zfjd_pref"] = make_user("zfjd_pref", Role.ENFORCEMENT_SUPERVISION, org=o["州司法局"])
    u["zfjd_anyang"] = make_user("zfjd_anyang", Role.ENFORCEMENT_SUPERVISION, org=o["安阳司法局"])
    u["tyjd"] = make_user("tyjd", Role.INVITED_SUPERVISOR, region=r["黔南州"])
    u["tyjd2"] = make_user("tyjd2", Role.INVITED_SUPERVISOR, region=r["黔南州"])


def sheet_of(world: World, year: int = 2026) -> ScoreSheet:
    return wf.create_sheet(year=year, name="行政执法案卷评查标准", by=world.users["zfjd_pref"])


def plan_of(world: World, sheet: ScoreSheet | None = None) -> ReviewPlan:
    o, u = world.orgs, world.users
    return wf.create_plan(
        year=2026,
        name="行政执法案卷集中评查",
        mode=ReviewMode.SAMPLED,
        sheet=sheet or sheet_of(world),
        bodies={o["都匀自然资源局"]: 3, o["福泉公安局"]: 2},
        reviewers=[u["tyjd"], u["tyjd2"]],
        by=u["zfjd_pref"],
    )


def file_of(
    world: World, plan: ReviewPlan, number: str, body: str = "都匀自然资源局", reviewer: str = "tyjd"
) -> ReviewFile:
    return wf.register_file(
        plan,
        number=number,
        body=world.orgs[body],
        act_kind=ActKind.PENALTY,
        decided_on=D(2026, 5, 6),
        reviewer=world.users[reviewer] if reviewer else None,
        by=world.users["zfjd_pref"],
    )


def item(sheet: ScoreSheet, text: str) -> SheetItem:
    return sheet.items.get(text=text)


def veto(sheet: ScoreSheet, text: str = "执法人员不足2人") -> int:
    found = item(sheet, text)
    assert found.kind == ItemKind.VETO
    return found.pk


def score(world: World, file: ReviewFile, *, by: str = "tyjd", **kw: Any) -> ReviewFile:
    return wf.score_file(file, by=world.users[by], **kw)


@pytest.fixture
def people(world: World, clock, settings, tmp_path: Path) -> World:  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path
    add_supervisors(world)
    return world
