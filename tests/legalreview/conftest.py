"""The shared setting of the legality-review tests: in the shared world, 都匀市自然资源局 (its liaison ``agency_duyun``)
sends matters to 都匀市司法局, whose staff are ``review_duyun`` and ``review_duyun2``; the 依法治办 of 都匀市
(``rol_duyun``) stands for the government office. The clock stands on Wednesday 2026-12-02 (tests/conftest.py), far
from any holiday: the 7 working days of a normative document end on Friday 2026-12-11."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

from fuyuan.core.models import Role
from fuyuan.legalreview.choices import MatterKind
from fuyuan.legalreview.models import LegalMatter
from fuyuan.legalreview.workflow import assign_reviewer, submit_matter
from tests.factories import World, make_user

D = datetime.date


def add_reviewers(world: World) -> None:
    o, u = world.orgs, world.users
    u["review_duyun"] = make_user("review_duyun", Role.RECONSIDERATION_BODY, org=o["都匀司法局"])
    u["review_duyun2"] = make_user("review_duyun2", Role.RECONSIDERATION_BODY, org=o["都匀司法局"])


def submitted(world: World, **kw: Any) -> LegalMatter:
    kw.setdefault("kind", MatterKind.NORMATIVE)
    kw.setdefault("title", "都匀市城市绿化管理办法")
    kw.setdefault("text", "第一条 为加强城市绿化管理，制定本办法。\n第二条 本办法适用于本市城市规划区。")
    return submit_matter(by=kw.pop("by", world.users["agency_duyun"]), **kw)


def under_review(world: World, **kw: Any) -> LegalMatter:
    matter = submitted(world, **kw)
    return assign_reviewer(matter, reviewer=world.users["review_duyun"], by=world.users["review_duyun"])


@pytest.fixture
def people(world: World, clock, settings, tmp_path: Path) -> World:  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path
    add_reviewers(world)
    return world
