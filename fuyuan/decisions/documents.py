"""The documents of a major administrative decision in the official layout (``documents.official``), and the archive
of its whole record (条例 第33条: 决策过程记录和材料归档) as one zip with its 卷宗目录, built the way a closed
reconsideration case is archived (``reconsideration.archive.build_archive``)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from fuyuan.decisions.choices import Conclusion, DocumentStep, MeetingKind, Trigger
from fuyuan.decisions.models import Catalogue, Decision, StepDocument
from fuyuan.documents import official
from fuyuan.reconsideration.archive import ArchiveEntry, build_archive


def _document(title: str, paragraphs: Iterable[str], *, author: str, day: datetime.date | None) -> bytes:
    doc = official.new_document(title=title, author=author)
    official.add_title(doc, title)
    official.add_paragraph(doc)
    for text in paragraphs:
        official.add_paragraph(doc, text)
    if day is not None:
        official.add_paragraph(doc)
        official.keep_together(official.add_signature(doc, author, day))
    return official.to_bytes(doc)


def review_opinion_docx(decision: Decision) -> bytes:
    """合法性审查意见书 of the review body (条例 第28条), with the legal adviser's opinion it relied on."""
    assert decision.review_body is not None and decision.reviewed_on is not None
    paragraphs = [
        f"{decision.owner}：",
        f"你单位于{official.chinese_date(decision.review_sent_on or decision.reviewed_on)}送请审查的"
        f"《{decision.title}》决策草案收悉。经审查，提出如下意见：",
        decision.review_opinion,
        f"审查结论：{Conclusion(decision.review_conclusion).label}。",
    ]
    if decision.review_changes:
        paragraphs.append(f"需要修改的内容：{decision.review_changes}")
    paragraphs.append(f"法律顾问或公职律师{decision.adviser_name}的法律意见：{decision.adviser_opinion}")
    return _document("合法性审查意见书", paragraphs, author=str(decision.review_body), day=decision.reviewed_on)


