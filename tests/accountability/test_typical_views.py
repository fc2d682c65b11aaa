"""The typical-case pages (典型案例, SPEC §6.3) through the Django test client: the office selects by 案号, edits,
reorders and issues; the agencies find it in their list and their opening or download is the receipt the office sees;
other roles are refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from fuyuan.accountability import typical
from fuyuan.accountability.models import CompilationState, Receipt
from tests.accountability.test_typical_workflow import Typical, fill, issued, make_typical_world
from tests.factories import PASSWORD, World, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def t(world: World, settings, tmp_path: Path) -> Typical:  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path
    return make_typical_world(world)


def client_for(username: str) -> Client:
    c = Client()
    assert c.login(username=username, password=PASSWORD)
    return c


def detail(t: Typical) -> str:
    return reverse("accountability:typical_detail", args=[t.compilation.pk])


def test_the_office_opens_a_quarter_from_the_list(t: Typical) -> None:
    c = client_for("rol_pref")
    response = c.post(reverse("accountability:typical_list"), {"year": 2026, "quarter": 3})
    assert response.status_code == 302
    page = c.get(response["Location"]).content.decode()
    assert "黔南州2026年第三季度行政诉讼典型案例汇编" in page and "草稿" in page


def test_a_county_office_is_not_offered_and_cannot_open_a_quarter(t: Typical) -> None:
    c = client_for("rol_duyun")
    page = c.get(reverse("accountability:typical_list")).content.decode()
    assert 'data-testid="open-compilation"' not in page
    assert c.post(reverse("accountability:typical_list"), {"year": 2026, "quarter": 3}).status_code == 403


def test_the_office_searches_by_case_number_selects_and_sees_the_prefilled_case(t: Typical) -> None:
    c = client_for("rol_pref")
    page = c.get(detail(t), {"q": "2701行初"}).content.decode()
    assert "（2026）黔2701行初45号" in page
    assert "（2026）黔2701行初77号" not in page  # not concluded
    response = c.post(reverse("accountability:typical_select", args=[t.compilation.pk]), {"case": t.loss.pk})
    assert response.status_code == 302
    page = c.get(detail(t)).content.decode()
    assert "张三诉都匀市自然资源局行政征收案" in page
    assert "未履行听证告知程序" in page


def test_selecting_a_case_outside_the_region_shows_the_reason_next_to_the_form(t: Typical) -> None:
    c = client_for("rol_pref")
    response = c.post(reverse("accountability:typical_select", args=[t.compilation.pk]), {"case": t.elsewhere.pk})
    assert response.status_code == 200
    assert "不是本地区已结案的一审行政诉讼案件" in response.content.decode()
    assert not t.compilation.typical_cases.exists()


def test_the_office_edits_reorders_and_issues_then_the_page_offers_the_download(t: Typical) -> None:
    pref = t.world.users["rol_pref"]
    first = typical.select_case(t.compilation, t.loss, by=pref)
    second = typical.select_case(t.compilation, t.won, by=pref)
    fill(second, pref)
    c = client_for("rol_pref")
    prefix = f"c{first.pk}"
    data = {
        f"{prefix}-title": "未公告补偿方案被撤销案",
        f"{prefix}-summary": "基本案情。",
        f"{prefix}-cause": "程序违法。",
        f"{prefix}-comment": "",
        f"{prefix}-lesson": "先公告，后征收。",
    }
    assert c.post(reverse("accountability:typical_edit", args=[first.pk]), data).status_code == 302
    c.post(reverse("accountability:typical_move", args=[second.pk]), {"direction": "up"})
    page = c.get(detail(t)).content.decode()
    assert page.index("1. 李四诉福泉市公安局行政案") < page.index("2. 未公告补偿方案被撤销案")
    assert c.post(reverse("accountability:typical_issue", args=[t.compilation.pk])).status_code == 302
    page = c.get(detail(t)).content.decode()
    assert "已印发" in page and 'data-testid="download"' in page
    assert 'data-testid="edit-form"' not in page and 'data-testid="issue"' not in page
    assert "已阅 0/3" in page
    response = c.get(reverse("accountability:typical_download", args=[t.compilation.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content)[:2] == b"PK"


def test_an_edit_with_an_empty_title_is_shown_back_with_the_reason(t: Typical) -> None:
    item = typical.select_case(t.compilation, t.loss, by=t.world.users["rol_pref"])
    c = client_for("rol_pref")
    response = c.post(reverse("accountability:typical_edit", args=[item.pk]), {f"c{item.pk}-title": ""})
    assert response.status_code == 200
    assert "请填写标题" in response.content.decode()
    item.refresh_from_db()
    assert item.title == "张三诉都匀市自然资源局行政征收案"


def test_issuing_an_unfinished_compilation_shows_the_missing_cases(t: Typical) -> None:
    typical.select_case(t.compilation, t.won, by=t.world.users["rol_pref"])
    response = client_for("rol_pref").post(reverse("accountability:typical_issue", args=[t.compilation.pk]))
    assert "尚未填写：（2026）黔2702行初8号" in response.content.decode()
    t.compilation.refresh_from_db()
    assert t.compilation.state == CompilationState.DRAFT


def test_a_draft_cannot_be_downloaded(t: Typical) -> None:
    c = client_for("rol_pref")
    assert c.get(reverse("accountability:typical_download", args=[t.compilation.pk])).status_code == 404


def test_an_agency_finds_the_issued_compilation_unread_and_opening_it_is_the_receipt(t: Typical) -> None:
    compilation = issued(t)
    c = client_for("agency_duyun")
    listing = c.get(reverse("accountability:typical_list")).content.decode()
    assert "2026年第一季度行政诉讼典型案例汇编" in listing and "未读" in listing
    page = c.get(detail(t)).content.decode()
    assert 'data-testid="receipts"' not in page and 'data-testid="edit-form"' not in page
    assert "已阅" in c.get(reverse("accountability:typical_list")).content.decode()
    office = client_for("rol_pref").get(detail(t)).content.decode()
    assert "已阅 1/3" in office
    receipt = Receipt.objects.get(compilation=compilation, organisation=t.world.orgs["都匀自然资源局"])
    assert receipt.first_read_by == t.world.users["agency_duyun"]


def test_a_download_by_an_agency_is_its_receipt(t: Typical) -> None:
    compilation = issued(t)
    client_for("agency_fuquan").get(reverse("accountability:typical_download", args=[compilation.pk]))
    receipt = Receipt.objects.get(compilation=compilation, organisation=t.world.orgs["福泉公安局"])
    assert receipt.first_read_at is not None


def test_an_agency_does_not_see_a_draft(t: Typical) -> None:
    assert client_for("agency_duyun").get(detail(t)).status_code == 404


@pytest.mark.parametrize("persona", ["court_duyun", "centre", "coordinator", "discipline", "sysadmin"])
def test_roles_without_compilations_are_refused_the_list_and_do_not_see_a_compilation(t: Typical, persona: str) -> None:
    issued(t)
    c = client_for(persona)
    assert c.get(reverse("accountability:typical_list")).status_code == 403
    assert c.get(detail(t)).status_code == 404


@pytest.mark.parametrize("persona", ["rol_duyun", "leader_pref", "agency_duyun"])
def test_readers_are_refused_every_change(t: Typical, persona: str) -> None:
    pref = t.world.users["rol_pref"]
    item = typical.select_case(t.compilation, t.loss, by=pref)
    fill(item, pref)
    typical.issue_compilation(t.compilation, by=pref)
    c = client_for(persona)
    select = reverse("accountability:typical_select", args=[t.compilation.pk])
    assert c.post(select, {"case": t.won.pk}).status_code == 403
    assert c.post(reverse("accountability:typical_edit", args=[item.pk]), {f"c{item.pk}-title": "x"}).status_code == 403
    assert c.post(reverse("accountability:typical_remove", args=[item.pk])).status_code == 403
    assert c.post(reverse("accountability:typical_issue", args=[t.compilation.pk])).status_code == 403
    item.refresh_from_db()
    assert item.title != "x"


def test_after_issue_the_office_change_is_refused_with_the_reason(t: Typical) -> None:
    issued(t)
    item = t.compilation.typical_cases.first()
    assert item is not None
    response = client_for("rol_pref").post(reverse("accountability:typical_remove", args=[item.pk]))
    assert "已印发，不能移除案例" in response.content.decode()
    assert t.compilation.typical_cases.count() == 2


def test_the_list_and_the_page_take_a_bounded_number_of_queries(t: Typical, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    pref = t.world.users["rol_pref"]
    for i in range(8):
        case = make_case(
            number=f"（2026）黔2701行初{200 + i}号",
            defendant=t.world.orgs["都匀自然资源局"],
            concluded_on=t.loss.concluded_on,
            outcome=t.loss.outcome,
        )
        fill(typical.select_case(t.compilation, case, by=pref), pref)
    typical.issue_compilation(t.compilation, by=pref)
    for q in (2, 3, 4):
        typical.open_compilation(t.world.regions["黔南州"], year=2026, quarter=q, by=pref)
    c = client_for("rol_pref")
    with django_assert_max_num_queries(12):
        assert c.get(reverse("accountability:typical_list")).status_code == 200
    with django_assert_max_num_queries(16):
        assert c.get(detail(t)).status_code == 200
