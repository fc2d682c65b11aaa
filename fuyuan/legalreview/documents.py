"""The 合法性审查意见书 (.docx) in the official layout of GB/T 9704 (``documents.official``), in the house pattern of
the reconsideration documents: the reviewing 司法局's mark and the opinion's number, the title, the sender as
addressee, the matter received, the conclusion, the reasons, what the sender is asked to do, the bureau's signature
and date, and the imprint (版记)."""

from __future__ import annotations

from fuyuan.documents import official
from fuyuan.legalreview.choices import Conclusion
from fuyuan.legalreview.models import LegalMatter

TITLE = "合法性审查意见书"

REQUESTS = {
    Conclusion.LAWFUL: "经审查，未发现该事项存在违反法律、法规、规章规定的情形。",
    Conclusion.UNLAWFUL: "该事项存在上述不合法的情形，请不予实施或依法重新拟定后另行送审。",
    Conclusion.LAWFUL_IF_AMENDED: "请按上述意见修改完善后实施。",
}


def render_opinion(matter: LegalMatter) -> bytes:
    assert matter.opinion_on is not None and matter.conclusion, "the opinion is written once it is given"
    issuer = matter.review_body.name
    doc = official.new_document(title=f"{TITLE}（{matter.title}）", author=issuer)
    official.add_issuer_mark(doc, issuer)
    official.add_document_number(doc, matter.number)
    official.add_paragraph(doc)
    official.add_title(doc, TITLE)
    official.add_paragraph(doc)
    official.add_addressee(doc, matter.sender_name)
    official.add_paragraph(
        doc,
        f"你单位于{official.chinese_date(matter.received_on)}报送的《{matter.title}》"
        f"（{matter.get_kind_display()}）收悉。经审查，现提出合法性审查意见如下：",
    )
    official.add_heading(doc, 1, 1, "审查结论")
    official.add_paragraph(doc, f"{matter.get_conclusion_display()}。")
    official.add_heading(doc, 1, 2, "审查意见")
    for line in [line.strip() for line in matter.opinion_text.splitlines() if line.strip()]:
        official.add_paragraph(doc, line)
    official.add_heading(doc, 1, 3, "有关要求")
    official.add_paragraph(doc, REQUESTS[Conclusion(matter.conclusion)])
    official.add_paragraph(doc, "请你单位在作出决定后，将本意见的采纳情况及理由反馈本机关。")
    official.add_paragraph(doc, "本意见仅对送审材料的合法性提出意见，不代替送审单位的决定。")
    closing = official.add_paragraph(doc)
    official.keep_together([closing, *official.add_signature(doc, issuer, matter.opinion_on)])
    official.add_imprint(doc, issuer, matter.opinion_on)
    return official.to_bytes(doc)
