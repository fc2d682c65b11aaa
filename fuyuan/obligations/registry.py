"""The kinds of due obligation: each domain app says, at start (``AppConfig.ready``), how its obligations are
worded and to whom they go, so the sweep step needs no domain import.

A kind's ``remind`` (临期) and ``chase`` (逾期) write the messages and the Event for one obligation, inside the sweep's
transaction for that row; they return False when the subject turns out no longer to be due (the obligation is
then closed as met), True when they told someone. A recurring kind (the monthly dispatch of a leader's package)
also has ``renew``: once a round is told of, the obligation moves on to its next round.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fuyuan.obligations.models import Obligation

Handler = Callable[["Obligation", datetime.datetime], bool]
# A recurring obligation's next round, after the sweep has told of this one: (warn day, due date), or None to end.
Renewal = Callable[["Obligation", datetime.datetime], "tuple[datetime.date, datetime.date] | None"]


@dataclass(frozen=True)
class Kind:
    name: str  # ``rectification.item``
    label: str  # 整改事项, for the sweep's summary and the logs
    remind: Handler
    chase: Handler
    renew: Renewal | None = None


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    KINDS[kind.name] = kind


def kind_of(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise LookupError(f"未登记的到期事项类别：{name}") from None
