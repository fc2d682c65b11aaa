"""Who sees which enforcement bodies, officers and major decisions: the one place where this app's scoping is decided
(SPEC §2, §6.7), and the reads the lists, the warnings and the indicators share.

- 执法监督人员 (the 司法局's enforcement supervision staff), the 依法治办 and leaders: the bodies of their region's
  subtree (the 依法治办 and leaders read only);
- a body's legal staff (机关联络员 of its organisation): their own body only;
- everyone else (courts, centres, coordinators, 特邀执法监督员 — who see the files given to them in 案卷评查 —, the
  three administrators): nothing.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from fuyuan.core.models import Role, User
from fuyuan.enforcement.models import Certificate, EnforcementBody, MajorDecision, Officer

REGION_WIDE_ROLES = frozenset({Role.ENFORCEMENT_SUPERVISION, Role.RULE_OF_LAW_OFFICE, Role.LEADER})


def _body_scope(user: User, prefix: str = "") -> Q | None:
    if not user.is_authenticated or not user.is_active:
        return None
    if user.role in REGION_WIDE_ROLES:
        region = user.scope_region
        return Q(**{f"{prefix}organisation__region__path__startswith": region.path}) if region else None
    if user.role == Role.AGENCY_LIAISON and user.organisation_id is not None:
        return Q(**{f"{prefix}organisation_id": user.organisation_id})
    return None


def bodies_visible_to(user: User) -> QuerySet[EnforcementBody]:
    scope = _body_scope(user)
    return EnforcementBody.objects.filter(scope) if scope is not None else EnforcementBody.objects.none()


def officers_visible_to(user: User) -> QuerySet[Officer]:
    scope = _body_scope(user, "body__")
    return Officer.objects.filter(scope) if scope is not None else Officer.objects.none()


def decisions_visible_to(user: User) -> QuerySet[MajorDecision]:
    scope = _body_scope(user, "body__")
    return MajorDecision.objects.filter(scope) if scope is not None else MajorDecision.objects.none()


# ---------------------------------------------------------------------------------------------------------------
# Certificates


def on_staff(day: datetime.date, prefix: str = "") -> Q:
    """Officers on their body's staff on ``day``."""
    return Q(**{f"{prefix}joined_on__lte": day}) & (
        Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gt": day})
    )


def valid_on(day: datetime.date) -> Q:
    """Certificates valid on ``day`` (``rules.is_valid_on`` in SQL)."""
    return Q(issued_on__lte=day, valid_to__gte=day) & (Q(revoked_on__isnull=True) | Q(revoked_on__gt=day))


def holds_valid_certificate(day: datetime.date) -> Exists:
    """For an Officer queryset: the officer holds a certificate valid on ``day``."""
    return Exists(Certificate.objects.filter(valid_on(day), officer=OuterRef("pk")))


def coverage(officers: QuerySet[Officer], day: datetime.date, key: str) -> dict[int, tuple[int, int]]:
    """Per ``key`` (``body_id``, ``body__organisation_id``): (officers holding a valid certificate on ``day``, officers on
    staff on ``day``), in one aggregate query; a key with no officer is absent."""
    rows = (
        officers.filter(on_staff(day))
        .values(key)
        .annotate(valid=Count("pk", filter=Q(holds_valid_certificate(day))), total=Count("pk"))
        .order_by()
    )
    return {r[key]: (r["valid"], r["total"]) for r in rows}


def current_certificates() -> QuerySet[Certificate]:
    """Each officer's latest certificate not revoked (the one a renewal replaces is not current)."""
    newer = Certificate.objects.filter(
        officer=OuterRef("officer"), revoked_on__isnull=True, valid_to__gt=OuterRef("valid_to")
    )
    return Certificate.objects.filter(revoked_on__isnull=True).exclude(Exists(newer))


def alerts(certificates: QuerySet[Certificate], today: datetime.date, warn_days: int) -> QuerySet[Certificate]:
    """The current certificates of officers on staff that lapse within ``warn_days`` days, have lapsed, or whose
    审验 is overdue."""
    soon = today + datetime.timedelta(days=warn_days)
    return certificates.filter(on_staff(today, "officer__")).filter(Q(valid_to__lt=soon) | Q(review_due_on__lt=today))


# ---------------------------------------------------------------------------------------------------------------
# Major decisions


def reviewed_before() -> Q:
    """法制审核 before the decision, and not refused (行政处罚法 第58条: 未经法制审核或者审核未通过的，不得作出决定)."""
    return Q(reviewed_on__isnull=False, reviewed_on__lte=F("decided_on")) & ~Q(review_conclusion="refused")


def filed_in_time() -> Q:
    return Q(filed_on__isnull=False, filed_on__lte=F("filing_due_on"))


def in_order() -> Q:
    return reviewed_before() & filed_in_time()


def problems(decisions: QuerySet[MajorDecision], today: datetime.date) -> QuerySet[MajorDecision]:
    """Decisions made without a 法制审核 before them, filed late, or past their filing date and not filed."""
    made = decisions.filter(decided_on__isnull=False)
    return made.filter(
        ~reviewed_before()
        | Q(filed_on__isnull=False, filed_on__gt=F("filing_due_on"))
        | Q(filed_on__isnull=True, filing_due_on__lt=today)
    )


def problem_reasons(decision: MajorDecision, today: datetime.date) -> list[str]:
    """Why a decision is listed by ``problems`` (the same rules, read on one record)."""
    if decision.decided_on is None:
        return []
    reasons = []
    if decision.reviewed_on is None:
        reasons.append("未经法制审核")
    elif decision.reviewed_on > decision.decided_on:
        reasons.append(f"决定作出后才法制审核（{decision.reviewed_on:%Y-%m-%d}）")
    elif decision.review_conclusion == "refused":
        reasons.append("法制审核未通过仍作出决定")
    if decision.filed_on is not None and decision.filing_due_on and decision.filed_on > decision.filing_due_on:
        reasons.append(f"逾期备案（{(decision.filed_on - decision.filing_due_on).days}天）")
    elif decision.filed_on is None and decision.filing_due_on and decision.filing_due_on < today:
        reasons.append(f"逾期未备案（已逾期{(today - decision.filing_due_on).days}天）")
    return reasons


def decided_in(year: int) -> Q:
    return Q(decided_on__gte=datetime.date(year, 1, 1), decided_on__lte=datetime.date(year, 12, 31))
