"""What the identity part keeps in a session, stamped at log-in so the middleware reads it without a query."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.sessions.backends.base import SessionBase

LOGIN_AT = "fuyuan_login_at"  # epoch seconds of the log-in: the absolute limit counts from here
SEEN = "fuyuan_seen"  # epoch seconds of the last request the person made: the idle timeout counts from here
PASSWORD_EXPIRES = "fuyuan_password_expires"  # epoch seconds at which the password expires; 0: never
OTP_REQUIRED = "fuyuan_otp_required"  # whether this person must enter a one-time code


def stamp_session(session: SessionBase, user: Any) -> None:
    from fuyuan.security.second_factor import second_factor_required

    now = int(time.time())
    session[LOGIN_AT] = now
    session[SEEN] = now
    stamp_password_expiry(session, user)
    session[OTP_REQUIRED] = second_factor_required(user)


def stamp_password_expiry(session: SessionBase, user: Any) -> None:
    from fuyuan.security.passwords import current_password, password_expires_at

    expires = password_expires_at(current_password(user))
    session[PASSWORD_EXPIRES] = int(expires.timestamp()) if expires else 0
