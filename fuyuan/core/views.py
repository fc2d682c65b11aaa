from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from fuyuan.core.models import ADMIN_ROLES, Role


def home(request: HttpRequest) -> HttpResponse:
    """The main page: the figures for supervising roles, the centre's queue or the coordinator's tasks, the case
    list for everyone else."""
    role = getattr(request.user, "role", "")
    if role == Role.AUDIT_ADMIN:
        return redirect("audit:log")
    if role in ADMIN_ROLES:
        return redirect("admins:users")
    if role in {Role.RULE_OF_LAW_OFFICE, Role.LEADER}:
        return redirect("stats:figures")
    if role == Role.CENTRE_STAFF:
        return redirect("disputes:queue")
    if role == Role.COORDINATOR:
        return redirect("disputes:mine")
    return redirect("cases:list")
