"""The kinds of due obligation: each domain app says, at start (``AppConfig.ready``), how its obligations are
worded and to whom they go, so the sweep step needs no domain import.

A kind's ``remind`` (临期) and ``chase`` (逾期) write the messages and the Event for one obligation, inside the sweep's
transaction for that row; they return False when the subject turns out no longer to be due (the obligation is
then closed as met), True when they told someone.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fuyuan.obligations.models import Obligation

Handler = Callable[["Obligation", datetime.datetime], bool]


@dataclass(frozen=True)
class Kind:
    name: str  # ``rectification.item``
    label: str  # 整改事项, for the sweep's summary and the logs
    remind: Handler
    chase: Handler


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    KINDS[kind.name] = kind


def kind_of(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise LookupError(f"未登记的到期事项类别：{name}") from None
