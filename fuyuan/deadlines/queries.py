from django.db.models import QuerySet

from fuyuan.cases.queries import visible_to
from fuyuan.core.models import User
from fuyuan.deadlines.models import Deadline


def deadlines_visible_to(user: User) -> QuerySet[Deadline]:
    """A deadline is visible with its case (scoping is decided once, in ``cases.queries``)."""
    return Deadline.objects.filter(case__in=visible_to(user))
