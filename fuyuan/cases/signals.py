"""Signals other apps listen to, so that the registry need not know who builds on it."""

from collections.abc import Iterable
from typing import Any

from django.dispatch import Signal

# Sent inside the transaction that registered or changed cases, with ``case_ids`` (and optionally ``cases``, the
# same cases in memory, ``new=True`` when they were just created, and ``fields``, the names of the fields an edit of
# one case changed): the apps that derive records from case dates (deadlines) bring them up to date in the same
# transaction.
cases_changed = Signal()


def touches(sent: dict[str, Any], fields: Iterable[str]) -> bool:
    """Whether a ``cases_changed`` (its keyword arguments, ``sent``) may have changed any of ``fields``: always, unless
    the sender named the fields it changed (an edit) and none of them is among these."""
    changed = sent.get("fields")
    return changed is None or not set(fields).isdisjoint(changed)
