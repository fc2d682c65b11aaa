from django.db.models import QuerySet

from fuyuan.cases.queries import REGION_WIDE_ROLES, within_case_scope
from fuyuan.core.models import Organisation, User
from fuyuan.core.queries import organisations_visible_to
from fuyuan.deadlines.models import Deadline, DeadlineState


def deadlines_visible_to(user: User) -> QuerySet[Deadline]:
    """A deadline is visible with its case (scoping is decided once, in ``cases.queries``), by the cases' condition on
    the joined case: the database starts from the deadlines asked for (the overdue ones by ``deadline_state_due``)
    and looks up each one's case, instead of listing every visible case first, as ``case IN (SELECT …)`` made SQLite
    do (the dashboard's overdue section over 1,000,000 cases: 0.5 s)."""
    return within_case_scope(Deadline.objects.all(), user)


def owners_visible_to(user: User) -> QuerySet[Organisation]:
    """The organisations whose deadlines (责任单位) a user may list: for the 依法治办 and leaders every organisation of
    their region's subtree (one small query, whatever the number of deadlines); for an organisation's own staff
    those owning a deadline of a case they see (a court's list holds the defendants' defence deadlines beside its
    own trial periods)."""
    if user.role in REGION_WIDE_ROLES:
        return organisations_visible_to(user).select_related(None).only("id", "name")
    owners = deadlines_visible_to(user).exclude(state=DeadlineState.CANCELLED).values("owner_id")
    return Organisation.objects.filter(pk__in=owners).only("id", "name").order_by("name")
