"""The 行政争议调解协议书: the agreement a successful mediation ends with (SPEC §6.2), written from the dispute's
record in the official layout (``documents.official``) for the parties to sign.

The document goes to the parties themselves, so the applicant's ID number, address and phone are written in full for the
centre's staff who print it (each such copy is in the audit log); any other reader gets them masked.
"""

from __future__ import annotations

import re

from docx.enum.text import WD_ALIGN_PARAGRAPH

from fuyuan.core.masking import mask_id_number, mask_phone
from fuyuan.core.models import HeadPost
from fuyuan.disputes.choices import AssignmentRole, DisputeOutcome
from fuyuan.disputes.models import Dispute
from fuyuan.documents import official

TITLE = "行政争议调解协议书"
EFFECTIVE_CLAUSE = "本协议自双方签字（盖章）之日起生效。"
# 《中华人民共和国民事诉讼法》(2023年修正) 第二百零五条: a mediation agreement reached before a lawfully established
# mediation organisation may be brought for 司法确认 by both parties jointly, within 30 days of its taking effect,
# to the competent basic people's court; 《最高人民法院关于人民法院特邀调解的规定》(法释〔2016〕14号) lets agreements
# reached in court-entrusted (委派/特邀) mediation be confirmed the same way. Administrative disputes settled in
# 诉前调解 at a coordination centre are confirmed in practice through this procedure.
JUDICIAL_CONFIRMATION_CLAUSE = "双方同意自本协议生效之日起三十日内，共同向有管辖权的人民法院申请司法确认。"
COPIES_CLAUSE = "本协议一式三份，申请人、被申请人、协调化解中心各执一份，具有同等效力。"
# The space left on a line for a name written by hand.
BLANK = "\u3000" * 6

# A clause number at the start of a clause: 第一条 / （一） / (1) / 一、 / 1、 / 1. / 1．/ 1) — not the "1.5" of a
# decimal amount.
_CLAUSE_NUMBER = (
    r"(?:第[一二三四五六七八九十百\d]+条|[（(][一二三四五六七八九十\d]+[)）]"
    r"|[一二三四五六七八九十]+[、.．]|\d+(?:[、．)）]|\.(?!\d)))"
)
_NUMBER_AT_START = re.compile(rf"^\s*{_CLAUSE_NUMBER}\s*")
# Numbered clauses run on in one line: a number right after the end of a sentence or clause (。；;).
_NUMBER_INLINE = re.compile(rf"(?<=[。；;])\s*(?={_CLAUSE_NUMBER})")


class AgreementError(ValueError):
    """The dispute has no agreement to write: it did not end in 调解成功, or its terms are empty."""


def split_terms(terms: str) -> list[str]:
    """The agreement's clauses, in order, without the numbers they were typed with.

    One clause a line; where the lines carry numbers, a line without one continues the clause above it (a long
    clause typed over several lines), and numbered clauses run on in one line are split. Each clause ends with a
    full stop: a trailing "；" of a list becomes "。"."""
    lines = [line.strip() for line in terms.splitlines() if line.strip()]
    pieces = [piece.strip() for line in lines for piece in _NUMBER_INLINE.split(line) if piece.strip()]
    numbered = any(_NUMBER_AT_START.match(piece) for piece in pieces)
    clauses: list[str] = []
    for piece in pieces:
        text = _NUMBER_AT_START.sub("", piece)
        if numbered and clauses and not _NUMBER_AT_START.match(piece):
            clauses[-1] += piece
        elif text:
            clauses.append(text)
    return [_full_stop(clause) for clause in clauses]


def _full_stop(text: str) -> str:
    text = text.rstrip("；;，,、. ")
    return text if text.endswith(("。", "！", "？")) else text + "。"


def agreement_clauses(dispute: Dispute) -> list[str]:
    """The numbered clauses of the agreement: the agreed terms, then the standard clauses."""
    clauses = split_terms(dispute.agreement_terms)
    clauses.append(EFFECTIVE_CLAUSE)
    if dispute.judicial_confirmation:
        clauses.append(JUDICIAL_CONFIRMATION_CLAUSE)
    clauses.append(COPIES_CLAUSE)
    return [f"{official.chinese_numeral(n)}、{clause}" for n, clause in enumerate(clauses, start=1)]


