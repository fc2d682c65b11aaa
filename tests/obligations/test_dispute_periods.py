"""The dispute centre's periods are due obligations (issue 13 item 15): each is reminded once before it ends and
chased once after, however often the sweep runs, and a period that ends is neither."""

import datetime
from collections import Counter

import pytest
from django.utils import timezone

from fuyuan.core.models import Event
from fuyuan.disputes.choices import AssignmentRole
from fuyuan.disputes.models import Dispute
from fuyuan.disputes.workflow import Choice, accept_dispute, assign_coordinators, record_review
from fuyuan.notifications.models import Channel, Notification
from fuyuan.notifications.sweep import run_sweep
from fuyuan.obligations.models import Obligation, ObligationState
from tests.disputes.consent import WRITTEN
from tests.factories import World, make_coordinator, make_dispute

pytestmark = pytest.mark.django_db

D = datetime.date


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def assigned(world: World, monkeypatch: pytest.MonkeyPatch) -> Dispute:
    """A dispute accepted and assigned on Monday 2 March 2026: its expert review is due three working days on."""
    monkeypatch.setattr(timezone, "now", lambda: at(D(2026, 3, 2)))
    staff = world.users["centre"]
    expert = make_coordinator(
        "林专家", org=world.orgs["州司法局"], domains=["forestry"], user=world.users["coordinator"]
    )
    dispute = make_dispute(world.orgs["州中心"], agency=world.orgs["都匀自然资源局"], received_on=D(2026, 3, 2))
    dispute = accept_dispute(dispute, by=staff, consent=WRITTEN)
    dispute = assign_coordinators(dispute, [Choice(expert, AssignmentRole.LEAD)], by=staff)
    Notification.objects.all().delete()  # the assignment's own notice is not the sweep's
    return dispute


def told(dispute: Dispute, occasion: str) -> Counter[str]:
    """In-app messages of one occasion of the expert review, by recipient."""
    rows = Notification.objects.filter(
        channel=Channel.IN_APP, dedup_key=f"dispute:{dispute.pk}:centre.expert_review:{occasion}"
    )
    return Counter(rows.values_list("recipient__username", flat=True))


def events(dispute: Dispute, action: str) -> int:
    return Event.objects.filter(object_id=dispute.pk, action=action, content_type__model="dispute").count()


def test_a_dispute_period_is_reminded_once_and_chased_once(world: World, assigned: Dispute) -> None:
    due = assigned.review_due_on
    assert due == D(2026, 3, 5)

    # given the day before the last day of the expert review, the sweep run twice
    first = run_sweep(at(due - datetime.timedelta(days=1)))
    run_sweep(at(due - datetime.timedelta(days=1), 11))

    # then the centre's staff and the assigned coordinator are reminded once
    assert first.obligations.of("disputes.period") == (1, 0, 0)
    assert told(assigned, "warned") == {"centre": 1, "coordinator": 1}
    assert events(assigned, "period_warned") == 1
    message = Notification.objects.filter(dedup_key__endswith=":warned", channel=Channel.IN_APP).first()
    assert message is not None and "专家组审核" in message.subject and "还剩 1 日" in message.body
    assert "到期事项——争议化解期限临期提醒 1 项，逾期督办 0 项" in first.summary()

    # given the day after the last day, still not reviewed, the sweep run twice
    late = run_sweep(at(due + datetime.timedelta(days=1)))
    again = run_sweep(at(due + datetime.timedelta(days=2)))

    # then it is chased once, and nothing more is sent after
    assert late.obligations.of("disputes.period") == (0, 1, 0)
    assert again.obligations.of("disputes.period") == (0, 0, 0)
    assert told(assigned, "overdue") == {"centre": 1, "coordinator": 1}
    assert told(assigned, "warned") == {"centre": 1, "coordinator": 1}
    assert events(assigned, "period_overdue") == 1
    review = Obligation.objects.get(subject_id=assigned.pk, rule_id="centre.expert_review")
    assert review.warned_at is not None and review.chased_at is not None and review.next_check_at is None


def test_a_period_that_ends_in_time_is_not_chased_and_the_next_one_starts(
    world: World, assigned: Dispute, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timezone, "now", lambda: at(D(2026, 3, 4)))
    record_review(assigned, opinion="补偿标准适用有误", by=world.users["coordinator"])

    report = run_sweep(at(D(2026, 3, 6)))

    assert report.obligations.of("disputes.period") == (0, 0, 0)
    assert not Notification.objects.filter(dedup_key__contains="centre.expert_review").exists()
    states = dict(Obligation.objects.filter(subject_id=assigned.pk).values_list("rule_id", "state"))
    assert states == {
        "centre.pre_litigation": ObligationState.OPEN,
        "centre.expert_review": ObligationState.MET,
        "centre.plan": ObligationState.OPEN,
    }
