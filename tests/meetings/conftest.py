"""The shared setting of the joint-meeting tests: in the shared world, 都匀市's 府院联席会议办公室 (run by ``rol_duyun``)
with a convenor (the deputy mayor of 都匀市人民政府), a deputy (the president of 都匀市人民法院) and two member units,
都匀市自然资源局 (liaison ``agency_duyun``) and 都匀市人民法院 (liaison ``court_duyun``); and its 年度联席会议 of
20 November 2026, which decided two things: one for the 自然资源局 due 10 December, one for the court due
15 December 2026. The clock stands on 2 December 2026 (tests/conftest.py)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from fuyuan.core.models import OrganisationKind
from fuyuan.meetings.models import JointOffice, Meeting, MeetingKind, MemberRole
from fuyuan.meetings.workflow import (
    DecisionDraft,
    ParticipantDraft,
    appoint_member,
    open_office,
    record_meeting,
)
from tests.factories import World, make_org

D = datetime.date
NOW = timezone.make_aware(datetime.datetime(2026, 11, 20, 17, 0))


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


@dataclass
class Council:
    world: World
    office: JointOffice
    meeting: Meeting


def open_duyun_office(world: World) -> JointOffice:
    o, u = world.orgs, world.users
    o["都匀政府"] = make_org("都匀市人民政府", world.regions["都匀市"], OrganisationKind.OTHER)
    office = open_office(world.regions["都匀市"], by=u["rol_duyun"], now=NOW)
    appoint_member(office, role=MemberRole.CONVENOR, organisation=o["都匀政府"], person="李副市长", post="副市长",
                   valid_from=D(2026, 1, 1), by=u["rol_duyun"])  # fmt: skip
    appoint_member(office, role=MemberRole.DEPUTY, organisation=o["都匀法院"], person="赵院长", post="院长",
                   valid_from=D(2026, 1, 1), by=u["rol_duyun"])  # fmt: skip
    appoint_member(office, role=MemberRole.MEMBER, organisation=o["都匀自然资源局"], liaison=u["agency_duyun"],
                   valid_from=D(2026, 1, 1), by=u["rol_duyun"])  # fmt: skip
    appoint_member(office, role=MemberRole.MEMBER, organisation=o["都匀法院"], liaison=u["court_duyun"],
                   valid_from=D(2026, 1, 1), by=u["rol_duyun"])  # fmt: skip
    return office


def hold_annual_meeting(world: World, office: JointOffice) -> Meeting:
    o, u = world.orgs, world.users
    return record_meeting(
        office,
        kind=MeetingKind.ANNUAL,
        title="2026年度府院联席会议",
        held_on=D(2026, 11, 20),
        place="都匀市人民政府三楼会议室",
        agenda=["通报全年行政诉讼和行政复议数据", "研判征地拆迁领域败诉原因"],
        participants=[
            ParticipantDraft("李副市长", o["都匀政府"], "副市长"),
            ParticipantDraft("赵院长", o["都匀法院"], "院长"),
            ParticipantDraft("王局长", o["都匀自然资源局"], "局长"),
        ],
        minutes="会议通报了全年数据，研究了征地拆迁领域败诉原因，议定两项事项。",
        decisions=[
            DecisionDraft("规范征收补偿程序，开展全局执法案卷自查", o["都匀自然资源局"], D(2026, 12, 10)),
            DecisionDraft("向市政府通报征地拆迁类案件审理中发现的共性问题", o["都匀法院"], D(2026, 12, 15)),
        ],
        by=u["rol_duyun"],
        now=NOW,
    )


@pytest.fixture
def council(world: World, settings, tmp_path) -> Council:  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path
    office = open_duyun_office(world)
    return Council(world, office, hold_annual_meeting(world, office))
