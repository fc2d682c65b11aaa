"""The shared setting of the assessment tests: in the shared world, 黔南州 assesses its counties 都匀市 (agency
都匀市自然资源局) and 福泉市 (福泉市公安局) and its departments 黔南州人力资源和社会保障局 and 黔南州司法局; ``rol_pref``
edits the scheme. Cases of 2026 are placed with ``make_case`` (reads are what is tested here)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fuyuan.assessment.models import Indicator, Scheme
from fuyuan.assessment.workflow import create_scheme
from fuyuan.cases.choices import CaseKind
from fuyuan.core.models import Organisation
from fuyuan.rectification.models import Item, ItemState, Recommendation, RecommendationKind
from tests.factories import World, make_case

D = datetime.date
YEAR = 2026
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def evidence(name: str = "述法评议结果.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def scheme_with(world: World, *codes: str, year: int = YEAR) -> Scheme:
    """The scheme of ``year`` (the registry's defaults) keeping only the indicators ``codes``."""
    scheme = create_scheme(world.regions["黔南州"], year, by=world.users["rol_pref"])
    if codes:
        Indicator.objects.filter(scheme=scheme).exclude(code__in=codes).delete()
    return scheme


def lawsuits(defendant: Organisation, *, lost: int, won: int, appeared: int, **kw: Any) -> None:
    """First-instance cases concluded and heard in 2026: ``lost`` revoked, ``won`` dismissed; the head appeared
    at the first ``appeared`` hearings."""
    for n in range(lost + won):
        make_case(
            CaseKind.LITIGATION, defendant=defendant, filed_on=D(YEAR, 1, 10), hearing_on=D(YEAR, 3, 1),
            concluded_on=D(YEAR, 5, 1), outcome="revoked" if n < lost else "claim_dismissed",
            head_appeared=n < appeared, **kw,
        )  # fmt: skip


def rectification_item(world: World, owner: Organisation, *, due: datetime.date, on_time: bool | None) -> Item:
    """An item due on ``due``: verified after a report on time (True), verified after a late report (False), or
    still being rectified (None)."""
    rec = Recommendation.objects.create(
        kind=RecommendationKind.JUDICIAL, number=f"司法建议〔{due.year}〕{Recommendation.objects.count() + 1}号",
        issuer=world.orgs["都匀法院"], recipient=owner, issued_on=due - datetime.timedelta(days=60),
        document="x.pdf", document_name="x.pdf", registered_at=timezone.now(), registered_by=world.users["rol_pref"],
    )  # fmt: skip
    item = Item(recommendation=rec, position=1, text="规范执法程序", owner=owner, due_on=due, due_rule="两个月")
    if on_time is not None:
        reported = due - datetime.timedelta(days=5) if on_time else due + datetime.timedelta(days=5)
        item.state = ItemState.VERIFIED
        item.reported_at = timezone.make_aware(datetime.datetime.combine(reported, datetime.time(10)))
        item.verified_at = item.reported_at
    item.save()
    return item


def weight(scheme: Scheme, code: str) -> Decimal:
    return scheme.indicators.get(code=code).weight


@pytest.fixture
def absent_module() -> Iterator[str]:
    """An indicator whose module is not installed: what a deployment without, say, the enforcement records sees."""
    from fuyuan.assessment import indicators

    indicators.register(
        indicators.Source("absent_records", "未接入指标", "module", "fuyuan.not_built.indicators.count",
                          records="某未建模块的记录", weight=Decimal(5), floor=Decimal(80))
    )  # fmt: skip
    yield "absent_records"
    indicators.unregister("absent_records")
