"""``fuyuan demo`` generating: the same seed gives the same demo and walks its losses the same way, ``--if-empty`` on an
empty and a populated database, a demo generated now. Each test generates its own (what a demo contains:
``test_demo.py``; the full demo's rates: ``test_demo_full.py``)."""

from __future__ import annotations

import datetime
import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from fuyuan.accountability.models import LossReview
from fuyuan.cases.choices import CaseKind, Instance, loss_outcomes
from fuyuan.cases.models import Case
from fuyuan.core.models import Region, RegionLevel
from fuyuan.demo.generator import generate_demo
from fuyuan.disputes.models import Assignment, Dispute
from fuyuan.hearings.models import Hearing, HearingState

SMALL = "600"
# The same seed, the same demo: three generations of a demo as large as the every-page crawl's (tests/core/test_csrf.py),
# whose losses (a dozen or more) each get their review.
SEEDED = 300
NOW = timezone.make_aware(datetime.datetime(2026, 11, 23, 10, 0))
pytestmark = pytest.mark.django_db


def demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def digest() -> str:
    """What a user would compare between two runs: numbers, outcomes, dates, chains, appearance, hearings and
    the centres' disputes with their teams."""
    rows = Case.objects.order_by("number").values_list(
        "number", "outcome", "filed_on", "hearing_on", "received_on", "accepted_on", "concluded_on",
        "predecessor__number", "defendant__name", "head_appeared", "head_spoke", "head_absence_reason",
    )  # fmt: skip
    hearings = Hearing.objects.order_by("case__number", "held_on").values_list(
        "case__number", "held_on", "state", "designated_head__name", "absence_reason", "spoke"
    )
    disputes = Dispute.objects.order_by("number").values_list(
        "number", "state", "outcome", "received_on", "concluded_on", "applicants", "agency__name", "case__number"
    )
    teams = Assignment.objects.order_by("dispute__number", "coordinator__name").values_list(
        "dispute__number", "coordinator__name", "role"
    )
    return hashlib.sha256(repr([list(rows), list(hearings), list(disputes), list(teams)]).encode()).hexdigest()


def digests_of_a_fresh_demo(seed: int) -> tuple[str, str]:
    """Generate into the empty database, take the digests of the demo and of its loss reviews, check that every loss
    has its review, and roll the generation back."""
    with transaction.atomic():
        generate_demo(seed=seed, cases=SEEDED, now=NOW)
        result = digest(), _review_digest()
        losses = Case.objects.filter(kind=CaseKind.LITIGATION, instance=Instance.FIRST, outcome__in=loss_outcomes())
        assert LossReview.objects.count() == losses.count() > 0
        transaction.set_rollback(True)
    return result


def _review_digest() -> str:
    rows = LossReview.objects.order_by("case__number").values_list(
        "case__number", "state", "notice_on", "notice_number", "causes", "analysis_on", "interview_on",
        "interviewer", "interviewee", "accountable", "decision_on", "comment_at", "opened_at",
    )  # fmt: skip
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


def test_the_same_seed_gives_the_same_demo_and_loss_reviews_and_another_seed_does_not() -> None:
    # Every loss of each demo has one review (checked in each generation); the same seed walks them the same way.
    first, first_reviews = digests_of_a_fresh_demo(7)
    again, again_reviews = digests_of_a_fresh_demo(7)
    other, _ = digests_of_a_fresh_demo(8)

    assert (first, first_reviews) == (again, again_reviews)
    assert first != other


def test_if_empty_on_an_empty_database_generates_a_demo_of_today_with_its_upcoming_hearings_from_today_on() -> None:
    output = demo("--if-empty", "--cases", SMALL)
    today = timezone.localdate()

    # ``--cases`` counts the generated cases; the reconsideration files handled through the workflow come on top.
    generated = Case.objects.filter(reconsideration_application__isnull=True)
    assert 0.95 * int(SMALL) <= generated.count() <= int(SMALL) < Case.objects.count() <= int(SMALL) + 30
    assert "已生成演示数据" in output
    upcoming = Hearing.objects.exclude(state__in=[HearingState.ATTENDED, HearingState.ABSENT])
    held = Hearing.objects.filter(state__in=[HearingState.ATTENDED, HearingState.ABSENT])
    assert upcoming.exists() and not upcoming.filter(held_on__lt=today).exists()
    assert held.exists() and not held.filter(held_on__gte=today).exists()


def test_without_if_empty_a_populated_database_is_refused_in_one_line() -> None:
    Region.objects.create(name="真实地区", level=RegionLevel.PREFECTURE)

    with pytest.raises(CommandError) as refused:
        demo("--cases", SMALL)

    assert "已有数据" in str(refused.value) and "\n" not in str(refused.value)
    assert not Case.objects.exists()
