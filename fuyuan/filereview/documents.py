"""The 执法监督通知书 (.docx) in the official layout of GB/T 9704 (``documents.official``): the 司法局's mark and
the notice's number, the title, the enforcement body as addressee, the review it comes from, one numbered item per
failed file or finding, the period and how to report, the bureau's signature and date, and the imprint (版记)."""

from __future__ import annotations

import datetime

from fuyuan.core.models import Organisation
from fuyuan.documents import official
from fuyuan.filereview.models import ReviewPlan

TITLE = "行政执法监督通知书"


def render_notice(
    plan: ReviewPlan, body: Organisation, *, number: str, issued_on: datetime.date, items: list[str]
) -> bytes:
    issuer = plan.organiser.name
    doc = official.new_document(title=f"{TITLE}（{body.name}）", author=issuer)
    official.add_issuer_mark(doc, issuer)
    official.add_document_number(doc, number)
    official.add_paragraph(doc)
    official.add_title(doc, TITLE)
    official.add_paragraph(doc)
    official.add_addressee(doc, body.name)
    official.add_paragraph(
        doc,
        f"根据《{plan}》，本机关组织对你单位的行政执法案卷进行了{plan.get_mode_display()}评查。"
        "评查发现下列案卷不合格或存在问题，现依据《行政执法监督条例》通知如下：",
    )
    official.add_heading(doc, 1, 1, "存在的问题")
    for n, text in enumerate(items, 1):
        official.add_paragraph(doc, f"{n}. {text}")
    official.add_heading(doc, 1, 2, "整改要求")
    official.add_paragraph(
        doc,
        "请你单位自收到本通知书之日起两个月内完成整改，对相关案卷依法予以纠正，"
        "并举一反三规范执法程序；整改情况及相关材料请通过府院联动平台“销账本”报送本机关核验。",
    )
    closing = official.add_paragraph(doc)
    official.keep_together([closing, *official.add_signature(doc, issuer, issued_on)])
    official.add_imprint(doc, issuer, issued_on)
    return official.to_bytes(doc)
