"""Signals of the reference data that other apps build on, so that ``core`` need not know who they are."""

from django.dispatch import Signal

# Sent inside the transaction that entered, changed or deleted a year's 放假安排 (``CalendarYear`` with its days),
# once per save with the days included, with ``year`` and ``by`` (the user who did it). The deadlines app recomputes
# the open deadlines whose period touches that year in the same transaction.
calendar_changed = Signal()
