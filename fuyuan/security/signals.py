"""Signal receivers of the identity part."""

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from fuyuan.security.session import stamp_session


@receiver(user_logged_in, dispatch_uid="fuyuan.security.stamp_session")
def stamp_session_at_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """A new session starts its clocks and learns the password's expiry and whether a code is required."""
    if request is not None and hasattr(request, "session"):
        stamp_session(request.session, user)
