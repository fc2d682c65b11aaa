"""A county over the threshold and one exactly at it, on 18 March 2026 (window: 2026 to date).

- 都匀市: 10 first-instance cases concluded, 4 lost (40.00%): gets a duty; its 人民政府 has a liaison ``gov_duyun``.
- 福泉市: 10 concluded, 3 lost (30.00%, exactly the threshold): gets none; no 人民政府 registered.
- 黔南州本级 (州人社局): 2 concluded, 2 lost: a prefecture's own row, not a county's — gets none.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fuyuan.cases.choices import LitigationOutcome
from fuyuan.core.models import Organisation, Role, User
from tests.factories import World, make_case, make_org, make_user

D = datetime.date
NOW = timezone.make_aware(datetime.datetime(2026, 3, 18, 10, 0))
FEB_10 = D(2026, 2, 10)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def pdf(name: str = "都匀市2026年书面报告.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def conclude(defendant: Organisation, lost: int, total: int, day: datetime.date = FEB_10) -> None:
    for i in range(total):
        outcome = LitigationOutcome.REVOKED if i < lost else LitigationOutcome.CLAIM_DISMISSED
        make_case(defendant=defendant, filed_on=D(2025, 9, 1), concluded_on=day, outcome=outcome)


@dataclass
class Setup:
    world: World
    government: Organisation
    gov_duyun: User
    rol_fuquan: User
    reports: Path

    def user(self, name: str) -> User:
        return {"gov_duyun": self.gov_duyun, "rol_fuquan": self.rol_fuquan}.get(name) or self.world.users[name]


@pytest.fixture
def setup(world: World, settings, tmp_path: Path) -> Setup:  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path
    settings.FUYUAN_LOSS_THRESHOLD = "30"
    settings.FUYUAN_LOSS_WINDOW = "year"
    settings.FUYUAN_REPORT_DUE_DAYS = 30
    o, r = world.orgs, world.regions
    government = make_org("都匀市人民政府", r["都匀市"])
    gov_duyun = make_user("gov_duyun", Role.AGENCY_LIAISON, org=government)
    rol_fuquan = make_user("rol_fuquan", Role.RULE_OF_LAW_OFFICE, region=r["福泉市"])
    conclude(o["都匀自然资源局"], lost=4, total=10)
    conclude(o["福泉公安局"], lost=3, total=10)
    conclude(o["州人社局"], lost=2, total=2)
    # Outside the window: a 2025 loss of 福泉 does not count for 2026.
    conclude(o["福泉公安局"], lost=5, total=5, day=D(2025, 12, 30))
    return Setup(world, government, gov_duyun, rol_fuquan, tmp_path / "reports")
