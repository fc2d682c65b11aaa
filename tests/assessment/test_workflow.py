"""The scheme as data: a year copies the previous one, its changes stay on its timeline, only the prefecture's office
edits it, and a manual item is refused without its evidence or outside 0–100, writing nothing."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from fuyuan.assessment.models import ManualEntry
from fuyuan.assessment.workflow import AssessmentError, adopt_scheme, create_scheme, enter_manual_item, update_indicator
from fuyuan.core.timeline import timeline
from tests.assessment.conftest import evidence, scheme_with
from tests.factories import World

pytestmark = pytest.mark.django_db


def test_a_year_copies_the_previous_schemes_weights_and_rules(world: World) -> None:
    office = world.users["rol_pref"]
    earlier = scheme_with(world, "loss_rate", "law_report", year=2025)
    update_indicator(earlier.indicators.get(code="loss_rate"), by=office, weight="25", floor="35")
    adopt_scheme(earlier, by=office)
    later = create_scheme(world.regions["黔南州"], 2026, by=office)
    assert later.copied_from == earlier
    assert [(i.code, i.weight, i.floor) for i in later.indicators.order_by("position")] == [
        ("loss_rate", Decimal("25.00"), Decimal("35.00")),
        ("law_report", Decimal("5.00"), Decimal("0.00")),
    ]
    update_indicator(later.indicators.get(code="loss_rate"), by=office, weight="30")
    assert earlier.indicators.get(code="loss_rate").weight == 25  # the scheme in use keeps what it was
    assert [e.summary for e in timeline(earlier)][-2:] == [
        "调整指标“败诉率”：分值 15.00 → 25.00，下限 30.00 → 35.00",
        "启用2025年度考核方案（总分值 30.00）",
    ]
    with pytest.raises(AssessmentError, match="2026年度的考核方案已经存在"):
        create_scheme(world.regions["黔南州"], 2026, by=office)


def test_only_the_prefectures_office_edits_the_scheme(world: World) -> None:
    scheme = scheme_with(world, "loss_rate")
    for persona in ("rol_duyun", "leader_pref", "agency_duyun"):
        with pytest.raises(AssessmentError, match="只有黔南州依法治办"):
            update_indicator(scheme.indicators.get(), by=world.users[persona], weight="1")
    assert scheme.indicators.get().weight == 15


def test_a_manual_item_without_evidence_or_out_of_range_writes_nothing(world: World, tmp_path, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path
    scheme = scheme_with(world, "inspection", "loss_rate")
    inspection = scheme.indicators.get(code="inspection")
    office, duyun = world.users["rol_pref"], world.regions["都匀市"]
    with pytest.raises(AssessmentError, match="请上传“佐证材料”"):
        enter_manual_item(inspection, by=office, value="80", note="督察发现问题已整改", evidence=None, region=duyun)
    with pytest.raises(AssessmentError, match=re.escape("“得分率”须在 0 至 100 之间（现为 120.00）")):
        enter_manual_item(inspection, by=office, value="120", note="督察", evidence=evidence(), region=duyun)
    with pytest.raises(AssessmentError, match="不是 PDF、Word 或图片文件"):
        enter_manual_item(inspection, by=office, value="80", note="督察", evidence=evidence("督察.exe"), region=duyun)
    with pytest.raises(AssessmentError, match="由系统依据记录计算，不能手工录入"):
        enter_manual_item(scheme.indicators.get(code="loss_rate"), by=office, value="80", note="x",
                          evidence=evidence(), region=duyun)  # fmt: skip
    with pytest.raises(AssessmentError, match="“安阳市”不是黔南州所辖的县"):
        enter_manual_item(inspection, by=office, value="80", note="x", evidence=evidence(),
                          region=world.regions["安阳市"])  # fmt: skip
    assert not ManualEntry.objects.exists()
    entry = enter_manual_item(inspection, by=office, value="80", note="督察", evidence=evidence(), region=duyun)
    entry = enter_manual_item(
        inspection, by=office, value="70", note="复查", evidence=evidence("复查.pdf"), region=duyun
    )
    assert (ManualEntry.objects.count(), entry.value, entry.note) == (1, Decimal("70.00"), "复查")
    assert [e.summary for e in timeline(scheme)][-1] == "录入都匀市的“法治督察”：80.00 → 70.00（附复查.pdf）"
