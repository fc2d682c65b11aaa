"""Similar cases (类案检索, SPEC §9): the cases most like a case or like a free text, within what the asker may see.

Reads start from ``cases.queries.visible_to(user)`` (pages) or a region's subtree (``fuyuan similar --region``);
the case asked about is never among its results. Each result says why it matched — the words it shares with the
query (the rarest first), 同案由, 同领域, 同一被告机关 — and how it ended.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import QuerySet

from fuyuan.cases.choices import ActType, CaseKind, Domain, Instance
from fuyuan.cases.models import Case
from fuyuan.core.masking import mask_personal_text
from fuyuan.similar import index, segment
from fuyuan.similar.engine import Bm25Index
from fuyuan.similar.models import CaseText
from fuyuan.similar.texts import AGENCY_MARK, CAUSE_MARK, DOMAIN_MARK, marks, text_marks

DEFAULT_LIMIT = 10
# A case's whole text as a query: its most telling terms (tf × idf), as Lucene's "more like this" does.
CASE_QUERY_TERMS = 40
SHARED_TERMS_SHOWN = 8
SNIPPET_CHARS = 120


@dataclass
class SimilarCase:
    case: Case
    score: float
    reasons: list[str]
    snippet: str = ""

    @property
    def outcome(self) -> str | None:
        return self.case.outcome_label if self.case.outcome else None

    @property
    def is_first_instance_concluded(self) -> bool:
        return self.case.is_litigation and self.case.instance == Instance.FIRST and self.case.is_concluded


@dataclass
class SimilarResults:
    query: str
    results: list[SimilarCase] = field(default_factory=list)

    @property
    def concluded_first_instance(self) -> int:
        return sum(1 for r in self.results if r.is_first_instance_concluded)

    @property
    def lost(self) -> int:
        return sum(1 for r in self.results if r.is_first_instance_concluded and r.case.is_loss)

    @property
    def loss_share(self) -> float | None:
        """败诉占比 among the results that are concluded first-instance cases (None when there are none)."""
        n = self.concluded_first_instance
        return round(100 * self.lost / n, 2) if n else None


class NothingToCompare(ValueError):
    """A free text with no word the search can use."""


def similar_to_case(case: Case, scope: QuerySet[Case], *, limit: int = DEFAULT_LIMIT) -> SimilarResults:
    """The ``limit`` cases of ``scope`` most like ``case`` (never ``case`` itself)."""
    index.refresh()
    ranking = index.ranking()
    own = CaseText.objects.filter(case=case).values_list("terms", flat=True).first()
    terms = own.split() if own is not None else marks(case.cause, case.domain, case.defendant_id)
    query = ranking.salient([t for t in terms if not t.startswith("#")], CASE_QUERY_TERMS) + [
        t for t in dict.fromkeys(terms) if t.startswith("#")
    ]
    return _search(ranking, case.number, query, scope, limit, exclude=case.pk)


def similar_to_text(text: str, scope: QuerySet[Case], *, limit: int = DEFAULT_LIMIT) -> SimilarResults:
    """The ``limit`` cases of ``scope`` most like a free text (a lawyer's or a staff member's description)."""
    query = segment.terms(text) + text_marks(text)
    if not query:
        raise NothingToCompare("请输入案情描述（至少包含一个词语）")
    index.refresh()
    return _search(index.ranking(), text, query, scope, limit, exclude=None)


def _search(
    ranking: Bm25Index, asked: str, query: Sequence[str], scope: QuerySet[Case], limit: int, exclude: int | None
) -> SimilarResults:
    allowed_ids = list(scope.values_list("pk", flat=True))
    allowed = ranking.rows_of(allowed_ids)
    exclude_row = ranking.row_of(exclude) if exclude is not None else None
    hits = ranking.search(query, k=limit, allowed=allowed, exclude=exclude_row) if len(allowed) else []
    ids = [h.key for h in hits if h.key != exclude]
    cases = Case.objects.select_related("defendant").in_bulk(ids)
    texts = dict(CaseText.objects.filter(case_id__in=ids).values_list("case_id", "terms"))
    query_terms = set(query)
    results = []
    for hit in hits:
        case = cases.get(hit.key)
        if case is None or case.pk == exclude:
            continue
        shared = query_terms & set(texts.get(case.pk, "").split())
        results.append(
            SimilarCase(
                case=case,
                score=round(hit.score, 4),
                reasons=reasons(shared, ranking, case),
                snippet=_snippet(case),
            )
        )
    return SimilarResults(query=asked, results=results)


def reasons(shared: set[str], ranking: Bm25Index, case: Case) -> list[str]:
    """Why a case matched, in Chinese: the same 案由/领域/agency, then the shared words, the rarest first."""
    said = []
    if CAUSE_MARK + case.cause in shared:
        said.append(f"同案由：{ActType(case.cause).label}")
    if DOMAIN_MARK + case.domain in shared:
        said.append(f"同领域：{Domain(case.domain).label}")
    if AGENCY_MARK + str(case.defendant_id) in shared:
        said.append(f"同一被告机关：{case.defendant.name}")
    words = sorted((t for t in shared if not t.startswith("#")), key=lambda t: (-ranking.term_weight(t), t))
    # A word inside a longer shared word says nothing more (强制 beside 强制拆除).
    kept = [w for w in words if not any(w != o and w in o for o in words)][:SHARED_TERMS_SHOWN]
    if kept:
        said.append("共同词语：" + "、".join(kept))
    return said


def _snippet(case: Case) -> str:
    text = mask_personal_text(case.summary or case.request or "")
    return text if len(text) <= SNIPPET_CHARS else text[:SNIPPET_CHARS] + "…"


def region_scope(region_path: str | None) -> QuerySet[Case]:
    """The cases of a region's subtree (all cases for None): the command line's scope (SPEC §9 ``--region``)."""
    cases = Case.objects.all()
    return cases.filter(region__path__startswith=region_path) if region_path else cases


def as_json(results: SimilarResults) -> dict[str, object]:
    """SPEC §9: ``{"query": …, "results": [{"number", "score", "outcome", "reasons"}]}``, best first."""
    return {
        "query": results.query,
        "results": [
            {"number": r.case.number, "score": r.score, "outcome": r.outcome, "reasons": r.reasons}
            for r in results.results
        ],
    }


def kind_label(case: Case) -> str:
    return "诉讼" if case.kind == CaseKind.LITIGATION else "复议"
