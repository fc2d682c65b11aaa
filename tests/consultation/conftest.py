"""The shared setting of the consultation tests: in the shared world, 都匀市人民法院 (its liaison ``court_duyun``) hears
a pending first-instance suit against 都匀市自然资源局 (its liaison ``agency_duyun``); the 依法治办 of 都匀市 is
``rol_duyun``. The clock stands on Wednesday 2026-12-02 (tests/conftest.py), far from any holiday: the 10 working
days of the answer end on Wednesday 2026-12-16."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from fuyuan.cases.models import Case
from fuyuan.consultation.models import RiskNotice
from fuyuan.consultation.workflow import send_notice
from tests.factories import World, make_case

D = datetime.date


def pending_case(world: World, **kw: Any) -> Case:
    kw.setdefault("court", world.orgs["都匀法院"])
    kw.setdefault("filed_on", D(2026, 10, 12))
    return make_case(defendant=kw.pop("defendant", world.orgs["都匀自然资源局"]), **kw)


def notice_on(case: Case, world: World, **kw: Any) -> RiskNotice:
    kw.setdefault("concerns", ["procedure", "facts"])
    kw.setdefault("text", "被诉处罚决定未告知陈述申辩权利，现场检查笔录缺少当事人签名。")
    return send_notice(case, by=kw.pop("by", world.users["court_duyun"]), **kw)


@pytest.fixture
def case(world: World, clock) -> Case:  # type: ignore[no-untyped-def]
    return pending_case(world)
