"""Who may see and do what with non-litigation enforcement files: the one place where their scoping is decided
(SPEC §2, §6.9).

- the agency's liaison: its own agency's files;
- the court liaison: the files applied to its court (a file not yet applied is the agency's alone);
- the 依法治办 and the leaders: the files of the agencies of their region subtree;
- every other role: none.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from fuyuan.core.models import Role, User
from fuyuan.nonlitigation.choices import Executor
from fuyuan.nonlitigation.models import EnforcementFile

REGION_WIDE_ROLES = frozenset({Role.RULE_OF_LAW_OFFICE, Role.LEADER})


def scope(user: User) -> Q | None:
    """The condition on EnforcementFile that bounds what ``user`` sees, or None for nothing."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.role in REGION_WIDE_ROLES:
        region = user.scope_region
        return Q(agency__region__path__startswith=region.path) if region else None
    if user.organisation_id is None:
        return None
    if user.role == Role.AGENCY_LIAISON:
        # The applying agency's, and the body a granted decision was handed to (裁执分离) for the files it executes.
        return Q(agency_id=user.organisation_id) | Q(
            executor=Executor.GOVERNMENT, executing_body_id=user.organisation_id
        )
    if user.role == Role.COURT_LIAISON:
        return Q(court_id=user.organisation_id, applied_on__isnull=False)
    return None


def visible_to(user: User) -> QuerySet[EnforcementFile]:
    """The files ``user`` may open. Every page and helper that takes a file's id loads it from here."""
    condition = scope(user)
    if condition is None:
        return EnforcementFile.objects.none()
    return EnforcementFile.objects.filter(condition)


def _liaison_of(user: User, role: str, organisation_id: int | None) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and user.role == role
        and user.organisation_id is not None
        and user.organisation_id == organisation_id
    )


def is_agency(user: User, file: EnforcementFile) -> bool:
    """The applying agency's liaison: registers the file, records the 催告, applies."""
    return _liaison_of(user, Role.AGENCY_LIAISON, file.agency_id)


def is_court(user: User, file: EnforcementFile) -> bool:
    """The liaison of the court applied to: records acceptance, ruling, the execution or the hand-over."""
    return file.applied_on is not None and _liaison_of(user, Role.COURT_LIAISON, file.court_id)


def is_executing_body(user: User, file: EnforcementFile) -> bool:
    """Under 裁执分离, the liaison of the body that executes (or of the applying agency) reports the result."""
    return file.executor == Executor.GOVERNMENT and (
        _liaison_of(user, Role.AGENCY_LIAISON, file.executing_body_id) or is_agency(user, file)
    )


def may_register(user: User) -> bool:
    return user.is_authenticated and user.role == Role.AGENCY_LIAISON and user.organisation_id is not None


def may_reveal(user: User, file: EnforcementFile) -> bool:
    """The party's whole ID number: the applying agency's liaison and the court it applied to."""
    return is_agency(user, file) or is_court(user, file)
