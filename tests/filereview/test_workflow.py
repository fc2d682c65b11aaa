"""Case-file review through its workflow: the sheet as data (veto items, deductions within a part's points, a sheet in
use kept as it was), who scores, and a failed file or a finding becoming a 执法监督通知书 item in the 销账本."""

from __future__ import annotations

from decimal import Decimal

import docx
import pytest

from fuyuan.core.models import Event
from fuyuan.filereview import workflow as wf
from fuyuan.filereview.models import FileMark, ReviewFile
from fuyuan.rectification.models import Item, Recommendation, RecommendationKind
from tests.factories import World
from tests.filereview.conftest import file_of, item, plan_of, score, sheet_of, veto

pytestmark = pytest.mark.django_db


def test_a_veto_item_fails_a_file_whatever_its_points(people: World) -> None:
    plan = plan_of(people)
    file = file_of(people, plan, "都自然罚〔2026〕1号")
    # when: no deduction at all (100 points), but 执法人员不足2人
    scored = score(people, file, vetoes=[veto(plan.sheet)])
    # then
    assert (scored.points, scored.score, scored.vetoed, scored.passed) == (Decimal("100"), Decimal("0"), True, False)
    assert Event.objects.filter(object_id=file.pk, action="scored", summary__contains="一票否决").exists()


def test_the_deductions_sum_within_each_part(people: World) -> None:
    plan = plan_of(people)
    sheet = plan.sheet
    file = file_of(people, plan, "都自然罚〔2026〕2号")
    deductions = {
        item(sheet, "案卷装订不规范、目录不全或页码不连续").pk: "3",
        item(sheet, "文书填写不完整、有涂改").pk: "2.5",
        item(sheet, "立案、调查取证不规范").pk: "10",
        item(sheet, "送达、执行不规范").pk: "4",
    }
    scored = score(people, file, deductions=deductions)
    assert scored.points == scored.score == Decimal("80.5")  # 100 − (3 + 2.5) − (10 + 4)
    assert scored.passed is True and scored.vetoed is False
    assert FileMark.objects.filter(file=file).count() == 4


def test_a_file_under_the_pass_mark_fails(people: World) -> None:
    plan = plan_of(people)
    sheet = plan.sheet
    file = file_of(people, plan, "都自然罚〔2026〕3号")
    big = ["立案、调查取证不规范", "证据材料不完整、未经质证或说明来源", "告知陈述申辩、听证等权利不规范"]
    scored = score(people, file, deductions={item(sheet, t).pk: 15 for t in big})
    assert (scored.score, scored.passed) == (Decimal("55"), False)


def test_deductions_over_a_parts_points_are_refused_with_the_reason_and_nothing_written(people: World) -> None:
    plan = plan_of(people)
    sheet = plan.sheet
    file = file_of(people, plan, "都自然罚〔2026〕4号")
    over = {
        item(sheet, "案卷装订不规范、目录不全或页码不连续").pk: 5,
        item(sheet, "文书填写不完整、有涂改").pk: 10,
        item(sheet, "归档不及时").pk: 5,
    }
    set_part = sheet.parts.get(name="卷面")
    set_part.points = 18  # a sheet whose items allow more than its part (edited below its items' sum)
    set_part.save()
    with pytest.raises(wf.ReviewError, match="“卷面”扣分合计20分，超过该部分的分值18分"):
        score(people, file, deductions=over)
    with pytest.raises(wf.ReviewError, match=r"“卷面：归档不及时”最多扣5\.0分，填写的是6分"):
        score(people, file, deductions={item(sheet, "归档不及时").pk: 6})
    with pytest.raises(wf.ReviewError, match="应为数字"):
        score(people, file, deductions={item(sheet, "归档不及时").pk: "两分"})
    file.refresh_from_db()
    assert file.scored_at is None and not FileMark.objects.filter(file=file).exists()


def test_only_the_assigned_reviewer_scores_a_file(people: World) -> None:
    plan = plan_of(people)
    file = file_of(people, plan, "都自然罚〔2026〕5号")
    for other in ("tyjd2", "zfjd_pref", "agency_duyun"):
        with pytest.raises(wf.ReviewError, match="只有分配的评查人可以"):
            score(people, file, by=other)
    wf.assign_file(file, reviewer=people.users["tyjd2"], by=people.users["zfjd_pref"])
    assert score(people, file, by="tyjd2").score == Decimal("100")


def test_a_plan_registers_no_more_files_of_a_body_than_its_quota_nor_bodies_outside_it(people: World) -> None:
    plan = plan_of(people)
    file_of(people, plan, "福公罚〔2026〕1号", body="福泉公安局")
    file_of(people, plan, "福公罚〔2026〕2号", body="福泉公安局")
    with pytest.raises(wf.ReviewError, match="计划评查2卷，已登记2卷"):
        file_of(people, plan, "福公罚〔2026〕3号", body="福泉公安局")
    with pytest.raises(wf.ReviewError, match="不在本计划的被评查单位中"):
        file_of(people, plan, "人社〔2026〕1号", body="州人社局")
    with pytest.raises(wf.ReviewError, match="已在本计划中登记"):
        file_of(people, plan, "福公罚〔2026〕1号")


