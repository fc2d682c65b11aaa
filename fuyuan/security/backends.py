"""The log-in backend: Django's ``ModelBackend``, with the person's region and organisation loaded with them.

Every page reads them (the scope of ``visible_to``, the menu's 单位), so loading the user without them cost two more
queries on every request (bench/bench_pages.py). Sessions begun under Django's own backend name end once, when this
replaces it: the person logs in again."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from fuyuan.core.models import User


class ScopedModelBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        try:
            user = User._default_manager.select_related("region", "organisation__region").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
