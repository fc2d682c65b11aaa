"""The 销账本 pages through the Django test client (SPEC §6.5)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from fuyuan.rectification.models import ItemState, Recommendation
from tests.factories import PASSWORD
from tests.rectification.conftest import Ledger, pdf


def client_for(ledger: Ledger, persona: str) -> Client:
    c = Client()
    assert c.login(username=persona, password=PASSWORD)
    return c


def test_the_ledger_lists_what_the_user_sees_with_counts(ledger: Ledger, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    c = client_for(ledger, "rol_pref")
    with django_assert_max_num_queries(12):
        page = c.get("/rectification/").content.decode()
    assert "（2026）黔2701司建1号" in page and "黔南复意〔2026〕3号" in page
    duyun = client_for(ledger, "court_duyun").get("/rectification/").content.decode()
    assert "（2026）黔2701司建1号" in duyun and "黔南复意〔2026〕3号" not in duyun


def test_the_ledger_filters_by_kind_state_and_agency(ledger: Ledger) -> None:
    c = client_for(ledger, "rol_pref")
    page = c.get("/rectification/?kind=reconsideration_opinion").content.decode()
    assert "黔南复意〔2026〕3号" in page and "（2026）黔2701司建1号" not in page
    assert "暂无建议书" in c.get("/rectification/?state=closed").content.decode()
    agency = ledger.world.orgs["都匀自然资源局"].pk
    page = c.get(f"/rectification/?agency={agency}").content.decode()
    assert "（2026）黔2701司建1号" in page and "黔南复意〔2026〕3号" not in page


def test_the_ledger_is_refused_to_roles_that_have_none(ledger: Ledger) -> None:
    for persona in ("centre", "coordinator", "discipline", "sysadmin"):
        assert client_for(ledger, persona).get("/rectification/").status_code == 403


def test_a_recommendation_not_in_scope_is_not_found(ledger: Ledger) -> None:
    c = client_for(ledger, "agency_duyun")
    assert c.get(f"/rectification/{ledger.opinion.pk}/").status_code == 404
    assert c.get(f"/rectification/{ledger.opinion.pk}/document/").status_code == 404
    assert c.get(f"/rectification/{ledger.judicial.pk}/").status_code == 200


def test_the_document_downloads_to_those_who_see_it(ledger: Ledger) -> None:
    response = client_for(ledger, "agency_duyun").get(f"/rectification/{ledger.judicial.pk}/document/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")  # type: ignore[attr-defined]


def test_the_court_registers_through_the_form_with_two_items(ledger: Ledger) -> None:
    o = ledger.world.orgs
    response = client_for(ledger, "court_duyun").post(
        "/rectification/new/",
        {
            "kind": "judicial",
            "number": "（2026）黔2701司建2号",
            "issuer": o["都匀法院"].pk,
            "recipient": o["都匀自然资源局"].pk,
            "issued_on": "2026-03-01",
            "document": pdf(),
            "item_text": ["一、完善程序", "二、加强培训"],
            "item_owner": ["", ""],
            "item_due": ["", "2026-04-30"],
        },
    )
    assert response.status_code == 302
    rec = Recommendation.objects.get(number="（2026）黔2701司建2号")
    assert [(i.text, str(i.due_on)) for i in rec.items.order_by("position")] == [
        ("一、完善程序", "2026-05-06"),
        ("二、加强培训", "2026-04-30"),
    ]


def test_a_bad_upload_on_the_form_shows_the_reason_and_keeps_the_items(ledger: Ledger) -> None:
    o = ledger.world.orgs
    response = client_for(ledger, "court_duyun").post(
        "/rectification/new/",
        {
            "kind": "judicial",
            "number": "（2026）黔2701司建3号",
            "issuer": o["都匀法院"].pk,
            "recipient": o["都匀自然资源局"].pk,
            "issued_on": "2026-03-01",
            "document": SimpleUploadedFile("建议书.exe", b"MZ"),
            "item_text": ["保留的事项"],
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "只接受 .pdf、.doc、.docx、.jpg、.png" in page and "保留的事项" in page
    assert not Recommendation.objects.filter(number="（2026）黔2701司建3号").exists()


@pytest.mark.parametrize("persona", ["agency_duyun", "leader_pref", "centre"])
def test_the_registration_form_is_refused_to_others(ledger: Ledger, persona: str) -> None:
    assert client_for(ledger, persona).get("/rectification/new/").status_code == 403


def test_report_verify_and_return_through_the_pages(ledger: Ledger) -> None:
    first, second = ledger.judicial.items.order_by("position")
    agency, court = client_for(ledger, "agency_duyun"), client_for(ledger, "court_duyun")
    page = agency.get(f"/rectification/{ledger.judicial.pk}/").content.decode()
    assert 'data-testid="report-item"' in page and 'data-testid="verify-item"' not in page
    assert court.post(f"/rectification/items/{first.pk}/report/", {f"r{first.pk}-text": "x"}).status_code == 403
    response = agency.post(f"/rectification/items/{first.pk}/report/", {f"r{first.pk}-text": ""})
    assert response.status_code == 400 and "请填写整改情况" in response.content.decode()
    for item in (first, second):
        agency.post(f"/rectification/items/{item.pk}/report/", {f"r{item.pk}-text": "已整改"})
    assert agency.post(f"/rectification/items/{first.pk}/verify/").status_code == 403
    court.post(f"/rectification/items/{second.pk}/return/", {f"b{second.pk}-note": "请补充材料"})
    court.post(f"/rectification/items/{first.pk}/verify/")
    second.refresh_from_db()
    assert second.state == ItemState.IN_PROGRESS
    page = agency.get(f"/rectification/{ledger.judicial.pk}/").content.decode()
    assert "退回意见：请补充材料" in page and "已销账" not in page
    agency.post(f"/rectification/items/{second.pk}/report/", {f"r{second.pk}-text": "已补充"})
    court.post(f"/rectification/items/{second.pk}/verify/", follow=True)
    page = court.get(f"/rectification/{ledger.judicial.pk}/").content.decode()
    assert 'data-testid="rec-state">已销账' in page
