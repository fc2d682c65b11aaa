"""The assessment pages through the test client: the ranking's query bound, the records behind a value, the scheme's
changes as Events, the manual items with their evidence, the .docx and the .xlsx."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from fuyuan.assessment.models import ManualEntry
from fuyuan.core.models import RegionLevel
from fuyuan.core.timeline import timeline
from tests.assessment.conftest import YEAR, evidence, lawsuits, rectification_item, scheme_with
from tests.factories import PASSWORD, World, make_org, make_region

pytestmark = pytest.mark.django_db


def client_of(world: World, name: str) -> Client:
    client = Client()
    assert client.login(username=world.users[name].username, password=PASSWORD)
    return client


def test_the_ranking_costs_the_same_queries_however_many_counties(world: World, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    lawsuits(world.orgs["都匀自然资源局"], lost=1, won=1, appeared=1)
    scheme = scheme_with(world)
    client = client_of(world, "rol_pref")
    url = reverse("assessment:ranking", args=[scheme.pk])
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(5):
        county = make_region(f"测试{n}县", RegionLevel.COUNTY, world.regions["黔南州"])
        lawsuits(make_org(f"测试{n}县公安局", county), lost=1, won=2, appeared=2)
        rectification_item(world, make_org(f"测试{n}县林业局", county), due=scheme.window[1], on_time=True)
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert response.content.decode().count('data-testid="rank-row"') == 7 + 2  # 7 counties, 2 departments


def test_the_ranking_says_which_records_are_missing_and_links_each_value(world: World, absent_module: str) -> None:
    lawsuits(world.orgs["都匀自然资源局"], lost=1, won=3, appeared=4)
    scheme = scheme_with(world, "loss_rate", absent_module, "rectification_on_time")
    page = client_of(world, "rol_pref").get(reverse("assessment:ranking", args=[scheme.pk])).content.decode()
    assert 'data-testid="missing-absent_records"' in page
    assert "缺少记录：平台尚未接入某未建模块的记录，“未接入指标”本年度不计分" in page
    # The 败诉率 of 都匀 links to the figures module's drill-down of its concluded cases.
    duyun = world.regions["都匀市"].pk
    assert f"/cases/?figure=litigation.concluded&amp;from={YEAR}-01-01&amp;to={YEAR}-12-31&amp;county={duyun}" in page


def test_the_records_behind_a_value_are_the_ones_counted(world: World) -> None:
    owner = world.orgs["都匀自然资源局"]
    rectification_item(world, owner, due=scheme_window_day(), on_time=True)
    rectification_item(world, owner, due=scheme_window_day(), on_time=False)
    rectification_item(world, world.orgs["福泉公安局"], due=scheme_window_day(), on_time=True)
    scheme = scheme_with(world, "rectification_on_time")
    url = (
        reverse("assessment:records", args=[scheme.pk, "rectification_on_time"])
        + f"?county={world.regions['都匀市'].pk}"
    )
    page = client_of(world, "rol_pref").get(url).content.decode()
    assert page.count('data-testid="record-row"') == 2
    assert "本年度计入 2 件，其中按期销账 1 件" in page
    # 都匀's own office sees its county's records; not 福泉's.
    office = client_of(world, "rol_duyun")
    assert office.get(url).status_code == 200
    assert office.get(url.replace(str(world.regions["都匀市"].pk), str(world.regions["福泉市"].pk))).status_code == 404


def scheme_window_day():  # type: ignore[no-untyped-def]
    import datetime

    return datetime.date(YEAR, 6, 30)


def test_a_changed_weight_is_on_the_schemes_timeline_and_a_bad_rule_writes_nothing(world: World) -> None:
    scheme = scheme_with(world, "loss_rate")
    indicator = scheme.indicators.get()
    client = client_of(world, "rol_pref")
    url = reverse("assessment:scheme", args=[scheme.pk])
    form = {"action": "update", "indicator": indicator.pk, "rule": "linear", "floor": "30", "target": "10",
            "lower_is_better": "on"}  # fmt: skip
    client.post(url, {**form, "weight": "20"})
    client.post(url, {**form, "weight": "20", "floor": "5"})  # lower is better, yet the floor is under the target
    indicator.refresh_from_db()
    assert (indicator.weight, indicator.floor) == (20, 30)
    summaries = [e.summary for e in timeline(scheme)]
    assert summaries[-1] == "调整指标“败诉率”：分值 15.00 → 20.00"
    page = client.get(url).content.decode()
    assert "调整指标“败诉率”：分值 15.00 → 20.00" in page
    # Only the prefecture's office edits: a county office's post is refused and changes nothing.
    assert client_of(world, "rol_duyun").post(url, {**form, "weight": "1"}).status_code == 403


def test_a_manual_item_needs_its_evidence_and_links_to_it(world: World, tmp_path, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path
    scheme = scheme_with(world, "law_report")
    indicator = scheme.indicators.get()
    client = client_of(world, "rol_pref")
    unit = f"county:{world.regions['都匀市'].pk}"
    url = reverse("assessment:manual", args=[scheme.pk])
    client.post(url, {"indicator": indicator.pk, "unit": unit, "value": "85", "note": "述法评议良好"})
    assert not ManualEntry.objects.exists()
    client.post(url, {"indicator": indicator.pk, "unit": unit, "value": "85", "note": "述法评议良好",
                      "evidence": evidence()})  # fmt: skip
    entry = ManualEntry.objects.get()
    assert (entry.value, entry.entered_by, entry.evidence_name) == (85, world.users["rol_pref"], "述法评议结果.pdf")
    page = client.get(reverse("assessment:ranking", args=[scheme.pk])).content.decode()
    assert reverse("assessment:evidence", args=[entry.pk]) in page
    assert client.get(reverse("assessment:evidence", args=[entry.pk])).status_code == 200
    # 福泉's office does not see 都匀's evidence.
    fuquan = world.users["rol_duyun"]
    fuquan.region = world.regions["福泉市"]
    fuquan.save()
    assert client_of(world, "rol_duyun").get(reverse("assessment:evidence", args=[entry.pk])).status_code == 404


def test_the_report_and_the_workbook_hold_the_ranking(world: World, absent_module: str) -> None:
    lawsuits(world.orgs["都匀自然资源局"], lost=2, won=2, appeared=3)
    lawsuits(world.orgs["福泉公安局"], lost=1, won=4, appeared=2)
    scheme = scheme_with(world, "loss_rate", "appearance_rate", absent_module)
    client = client_of(world, "rol_pref")
    docx = client.get(reverse("assessment:docx", args=[scheme.pk]))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    from docx import Document

    text = "\n".join(
        cell.text for table in Document(io.BytesIO(docx.content)).tables for row in table.rows for cell in row.cells
    )
    assert "福泉市" in text and "30.00" in text and "未接入指标" in text
    xlsx = client.get(reverse("assessment:xlsx", args=[scheme.pk]))
    book = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))  # type: ignore[attr-defined]
    rows = list(book["县(市、区)"].iter_rows(values_only=True))
    assert rows[1][:3] == (1, "福泉市", 30) and rows[2][:3] == (2, "都匀市", 15)
    assert rows[1][-2] == "缺少记录"
    # A county office downloads neither: they show every county.
    assert client_of(world, "rol_duyun").get(reverse("assessment:docx", args=[scheme.pk])).status_code == 403
