"""``fuyuan demo`` generating: the same seed gives the same demo, ``--if-empty`` on an empty and a populated database,
a demo generated now, a larger demo's rates. Each test generates its own (what a demo contains: ``test_demo.py``)."""

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
from fuyuan.demo.generator import PREFECTURE, generate_demo
from fuyuan.disputes.models import Assignment, Dispute
from fuyuan.hearings.models import Hearing, HearingState
from fuyuan.stats import figures

SMALL = "600"
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


def digest_of_a_fresh_demo(seed: int) -> str:
    """Generate into the empty database, take the digest, and roll the generation back."""
    with transaction.atomic():
        generate_demo(seed=seed, cases=int(SMALL), now=NOW)
        result = digest()
        transaction.set_rollback(True)
    return result


def test_the_same_seed_gives_the_same_cases_and_disputes_and_another_seed_does_not() -> None:
    first = digest_of_a_fresh_demo(7)
    again = digest_of_a_fresh_demo(7)
    other = digest_of_a_fresh_demo(8)

    assert first == again
    assert first != other


def test_if_empty_on_an_empty_database_generates_the_demo() -> None:
    output = demo("--if-empty", "--cases", SMALL)

    # ``--cases`` counts the generated cases; the reconsideration files handled through the workflow come on top.
    generated = Case.objects.filter(reconsideration_application__isnull=True)
    assert 0.95 * int(SMALL) <= generated.count() <= int(SMALL) < Case.objects.count() <= int(SMALL) + 30
    assert "已生成演示数据" in output


def test_without_if_empty_a_populated_database_is_refused_in_one_line() -> None:
    Region.objects.create(name="真实地区", level=RegionLevel.PREFECTURE)

    with pytest.raises(CommandError) as refused:
        demo("--cases", SMALL)

    assert "已有数据" in str(refused.value) and "\n" not in str(refused.value)
    assert not Case.objects.exists()


def test_a_demo_generated_now_has_its_upcoming_hearings_from_today_on() -> None:
    demo("--cases", SMALL)
    today = timezone.localdate()

    upcoming = Hearing.objects.exclude(state__in=[HearingState.ATTENDED, HearingState.ABSENT])
    held = Hearing.objects.filter(state__in=[HearingState.ATTENDED, HearingState.ABSENT])

    assert upcoming.exists() and not upcoming.filter(held_on__lt=today).exists()
    assert held.exists() and not held.filter(held_on__gte=today).exists()


def test_the_due_appearance_and_speaking_rates_of_the_prefecture_are_not_null_and_improve() -> None:
    generate_demo(cases=2000, now=NOW)
    prefecture = Region.objects.get(name=PREFECTURE)
    cases = Case.objects.filter(region__path__startswith=prefecture.path)

    years = {
        year: figures.table(cases, datetime.date(year, 1, 1), datetime.date(year, 12, 31)) for year in (2024, 2026)
    }

    for year, result in years.items():
        rates = result["rates"]
        assert rates["due_appearance_rate"] is not None and rates["speaking_rate"] is not None, year
        assert rates["appearance_rate"] <= rates["due_appearance_rate"] <= 100, year
        assert 80 <= rates["speaking_rate"] <= 97, year
        assert result["counts"]["litigation.head_due"] < result["counts"]["litigation.hearings"], year
    assert years[2026]["rates"]["speaking_rate"] > years[2024]["rates"]["speaking_rate"]
    absent = Case.objects.filter(instance=Instance.FIRST, head_appeared=False)
    assert 0.3 < absent.exclude(head_absence_reason="").count() / absent.count() < 0.7


def _review_digest() -> str:
    rows = LossReview.objects.order_by("case__number").values_list(
        "case__number", "state", "notice_on", "notice_number", "causes", "analysis_on", "interview_on",
        "interviewer", "interviewee", "accountable", "decision_on", "comment_at", "opened_at",
    )  # fmt: skip
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


def test_every_demo_loss_has_one_review_and_the_same_seed_walks_it_the_same_way() -> None:
    with transaction.atomic():
        generate_demo(seed=7, cases=int(SMALL), now=NOW)
        first = _review_digest()
        losses = Case.objects.filter(
            kind=CaseKind.LITIGATION, instance=Instance.FIRST, outcome__in=loss_outcomes()
        ).count()
        assert LossReview.objects.count() == losses > 0
        transaction.set_rollback(True)
    generate_demo(seed=7, cases=int(SMALL), now=NOW)

    assert _review_digest() == first
