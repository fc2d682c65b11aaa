"""Who may see and do what with major administrative decisions: the one place where their scoping is decided
(SPEC §2, §6.6).

Roles (there is no government-office role in Fuyuan, so the 依法治办 of the decision's region stands for the
government office: it keeps the catalogue, records the collective discussion, publishes, and starts the
post-evaluation; the same office supervises every step in its region subtree):

- 决策承办单位: the agency liaisons of the owning organisation (drafts, 公众参与, 专家论证, 风险评估, 送审);
- 合法性审查部门: the reconsideration-body users of the 司法局 of the decision's region (the 司法局 is the
  government's legal-affairs department that reviews its drafts; the 依法治办 is kept for supervision, so that the
  one who checks the procedure is not the one who reviewed the draft);
- 依法治办 and leaders of the region or above: read everything in their region subtree.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from fuyuan.cases.queries import case_scope
from fuyuan.core.models import OrganisationKind, Role, User
from fuyuan.decisions.models import CaseLink, Catalogue, Decision
from fuyuan.legalreview.models import LegalMatter
from fuyuan.legalreview.queries import visible_to as visible_matters


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def _region_path(user: User) -> str | None:
    if user.region_id is not None:
        return user.region.path  # type: ignore[union-attr]
    if user.organisation_id is not None:
        return user.organisation.region.path  # type: ignore[union-attr]
    return None


def visible_to(user: User) -> QuerySet[Decision]:
    """The decisions ``user`` may open. Every page and export that takes a decision's id loads it from here."""
    if not _active(user):
        return Decision.objects.none()
    if user.role in (Role.RULE_OF_LAW_OFFICE, Role.LEADER):
        path = _region_path(user)
        return Decision.objects.filter(region__path__startswith=path) if path else Decision.objects.none()
    if user.role == Role.AGENCY_LIAISON and user.organisation_id is not None:
        return Decision.objects.filter(owner_id=user.organisation_id)
    if is_reviewer_user(user):
        return Decision.objects.filter(
            Q(region_id=user.organisation.region_id) | Q(review_body_id=user.organisation_id)  # type: ignore[union-attr]
        )
    return Decision.objects.none()


def catalogues_visible_to(user: User) -> QuerySet[Catalogue]:
    """The catalogues: the 依法治办 and leaders of the region subtree; a unit sees the catalogues it has items in."""
    if not _active(user):
        return Catalogue.objects.none()
    if user.role in (Role.RULE_OF_LAW_OFFICE, Role.LEADER):
        path = _region_path(user)
        return Catalogue.objects.filter(region__path__startswith=path) if path else Catalogue.objects.none()
    if user.role == Role.AGENCY_LIAISON and user.organisation_id is not None:
        return Catalogue.objects.filter(items__owner_id=user.organisation_id).distinct()
    return Catalogue.objects.none()


def is_reviewer_user(user: User) -> bool:
    return (
        _active(user)
        and user.role == Role.RECONSIDERATION_BODY
        and user.organisation_id is not None
        and user.organisation.kind == OrganisationKind.JUSTICE_BUREAU  # type: ignore[union-attr]
    )


def is_owner(user: User, decision: Decision) -> bool:
    """决策承办单位: an agency liaison of the owning organisation."""
    return _active(user) and user.role == Role.AGENCY_LIAISON and user.organisation_id == decision.owner_id


def is_reviewer(user: User, decision: Decision) -> bool:
    """合法性审查部门: the 司法局 of the decision's region (or the body the draft was sent to)."""
    if not is_reviewer_user(user):
        return False
    if decision.review_body_id is not None:
        return user.organisation_id == decision.review_body_id
    return user.organisation.region_id == decision.region_id  # type: ignore[union-attr]


def is_government_office(user: User, region_id: int) -> bool:
    """The 依法治办 of the decision's own region, standing for the government office (no such role exists)."""
    return _active(user) and user.role == Role.RULE_OF_LAW_OFFICE and user.region_id == region_id


# ---------------------------------------------------------------------------------------------------------------
# Links between cases and the decisions or reviewed documents they are about

# Who may link a case to a decision or a document: the 依法治办 (supervision), the agency (its own decisions and
# documents, its own cases) and the 司法局 (the documents it reviewed, the reconsideration cases it handles), each
# only where they see both the case and the decision or document.
LINKER_ROLES = frozenset({Role.RULE_OF_LAW_OFFICE, Role.AGENCY_LIAISON, Role.RECONSIDERATION_BODY})


def matters_visible_to(user: User) -> QuerySet[LegalMatter]:
    return visible_matters(user)


def links_visible_to(user: User) -> QuerySet[CaseLink]:
    """The links ``user`` sees: both the case and the decision or document are theirs to see. A county user never
    learns that a case of another county is linked to a decision they see, nor the other way round."""
    scope = case_scope(user, via="case__")
    if scope is None:
        return CaseLink.objects.none()
    decisions, matters = visible_to(user), matters_visible_to(user)
    if decisions.query.is_empty() and matters.query.is_empty():
        return CaseLink.objects.none()
    return CaseLink.objects.filter(scope).filter(
        Q(decision__in=decisions.values("pk")) | Q(matter__in=matters.values("pk"))
    )


def may_link(user: User) -> bool:
    return _active(user) and user.role in LINKER_ROLES
