"""Who may see and change which cases: the one place where case scoping is decided (SPEC §2).

Every page, export, drill-down and (later) API endpoint starts from ``visible_to(user)``.
"""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, Q, QuerySet

from fuyuan.cases.choices import CaseKind
from fuyuan.cases.models import Case
from fuyuan.core.models import Role, User

# Roles that see the cases of their whole region subtree (read); the 依法治办 also edits them.
REGION_WIDE_ROLES = frozenset({Role.RULE_OF_LAW_OFFICE, Role.LEADER})


def case_scope(user: User, via: str = "") -> Q | None:
    """The condition on Case that bounds what ``user`` sees, or None for nothing at all. ``via`` is the path to the
    case from another model (``"case__"``), so that a record kept beside its case is scoped by a condition on the
    joined case, which the database answers from the case's indexes, instead of ``case IN (SELECT …)``."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.role in REGION_WIDE_ROLES:
        region = user.scope_region
        return Q(**{f"{via}region__path__startswith": region.path}) if region else None
    if user.organisation_id is None:
        return None
    if user.role == Role.COURT_LIAISON:
        return Q(**{f"{via}kind": CaseKind.LITIGATION, f"{via}court_id": user.organisation_id})
    if user.role == Role.RECONSIDERATION_BODY:
        return Q(**{f"{via}kind": CaseKind.RECONSIDERATION, f"{via}reconsideration_body_id": user.organisation_id})
    if user.role == Role.AGENCY_LIAISON:
        return Q(**{f"{via}defendant_id": user.organisation_id})
    if user.role == Role.CENTRE_STAFF:
        # The cases their centre's disputes are linked to (the dispute's file goes with the case it concerns).
        return Q(**{f"{via}pk__in": Case.objects.filter(disputes__centre_id=user.organisation_id).values("pk")})
    # Coordinators, the 纪委监委 liaison and the three administrators see no case here.
    return None


R = TypeVar("R", bound=Model)


def within_case_scope(records: QuerySet[R], user: User, via: str = "case__") -> QuerySet[R]:
    """``records`` narrowed to those whose case ``user`` sees, by ``case_scope``'s condition on the joined case
    (``via``; ``""`` for the cases themselves); none when ``user`` sees no case."""
    scope = case_scope(user, via=via)
    return records.none() if scope is None else records.filter(scope)


def visible_to(user: User) -> QuerySet[Case]:
    return within_case_scope(Case.objects.all(), user, via="")


def editable_by(user: User) -> QuerySet[Case]:
    """Cases the user may change: the 依法治办 in its subtree, courts their litigation, bodies their reconsideration."""
    if user.role not in {Role.RULE_OF_LAW_OFFICE, Role.COURT_LIAISON, Role.RECONSIDERATION_BODY}:
        return Case.objects.none()
    return visible_to(user)


def can_edit(user: User, case: Case) -> bool:
    return editable_by(user).filter(pk=case.pk).exists()


def creatable_kinds(user: User) -> list[str]:
    """The kinds of case a user may register."""
    if user.role == Role.RULE_OF_LAW_OFFICE and user.scope_region is not None:
        return [CaseKind.LITIGATION, CaseKind.RECONSIDERATION]
    if user.role == Role.COURT_LIAISON and user.organisation_id:
        return [CaseKind.LITIGATION]
    if user.role == Role.RECONSIDERATION_BODY and user.organisation_id:
        return [CaseKind.RECONSIDERATION]
    return []


def can_import(user: User) -> bool:
    """Ledger import creates regions and organisations, so it belongs to the 依法治办."""
    return user.role == Role.RULE_OF_LAW_OFFICE and user.scope_region is not None
