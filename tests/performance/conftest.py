"""The shared setting of the performance tests: in the shared world, 都匀市人民法院 (its liaison ``court_duyun``)
judged against 都匀市自然资源局 (its liaison ``agency_duyun``); 都匀市人民政府 is the agency's superior, to whom a
司法建议 goes. The judgment took effect on 2026-11-02 (a Monday)."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fuyuan.cases.choices import LitigationOutcome
from fuyuan.cases.models import Case
from fuyuan.cases.workflow import update_case
from fuyuan.core.models import Organisation
from fuyuan.performance.models import PerformanceItem
from tests.factories import World, make_case, make_org

D = datetime.date
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EFFECTIVE = D(2026, 11, 2)


def pdf(name: str = "支付凭证.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def files(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture
def government(world: World) -> Organisation:
    return make_org("都匀市人民政府", world.regions["都匀市"])


def judge(
    case: Case, world: World, *, outcome: str = LitigationOutcome.ORDERED_TO_PAY, effective: D = EFFECTIVE
) -> Case:
    """The court liaison records the judgment and the day it took effect, as the case page does."""
    return update_case(
        case,
        {"concluded_on": D(2026, 10, 10), "outcome": outcome, "judgment_served_on": D(2026, 10, 15),
         "effective_on": effective},
        by=world.users["court_duyun"],
    )  # fmt: skip


@pytest.fixture
def lost(world: World, clock) -> PerformanceItem:  # type: ignore[no-untyped-def]
    """The item the judgment opened, as its case's workflow opened it."""
    clock(D(2026, 11, 3))
    case = make_case(defendant=world.orgs["都匀自然资源局"], court=world.orgs["都匀法院"], filed_on=D(2026, 5, 6))
    judge(case, world)
    return PerformanceItem.objects.get(case=case)
