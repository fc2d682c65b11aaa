"""Two recommendations in the shared world, on 10 March 2026:

- ``judicial``: 都匀市人民法院 → 都匀市自然资源局, a 司法建议书 with two items (due by the 2-month default);
- ``opinion``: 黔南州司法局 → 福泉市公安局, a 复议意见书 with one item and the document's own period.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fuyuan.rectification.models import Recommendation, RecommendationKind
from fuyuan.rectification.workflow import ItemDraft, register_recommendation
from tests.factories import World

D = datetime.date
NOW = timezone.make_aware(datetime.datetime(2026, 3, 10, 10, 0))
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def pdf(name: str = "司法建议书.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@dataclass
class Ledger:
    world: World
    judicial: Recommendation
    opinion: Recommendation
    files: Path


@pytest.fixture
def ledger(world: World, settings, tmp_path: Path) -> Ledger:  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path
    o, u = world.orgs, world.users
    judicial = register_recommendation(
        kind=RecommendationKind.JUDICIAL,
        number="（2026）黔2701司建1号",
        issuer=o["都匀法院"],
        recipient=o["都匀自然资源局"],
        issued_on=D(2026, 3, 10),
        document=pdf(),
        items=[ItemDraft("规范征收补偿程序"), ItemDraft("加强举证期限管理")],
        summary="征地补偿案件暴露的程序问题",
        by=u["court_duyun"],
        now=NOW,
    )
    opinion = register_recommendation(
        kind=RecommendationKind.RECONSIDERATION_OPINION,
        number="黔南复意〔2026〕3号",
        issuer=o["州司法局"],
        recipient=o["福泉公安局"],
        issued_on=D(2026, 3, 1),
        stated_due_on=D(2026, 3, 31),
        document=pdf("复议意见书.pdf"),
        items=[ItemDraft("纠正罚款裁量基准")],
        by=u["recon_pref"],
        now=NOW,
    )
    return Ledger(world, judicial, opinion, tmp_path / "recommendations")
