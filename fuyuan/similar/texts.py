"""What 类案检索 reads of a case: the case's own fields and the texts the platform holds for it, gathered for many
cases in a fixed number of queries. The sources, each named where it lives:

- ``cases.Case``: 案情摘要 (SPEC §9), 诉讼请求/申请事项, 案由, 领域, the defendant agency;
- ``accountability.LossReview``: the agency's 一案一分析 (causes and analysis) and the court's 点评;
- ``accountability.TypicalCase``: a typical case's 基本案情, 争议焦点, 点评 and 启示;
- ``reconsideration.Application``: the facts and reasons, and the decision's facts, grounds and content;
- ``similar.Judgment``: the text extracted from uploaded judgments.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from fuyuan.accountability.models import LossReview, TypicalCase
from fuyuan.cases.choices import ActType, Domain
from fuyuan.cases.models import Case
from fuyuan.reconsideration.models import Application
from fuyuan.similar import segment
from fuyuan.similar.models import Judgment

# How much of one judgment is read: the facts and reasoning come first; a long judgment's tail (costs, appeal
# notice, signatures) adds little and costs segmentation time.
JUDGMENT_CHARS = 20_000

CAUSE_MARK, DOMAIN_MARK, AGENCY_MARK = "#案由:", "#领域:", "#机关:"
CAUSE_LABELS = {str(label): value for value, label in ActType.choices if value != ActType.OTHER}
DOMAIN_LABELS = {str(label): value for value, label in Domain.choices if value != Domain.OTHER}


@dataclass
class CaseDocument:
    case_id: int
    text: str
    terms: list[str] = field(default_factory=list)


def marks(cause: str, domain: str, agency_id: int | None) -> list[str]:
    """The terms that make 同案由, 同领域 and 同一被告机关 count in the ranking and show in the reasons."""
    found = []
    if cause:
        found.append(CAUSE_MARK + cause)
    if domain:
        found.append(DOMAIN_MARK + domain)
    if agency_id:
        found.append(AGENCY_MARK + str(agency_id))
    return found


def text_marks(text: str) -> list[str]:
    """A free text's 案由 and 领域, where it names them (行政处罚, 征地拆迁 …)."""
    return [CAUSE_MARK + v for label, v in CAUSE_LABELS.items() if label in text] + [
        DOMAIN_MARK + v for label, v in DOMAIN_LABELS.items() if label in text
    ]


def case_documents(case_ids: Sequence[int]) -> list[CaseDocument]:
    """The documents of the given cases (those that exist), their texts joined and segmented."""
    parts: dict[int, list[str]] = defaultdict(list)
    cases = list(
        Case.objects.filter(pk__in=case_ids)
        .select_related("defendant")
        .only("pk", "summary", "request", "cause", "domain", "defendant_id", "defendant__name")
    )
    for review in LossReview.objects.filter(case_id__in=case_ids):
        parts[review.case_id] += [
            "、".join(review.cause_labels),
            review.analysis,
            review.comment_procedure,
            review.comment_substance,
            review.comment_appearance,
        ]
    for typical in TypicalCase.objects.filter(case_id__in=case_ids):
        parts[typical.case_id] += [typical.title, typical.summary, typical.cause, typical.comment, typical.lesson]
    for application in Application.objects.filter(case_id__in=case_ids).only(
        "case_id", "facts_and_reasons", "decision_facts", "decision_grounds", "decision_content"
    ):
        parts[application.case_id] += [
            application.facts_and_reasons,
            application.decision_facts,
            application.decision_grounds,
            application.decision_content,
        ]
    for judgment in Judgment.objects.filter(case_id__in=case_ids).only("case_id", "text"):
        parts[judgment.case_id].append(judgment.text[:JUDGMENT_CHARS])

    documents = []
    for case in cases:
        head = [
            case.summary,
            case.request,
            case.get_cause_display() if case.cause else "",
            case.get_domain_display() if case.domain else "",
            case.defendant.name,
        ]
        text = "\n".join(p.strip() for p in (*head, *parts.get(case.pk, ())) if p and p.strip())
        terms = segment.terms(text) + marks(case.cause, case.domain, case.defendant_id)
        documents.append(CaseDocument(case.pk, text, terms))
    return documents