def _check(dispute: Dispute) -> None:
    if dispute.outcome != DisputeOutcome.MEDIATED:
        how = f"办结方式为“{dispute.get_outcome_display()}”" if dispute.outcome else "尚未办结"
        raise AgreementError(f"{dispute.number} {how}，不是调解成功，没有调解协议书")
    if not dispute.agreement_terms.strip():
        raise AgreementError(f"{dispute.number} 没有登记调解协议的内容，不能生成调解协议书")


def _applicant_line(dispute: Dispute, *, whole: bool) -> str:
    """The applicant as the parties sign it (``whole``), or masked for a reader who only needs the document's
    terms (个人信息保护法 第51条; the unmasking rule is ``core.masking.REVEALABLE``)."""
    id_number = dispute.applicant_id_number if whole else mask_id_number(dispute.applicant_id_number)
    phone = dispute.applicant_phone if whole else mask_phone(dispute.applicant_phone)
    parts = [f"申请人：{dispute.applicants}"]
    if id_number:
        parts.append(f"公民身份号码：{id_number}")
    if dispute.applicant_address:
        parts.append(f"住址：{dispute.applicant_address}")
    if phone:
        parts.append(f"联系电话：{phone}")
    return "，".join(parts) + "。"


def _agency_head(dispute: Dispute) -> str:
    """The agency's principal (正职) on its heads roster on the day of the agreement, with the post if recorded."""
    assert dispute.concluded_on is not None
    head = (
        dispute.agency.heads_on(dispute.concluded_on)
        .filter(post=HeadPost.PRINCIPAL)
        .order_by("-valid_from", "id")
        .first()
    )
    if head is None:
        return BLANK
    return f"{head.name}，{head.title}。" if head.title else f"{head.name}。"


def _coordinators(dispute: Dispute) -> str:
    """The 专班 on the dispute now, the lead first."""
    active = dispute.assignments.filter(released_at__isnull=True).select_related("coordinator")
    ordered = sorted(active, key=lambda a: (a.role != AssignmentRole.LEAD, a.assigned_at, a.pk))
    names = [
        f"{a.coordinator.name}（{AssignmentRole.LEAD.label}）" if a.role == AssignmentRole.LEAD else a.coordinator.name
        for a in ordered
    ]
    return "、".join(names) + "。" if names else BLANK


def render_agreement(dispute: Dispute, *, whole: bool = True) -> bytes:
    """The .docx of the 调解协议书 of a dispute concluded as 调解成功; ``AgreementError`` for any other dispute.
    ``whole=False`` masks the applicant's ID number and phone (a copy for a reader who does not need them)."""
    _check(dispute)
    assert dispute.concluded_on is not None
    doc = official.new_document(title=f"{TITLE}（{dispute.number}）", author=dispute.centre.name)
    official.add_title(doc, TITLE)
    official.add_paragraph(doc, f"编号：{dispute.number}", indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    official.add_paragraph(doc)
    official.add_paragraph(doc, _applicant_line(dispute, whole=whole))
    official.add_paragraph(doc, f"被申请人：{dispute.agency.name}。")
    official.add_paragraph(doc, f"负责人：{_agency_head(dispute)}")
    official.add_paragraph(doc, f"协调化解中心：{dispute.centre.name}。")
    official.add_paragraph(doc, f"协调员：{_coordinators(dispute)}")
    official.add_paragraph(doc, f"争议事项：{_full_stop(dispute.matter.strip())}")
    if dispute.claims.strip():
        official.add_paragraph(doc, f"请求事项：{_full_stop(dispute.claims.strip())}")
    official.add_paragraph(doc, "经协调，双方自愿达成如下协议：")
    clauses = [official.add_paragraph(doc, clause) for clause in agreement_clauses(dispute)]
    signatures = [
        official.add_paragraph(doc),
        official.add_two_columns(doc, "申请人（签名）：", "被申请人（盖章）："),
        official.add_paragraph(doc),
        official.add_two_columns(doc, "", "负责人（签名）："),
        official.add_paragraph(doc),
        official.add_two_columns(doc, "协调员（签名）：", "协调化解中心（盖章）："),
        official.add_paragraph(doc),
        official.add_paragraph(doc),
        official.add_date(doc, dispute.concluded_on),
    ]
    official.keep_together([clauses[-1], *signatures])
    return official.to_bytes(doc)
