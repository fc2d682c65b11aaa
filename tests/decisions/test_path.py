"""The whole path of a decision, from the catalogue to publication, post-evaluation and the archive (条例 第33条)."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest

from fuyuan.core.models import Event
from fuyuan.decisions import workflow as wf
from fuyuan.decisions.choices import Stage
from fuyuan.decisions.models import CatalogueAdjustment
from tests.decisions.conftest import D, run_to


def test_the_whole_path_to_post_evaluation_and_the_archive_with_its_catalogue(world, clock, decision, justice, expert):
    office = world.users["rol_duyun"]
    decision = run_to(Stage.EXECUTING, decision, world, clock, justice, expert)
    assert decision.published_on == D(2026, 9, 28)

    clock(D(2026, 11, 2))
    evaluation = wf.start_post_evaluation(
        decision,
        trigger="many_opinions",
        evaluator=world.orgs["州司法局"],
        note="12345热线收到较多反映",
        by=office,
    )
    clock(D(2026, 11, 30))
    wf.finish_post_evaluation(evaluation, conclusion="基本达到预期效果，建议优化夜间时段", by=office)

    clock(D(2026, 12, 2))
    content = wf.archive_decision(decision, by=office)

    decision.refresh_from_db()
    assert decision.stage == Stage.ARCHIVED
    archive = zipfile.ZipFile(io.BytesIO(content))
    names = archive.namelist()
    assert names[0] == "00-卷宗目录.docx"
    expected = [
        "决策事项目录（本事项）",
        "决策草案及征求意见公告",
        "公众意见及采纳情况",
        "听证记录（2026-08-20）",
        "专家论证意见（李教授）",
        "风险评估报告",
        "合法性审查意见书",
        "集体讨论决定记录",
        "决策公布及意见采纳情况说明",
        "决策后评估报告（2026-11-02）",
    ]
    assert [n.split("-", 1)[1].rsplit(".", 1)[0] for n in names[1:]] == expected
    catalogue = docx.Document(io.BytesIO(archive.read(names[0])))
    rows = [[c.text for c in row.cells] for row in catalogue.tables[0].rows]
    assert rows[0] == ["序号", "文书名称", "日期", "页数或大小", "文件名"]
    assert [r[1] for r in rows[1:]] == expected
    assert rows[7][2] == "2026年9月21日" and rows[7][4] == "07-合法性审查意见书.docx"
    assert any("本卷共10件文书" in p.text for p in catalogue.paragraphs)
    opinion = docx.Document(io.BytesIO(archive.read("07-合法性审查意见书.docx")))
    text = "\n".join(p.text for p in opinion.paragraphs)
    assert "审查结论：合法" in text and "赵律师（公职律师）" in text and "都匀市司法局" in text
    meeting = "\n".join(p.text for p in docx.Document(io.BytesIO(archive.read("08-集体讨论决定记录.docx"))).paragraphs)
    assert "副市长乙（持不同意见）：建议延后实施" in meeting and "市长（行政首长）" in meeting

    actions = list(
        Event.objects.filter(content_type__model="decision", object_id=decision.pk).values_list("action", flat=True)
    )
    for action in ("comment_opened", "answers_published", "review_concluded", "decided", "published", "archived"):
        assert action in actions


def test_a_published_catalogue_is_adjusted_only_with_the_reason_kept(world, clock, catalogue):
    office = world.users["rol_duyun"]
    with pytest.raises(wf.DecisionError, match="目录调整"):
        wf.add_catalogue_item(
            catalogue,
            title="新增事项",
            owner=world.orgs["都匀自然资源局"],
            planned_start=D(2026, 9, 1),
            planned_end=D(2026, 12, 1),
            by=office,
        )
    item = catalogue.items.get()
    with pytest.raises(wf.DecisionError, match="请填写调整理由"):
        wf.adjust_catalogue(catalogue, reason=" ", withdraw=item, by=office)

    adjustment = wf.adjust_catalogue(catalogue, reason="上级政策调整，暂缓实施", withdraw=item, by=office)

    item.refresh_from_db()
    assert item.withdrawn and adjustment.reason == "上级政策调整，暂缓实施"
    assert CatalogueAdjustment.objects.filter(catalogue=catalogue).count() == 1
    with pytest.raises(wf.DecisionError, match="已调出目录"):
        wf.start_decision(item, draft="草案", by=world.users["agency_duyun"])


def test_a_catalogue_is_published_only_after_approval(world, clock):
    office = world.users["rol_duyun"]
    catalogue = wf.create_catalogue(world.regions["都匀市"], 2027, by=office)
    with pytest.raises(wf.DecisionError, match="须经同级党委同意后才能向社会公布"):
        wf.publish_catalogue(catalogue, published_on=clock.today, by=office)
