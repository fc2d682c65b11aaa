from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from fuyuan.core.models import Role

# Where each role lands after log-in (``LOGIN_REDIRECT_URL = "home"``) and on the brand link: the page of its own
# work. The one place that decides it; a role not named here lands on the case list.
LANDING: dict[str, str] = {
    Role.RULE_OF_LAW_OFFICE: "stats:dashboard",
    Role.LEADER: "stats:dashboard",
    Role.AGENCY_LIAISON: "hearings:mine",
    Role.COURT_LIAISON: "hearings:court",
    Role.RECONSIDERATION_BODY: "cases:list",
    Role.CENTRE_STAFF: "disputes:queue",
    Role.COORDINATOR: "disputes:mine",
    Role.DISCIPLINE_LIAISON: "accountability:transfer_list",
    Role.SYSTEM_ADMIN: "admins:system",
    Role.SECURITY_ADMIN: "admins:users",
    Role.AUDIT_ADMIN: "audit:log",
    Role.ENFORCEMENT_SUPERVISION: "enforcement:officers",
    Role.INVITED_SUPERVISOR: "filereview:files",
}
DEFAULT_LANDING = "cases:list"


def home(request: HttpRequest) -> HttpResponse:
    """The main page: each role's own work (``LANDING``)."""
    return redirect(LANDING.get(getattr(request.user, "role", ""), DEFAULT_LANDING))