def archive_entries(decision: Decision) -> list[ArchiveEntry]:
    """Every step's documents, in the order of the procedure."""
    owner = str(decision.owner)
    entries: list[ArchiveEntry] = []

    def add(name: str, day: datetime.date | None, paragraphs: Iterable[str], author: str = owner) -> None:
        if day is not None:
            entries.append(ArchiveEntry(name, day, f"{name}.docx", _document(name, paragraphs, author=author, day=day)))

    uploads: dict[str, list[StepDocument]] = {}
    for document in decision.documents.all():
        uploads.setdefault(document.step, []).append(document)

    def uploaded(step: str) -> None:
        """The documents uploaded for ``step`` (``StepDocument``), after the ones the platform writes for it."""
        for document in uploads.get(step, []):
            with document.file.open("rb") as stored:
                content = stored.read()
            entries.append(
                ArchiveEntry(f"{document.title}（上传件）", document.uploaded_on, document.file_name, content)
            )

    item = decision.item
    add("决策事项目录（本事项）", decision.item.catalogue.published_on, [
        f"决策事项：{item.title}", f"决策承办单位：{item.owner}",
        f"计划时间：{item.planned_start.isoformat()} 至 {item.planned_end.isoformat()}",
    ], author=str(decision.region))  # fmt: skip
    add("决策草案及征求意见公告", decision.comment_from, [
        decision.draft,
        f"征求意见期限：{decision.comment_from} 至 {decision.comment_until}",
        *([f"缩短期限的理由：{decision.comment_short_reason}"] if decision.comment_short_reason else []),
    ])  # fmt: skip
    comments = list(decision.comments.all())
    add("公众意见及采纳情况", decision.answers_published_on, [
        f"{n}. {c.content}（{c.get_answer_display()}：{c.answer_reason}）" for n, c in enumerate(comments, start=1)
    ] or ["征求意见期间未收到意见。"])  # fmt: skip
    for hearing in decision.hearings.all():
        add(f"听证记录（{hearing.held_on.isoformat()}）", hearing.held_on, [
            f"材料送达日期：{hearing.material_sent_on.isoformat()}", f"听证参加人：{hearing.participants}", hearing.record,
        ])  # fmt: skip
    uploaded(DocumentStep.PUBLIC)
    for review in decision.experts.select_related("expert"):
        add(
            f"专家论证意见（{review.expert.name}）",
            review.signed_on,
            [review.opinion, f"专家（署名）：{review.signed_by}"],
        )
    uploaded(DocumentStep.EXPERTS)
    add("风险评估报告", decision.risk_assessed_on, [
        *(f"风险点{n}：{p['point']}；防范措施：{p['measure']}" for n, p in enumerate(decision.risk_points, start=1)),
        f"风险处置预案：{decision.risk_plan}",
        f"评估结论：{'风险可控' if decision.risk_controllable else '风险不可控'}",
    ], author=str(decision.risk_assessor or owner))  # fmt: skip
    uploaded(DocumentStep.RISK)
    if decision.reviewed_on is not None:
        entries.append(
            ArchiveEntry(
                "合法性审查意见书", decision.reviewed_on, "合法性审查意见书.docx", review_opinion_docx(decision)
            )
        )
    add("按审查意见修改情况", decision.changes_made_on, [decision.changes_note])
    uploaded(DocumentStep.REVIEW)
    if decision.meeting_on is not None:
        speeches = [
            f"{s['speaker']}{'（行政首长）' if s['is_head'] else ''}{'（持不同意见）' if s['dissent'] else ''}：{s['content']}"
            for s in decision.speeches
        ]
        add("集体讨论决定记录", decision.meeting_on, [
            f"会议：{MeetingKind(decision.meeting_kind).label}", *speeches, f"决定：{decision.decided_text}",
            *([f"与多数意见不一致的理由：{decision.head_reason_for_differing}"]
              if decision.head_reason_for_differing else []),
        ], author=str(decision.region))  # fmt: skip
    uploaded(DocumentStep.DISCUSSION)
    add("决策公布及意见采纳情况说明", decision.published_on, [decision.decided_text, decision.adoption_note],
        author=str(decision.region))  # fmt: skip
    uploaded(DocumentStep.PUBLICATION)
    uploaded(DocumentStep.EXECUTION)
    for evaluation in decision.post_evaluations.select_related("evaluator"):
        add(f"决策后评估报告（{evaluation.started_on.isoformat()}）", evaluation.finished_on or evaluation.started_on, [
            f"启动情形：{Trigger(evaluation.trigger).label}", evaluation.trigger_note,
            f"评估单位：{evaluation.evaluator}", f"评估结论：{evaluation.conclusion or '评估中'}",
        ], author=str(evaluation.evaluator))  # fmt: skip
    uploaded(DocumentStep.EVALUATION)
    return entries


def decision_archive(decision: Decision) -> bytes:
    return build_archive(
        f"{decision.region}重大行政决策：{decision.title}",
        archive_entries(decision),
        body=str(decision.region),
        compiled_on=decision.archived_on,
    )


CATALOGUE_HEADERS = ["序号", "决策事项", "决策承办单位", "计划启动", "计划完成"]


def catalogue_docx(catalogue: Catalogue) -> bytes:
    """The published yearly catalogue (条例 第10条) as a table in the official layout, with the adjustments made
    during the year and their reasons."""
    region = str(catalogue.region)
    doc = official.new_document(title=str(catalogue), author=region)
    official.add_title(doc, f"{region}{catalogue.year}年度重大行政决策事项目录")
    official.add_paragraph(doc)
    items = list(catalogue.items.select_related("owner").filter(withdrawn=False))
    rows = [
        [str(n), i.title, str(i.owner), i.planned_start.isoformat(), i.planned_end.isoformat()]
        for n, i in enumerate(items, start=1)
    ]
    official.add_table(doc, CATALOGUE_HEADERS, rows, widths=[0.8, 4.2, 3.2, 1.9, 1.9], left=frozenset({1, 2}))
    adjustments = list(catalogue.adjustments.select_related("item"))
    if adjustments:
        official.add_paragraph(doc)
        official.add_paragraph(doc, "目录调整情况：")
        for a in adjustments:
            official.add_paragraph(
                doc, f"{a.adjusted_on.isoformat()} {a.get_kind_display()}“{a.item.title}”，理由：{a.reason}"
            )
    if catalogue.published_on:
        official.add_paragraph(doc)
        official.keep_together(official.add_signature(doc, f"{region}人民政府", catalogue.published_on))
    return official.to_bytes(doc)
