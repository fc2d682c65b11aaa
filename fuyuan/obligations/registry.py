"""The kinds of due obligation: each domain app says, at start (``AppConfig.ready``), how its obligations are
worded and to whom they go, so the sweep step needs no domain import.

A kind's ``remind`` (临期) and ``chase`` (逾期) write the messages and the Event for one obligation, inside the sweep's
transaction for that row; they return False when the subject turns out no longer to be due (the obligation is
then closed as met), True when they told someone. A recurring kind (the monthly dispatch of a leader's package)
also has ``renew``: once a round is told of, the obligation moves on to its next round.

A kind with many obligations falling due at once (case deadlines: a county's day can bring hundreds) also has
``batch``: the sweep then claims its obligations ``chunk()`` at a time and hands it the whole chunk, which it reads in
a few queries, words row by row (a row whose wording raises goes in ``Outcomes.failed`` and is held back alone) and
writes in bulk. Should the bulk write itself fail, the sweep rolls the chunk back and tells each row alone through
``remind`` and ``chase``, so one bad row never holds back the rest.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fuyuan.obligations.models import Obligation

Handler = Callable[["Obligation", datetime.datetime], bool]
# A recurring obligation's next round, after the sweep has told of this one: (warn day, due date), or None to end.
Renewal = Callable[["Obligation", datetime.datetime], "tuple[datetime.date, datetime.date] | None"]


@dataclass
class Outcomes:
    """What a kind's ``batch`` did with each obligation of a chunk, by obligation id: told of (True) or found no
    longer due (False) in ``done``, or the error its row raised in ``failed`` (its writes left out)."""

    done: dict[int, bool] = field(default_factory=dict)
    failed: dict[int, BaseException] = field(default_factory=dict)


# A chunk of due obligations, each with what is due for it (``workflow.REMIND`` or ``workflow.CHASE``).
Batch = Callable[[list[tuple["Obligation", str]], datetime.datetime], Outcomes]


def _default_chunk() -> int:
    return 500


@dataclass(frozen=True)
class Kind:
    name: str  # ``rectification.item``
    label: str  # 整改事项, for the sweep's summary and the logs
    remind: Handler
    chase: Handler
    renew: Renewal | None = None
    batch: Batch | None = None
    # How many of its obligations a batched kind is handed at once (asked at each sweep).
    chunk: Callable[[], int] = _default_chunk


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    KINDS[kind.name] = kind


def kind_of(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise LookupError(f"未登记的到期事项类别：{name}") from None
