"""The 补正 period extended (行政复议法 (2023) 第31条第2款: 有正当理由不能按期补正的，行政复议机构可以延长合理的补正
期限): the deadline, its obligation and the sweep's silence = withdrawn follow the new day."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from fuyuan.deadlines.models import DeadlineState
from fuyuan.obligations.models import Obligation
from fuyuan.reconsideration.choices import Stage
from fuyuan.reconsideration.sweep import sweep_applications
from fuyuan.reconsideration.workflow import (
    ONLINE_APPLICANT,
    ReconsiderationError,
    correction_due,
    extend_correction,
    receive_correction,
    request_correction,
)
from tests.factories import World
from tests.reconsideration.conftest import D, deadline, events_of, fresh, receive

pytestmark = pytest.mark.django_db


def _awaiting(world: World, clock):  # type: ignore[no-untyped-def]
    clock(D(2026, 9, 29))
    receipt = receive(world)
    request_correction(receipt.application, items=["行政处罚决定书复印件"], by=world.users["recon_pref"])
    # 10 working days across 国庆: 19 October.
    assert deadline(receipt.application, "reconsideration.correction_reply").due_on == D(2026, 10, 19)
    return receipt


def test_the_sweep_waits_for_the_extended_correction_period(world: World, clock) -> None:
    app = _awaiting(world, clock).application
    clock(D(2026, 10, 15))

    app = extend_correction(
        app, until=D(2026, 10, 30), reason="申请人住院治疗，无法按期调取材料", by=world.users["recon_pref"]
    )

    assert correction_due(app) == D(2026, 10, 30)
    reply = deadline(app, "reconsideration.correction_reply")
    assert (reply.due_on, reply.state) == (D(2026, 10, 30), DeadlineState.OPEN)
    assert Obligation.objects.get(kind="deadlines.deadline", subject_id=reply.pk).due_on == D(2026, 10, 30)
    assert events_of(app)[-1] == "correction_extended"
    clock(D(2026, 10, 20))
    assert sweep_applications().withdrawn == 0
    clock(D(2026, 10, 30))
    assert sweep_applications().withdrawn == 0
    clock(D(2026, 10, 31))
    assert sweep_applications().withdrawn == 1
    app = fresh(app)
    assert app.stage == Stage.WITHDRAWN and app.case.concluded_on == D(2026, 10, 31)


def test_a_correction_within_the_extended_period_is_received(world: World, clock) -> None:
    receipt = _awaiting(world, clock)
    clock(D(2026, 10, 16))
    extend_correction(receipt.application, until=D(2026, 10, 30), reason="材料在外地", by=world.users["recon_pref"])
    clock(D(2026, 10, 26))

    app = receive_correction(receipt.application, reply="补交", by=ONLINE_APPLICANT, code=receipt.follow_code)

    assert app.stage == Stage.EXAMINING
    assert deadline(app, "reconsideration.correction_reply").state == DeadlineState.MET


def test_an_extension_without_reason_or_not_later_or_out_of_stage_is_refused(world: World, clock) -> None:
    staff = world.users["recon_pref"]
    app = _awaiting(world, clock).application
    clock(D(2026, 10, 15))
    with pytest.raises(ReconsiderationError, match="正当理由"):
        extend_correction(app, until=D(2026, 10, 30), reason=" ", by=staff)
    with pytest.raises(ReconsiderationError, match="应晚于现补正期限（2026-10-19）"):
        extend_correction(app, until=D(2026, 10, 19), reason="住院", by=staff)
    with pytest.raises(PermissionDenied):
        extend_correction(app, until=D(2026, 10, 30), reason="住院", by=world.users["agency_duyun"])
    receive_correction(app, reply="补交", by=staff)
    with pytest.raises(ReconsiderationError, match="不能延长补正期限"):
        extend_correction(fresh(app), until=D(2026, 10, 30), reason="住院", by=staff)
    assert "correction_extended" not in events_of(app)


def test_staff_extend_the_period_on_the_file_page(world: World, clock) -> None:
    staff = world.users["recon_pref"]
    app = _awaiting(world, clock).application
    clock(D(2026, 10, 15))
    client = Client()
    client.force_login(staff)
    url = reverse("reconsideration:act", args=[app.pk, "correction_extension"])

    refused = client.post(url, {"correction_extension-until": "2026-10-30", "correction_extension-reason": ""})
    assert refused.status_code == 200 and "申请人不能按期补正的正当理由" in refused.content.decode()
    done = client.post(url, {"correction_extension-until": "2026-10-30", "correction_extension-reason": "住院治疗"})
    assert done.status_code == 302

    page = client.get(reverse("reconsideration:detail", args=[app.pk])).content.decode()
    assert "补正期限已延长至 2026-10-30（第31条第2款）：住院治疗" in page
    assert "补正期限：2026-10-30" in page