def test_a_sheet_in_use_is_not_changed_and_its_copy_for_next_year_is_edited(people: World) -> None:
    plan = plan_of(people)
    sheet = plan.sheet
    score(people, file_of(people, plan, "都自然罚〔2026〕6号"), deductions={item(sheet, "归档不及时").pk: 2})
    staff = people.users["zfjd_pref"]
    with pytest.raises(wf.ReviewError, match="已有案卷按其评分，不能再修改"):
        wf.add_sheet_item(sheet, kind="veto", text="未经法制审核", by=staff)
    with pytest.raises(wf.ReviewError, match="已有案卷按其评分"):
        wf.remove_sheet_item(item(sheet, "归档不及时"), by=staff)
    # when: copied to 2027 and edited there
    copy = wf.copy_sheet(sheet, year=2027, by=staff)
    wf.add_sheet_item(copy, kind="veto", text="重大执法决定未经法制审核", by=staff)
    wf.remove_sheet_item(item(copy, "归档不及时"), by=staff)
    wf.set_part_points(copy.parts.get(name="卷面"), points=15, by=staff)
    # then: 2027 has the new veto and loses an item; 2026 is as it was
    assert copy.items.filter(text="重大执法决定未经法制审核", kind="veto").exists()
    assert not copy.items.filter(text="归档不及时").exists() and sheet.items.filter(text="归档不及时").exists()
    assert sheet.parts.get(name="卷面").points == 20 and copy.parts.get(name="卷面").points == 15
    with pytest.raises(wf.ReviewError, match="最多扣分”应大于0且不超过卷面的分值15分"):
        wf.add_sheet_item(copy, kind="deduction", part=copy.parts.get(name="卷面"), text="x", max_points=16, by=staff)
    with pytest.raises(wf.ReviewError, match="无权"):
        wf.copy_sheet(sheet, year=2028, by=people.users["zfjd_anyang"])


def test_a_failed_file_and_a_finding_become_items_of_a_supervision_notice_in_the_ledger(people: World) -> None:
    plan = plan_of(people)
    sheet = plan.sheet
    vetoed = score(
        people, file_of(people, plan, "都自然罚〔2026〕7号"), vetoes=[veto(sheet, "违反法定程序（程序违法）")]
    )
    finding = score(people, file_of(people, plan, "都自然罚〔2026〕8号"), findings="送达回证缺少受送达人签名")
    score(people, file_of(people, plan, "都自然罚〔2026〕9号"))  # passed, nothing found: no item
    # when
    rec = wf.issue_notice(plan, people.orgs["都匀自然资源局"], by=people.users["zfjd_pref"])
    # then: one 执法监督通知书 to the body, one item per file, each file pointing at its item
    assert rec.kind == RecommendationKind.SUPERVISION_NOTICE and rec.recipient == people.orgs["都匀自然资源局"]
    assert rec.number == "执法监督〔2026〕1号" and rec.document_name == "执法监督〔2026〕1号.docx"
    items = list(Item.objects.filter(recommendation=rec).order_by("position"))
    assert [i.text.split("（")[0] for i in items] == ["案卷都自然罚〔2026〕7号", "案卷都自然罚〔2026〕8号"]
    assert "违反法定程序（程序违法）" in items[0].text and "送达回证缺少受送达人签名" in items[1].text
    vetoed.refresh_from_db()
    finding.refresh_from_db()
    assert (vetoed.notice_item, finding.notice_item) == (items[0], items[1])
    # a file in a notice is not scored again, and the body has nothing more to notify
    with pytest.raises(wf.ReviewError, match="尚未下发执法监督通知书"):
        score(people, vetoed)
    with pytest.raises(wf.ReviewError, match="没有不合格或发现问题而未下发通知书的案卷"):
        wf.issue_notice(plan, people.orgs["都匀自然资源局"], by=people.users["zfjd_pref"])
    assert Recommendation.objects.count() == 1 and ReviewFile.objects.filter(notice_item__isnull=False).count() == 2
    # the notice itself, as the body receives it
    with rec.document.open("rb") as handle:
        text = "\n".join(p.text for p in docx.Document(handle).paragraphs)
    assert "行政执法监督通知书" in text and "都匀市自然资源局：" in text
    assert "1. 案卷都自然罚〔2026〕7号（行政处罚，一票否决，不合格）：违反法定程序（程序违法）。请逐项整改" in text
    assert "送达回证缺少受送达人签名。请逐项整改" in text


def test_a_plan_takes_only_reviewers_and_the_sheet_of_its_year(people: World) -> None:
    o, u = people.orgs, people.users
    sheet = sheet_of(people)
    with pytest.raises(wf.ReviewError, match="不能担任评查人员"):
        wf.create_plan(year=2026, name="评查", mode="sampled", sheet=sheet, bodies={o["福泉公安局"]: 1},
                       reviewers=[u["agency_duyun"]], by=u["zfjd_pref"])  # fmt: skip
    with pytest.raises(wf.ReviewError, match="请先复制为2027年标准"):
        wf.create_plan(year=2027, name="评查", mode="sampled", sheet=sheet, bodies={o["福泉公安局"]: 1},
                       reviewers=[u["tyjd"]], by=u["zfjd_pref"])  # fmt: skip
    with pytest.raises(wf.ReviewError, match="不是本地区的行政执法主体"):
        wf.create_plan(year=2026, name="评查", mode="sampled", sheet=sheet, bodies={o["安阳市场监管局"]: 1},
                       reviewers=[u["tyjd"]], by=u["zfjd_pref"])  # fmt: skip
    with pytest.raises(wf.ReviewError, match="无权"):
        wf.create_plan(year=2026, name="评查", mode="sampled", sheet=sheet, bodies={o["福泉公安局"]: 1},
                       reviewers=[u["tyjd"]], by=u["rol_pref"])  # fmt: skip
