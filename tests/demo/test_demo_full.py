"""The full demo (``fuyuan demo`` without ``--cases``, as ``make run`` loads it): the centres' story and the loss
reviews walked like real work. The smaller demos' tests are in ``test_demo.py``."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterator

import pytest
from django.contrib.contenttypes.models import ContentType
from pytest_django import DjangoDbBlocker

from fuyuan.accountability.models import LossReview, LossReviewState
from fuyuan.cases.choices import Instance
from fuyuan.cases.models import Case
from fuyuan.core.models import Event, Region
from fuyuan.core.timeline import timeline
from fuyuan.deadlines.models import Deadline, DeadlineState
from fuyuan.demo.generator import PREFECTURE, DemoResult, generate_demo
from fuyuan.disputes.choices import CLOSED_AFTER_MEDIATION, HANDED_OVER, OPEN_STATES, DisputeOutcome, Source
from fuyuan.disputes.models import Dispute
from fuyuan.stats import figures
from tests.demo.test_demo import NOW, STEP_ORDER
from tests.kept import kept_for_the_module, on_the_test_day

# The full demo takes a minute or more: generated once for the module's tests, on one worker under `make test`
# (tests/conftest.py, SHARED_SETUP); `make quick` leaves them out.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture(scope="module")
def full_demo(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[DemoResult]:

    def generate() -> DemoResult:
        with on_the_test_day():
            return generate_demo(now=NOW)

    with kept_for_the_module(django_db_blocker, generate) as result:
        yield result


def _mediation_rate(disputes) -> float:
    closed = disputes.filter(outcome__in=CLOSED_AFTER_MEDIATION)
    return 100 * closed.filter(outcome=DisputeOutcome.MEDIATED).count() / closed.count()


def test_the_full_demo_tells_the_centres_story_mediation_about_sixty_percent_and_shimen_improving(
    full_demo: DemoResult,
) -> None:
    result = full_demo
    prefecture = Region.objects.get(name=PREFECTURE)
    disputes = Dispute.objects.filter(region__path__startswith=prefecture.path)

    assert 1400 <= result.disputes.disputes == disputes.count() <= 1600
    assert 50 <= _mediation_rate(disputes) <= 70
    sources = [s for s, _n in Counter(disputes.values_list("source", flat=True)).most_common()]
    assert set(sources[:2]) == {Source.COURT_REFERRAL, Source.WINDOW}
    domains = [d for d, _n in Counter(disputes.values_list("domain", flat=True)).most_common(4)]
    assert set(domains) == {"land_expropriation", "forestry", "natural_resources", "labour"}
    assert 0.03 < disputes.filter(group_size__gte=5).count() / disputes.count() < 0.15
    assert 30 <= disputes.filter(state__in=OPEN_STATES).count() <= 150
    shimen = disputes.filter(county__name="石门县")
    by_year = {y: _mediation_rate(shimen.filter(concluded_on__year=y)) for y in (2024, 2025, 2026)}
    assert by_year[2024] < 55 and by_year[2026] > 70 and by_year[2024] < by_year[2025] < by_year[2026]
    handed = disputes.filter(outcome__in=HANDED_OVER)
    assert handed.filter(case__isnull=False).count() == handed.count() > 100


def test_the_full_demo_walks_its_losses_like_real_work_closed_when_old_and_spread_over_the_steps_when_recent(
    full_demo: DemoResult,
) -> None:
    reviews = LossReview.objects.select_related("case")
    today = NOW.date()

    # Every state of the workflow is there; none withdrawn (no demo outcome is corrected).
    states = Counter(reviews.values_list("state", flat=True))
    assert set(states) == set(LossReviewState.values) - {LossReviewState.WITHDRAWN}
    assert 800 <= sum(states.values()) <= 1300
    # Losses concluded more than three months before the run are closed; the closed ones have every step.
    old = reviews.filter(case__concluded_on__lt=today - datetime.timedelta(days=92))
    assert old.exists() and not old.exclude(state=LossReviewState.CLOSED).exists()
    closed = list(reviews.filter(state=LossReviewState.CLOSED))
    for r in closed:
        assert r.notice_on and r.notice_number and r.notice_text and r.notice_by_id
        assert 1 <= len(r.causes) <= 2 and r.analysis and r.responsible_persons and r.measures and r.analysis_on
        assert r.interview_on and "约谈" not in r.interviewer and r.interviewer and r.interviewee
        assert r.interview_conclusions and r.decision and r.accountable is not None and r.closed_at
        assert r.case.concluded_on < r.notice_on < r.analysis_on < r.interview_on < r.decision_on < today
    # The leading causes of practice lead; a review with two causes is common, not the rule.
    causes = Counter(c for r in closed for c in r.causes)
    assert {c for c, _n in causes.most_common(3)} == {"late_evidence", "procedure", "facts"}
    assert 0.2 < sum(len(r.causes) == 2 for r in closed) / len(closed) < 0.5
    assert 0.2 < sum(bool(r.accountable) for r in closed) / len(closed) < 0.5
    assert 0.35 < sum(r.comment_at is not None for r in closed) / len(closed) < 0.65
    # Open deadlines of the accountability steps: mostly on time, a few overdue.
    open_deadlines = Deadline.objects.filter(rule_id__in=STEP_ORDER).exclude(state=DeadlineState.MET)
    overdue = open_deadlines.filter(state=DeadlineState.OVERDUE).count()
    assert open_deadlines.count() >= 20
    assert 0 < overdue / open_deadlines.count() < 0.15
    # Each step is on the timeline, in order, by who recorded it, before the demo ran.
    review = closed[-1]
    events = list(timeline(review))
    assert [e.action for e in events if e.action != "commented"] == [
        "opened", "noticed", "analysed", "interviewed", "decided",
    ]  # fmt: skip
    assert all(e.at < NOW for e in events)
    assert events[1].actor_id == review.notice_by_id
    # (the reconsideration files' decisions are "decided" on their own timelines)
    decided = Event.objects.filter(action="decided", content_type=ContentType.objects.get_for_model(LossReview))
    assert decided.count() == len(closed)


def test_the_due_appearance_and_speaking_rates_of_the_prefecture_are_not_null_and_improve(
    full_demo: DemoResult,
) -> None:
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
