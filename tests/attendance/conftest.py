"""The shared setting of the 旁听庭审 tests: in the shared world, 都匀市自然资源局 (its liaison ``agency_duyun``) and
福泉市公安局 (``agency_fuquan``) record the hearings they attend at 都匀市人民法院."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from fuyuan.attendance import workflow as wf
from fuyuan.attendance.models import Mode, Session
from tests.factories import World

D = datetime.date


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


def attended(world: World, held_on: datetime.date, *, by: str = "agency_duyun", **kw: Any) -> Session:
    kw.setdefault("case_number", f"（2026）黔2701行初{held_on:%m%d}号")
    kw.setdefault("court", world.orgs["都匀法院"])
    kw.setdefault("mode", Mode.IN_PERSON)
    kw.setdefault("people", [wf.Person("李明", "法制股股长", "程序违法是败诉主因，执法全过程记录要做实。")])
    return wf.record_session(held_on=held_on, by=world.users[by], **kw)
