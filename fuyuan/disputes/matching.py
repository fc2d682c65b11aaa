"""Coordinator matching (SPEC §6.2): a ranked proposal with the reason for each rank; staff choose.

The rank, highest first: domain expertise beats any region, the region (same county, then same prefecture, then
elsewhere) beats any record or load, and among equals past mediations in the dispute's domain and a lighter load
count. The points are chosen so that this order holds (a lesser criterion, at its most, never makes up for one
step of a greater), and the score shown to staff is their sum.
A coordinator with a declared conflict of interest with the agency or an applicant (one not withdrawn), one not
available, or one at their limit is never proposed.

``with_load`` and ``mediation_successes`` are the one definition of a coordinator's current load and past success;
the pool's own page (``disputes.pool_views``) shows them as they count here.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, Q, QuerySet

from fuyuan.core.models import Region, RegionLevel
from fuyuan.disputes import classify
from fuyuan.disputes.choices import OPEN_STATES, DisputeOutcome
from fuyuan.disputes.models import Conflict, Coordinator, Dispute
from fuyuan.disputes.queries import pool_for

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations  # a development dependency: for the type checker only

DOMAIN_POINTS = 50
SAME_COUNTY_POINTS = 30
SAME_PREFECTURE_POINTS = 15
SUCCESS_POINTS = 2  # for each mediation in the domain ...
SUCCESS_MAX = 6  # ... up to three
LOAD_MAX = 5  # for an empty desk, one less for each dispute in hand


@dataclass(frozen=True)
class Proposal:
    coordinator: Coordinator
    score: int
    reasons: list[str]

    @property
    def reason_text(self) -> str:
        return "；".join(self.reasons)


def applicant_names(dispute: Dispute) -> list[str]:
    """The applicants named on the dispute (``"王伟、李娜等12人"`` names 王伟 and 李娜)."""
    return classify.applicant_names(dispute.applicants)


class LoadedCoordinator(TypedDict):
    load: int


def with_load(coordinators: QuerySet[Coordinator]) -> QuerySet[WithAnnotations[Coordinator, LoadedCoordinator]]:
    """Each coordinator with ``load``: the disputes in hand now (on the 专班, not released, dispute still open)."""
    return coordinators.annotate(
        load=Count(
            "assignments",
            filter=Q(assignments__released_at__isnull=True, assignments__dispute__state__in=OPEN_STATES),
            distinct=True,
        )
    )


def mediation_successes(coordinator_ids: Iterable[int], *, domain: str = "") -> Counter[int]:
    """Past success: for each coordinator, the disputes mediated (调解成功) with them still on the 专班 when it
    ended, once per dispute; in ``domain`` only when given. One query."""
    ids = list(coordinator_ids)
    successes: Counter[int] = Counter()
    if not ids:
        return successes
    mediated = Dispute.objects.filter(
        outcome=DisputeOutcome.MEDIATED,
        assignments__coordinator__in=ids,
        assignments__released_at__isnull=True,
    )
    if domain:
        mediated = mediated.filter(domain=domain)
    successes.update(c for c, _ in set(mediated.values_list("assignments__coordinator_id", "pk")))
    return successes


def conflict_of(coordinator: Coordinator, dispute: Dispute) -> Conflict | None:
    """The declared conflict in force that bars ``coordinator`` from ``dispute``, if any."""
    names = applicant_names(dispute)
    return (
        coordinator.conflicts.in_force()
        .filter(Q(organisation_id=dispute.agency_id) | Q(person_name__in=names))
        .select_related("organisation")
        .order_by("id")
        .first()
    )


def propose(dispute: Dispute, *, today: datetime.date, limit: int = 10) -> list[Proposal]:
    """The coordinators to propose for ``dispute``, best first, each with why it ranks where it does."""
    names = applicant_names(dispute)
    conflicted = set(
        Conflict.objects.in_force()
        .filter(Q(organisation_id=dispute.agency_id) | Q(person_name__in=names))
        .values_list("coordinator_id", flat=True)
    )
    already = set(dispute.assignments.filter(released_at__isnull=True).values_list("coordinator_id", flat=True))
    pool = list(
        with_load(pool_for(dispute.centre.region.path).exclude(pk__in=conflicted | already)).select_related(
            "organisation", "region"
        )
    )
    pool = [c for c in pool if c.is_available_on(today) and c.load < c.max_load]
    successes: Counter[int] = Counter()
    if dispute.domain and pool:
        successes = mediation_successes([c.pk for c in pool], domain=dispute.domain)
    place = _Place.of(dispute)
    ranked: list[tuple[int, int, str, int, Proposal]] = []
    for c in pool:
        score, reasons = 0, []
        if dispute.domain and dispute.domain in c.domains:
            score += DOMAIN_POINTS
            reasons.append(f"擅长{dispute.get_domain_display()}")
        if place.same_county(c.region):
            score += SAME_COUNTY_POINTS
            reasons.append(f"同在{place.county_label}")
        elif place.same_prefecture(c.region):
            score += SAME_PREFECTURE_POINTS
            reasons.append(f"同属{place.prefecture_name}")
        won = successes.get(c.pk, 0)
        if won:
            score += min(SUCCESS_MAX, SUCCESS_POINTS * won)
            reasons.append(f"本领域调解成功 {won} 件")
        score += max(0, LOAD_MAX - c.load)
        reasons.append(f"在办 {c.load} 件（上限 {c.max_load}）")
        ranked.append((-score, c.load, c.name, c.pk, Proposal(c, score, reasons)))
    ranked.sort(key=lambda r: r[:4])
    return [r[-1] for r in ranked[:limit]]


@dataclass(frozen=True)
class _Place:
    """Where the dispute's agency sits: its county (or 本级 region) and the prefecture above it."""

    county: Region
    prefecture_path: str
    prefecture_name: str

    @classmethod
    def of(cls, dispute: Dispute) -> _Place:
        county = dispute.county
        if county.level == RegionLevel.COUNTY and county.parent_id is not None:
            parent = Region.objects.only("path", "name").get(pk=county.parent_id)
            return cls(county, parent.path, parent.name)
        if county.level == RegionLevel.PREFECTURE:
            return cls(county, county.path, county.name)
        return cls(county, "", "")

    @property
    def county_label(self) -> str:
        return self.county.name if self.county.level == RegionLevel.COUNTY else f"{self.county.name}本级"

    def same_county(self, region: Region) -> bool:
        """A county's coordinators (its townships too); for an agency above county level, those of its own level."""
        if self.county.level == RegionLevel.COUNTY:
            return region.path.startswith(self.county.path)
        return region.pk == self.county.pk

    def same_prefecture(self, region: Region) -> bool:
        return bool(self.prefecture_path) and region.path.startswith(self.prefecture_path)
