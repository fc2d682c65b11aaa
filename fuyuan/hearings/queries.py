"""Who sees which hearings: exactly the hearings of the cases they see (SPEC §2; scoping lives in cases.queries)."""

from __future__ import annotations

from django.db.models import QuerySet

from fuyuan.cases import queries as case_queries
from fuyuan.core.models import User
from fuyuan.hearings.models import Hearing


def visible_to(user: User) -> QuerySet[Hearing]:
    return Hearing.objects.filter(case__in=case_queries.visible_to(user).values("pk"))
