from collections.abc import Callable

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

# The party's online application (线上申请) and its confirmation are for people without an account.
PUBLIC_PREFIXES = ("/login/", "/static/", "/disputes/apply/", "/api/v1/", "/api/schema/", "/api/docs/", "/health/")


class LoginRequiredMiddleware:
    """Every page needs a logged-in user, except the log-in page, static files and the online application."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated and not request.path.startswith(PUBLIC_PREFIXES):
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)
