"""The figures of major decisions and of the disputes they produced, computed here and nowhere else; each number has
a function giving the records behind it with the same definition, so a drill-down list always equals its number.

1. 争议来源 (issue 16 item 4): per decision or reviewed document (a *source*, keyed ``d<id>`` or ``m<id>``), over the
   links the user sees (``queries.links_visible_to``):
   - 关联案件: the cases linked to it; 败诉: the litigation cases among them whose outcome is a loss
     (``cases.choices.loss_outcomes``, any instance); 被纠错: the reconsideration cases whose outcome is a correction
     (``correction_outcomes``). A case counted once per source, and once in a total however many sources
     it is linked to.
2. 决策统计 (issue 16 "figures for decisions"): per 承办单位, over ``queries.visible_to``: decisions, in 公众参与,
   legality conclusions (合法 / 不合法 / 修改后合法), collectively discussed, published, post-evaluations under way
   (应评估未完成) and done; and over the comments of those decisions: answered and unanswered (只征不用).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from fuyuan.cases.choices import CaseKind, correction_outcomes, loss_outcomes
from fuyuan.cases.models import Case
from fuyuan.core.models import Region
from fuyuan.decisions.choices import Conclusion, Stage
from fuyuan.decisions.models import CaseLink, Comment, Decision, PostEvaluation

# ---------------------------------------------------------------------------------------------------------------
# 1. 争议来源

SOURCE_MEASURES = {"cases": "关联案件", "lost": "败诉", "corrected": "被纠错"}


def case_measure(figure: str, via: str = "") -> Q:
    """The condition on a case (``via`` the path to it) for one of SOURCE_MEASURES. Unknown figure: KeyError."""
    return {
        "cases": Q(),
        "lost": Q(**{f"{via}kind": CaseKind.LITIGATION, f"{via}outcome__in": loss_outcomes()}),
        "corrected": Q(**{f"{via}kind": CaseKind.RECONSIDERATION, f"{via}outcome__in": correction_outcomes()}),
    }[figure]


def source_key(link: Any) -> str:
    """``d<id>`` or ``m<id>`` of a CaseLink or of its ``values()`` row."""
    decision_id = link["decision_id"] if isinstance(link, dict) else link.decision_id
    matter_id = link["matter_id"] if isinstance(link, dict) else link.matter_id
    return f"d{decision_id}" if decision_id else f"m{matter_id}"


def parse_source(key: str) -> Q | None:
    """The condition on CaseLink for a source key (``d12``, ``m3``), or None when the key is not one."""
    if len(key) > 1 and key[1:].isdigit():
        if key[0] == "d":
            return Q(decision_id=int(key[1:]))
        if key[0] == "m":
            return Q(matter_id=int(key[1:]))
    return None


@dataclass
class SourceRow:
    key: str
    title: str
    kind: str  # 重大行政决策 or the matter's kind
    owner: str
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class SourceFigures:
    rows: list[SourceRow]
    total: dict[str, int]

    @property
    def sources(self) -> int:
        return len(self.rows)


def in_region(links: QuerySet[CaseLink], region: Region | None) -> QuerySet[CaseLink]:
    return links if region is None else links.filter(case__region__path__startswith=region.path)


def source_figures(links: QuerySet[CaseLink]) -> SourceFigures:
    """Every source's counts and the totals, in one query over the links (a link per row: a region has tens or
    hundreds of them, not millions), so that a case linked to two sources is counted once in the total."""
    from fuyuan.legalreview.choices import MatterKind

    losses, corrections = loss_outcomes(), correction_outcomes()
    values = links.order_by().values(
        "decision_id",
        "matter_id",
        "case_id",
        "case__kind",
        "case__outcome",
        "decision__title",
        "decision__owner__name",
        "matter__title",
        "matter__kind",
        "matter__sender__name",
    )
    rows: dict[str, SourceRow] = {}
    seen: dict[str, set[int]] = defaultdict(set)
    for v in values:
        key = source_key(v)
        row = rows.get(key)
        if row is None:
            if v["decision_id"]:
                row = SourceRow(key, v["decision__title"], "重大行政决策", v["decision__owner__name"] or "")
            else:
                kind = MatterKind(v["matter__kind"]).label if v["matter__kind"] in MatterKind.values else ""
                row = SourceRow(key, v["matter__title"], str(kind), v["matter__sender__name"] or "政府办公室")
            row.counts = dict.fromkeys(SOURCE_MEASURES, 0)
            rows[key] = row
        lost = v["case__kind"] == CaseKind.LITIGATION and v["case__outcome"] in losses
        corrected = v["case__kind"] == CaseKind.RECONSIDERATION and v["case__outcome"] in corrections
        for name, hit in (("cases", True), ("lost", lost), ("corrected", corrected)):
            if hit:
                row.counts[name] += 1
                seen[name].add(v["case_id"])
    ordered = sorted(rows.values(), key=lambda r: (-r.counts["lost"], -r.counts["cases"], r.title))
    return SourceFigures(ordered, {name: len(seen[name]) for name in SOURCE_MEASURES})


def cases_behind(cases: QuerySet[Case], links: QuerySet[CaseLink], figure: str, source: str = "") -> QuerySet[Case]:
    """The cases behind one number of ``source_figures``: the user's cases linked (through the user's links) to
    ``source`` (or to any source) that meet ``figure``. Unknown figure or source: KeyError."""
    condition = case_measure(figure)
    if source:
        where = parse_source(source)
        if where is None:
            raise KeyError(source)
        links = links.filter(where)
    return cases.filter(condition, pk__in=links.values("case_id"))


# ---------------------------------------------------------------------------------------------------------------
# 2. 决策统计


def decision_measures() -> dict[str, tuple[str, Q]]:
    finished = PostEvaluation.objects.filter(decision=OuterRef("pk"), finished_on__isnull=False)
    return {
        "decisions": ("决策事项", Q()),
        "public": ("公众参与中", Q(stage=Stage.PUBLIC_PARTICIPATION)),
        "reviewing": ("合法性审查中", Q(stage=Stage.LEGALITY_REVIEW)),
        "lawful": ("审查结论：合法", Q(review_conclusion=Conclusion.LAWFUL)),
        "lawful_if_changed": ("审查结论：修改后合法", Q(review_conclusion=Conclusion.LAWFUL_IF_CHANGED)),
        "unlawful": ("审查结论：不合法", Q(review_conclusion=Conclusion.UNLAWFUL)),
        "discussed": ("已集体讨论决定", Q(meeting_on__isnull=False)),
        "published": ("已公布", Q(published_on__isnull=False)),
        "evaluation_due": ("后评估进行中", Q(stage=Stage.POST_EVALUATION)),
        "evaluation_done": ("已完成后评估", Q(Exists(finished))),
    }


COMMENT_MEASURES = {
    "answered": ("意见已答复", ~Q(answer="")),
    "unanswered": ("意见未答复（只征不用）", Q(answer="")),
}


@dataclass
class OwnerRow:
    key: int | None
    label: str
    counts: dict[str, int] = field(default_factory=dict)


def decision_figures(decisions: QuerySet[Decision]) -> tuple[OwnerRow, list[OwnerRow]]:
    """The totals and a row per 承办单位: four queries whatever the number of decisions and comments."""
    measures = decision_measures()
    counts = {name: Count("pk", filter=q) for name, (_, q) in measures.items()}
    comment_counts = {name: Count("pk", filter=q) for name, (_, q) in COMMENT_MEASURES.items()}
    comments = Comment.objects.filter(decision__in=decisions.values("pk"))
    total = OwnerRow(None, "合计", {**decisions.aggregate(**counts), **comments.aggregate(**comment_counts)})
    rows: dict[int, OwnerRow] = {}
    for v in decisions.order_by().values("owner_id", "owner__name").annotate(**counts):
        owner_id, name = v.pop("owner_id"), v.pop("owner__name")
        rows[owner_id] = OwnerRow(owner_id, name, {**v, **dict.fromkeys(COMMENT_MEASURES, 0)})
    for v in comments.order_by().values("decision__owner_id").annotate(**comment_counts):
        owner_id = v.pop("decision__owner_id")
        if owner_id in rows:
            rows[owner_id].counts.update(v)
    return total, sorted(rows.values(), key=lambda r: (-r.counts["decisions"], r.label))


def decisions_behind(decisions: QuerySet[Decision], figure: str, owner: int | None = None) -> QuerySet[Decision]:
    """The decisions behind one number of ``decision_figures``. Unknown figure: KeyError."""
    _, condition = decision_measures()[figure]
    found = decisions.filter(condition)
    return found if owner is None else found.filter(owner_id=owner)


def comments_behind(decisions: QuerySet[Decision], figure: str, owner: int | None = None) -> QuerySet[Comment]:
    _, condition = COMMENT_MEASURES[figure]
    found = Comment.objects.filter(condition, decision__in=decisions.values("pk"))
    return found if owner is None else found.filter(decision__owner_id=owner)
