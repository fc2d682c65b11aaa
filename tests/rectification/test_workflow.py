"""The rectification ledger's workflow (SPEC §6.5): every path, and the roles that must be refused."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fuyuan.core.models import Event
from fuyuan.core.timeline import timeline
from fuyuan.notifications.models import Channel, Notification
from fuyuan.rectification.models import Item, ItemState, Recommendation, RecommendationKind
from fuyuan.rectification.queries import overdue_items_count
from fuyuan.rectification.workflow import (
    ItemDraft,
    RectificationError,
    register_recommendation,
    report_item,
    return_item,
    verify_item,
)
from tests.factories import World, make_user
from tests.rectification.conftest import NOW, Ledger, pdf

D = datetime.date
LATER = NOW + datetime.timedelta(days=3)


def _register(world: World, by: str, **kw):  # type: ignore[no-untyped-def]
    o = world.orgs
    values = dict(
        kind=RecommendationKind.JUDICIAL,
        number="（2026）黔2701司建9号",
        issuer=o["都匀法院"],
        recipient=o["都匀自然资源局"],
        issued_on=D(2026, 3, 1),
        document=pdf(),
        items=[ItemDraft("整改一")],
        now=NOW,
    )
    values.update(kw)
    return register_recommendation(by=world.users[by], **values)


def inbox(user) -> list[str]:  # type: ignore[no-untyped-def]
    return list(Notification.objects.filter(recipient=user, channel=Channel.IN_APP).values_list("subject", flat=True))


def test_registration_splits_items_with_default_two_month_due_and_tells_the_agency(ledger: Ledger) -> None:
    rec = ledger.judicial
    items = list(rec.items.order_by("position"))
    assert [i.text for i in items] == ["规范征收补偿程序", "加强举证期限管理"]
    assert {i.owner.name for i in items} == {"都匀市自然资源局"}
    # 2026-03-10 + 2 months = 2026-05-10, a Sunday: the period ends on Monday 11 May.
    assert {i.due_on for i in items} == {D(2026, 5, 11)}
    assert all(i.state == ItemState.IN_PROGRESS for i in items)
    assert (ledger.files / rec.document.name).read_bytes().startswith(b"%PDF-")
    assert [e.summary for e in timeline(rec)] == ["登记司法建议书（（2026）黔2701司建1号），整改事项 2 项"]
    assert "【整改销账】收到建议书，请按期整改" in inbox(ledger.world.users["agency_duyun"])
    assert inbox(ledger.world.users["agency_fuquan"]) == ["【整改销账】收到建议书，请按期整改"]


def test_the_documents_own_period_is_used_when_it_states_one(ledger: Ledger) -> None:
    item = ledger.opinion.items.get()
    assert item.due_on == D(2026, 3, 31)
    assert item.due_rule == "文书规定的整改期限"


def test_default_due_date_moves_past_the_national_day_holiday(world: World, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path
    rec = _register(world, "court_duyun", issued_on=D(2026, 8, 1), now=NOW.replace(year=2026, month=9))
    item = rec.items.get()
    # 2026-08-01 + 2 months = 1 October, 国庆 holiday (1–7 Oct): the period ends on the first working day after.
    assert item.due_on == D(2026, 10, 8)
    assert "两个月" in item.due_rule or "2个月" in item.due_rule


def test_the_rule_of_law_office_registers_and_may_give_an_item_another_owner(world: World, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path
    o = world.orgs
    rec = _register(
        world,
        "rol_pref",
        items=[ItemDraft("一", due_on=D(2026, 4, 1)), ItemDraft("二", owner=o["福泉公安局"]), ItemDraft("  ")],
    )
    items = list(rec.items.order_by("position"))
    assert [(i.owner.name, i.due_on) for i in items] == [
        ("都匀市自然资源局", D(2026, 4, 1)),
        ("福泉市公安局", D(2026, 5, 6)),  # 1 May + … : 2026-05-01 is 劳动节, ends on the first working day
    ]


@pytest.mark.parametrize(
    "persona", ["agency_duyun", "recon_pref", "rol_duyun_for_fuquan", "leader_pref", "centre", "coordinator",
                "discipline", "sysadmin"]
)  # fmt: skip
def test_registration_by_anyone_else_is_refused_and_writes_nothing(
    world: World, settings, tmp_path, persona: str
) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path
    o = world.orgs
    kw = {}
    if persona == "rol_duyun_for_fuquan":
        persona, kw = "rol_duyun", {"recipient": o["福泉公安局"]}
    with pytest.raises(RectificationError, match="您无权"):
        _register(world, persona, **kw)
    assert not Recommendation.objects.exists()
    assert not (tmp_path / "recommendations").exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("建议书.txt", b"hello", "只接受 .pdf、.doc、.docx、.jpg、.png"),
        ("建议书.pdf", b"", "是空文件"),
        ("建议书.pdf", b"PK\x03\x04 not a pdf", "的内容不是 PDF"),
        ("建议书.png", b"%PDF-1.4", "的内容不是 PNG 图片"),
    ],
)
def test_a_bad_upload_is_refused_with_a_clear_reason_and_writes_nothing(
    world: World, settings, tmp_path, name: str, content: bytes, message: str
) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path
    with pytest.raises(RectificationError, match=message):
        _register(world, "court_duyun", document=SimpleUploadedFile(name, content))
    assert not Recommendation.objects.exists() and not Item.objects.exists() and not Event.objects.exists()
    assert not (tmp_path / "recommendations").exists()


def test_an_upload_over_20_mb_is_refused(world: World, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path
    big = SimpleUploadedFile("建议书.pdf", b"%PDF-" + b"0" * (20 * 1024 * 1024))
    with pytest.raises(RectificationError, match="超过 20 MB 的上限"):
        _register(world, "court_duyun", document=big)
    assert not Recommendation.objects.exists()


def test_missing_document_and_items_are_reported_together(world: World, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path
    with pytest.raises(RectificationError, match="请至少填写一项整改事项"):
        _register(world, "court_duyun", items=[ItemDraft(" ")])
    with pytest.raises(RectificationError, match="请选择要上传的建议书文书"):
        _register(world, "court_duyun", document=None)
    with pytest.raises(RectificationError, match="不能发出检察建议书"):
        _register(world, "court_duyun", kind=RecommendationKind.PROCURATORIAL)
    assert not Recommendation.objects.exists()


def test_the_same_number_of_the_same_issuer_is_not_registered_twice(ledger: Ledger) -> None:
    with pytest.raises(RectificationError, match="已经登记过"):
        _register(ledger.world, "court_duyun", number="（2026）黔2701司建1号")
    assert Recommendation.objects.count() == 2


def test_agency_reports_court_verifies_both_items_and_the_account_is_closed(ledger: Ledger) -> None:
    u = ledger.world.users
    first, second = ledger.judicial.items.order_by("position")
    report_item(first, text="已修订征收补偿工作规程", upload=pdf("规程.pdf"), by=u["agency_duyun"], now=LATER)
    assert first.state == ItemState.REPORTED and first.report_name == "规程.pdf"
    assert "【整改销账】整改情况待核验" in inbox(u["court_duyun"])
    verify_item(first, by=u["court_duyun"], now=LATER)
    ledger.judicial.refresh_from_db()
    assert not ledger.judicial.is_closed  # one item still open: no 销账
    report_item(second, text="建立举证期限台账", by=u["agency_duyun"], now=LATER)
    verify_item(second, by=u["court_duyun"], now=LATER)
    ledger.judicial.refresh_from_db()
    assert ledger.judicial.is_closed
    assert [e.action for e in timeline(ledger.judicial)] == [
        "registered", "item_reported", "item_verified", "item_reported", "item_verified", "closed",
    ]  # fmt: skip
    assert "【整改销账】已销账" in inbox(u["agency_duyun"])


def test_a_returned_item_goes_back_to_rectification_and_the_owner_is_told(ledger: Ledger) -> None:
    u = ledger.world.users
    item = ledger.opinion.items.get()
    report_item(item, text="已学习", by=u["agency_fuquan"], now=LATER)
    with pytest.raises(RectificationError, match="请写明"):
        return_item(item, note=" ", by=u["recon_pref"], now=LATER)
    return_item(item, note="请附修订后的裁量基准文本", by=u["rol_pref"], now=LATER)
    item.refresh_from_db()
    assert item.state == ItemState.IN_PROGRESS and item.return_note == "请附修订后的裁量基准文本"
    assert "【整改销账】整改情况被退回" in inbox(u["agency_fuquan"])
    report_item(item, text="已修订裁量基准", by=u["agency_fuquan"], now=LATER)
    verify_item(item, by=u["rol_pref"], now=LATER)
    ledger.opinion.refresh_from_db()
    assert ledger.opinion.is_closed
    assert "第1项重新报送整改情况" in [e.summary for e in timeline(ledger.opinion)]


@pytest.mark.parametrize("persona", ["court_duyun", "rol_duyun", "agency_fuquan", "leader_pref", "centre"])
def test_reporting_by_anyone_but_the_owner_agency_is_refused(ledger: Ledger, persona: str) -> None:
    item = ledger.judicial.items.first()
    assert item is not None
    with pytest.raises(RectificationError, match="您无权报送"):
        report_item(item, text="x", by=ledger.world.users[persona], now=LATER)
    item.refresh_from_db()
    assert item.state == ItemState.IN_PROGRESS


@pytest.mark.parametrize("persona", ["agency_duyun", "recon_pref", "rol_fuquan", "leader_pref", "discipline"])
def test_verifying_or_returning_by_anyone_but_the_issuer_or_the_office_is_refused(ledger: Ledger, persona: str) -> None:
    w = ledger.world
    users = dict(w.users, rol_fuquan=make_user("rol_fuquan", "rule_of_law_office", region=w.regions["福泉市"]))
    item = ledger.judicial.items.first()
    assert item is not None
    report_item(item, text="已整改", by=w.users["agency_duyun"], now=LATER)
    with pytest.raises(RectificationError, match="您无权核验"):
        verify_item(item, by=users[persona], now=LATER)
    with pytest.raises(RectificationError, match="您无权退回"):
        return_item(item, note="x", by=users[persona], now=LATER)
    item.refresh_from_db()
    assert item.state == ItemState.REPORTED


def test_an_item_cannot_be_verified_before_it_is_reported_nor_reported_twice(ledger: Ledger) -> None:
    u = ledger.world.users
    item = ledger.judicial.items.first()
    assert item is not None
    with pytest.raises(RectificationError, match="当前状态为“整改中”，不能核验销账"):
        verify_item(item, by=u["court_duyun"], now=LATER)
    report_item(item, text="已整改", by=u["agency_duyun"], now=LATER)
    with pytest.raises(RectificationError, match="不能报送整改情况"):
        report_item(item, text="again", by=u["agency_duyun"], now=LATER)


def test_an_item_is_overdue_only_while_being_rectified_past_its_due_date(ledger: Ledger) -> None:
    u = ledger.world.users
    after = D(2026, 4, 1)  # the opinion's item (due 31 March) is overdue; the judicial ones (11 May) are not
    assert overdue_items_count(u["rol_pref"], after) == 1
    assert overdue_items_count(u["agency_fuquan"], after) == 1
    assert overdue_items_count(u["agency_duyun"], after) == 0
    assert overdue_items_count(u["rol_pref"], D(2026, 3, 31)) == 0
    item = ledger.opinion.items.get()
    report_item(item, text="已整改", by=u["agency_fuquan"], now=LATER)
    assert overdue_items_count(u["rol_pref"], after) == 0
    assert overdue_items_count(u["rol_pref"], D(2026, 5, 12)) == 2
