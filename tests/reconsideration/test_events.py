"""Every transition writes its Event on the file's timeline; a refused one writes nothing at all."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from fuyuan.cases.choices import ReconsiderationOutcome
from fuyuan.core.models import Event, User
from fuyuan.deadlines.models import Deadline
from fuyuan.obligations.models import Obligation
from fuyuan.reconsideration.models import Application
from fuyuan.reconsideration.workflow import (
    ReconsiderationError,
    accept,
    approve_extension,
    decide,
    record_reply,
    reject,
    request_correction,
    request_extension,
    resume,
    send_copy_to_respondent,
    start_examination,
    suspend,
)
from tests.factories import World
from tests.reconsideration.conftest import D, events_of, fresh, receive

pytestmark = pytest.mark.django_db


def written() -> tuple[int, int, int, int]:
    return Event.objects.count(), Deadline.objects.count(), Obligation.objects.count(), Application.objects.count()


def test_every_transition_writes_an_event(world: World, head: User, clock) -> None:
    staff = world.users["recon_pref"]
    clock(D(2026, 9, 29))
    app = receive(world).application
    steps = [
        ("examination_started", lambda a: start_examination(a, by=staff)),
        ("accepted", lambda a: accept(a, by=staff)),
        ("copy_sent", lambda a: send_copy_to_respondent(a, by=staff)),
        ("reply_recorded", lambda a: record_reply(a, text="答复", by=world.users["agency_duyun"])),
        ("suspended", lambda a: suspend(a, reason="等待相关案件审理结果", by=staff)),
        ("resumed", lambda a: resume(a, by=staff)),
        ("extension_requested", lambda a: request_extension(a, reason="复杂", days=20, by=staff)),
        ("extension_approved", lambda a: approve_extension(a, by=head)),
        (
            "decided",
            lambda a: decide(
                a, outcome=ReconsiderationOutcome.UPHELD, facts="经审理查明的事实", grounds="合法", by=head
            ),
        ),
    ]
    for action, step in steps:
        before = len(events_of(app))
        step(fresh(app))
        assert events_of(app)[before:] == [action]


REFUSALS = [
    ("a rejection without reasons", lambda w, a: reject(a, grounds=["out_of_scope"], reason="", by=w.users["recon_pref"]), ReconsiderationError),
    ("a correction with nothing listed", lambda w, a: request_correction(a, items=[], by=w.users["recon_pref"]),
     ReconsiderationError),
    ("an acceptance by another agency", lambda w, a: accept(a, by=w.users["agency_fuquan"]), PermissionDenied),
    ("a copy before acceptance", lambda w, a: send_copy_to_respondent(a, by=w.users["recon_pref"]),
     ReconsiderationError),
]  # fmt: skip


@pytest.mark.parametrize(("what", "refused", "error"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_a_refused_transition_writes_nothing(world: World, clock, what: str, refused, error) -> None:  # type: ignore[no-untyped-def]
    clock(D(2026, 9, 29))
    app = receive(world).application
    before, version = written(), fresh(app).version

    with pytest.raises(error):
        refused(world, app)

    assert written() == before
    assert fresh(app).version == version and fresh(app).stage == "received"
