from django.db.models import QuerySet

from fuyuan.cases.queries import REGION_WIDE_ROLES, visible_to
from fuyuan.core.models import Organisation, User
from fuyuan.core.queries import organisations_visible_to
from fuyuan.deadlines.models import Deadline, DeadlineState


def deadlines_visible_to(user: User) -> QuerySet[Deadline]:
    """A deadline is visible with its case (scoping is decided once, in ``cases.queries``)."""
    return Deadline.objects.filter(case__in=visible_to(user))


def owners_visible_to(user: User) -> QuerySet[Organisation]:
    """The organisations whose deadlines (责任单位) a user may list: for the 依法治办 and leaders every organisation of
    their region's subtree (one small query, whatever the number of deadlines); for an organisation's own staff
    those owning a deadline of a case they see (a court's list holds the defendants' defence deadlines beside its
    own trial periods)."""
    if user.role in REGION_WIDE_ROLES:
        return organisations_visible_to(user).select_related(None).only("id", "name")
    owners = deadlines_visible_to(user).exclude(state=DeadlineState.CANCELLED).values("owner_id")
    return Organisation.objects.filter(pk__in=owners).only("id", "name").order_by("name")
