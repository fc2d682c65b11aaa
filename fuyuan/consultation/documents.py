"""The 败诉风险提示函 (.docx) in the official layout of GB/T 9704 (``documents.official``): the court's mark and the
letter's number, the title, the agency as addressee, what is wrong (the categories, then the court's text), the
period to answer and the three choices, the court's signature and date, the copy to the county's 依法治办 (抄送) and
the imprint (版记)."""

from __future__ import annotations

from fuyuan.consultation.models import RiskNotice
from fuyuan.documents import official
from fuyuan.documents.bulletin import issuer_of

TITLE = "败诉风险提示函"


def render_letter(notice: RiskNotice) -> bytes:
    case = notice.case
    court = notice.court.name
    doc = official.new_document(title=f"{TITLE}（{case.number}）", author=court)
    official.add_issuer_mark(doc, court)
    official.add_document_number(doc, notice.number)
    official.add_paragraph(doc)
    official.add_title(doc, TITLE)
    official.add_paragraph(doc)
    official.add_addressee(doc, notice.agency.name)
    plaintiffs = case.plaintiffs or "原告"
    cause = case.get_cause_display() if case.cause else "行政行为"
    official.add_paragraph(
        doc,
        f"本院受理的{plaintiffs}诉你单位{cause}一案，案号{case.number}，正在审理中。为推动行政争议实质性化解，"
        "经审查，现将被诉行政行为可能导致败诉的风险提示如下：",
    )
    official.add_heading(doc, 1, 1, "风险类别")
    official.add_paragraph(doc, "；".join(notice.concern_labels) + "。")
    official.add_heading(doc, 1, 2, "存在的问题")
    for line in [line.strip() for line in notice.text.splitlines() if line.strip()]:
        official.add_paragraph(doc, line)
    official.add_heading(doc, 1, 3, "答复要求")
    official.add_paragraph(
        doc,
        f"请你单位于{official.chinese_date(notice.answer_due_on)}前书面答复本院，写明选择自行纠正（改变或撤销被诉行政行为）、"
        "协调和解或坚持应诉，并说明理由。本院可视情况组织判前会商。",
    )
    official.add_paragraph(doc, "特此函告。")
    closing = official.add_paragraph(doc)
    official.keep_together([closing, *official.add_signature(doc, court, notice.sent_on)])
    official.add_paragraph(doc)
    official.add_paragraph(doc, f"抄送：{issuer_of(notice.county)}。", indent=False)
    official.add_imprint(doc, court, notice.sent_on)
    return official.to_bytes(doc)
