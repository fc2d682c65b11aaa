"""典型案例 (以案释法, SPEC §6.3): the prefecture's 依法治办 selects, edits, orders and issues a quarter's compilation;
the agencies of its region read it, once each; nobody else changes it, and nothing changes after issue."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from docx import Document

from fuyuan.accountability import typical
from fuyuan.accountability.models import Compilation, CompilationState, LossReview, Receipt, TypicalCase
from fuyuan.cases.choices import Instance, LitigationOutcome
from fuyuan.cases.models import Case
from fuyuan.core.models import Event, Role
from fuyuan.notifications.models import Notification
from tests.factories import World, make_case, make_org, make_user

NOW = timezone.make_aware(datetime.datetime(2026, 4, 8, 10, 0))


@dataclass
class Typical:
    world: World
    compilation: Compilation
    loss: Case  # 都匀市自然资源局 lost; its loss review has the analysis and the court's 点评
    won: Case  # 福泉市公安局 won
    appeal: Case  # second instance: not selectable
    open_case: Case  # not concluded: not selectable
    elsewhere: Case  # another prefecture's loss: not selectable


def make_typical_world(world: World) -> Typical:
    o, r = world.orgs, world.regions
    loss = make_case(
        number="（2026）黔2701行初45号",
        defendant=o["都匀自然资源局"],
        court=o["都匀法院"],
        plaintiffs="张三",
        cause="行政征收",
        concluded_on=datetime.date(2026, 2, 10),
        outcome=LitigationOutcome.REVOKED,
    )
    LossReview.objects.create(
        case=loss,
        agency=o["都匀自然资源局"],
        court=o["都匀法院"],
        outcome=loss.outcome,
        opened_at=NOW,
        causes=["procedure", "facts"],
        analysis="征收决定作出前未依法公告补偿方案。",
        comment_procedure="未履行听证告知程序。",
        comment_appearance="负责人出庭并发言，值得肯定。",
    )
    won = make_case(
        number="（2026）黔2702行初8号",
        defendant=o["福泉公安局"],
        court=o["福泉法院"],
        plaintiffs="李四",
        concluded_on=datetime.date(2026, 3, 2),
        outcome=LitigationOutcome.CLAIM_DISMISSED,
    )
    appeal = make_case(
        number="（2026）黔27行终3号",
        instance=Instance.SECOND,
        defendant=o["都匀自然资源局"],
        court=o["州中院"],
        concluded_on=datetime.date(2026, 3, 5),
        outcome=LitigationOutcome.REVOKED,
    )
    open_case = make_case(number="（2026）黔2701行初77号", defendant=o["都匀自然资源局"], court=o["都匀法院"])
    anyang_agency = make_org("安阳市住建局", r["安阳市"])
    elsewhere = make_case(
        number="（2026）黔2799行初1号",
        defendant=anyang_agency,
        concluded_on=datetime.date(2026, 2, 1),
        outcome=LitigationOutcome.REVOKED,
    )
    compilation = typical.open_compilation(r["黔南州"], year=2026, quarter=1, by=world.users["rol_pref"], now=NOW)
    return Typical(world, compilation, loss, won, appeal, open_case, elsewhere)


@pytest.fixture
def t(world: World, settings, tmp_path: Path) -> Typical:  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path
    return make_typical_world(world)


def fill(item: TypicalCase, by, **changes: str) -> TypicalCase:  # type: ignore[no-untyped-def]
    values = {f: getattr(item, f) for f in ("title", "summary", "cause", "comment", "lesson")}
    values.setdefault("lesson", "")
    values.update(changes)
    if not values["lesson"]:
        values["lesson"] = "依法履行程序是行政行为合法的前提。"
    if not values["cause"]:
        values["cause"] = "争议焦点在于处罚程序是否合法。"
    return typical.edit_case(item, by=by, **values)


def issued(t: Typical) -> Compilation:
    pref = t.world.users["rol_pref"]
    fill(typical.select_case(t.compilation, t.loss, by=pref), pref)
    fill(typical.select_case(t.compilation, t.won, by=pref), pref)
    return typical.issue_compilation(t.compilation, by=pref, now=NOW)


def read_back(compilation: Compilation) -> list[str]:
    with compilation.document.open("rb") as f:
        return [p.text for p in Document(io.BytesIO(f.read())).paragraphs]


# ---------------------------------------------------------------------------------------------------------------
# Selecting and editing


def test_a_selected_loss_is_prefilled_with_the_agency_analysis_and_the_court_comment(t: Typical) -> None:
    item = typical.select_case(t.compilation, t.loss, by=t.world.users["rol_pref"])
    assert item.position == 1
    assert item.title == "张三诉都匀市自然资源局行政征收案"
    assert "（2026）黔2701行初45号" in item.summary and "撤销" in item.summary
    assert item.cause.startswith("败诉原因：程序违法、事实不清/证据不足。")
    assert "未依法公告补偿方案" in item.cause
    assert item.comment == "程序：未履行听证告知程序。\n出庭应诉：负责人出庭并发言，值得肯定。"
    assert Event.objects.filter(object_id=t.compilation.pk, action="case_selected").count() == 1


def test_a_won_case_may_be_chosen_too_with_nothing_to_prefill_from_a_review(t: Typical) -> None:
    item = typical.select_case(t.compilation, t.won, by=t.world.users["rol_pref"])
    assert item.cause == "" and item.comment == ""
    assert item.title == "李四诉福泉市公安局行政案"


@pytest.mark.parametrize("which", ["appeal", "open_case", "elsewhere"])
def test_only_concluded_first_instance_cases_of_the_region_can_be_selected(t: Typical, which: str) -> None:
    case = getattr(t, which)
    with pytest.raises(typical.TypicalCaseError, match="不是本地区已结案的一审行政诉讼案件"):
        typical.select_case(t.compilation, case, by=t.world.users["rol_pref"])
    assert not TypicalCase.objects.exists()


def test_a_case_is_selected_once_per_compilation(t: Typical) -> None:
    pref = t.world.users["rol_pref"]
    typical.select_case(t.compilation, t.loss, by=pref)
    with pytest.raises(typical.TypicalCaseError, match="已在本期汇编中"):
        typical.select_case(t.compilation, t.loss, by=pref)


def test_the_search_by_case_number_finds_the_region_concluded_first_instance_cases_not_yet_chosen(
    t: Typical,
) -> None:
    assert set(typical.selectable_cases(t.compilation, "行初")) == {t.loss, t.won}
    assert list(typical.selectable_cases(t.compilation, "2702")) == [t.won]
    typical.select_case(t.compilation, t.won, by=t.world.users["rol_pref"])
    assert list(typical.selectable_cases(t.compilation, "行初")) == [t.loss]


def test_editing_changes_the_text_and_an_empty_title_is_refused(t: Typical) -> None:
    pref = t.world.users["rol_pref"]
    item = typical.select_case(t.compilation, t.loss, by=pref)
    fill(item, pref, title="征收补偿方案未公告被撤销案", lesson="征收前必须公告补偿方案。")
    item.refresh_from_db()
    assert (item.title, item.lesson) == ("征收补偿方案未公告被撤销案", "征收前必须公告补偿方案。")
    with pytest.raises(typical.TypicalCaseError, match="请填写案例标题"):
        fill(item, pref, title="  ")


def test_cases_are_reordered_and_removed_keeping_positions_consecutive(t: Typical) -> None:
    pref = t.world.users["rol_pref"]
    first = typical.select_case(t.compilation, t.loss, by=pref)
    second = typical.select_case(t.compilation, t.won, by=pref)
    typical.move_case(second, up=True, by=pref)
    assert list(t.compilation.typical_cases.order_by("position").values_list("case_id", flat=True)) == [
        t.won.pk,
        t.loss.pk,
    ]
    typical.move_case(second, up=True, by=pref)  # already at the top: nothing changes
    typical.remove_case(second, by=pref)
    first.refresh_from_db()
    assert first.position == 1 and t.compilation.typical_cases.count() == 1


def test_the_quarter_of_a_region_has_one_compilation(t: Typical) -> None:
    again = typical.open_compilation(
        t.world.regions["黔南州"], year=2026, quarter=1, by=t.world.users["rol_pref"], now=NOW
    )
    assert again.pk == t.compilation.pk and Compilation.objects.count() == 1
    with pytest.raises(typical.TypicalCaseError, match="季度应为1至4"):
        typical.open_compilation(t.world.regions["黔南州"], year=2026, quarter=5, by=t.world.users["rol_pref"])


# ---------------------------------------------------------------------------------------------------------------
# Rights


@pytest.mark.parametrize(
    "persona", ["rol_duyun", "leader_pref", "agency_duyun", "court_duyun", "centre", "discipline", "sysadmin"]
)
def test_only_the_prefecture_office_selects_edits_and_issues(t: Typical, persona: str) -> None:
    pref, user = t.world.users["rol_pref"], t.world.users[persona]
    item = typical.select_case(t.compilation, t.loss, by=pref)
    fill(item, pref)
    with pytest.raises(PermissionDenied):
        typical.open_compilation(t.world.regions["黔南州"], year=2026, quarter=2, by=user)
    with pytest.raises(PermissionDenied):
        typical.select_case(t.compilation, t.won, by=user)
    with pytest.raises(PermissionDenied):
        fill(item, user, title="改")
    with pytest.raises(PermissionDenied):
        typical.move_case(item, up=False, by=user)
    with pytest.raises(PermissionDenied):
        typical.remove_case(item, by=user)
    with pytest.raises(PermissionDenied):
        typical.issue_compilation(t.compilation, by=user)
    t.compilation.refresh_from_db()
    assert t.compilation.state == CompilationState.DRAFT and t.compilation.typical_cases.count() == 1


def test_another_prefecture_office_cannot_touch_this_one(t: Typical) -> None:
    other = make_user("rol_anyang", Role.RULE_OF_LAW_OFFICE, region=t.world.regions["安阳市"])
    with pytest.raises(PermissionDenied):
        typical.select_case(t.compilation, t.loss, by=other)


# ---------------------------------------------------------------------------------------------------------------
# Issue, distribution and receipts


def test_an_empty_or_unfinished_compilation_is_not_issued(t: Typical) -> None:
    pref = t.world.users["rol_pref"]
    with pytest.raises(typical.TypicalCaseError, match="还没有案例"):
        typical.issue_compilation(t.compilation, by=pref)
    typical.select_case(t.compilation, t.won, by=pref)
    with pytest.raises(typical.TypicalCaseError, match="（2026）黔2702行初8号"):
        typical.issue_compilation(t.compilation, by=pref)
    t.compilation.refresh_from_db()
    assert t.compilation.state == CompilationState.DRAFT and not t.compilation.document


def test_issuing_stores_the_docx_distributes_to_every_agency_and_notifies_their_liaisons(t: Typical) -> None:
    compilation = issued(t)
    compilation.refresh_from_db()
    assert compilation.state == CompilationState.ISSUED and compilation.issued_at == NOW
    assert compilation.document.name.endswith(".docx")
    assert Path(compilation.document.path).is_file()
    assert Path(compilation.document.path).is_relative_to((Path(settings.DATA_DIR) / "compilations").resolve())
    agencies = set(Receipt.objects.filter(compilation=compilation).values_list("organisation__name", flat=True))
    assert agencies == {"都匀市自然资源局", "福泉市公安局", "黔南州人力资源和社会保障局"}
    notes = Notification.objects.filter(link=typical.link(compilation))
    assert {n.recipient.username for n in notes} == {"agency_duyun", "agency_fuquan"}
    assert all(n.subject == "【以案释法】2026年第一季度行政诉讼典型案例汇编已印发" for n in notes)
    assert (
        Event.objects.filter(object_id=compilation.pk, action="issued")
        .get()
        .summary.endswith("共2个案例，分送3个行政机关")
    )


def test_the_docx_reads_back_with_title_contents_sections_and_order(t: Typical) -> None:
    pref = t.world.users["rol_pref"]
    loss = typical.select_case(t.compilation, t.loss, by=pref)
    won = typical.select_case(t.compilation, t.won, by=pref)
    fill(loss, pref, title="未公告补偿方案被撤销案", lesson="征收前必须公告补偿方案。")
    fill(won, pref, title="处罚程序合法获支持案")
    typical.move_case(won, up=True, by=pref)
    compilation = typical.issue_compilation(t.compilation, by=pref, now=NOW)
    text = read_back(compilation)
    assert text[0] == "2026年第一季度行政诉讼典型案例汇编"
    assert "目　录" in text
    # The contents, then the cases, both in the chosen order.
    contents = [p for p in text if p.endswith("案") and p.startswith(("一、", "二、"))]
    assert contents == ["一、处罚程序合法获支持案", "二、未公告补偿方案被撤销案"] * 2
    first, second = (
        text.index("一、处罚程序合法获支持案", text.index("目　录") + 3),
        text.index("二、未公告补偿方案被撤销案", text.index("目　录") + 3),
    )
    won_part, loss_part = text[first:second], text[second:]
    assert [p[: p.index("】") + 1] for p in won_part if p.startswith("【")] == [
        "【基本案情】",
        "【争议焦点】",
        "【法院点评】",
        "【启示】",
    ]
    assert "【法院点评】（法院未作点评）" in won_part
    assert [p[: p.index("】") + 1] for p in loss_part if p.startswith("【")] == [
        "【基本案情】",
        "【败诉原因】",
        "【法院点评】",
        "【启示】",
    ]
    assert "【败诉原因】败诉原因：程序违法、事实不清/证据不足。" in loss_part
    assert "征收决定作出前未依法公告补偿方案。" in loss_part
    assert "【启示】征收前必须公告补偿方案。" in loss_part
    assert "黔南州依法治办" in text and "2026年4月8日" in text


def test_the_docx_uses_the_official_faces(t: Typical) -> None:
    compilation = issued(t)
    with compilation.document.open("rb") as f:
        paragraphs = Document(io.BytesIO(f.read())).paragraphs
    heading = next(p for p in paragraphs if p.text.startswith("一、") and p.runs[0].font.name == "黑体")
    body = next(p for p in paragraphs if p.text.startswith("【基本案情】"))
    assert heading.runs[0].font.size.pt == 16
    assert body.runs[1].font.name == "仿宋_GB2312" and body.runs[1].font.size.pt == 16
    assert paragraphs[0].runs[0].font.size.pt == 22


def test_what_was_sent_stays_what_was_sent_and_edits_after_issue_are_refused(t: Typical) -> None:
    compilation = issued(t)
    pref = t.world.users["rol_pref"]
    before = read_back(compilation)
    item = compilation.typical_cases.first()
    assert item is not None
    with pytest.raises(typical.TypicalCaseError, match="已印发，不能修改案例"):
        fill(item, pref, title="改过的标题")
    with pytest.raises(typical.TypicalCaseError, match="已印发，不能增加案例"):
        typical.select_case(compilation, t.loss, by=pref)
    with pytest.raises(typical.TypicalCaseError, match="已印发，不能移除案例"):
        typical.remove_case(item, by=pref)
    with pytest.raises(typical.TypicalCaseError, match="已印发，不能调整顺序"):
        typical.move_case(item, up=False, by=pref)
    with pytest.raises(typical.TypicalCaseError, match="已印发，不能再次印发"):
        typical.issue_compilation(compilation, by=pref)
    compilation.refresh_from_db()
    assert read_back(compilation) == before


def test_an_agency_receipt_is_written_once_by_its_first_reader(t: Typical) -> None:
    compilation = issued(t)
    o = t.world.orgs
    colleague = make_user("agency_duyun2", Role.AGENCY_LIAISON, org=o["都匀自然资源局"])
    first = timezone.make_aware(datetime.datetime(2026, 4, 9, 9, 0))
    assert typical.record_read(compilation, by=t.world.users["agency_duyun"], now=first)
    assert not typical.record_read(compilation, by=colleague)
    assert not typical.record_read(compilation, by=t.world.users["agency_duyun"])
    receipt = Receipt.objects.get(compilation=compilation, organisation=o["都匀自然资源局"])
    assert (receipt.first_read_at, receipt.first_read_by) == (first, t.world.users["agency_duyun"])
    assert Receipt.objects.filter(compilation=compilation, first_read_at__isnull=True).count() == 2
    assert Event.objects.filter(object_id=compilation.pk, action="read").count() == 1


def test_reads_by_the_office_or_of_a_draft_write_no_receipt(t: Typical) -> None:
    assert not typical.record_read(t.compilation, by=t.world.users["agency_duyun"])
    compilation = issued(t)
    assert not typical.record_read(compilation, by=t.world.users["rol_pref"])
    assert not typical.record_read(compilation, by=t.world.users["leader_pref"])
    assert not Receipt.objects.filter(first_read_at__isnull=False).exists()


# ---------------------------------------------------------------------------------------------------------------
# Who sees which compilation (a matrix of personas × records)


def test_who_sees_which_compilation(t: Typical) -> None:
    draft = t.compilation
    second = typical.open_compilation(
        t.world.regions["黔南州"], year=2026, quarter=2, by=t.world.users["rol_pref"], now=NOW
    )
    issued(t)  # the first quarter is issued; the second stays a draft
    other_agency = make_org("安阳市公安局", t.world.regions["安阳市"])
    anyang_liaison = make_user("agency_anyang", Role.AGENCY_LIAISON, org=other_agency)
    newcomer_org = make_org("都匀市林业局", t.world.regions["都匀市"])  # registered after the issue
    newcomer = make_user("agency_forest", Role.AGENCY_LIAISON, org=newcomer_org)
    expected = {
        "rol_pref": {draft.pk, second.pk},
        "leader_pref": {draft.pk, second.pk},
        "rol_duyun": {draft.pk},  # the prefecture's issued compilation, not its drafts
        "agency_duyun": {draft.pk},
        "agency_fuquan": {draft.pk},
        "court_duyun": set(),
        "recon_pref": set(),
        "centre": set(),
        "coordinator": set(),
        "discipline": set(),
        "sysadmin": set(),
        "secadmin": set(),
        "auditadmin": set(),
    }
    for persona, ids in expected.items():
        seen = set(typical.compilations_visible_to(t.world.users[persona]).values_list("pk", flat=True))
        assert seen == ids, persona
    assert not typical.compilations_visible_to(anyang_liaison).exists()
    assert not typical.compilations_visible_to(newcomer).exists()
