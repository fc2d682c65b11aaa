"""The bulletin pages (``documents:bulletins``, ``documents:bulletin``, ``documents:bulletin_xlsx``): the 依法治办
and the leaders download the 通报 of a region they see under its Chinese name; other roles are refused; a period
that cannot be read or a region out of reach gives the form back with the reason."""

from __future__ import annotations

import io
from urllib.parse import quote

from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.documents.bulletin_data import november_2026
from tests.documents.conftest import read_docx, texts
from tests.factories import PASSWORD, World


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def test_the_office_downloads_the_bulletin_of_its_region_under_its_chinese_name(world: World) -> None:
    november_2026(world)

    response = _client("rol_pref").get(reverse("documents:bulletin"), {"period": "2026-11", "number": "7"})

    assert response.status_code == 200
    name = quote("黔南州2026年11月行政复议和行政诉讼案件情况通报.docx")
    assert f"filename*=UTF-8''{name}" in response["Content-Disposition"]
    lines = texts(read_docx(response.content))
    assert "〔2026〕7号" in lines and "关于2026年11月全州行政复议和行政诉讼案件情况的通报" in lines


def test_a_county_bulletin_counts_only_that_county(world: World) -> None:
    november_2026(world)

    response = _client("leader_pref").get(
        reverse("documents:bulletin_xlsx"), {"period": "2026-11", "region": world.regions["福泉市"].pk}
    )

    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content))["分县统计"].iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == ["福泉市", "合计"]
    assert rows[-1][7] == 2  # 福泉市's two losses, nothing of 都匀市


def test_the_form_offers_the_users_region_and_last_month(world: World) -> None:
    html = _client("rol_duyun").get(reverse("documents:bulletins")).content.decode()

    assert "都匀市" in html and "黔南州" not in html.split("<main")[1]
    assert 'name="period"' in html and "下载通报（Word）" in html


def test_other_roles_cannot_open_the_form_or_download(world: World) -> None:
    for username in ("agency_duyun", "court_duyun", "centre", "coordinator", "sysadmin"):
        client = _client(username)
        assert client.get(reverse("documents:bulletins")).status_code == 403, username
        assert client.get(reverse("documents:bulletin"), {"period": "2026-11"}).status_code == 403, username


def test_an_unreadable_period_or_a_region_out_of_reach_gives_the_form_back_with_the_reason(world: World) -> None:
    client = _client("rol_duyun")

    bad_period = client.get(reverse("documents:bulletin"), {"period": "2026年11月"})
    other_region = client.get(
        reverse("documents:bulletin"), {"period": "2026-11", "region": world.regions["黔南州"].pk}
    )

    assert bad_period.status_code == 400 and "月度请填写如 2026-11" in bad_period.content.decode()
    assert other_region.status_code == 400 and "地区" in other_region.content.decode()
