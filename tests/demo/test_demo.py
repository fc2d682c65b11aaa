"""``fuyuan demo``: the demo prefecture 云岭州 that ``make run`` loads into an empty database, read by each test from
one demo of 600 cases generated for the module (``small_demo``). What depends on generating — seeds, an empty or a
populated database, the present moment, a larger demo — is in ``test_demo_generation.py``."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone
from pytest_django import DjangoDbBlocker

from fuyuan.accountability.models import LossReview, LossReviewState
from fuyuan.cases.choices import AbsenceReason, CaseKind, Instance, outcome_choices
from fuyuan.cases.models import Case
from fuyuan.consultation.models import RiskNotice
from fuyuan.core.models import Event, Organisation, OrganisationHead, OrganisationKind, Region, RegionLevel, Role, User
from fuyuan.core.queries import work_calendar
from fuyuan.core.timeline import timeline
from fuyuan.core.workdays import WorkCalendar
from fuyuan.deadlines.models import Deadline, DeadlineState
from fuyuan.deadlines.rules import compute_due
from fuyuan.demo.generator import DEMO_PASSWORD
from fuyuan.disputes import queries as disputes_queries
from fuyuan.disputes.choices import (
    HANDED_OVER,
    MEETING_STATES,
    OPEN_STATES,
    AssignmentRole,
    DisputeOutcome,
    DisputeState,
    MeetingKind,
    ParticipantRole,
    Source,
)
from fuyuan.disputes.matching import conflict_of
from fuyuan.disputes.models import Assignment, Conflict, Coordinator, Dispute, Meeting
from fuyuan.hearings.models import Hearing, HearingState
from fuyuan.meetings import models as joint
from fuyuan.nonlitigation.choices import Stage
from fuyuan.nonlitigation.models import EnforcementFile
from fuyuan.performance.models import PerformanceItem
from fuyuan.stats.models import BENCHMARKED_RATES, Benchmark, BenchmarkScope
from tests.kept import kept_for_the_module

SMALL = "600"
NOW = timezone.make_aware(datetime.datetime(2026, 11, 23, 10, 0))
pytestmark = pytest.mark.django_db


def demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def small_demo(
    django_db_setup: None, django_db_blocker: DjangoDbBlocker, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """``fuyuan demo --cases 600`` at ``NOW``, once for the module's tests (``kept_for_the_module``: each test sees it
    as if it had generated it itself), its files in a temporary data folder; what it printed."""

    def generate() -> str:
        with time_machine.travel(NOW, tick=False):
            return demo("--cases", SMALL)

    with (
        override_settings(DATA_DIR=tmp_path_factory.mktemp("demo")),
        kept_for_the_module(django_db_blocker, generate) as output,
    ):
        yield output


def test_every_role_has_a_demo_user_who_logs_in_with_the_printed_password(small_demo: str) -> None:
    output = small_demo

    for role in Role:
        users = User.objects.filter(role=role)
        assert users.exists(), f"no demo user for {role.label}"
        user = users.first()
        assert user is not None
        assert Client().login(username=user.username, password=DEMO_PASSWORD), user.username
        assert user.username in output
    assert DEMO_PASSWORD in output
    assert "用户名" in output and "范围" in output


def test_the_system_administrator_runs_the_configuration_data_but_never_sees_a_case(small_demo: str) -> None:
    client = Client()
    client.login(username="sysadmin", password=DEMO_PASSWORD)
    admin = User.objects.get(username="sysadmin")
    case = Case.objects.order_by("pk").first()
    assert case is not None

    assert client.get("/admin/core/organisation/").status_code == 200
    agency = Organisation.objects.filter(heads__isnull=False).first()
    assert agency is not None
    assert "单位负责人" in client.get(f"/admin/core/organisation/{agency.pk}/change/").content.decode()  # the roster
    assert not admin.is_staff and not admin.is_superuser and admin.region is None and admin.organisation is None
    assert case.number not in client.get("/cases/").content.decode()
    assert client.get(f"/cases/{case.pk}/").status_code in (403, 404)


def test_if_empty_on_a_populated_database_adds_nothing_but_prints_the_logins(small_demo: str) -> None:
    counts = (Region.objects.count(), Case.objects.count(), User.objects.count(), Event.objects.count())

    output = demo("--if-empty")

    assert (Region.objects.count(), Case.objects.count(), User.objects.count(), Event.objects.count()) == counts
    assert "跳过" in output
    assert "zfb_zhou" in output and DEMO_PASSWORD in output


def test_reconsideration_outnumbers_first_instance_litigation_about_two_and_a_half_to_one(small_demo: str) -> None:
    reconsideration = Case.objects.filter(kind=CaseKind.RECONSIDERATION).count()
    first_instance = Case.objects.filter(kind=CaseKind.LITIGATION, instance=Instance.FIRST).count()

    assert 2.2 < reconsideration / first_instance < 2.8
    assert Case.objects.filter(instance=Instance.SECOND, predecessor__instance=Instance.FIRST).exists()
    assert Case.objects.filter(instance=Instance.FIRST, predecessor__kind=CaseKind.RECONSIDERATION).exists()
    # The bulk cases carry the generation's event; the reconsideration files' cases were registered by the workflow.
    bulk = Case.objects.filter(reconsideration_application__isnull=True)
    assert Event.objects.filter(summary="演示数据生成", actor_label="演示数据").count() == bulk.count()


def test_no_demo_case_breaks_the_rules_of_a_case(small_demo: str) -> None:
    rosters: dict[tuple[int, str], list[OrganisationHead]] = {}
    for head in OrganisationHead.objects.all():
        rosters.setdefault((head.organisation_id, head.name), []).append(head)
    for case in Case.objects.select_related("predecessor"):
        assert (case.concluded_on is None) == (case.outcome == ""), case.number
        if case.outcome:
            assert case.outcome in outcome_choices(case.kind).values, case.number
        dates = [case.received_on, case.accepted_on, case.filed_on, case.complaint_served_on, case.hearing_on,
                 case.concluded_on, case.judgment_served_on, case.effective_on]  # fmt: skip
        present = [d for d in dates if d is not None]
        assert present == sorted(present), case.number
        if case.predecessor is not None:
            assert case.predecessor.concluded_on is not None
            start = case.filed_on or case.received_on
            assert start is not None and case.predecessor.concluded_on <= start, case.number
        if case.head_spoke is not None:
            assert case.head_appeared, case.number
        if case.head_absence_reason:
            assert case.head_appeared is False, case.number
        if case.head_appeared:
            name = case.appeared_head.split("（")[0]
            roster = rosters.get((case.defendant_id, name), [])
            assert any(h.valid_from <= case.hearing_on and (h.valid_to is None or h.valid_to >= case.hearing_on)
                       for h in roster if case.hearing_on), case.number  # fmt: skip


def test_every_county_has_cases_placed_in_it(small_demo: str) -> None:
    counties = Region.objects.filter(level=RegionLevel.COUNTY)
    assert counties.count() == 8
    for county in counties:
        assert Case.objects.filter(county=county).count() > 10, county.name
    for case in Case.objects.select_related("defendant__region")[:50]:
        assert case.region_id == case.defendant.region_id


def _on_roster(head: OrganisationHead, day: datetime.date) -> bool:
    return head.valid_from <= day and (head.valid_to is None or head.valid_to >= day)


def test_the_demo_has_hearings_in_every_state_around_the_day_it_runs(small_demo: str) -> None:
    today = timezone.localdate(NOW)

    hearings = list(Hearing.objects.select_related("case", "designated_head", "registered_by"))

    assert {h.state for h in hearings} == set(HearingState.values)
    for h in hearings:
        case, offset = h.case, (h.held_on - today).days
        assert (h.court_id, h.agency_id, h.county_id) == (case.court_id, case.defendant_id, case.county_id)
        assert case.instance == Instance.FIRST and case.concluded_on is None, case.number
        assert h.registered_by.organisation_id == h.court_id or h.registered_by.role == Role.RULE_OF_LAW_OFFICE
        assert next(e.summary for e in timeline(h)).startswith("登记开庭通知"), case.number
        if h.state in (HearingState.ATTENDED, HearingState.ABSENT):
            assert -14 <= offset < 0 and case.hearing_on == h.held_on, case.number
            assert case.head_appeared == (h.state == HearingState.ATTENDED), case.number
        else:
            assert 0 <= offset <= 14 and case.hearing_on is None, case.number
        if h.designated_head is not None:
            assert h.designated_head.organisation_id == h.agency_id and _on_roster(h.designated_head, h.held_on)
            assert h.designated_at is not None and h.designated_at <= NOW
        if h.state == HearingState.ESCALATED:
            assert offset <= 1 and h.escalated_at is not None and h.designated_head is None
        else:
            assert WorkCalendar().is_workday(h.held_on), f"{case.number} 开庭于非工作日 {h.held_on}"
        if h.state == HearingState.EXCUSED:
            assert h.absence_reason in AbsenceReason.values and h.explanation and h.delegate_name
        if h.state == HearingState.ATTENDED:
            assert h.spoke is not None and h.appeared_head_name == case.appeared_head
    absences = [h for h in hearings if h.state == HearingState.ABSENT]
    assert {bool(h.absence_reason) for h in absences} == {True, False}


def test_each_place_has_an_office_head_and_a_leader_who_receive_escalations_with_a_mobile(small_demo: str) -> None:
    output = small_demo

    places = Region.objects.filter(level__in=[RegionLevel.PREFECTURE, RegionLevel.COUNTY])
    assert places.count() == 9
    for place in places:
        heads = User.objects.filter(region=place, is_head=True).exclude(role=Role.RECONSIDERATION_BODY)
        assert sorted(heads.values_list("role", flat=True)) == sorted([Role.LEADER, Role.RULE_OF_LAW_OFFICE]), place
    for user in User.objects.filter(is_head=True) | User.objects.filter(role=Role.AGENCY_LIAISON):
        assert re.fullmatch(r"139\d{8}", user.mobile), user.username
        assert user.username in output
    assert "领导·尹志刚（市长）" in output and "（负责人）" in output


# --- the coordination centres (fuyuan.demo.disputes) -------------------------------------------------------------


def test_the_demo_disputes_are_in_every_state_numbered_once_and_closed_exactly_when_they_have_an_outcome(
    small_demo: str,
) -> None:
    today = timezone.localdate(NOW)
    calendar = work_calendar()

    disputes = list(Dispute.objects.select_related("case", "agency", "centre__region"))

    assert {d.state for d in disputes} == set(DisputeState.values)
    assert {d.outcome for d in disputes if d.outcome} == set(DisputeOutcome.values)
    assert {d.source for d in disputes} == set(Source.values)
    assert len({d.number for d in disputes}) == len(disputes)
    for d in disputes:
        assert (d.state == DisputeState.CLOSED) == bool(d.outcome) == (d.concluded_on is not None), d.number
        assert d.number.startswith(f"{d.centre.region.name}争调〔{d.received_on.year}〕"), d.number
        assert d.centre.kind == OrganisationKind.COORDINATION_CENTRE
        assert d.agency.region.path.startswith(d.centre.region.path), d.number
        steps = [d.received_on, d.accepted_on, d.assigned_on, d.reviewed_on, d.planned_on, d.concluded_on]
        present = [s for s in steps if s is not None]
        assert present == sorted(present) and present[-1] <= today, d.number
        # The time limits are those of the rules, on the working-day calendar (SPEC §5).
        if d.accepted_on:
            assert d.mediation_due_on == compute_due("centre.pre_litigation", d.accepted_on, calendar).due
        if d.assigned_on:
            assert d.review_due_on == compute_due("centre.expert_review", d.assigned_on, calendar).due
        if d.reviewed_on:
            assert d.plan_due_on == compute_due("centre.plan", d.reviewed_on, calendar).due and d.review_opinion
        if d.is_open:
            assert d.current_due_on() is not None, d.number
        if d.outcome == DisputeOutcome.REJECTED:
            assert d.accepted_on is None and d.rejection_reason, d.number
        if d.outcome in HANDED_OVER:
            assert d.case is not None and d.case.defendant_id == d.agency_id, d.number
            assert (d.case.filed_on or d.case.received_on) >= d.concluded_on, d.number
        if d.outcome == DisputeOutcome.MEDIATED:
            assert d.agreement_terms, d.number


def test_every_step_of_a_demo_dispute_is_on_its_timeline_in_order_and_before_the_demo_ran(small_demo: str) -> None:
    for d in Dispute.objects.filter(state__in=[DisputeState.CLOSED, DisputeState.PLANNED])[:200]:
        events = list(timeline(d))
        assert events[0].summary.startswith(f"登记争议 {d.number}"), d.number
        assert [e.at for e in events] == sorted(e.at for e in events) and events[-1].at <= NOW, d.number
        actions = [e.action for e in events]
        if d.accepted_on:
            assert actions[1:3] == ["accepted", "classified"], d.number
        if d.state == DisputeState.PLANNED:
            assert {"assigned", "reviewed", "planned", "meeting"} <= set(actions), d.number
        else:
            assert actions[-1] == "concluded" and events[-1].summary == f"办结：{d.get_outcome_display()}"
    handed = Dispute.objects.filter(outcome__in=HANDED_OVER).select_related("case").first()
    assert handed is not None and handed.case is not None
    assert f"协调化解中心争议 {handed.number} 调解不成，移交本案" in [e.summary for e in timeline(handed.case)]


def test_four_party_talks_have_the_four_parties_and_minutes_and_were_held_while_the_dispute_was_worked_on(
    small_demo: str,
) -> None:
    talks = (
        Meeting.objects.filter(kind=MeetingKind.FOUR_PARTY).select_related("dispute").prefetch_related("participants")
    )

    assert talks.exists()
    four = {ParticipantRole.JUDGE, ParticipantRole.JUSTICE_EXPERT, ParticipantRole.AGENCY_HEAD, ParticipantRole.PARTY}
    for meeting in talks:
        d = meeting.dispute
        assert sorted(p.role for p in meeting.participants.all()) == sorted(four), d.number
        assert meeting.minutes and meeting.held_at <= NOW, d.number
        assert d.state in (*MEETING_STATES, DisputeState.CLOSED) and d.planned_on is not None, d.number
        assert d.planned_on <= timezone.localdate(meeting.held_at) <= (d.concluded_on or timezone.localdate(NOW))


def test_no_demo_coordinator_is_assigned_a_dispute_they_declared_a_conflict_with(small_demo: str) -> None:
    conflicts = Conflict.objects.all()
    assert conflicts.filter(organisation__isnull=False).exists() and conflicts.exclude(person_name="").exists()
    for a in Assignment.objects.select_related("coordinator", "dispute"):
        assert conflict_of(a.coordinator, a.dispute) is None, f"{a.dispute.number} {a.coordinator.name}"
    # A declared applicant is one the coordinator's centre had to work around.
    named = conflicts.exclude(person_name="").first()
    assert named is not None
    assert Dispute.objects.filter(applicants__contains=named.person_name).exists()


def test_the_demo_pool_has_about_forty_coordinators_within_their_limits_and_every_team_a_lead(small_demo: str) -> None:
    today = timezone.localdate(NOW)

    pool = Coordinator.objects.select_related("organisation")
    assert 35 <= pool.count() <= 45
    assert {c.organisation.kind for c in pool} >= {
        OrganisationKind.COURT,
        OrganisationKind.JUSTICE_BUREAU,
        OrganisationKind.OTHER,
    }
    assert sum(not c.is_available_on(today) for c in pool) >= 2
    for c in pool:
        in_hand = c.assignments.filter(released_at__isnull=True, dispute__state__in=OPEN_STATES).count()
        assert in_hand <= c.max_load, c.name
    for d in Dispute.objects.filter(state__in=MEETING_STATES):
        active = d.assignments.filter(released_at__isnull=True)
        assert active.filter(role=AssignmentRole.LEAD).count() == 1, d.number
        assert all(a.coordinator.is_available_on(today) for a in active), d.number


def test_each_centre_has_a_staff_login_and_each_coordinator_login_has_open_work(small_demo: str) -> None:
    output = small_demo

    centres = Organisation.objects.filter(kind=OrganisationKind.COORDINATION_CENTRE)
    assert centres.count() == 9
    for centre in centres:
        staff = User.objects.get(role=Role.CENTRE_STAFF, organisation=centre)
        assert Client().login(username=staff.username, password=DEMO_PASSWORD), staff.username
        assert staff.username in output
        assert disputes_queries.visible_to(staff).exists(), centre.name
    logins = Coordinator.objects.filter(user__isnull=False).select_related("user")
    assert logins.count() == 6
    for c in logins:
        assert c.user is not None and c.user.role == Role.COORDINATOR and c.user.full_name == c.name
        assert Client().login(username=c.user.username, password=DEMO_PASSWORD), c.user.username
        assert c.user.username in output
        assert disputes_queries.visible_to(c.user).filter(state__in=OPEN_STATES).exists(), c.user.username
    assert "协调化解中心争议" in output


def test_the_demo_enters_the_benchmarks_of_its_last_two_years(small_demo: str) -> None:
    entered = set(Benchmark.objects.values_list("year", "rate", "scope"))

    assert entered == {
        (year, rate, scope) for year in (2025, 2026) for rate in BENCHMARKED_RATES for scope in BenchmarkScope.values
    }
    assert all(0 < b.value < 100 and b.source for b in Benchmark.objects.all())


# --- 四必治败诉 (SPEC §6.3): the demo's loss reviews walked like real work (fuyuan.demo.accountability) ---

STEP_ORDER = ["accountability.notice", "accountability.analysis", "accountability.interview", "accountability.decision"]


def test_each_demo_reviews_steps_have_deadlines_by_the_rules_met_on_the_day_the_step_was_recorded(
    small_demo: str,
) -> None:
    cal, today = work_calendar(), NOW.date()
    reviews = LossReview.objects.select_related("case")

    assert reviews.exists()
    for review in reviews:
        rows = {d.rule_id: d for d in Deadline.objects.filter(case=review.case, rule_id__in=STEP_ORDER)}
        done = {
            "accountability.notice": review.notice_on,
            "accountability.analysis": review.analysis_on,
            "accountability.interview": review.interview_on,
            "accountability.decision": review.decision_on,
        }
        start = review.case.concluded_on
        for rule_id in STEP_ORDER:
            if rule_id not in rows:
                # No later step has started: the review waits at the step before.
                assert review.state != LossReviewState.CLOSED and done[rule_id] is None
                continue
            d = rows[rule_id]
            assert d.start_on == start, (review.case.number, rule_id)
            assert d.due_on == compute_due(rule_id, start, cal).due
            assert d.met_on == done[rule_id]
            expected = (
                DeadlineState.MET if d.met_on else (DeadlineState.OVERDUE if today > d.due_on else DeadlineState.OPEN)
            )
            assert d.state == expected
            if d.met_on is None:
                assert review.current_rule == rule_id
                break
            assert d.met_on < today
            start = d.met_on


# --- 行政复议办案 (SPEC §6.8): the 州司法局's files handled through the workflow (fuyuan.demo.reconsideration) -----


def test_the_reconsideration_body_has_files_in_the_states_a_body_has_at_once_each_made_by_the_workflow(
    small_demo: str,
) -> None:
    from fuyuan.demo.reconsideration import DEMO_FOLLOW_CODE
    from fuyuan.reconsideration.choices import Procedure, Stage
    from fuyuan.reconsideration.models import Application, Opinion, ReconsiderationHearing

    body = Organisation.objects.get(name="云岭州司法局")
    files = list(Application.objects.filter(body=body).select_related("case"))
    today = NOW.date()

    assert 15 <= len(files) <= 30
    assert {a.stage for a in files} == {
        Stage.RECEIVED, Stage.EXAMINING, Stage.CORRECTION_REQUESTED, Stage.WITHDRAWN, Stage.REJECTED, Stage.ACCEPTED,
        Stage.SUSPENDED, Stage.MEDIATING, Stage.SERVED,
    }  # fmt: skip
    assert any(a.reply_late for a in files) and any(a.deemed_accepted for a in files)
    assert any(a.copy_sent_on and not a.reply_received_on and a.copy_sent_on < today - datetime.timedelta(days=20)
               for a in files)  # fmt: skip
    assert any(a.procedure == Procedure.SIMPLIFIED for a in files)
    assert any(a.published_text for a in files) and Opinion.objects.filter(application__body=body).exists()
    hearings = ReconsiderationHearing.objects.filter(application__body=body)
    assert any(h.held_at > NOW and h.notice_sent_on and h.designated_head for h in hearings)
    for a in files:
        events = list(timeline(a))
        assert events[0].action == "received" and all(e.at <= NOW for e in events), a.receipt_number
        assert a.case.received_on is not None and a.case.received_on <= today
    assert "行政复议办案" in small_demo and DEMO_FOLLOW_CODE in small_demo


def test_the_body_the_agency_and_the_public_see_the_demo_files_on_their_pages(small_demo: str) -> None:
    from fuyuan.demo.reconsideration import DEMO_FOLLOW_CODE
    from fuyuan.reconsideration.models import Application

    staff, liaison = Client(), Client()
    staff.force_login(User.objects.get(username="sfj_zhou"))
    liaison.force_login(User.objects.get(username="jg_zhou_zrzy"))
    files = list(Application.objects.filter(body__name="云岭州司法局").order_by("-id"))

    queue = staff.get("/reconsideration/").content.decode()
    assert files[0].receipt_number in queue
    for a in files:
        assert staff.get(f"/reconsideration/{a.pk}/").status_code == 200, a.receipt_number
    figures = staff.get("/reconsideration/figures/")
    assert figures.status_code == 200
    answered = [a for a in files if a.respondent.name == "云岭州自然资源局"]
    replies = liaison.get("/reconsideration/replies/").content.decode()
    assert answered and all(a.receipt_number in replies for a in answered)
    awaiting = next(a for a in answered if a.copy_sent_on and not a.reply_received_on)
    assert liaison.get(f"/reconsideration/replies/{awaiting.pk}/").status_code == 200

    public = Client()
    followed = public.post(
        "/reconsideration/apply/follow/", {"receipt_number": files[-1].receipt_number, "code": DEMO_FOLLOW_CODE},
        follow=True,
    )  # fmt: skip
    assert followed.status_code == 200 and files[-1].receipt_number in followed.content.decode()


def test_the_demo_has_the_linkage_work_of_each_app_made_by_its_workflows(small_demo: str) -> None:
    # 联席会议 and 非诉执行 need no case: the same in every demo (the states of all four: test_demo_walk.py).
    meetings = list(joint.Meeting.objects.all())
    assert {m.kind for m in meetings} == set(joint.MeetingKind.values)
    assert {d.state for d in joint.Decision.objects.all()} == set(joint.DecisionState.values)
    files = list(EnforcementFile.objects.all())
    assert {f.stage for f in files} == {
        Stage.REGISTERED, Stage.REMINDED, Stage.APPLIED, Stage.REFUSED, Stage.HANDED_OVER, Stage.DONE,
    }  # fmt: skip
    assert RiskNotice.objects.exists() and PerformanceItem.objects.exists()
    for record in [*meetings, *files]:
        assert list(timeline(record)), record
