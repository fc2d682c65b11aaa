"""The figures' counts kept current (issue 19 §1, ``stats.counts``): after every kind of case change the kept counts
equal a recount of the cases (``fuyuan stats --verify``), and the figures read from them equal the figures counted
from the cases for any window."""

from __future__ import annotations

import datetime
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import QuerySet, Sum

from fuyuan.accountability.models import LossCause, LossReview, LossReviewState
from fuyuan.cases.choices import (
    AbsenceReason,
    Acceptance,
    ActType,
    CaseKind,
    Domain,
    Instance,
    LitigationOutcome,
    ReconsiderationOutcome,
)
from fuyuan.cases.models import Case
from fuyuan.cases.queries import visible_to
from fuyuan.cases.workflow import record_appearance, register_case, update_case
from fuyuan.deadlines.models import Deadline
from fuyuan.reconsideration.workflow import accept, decide
from fuyuan.stats import counts, figures
from fuyuan.stats.models import CountedCase, FigureCount
from tests.accountability.test_loss_workflow import Loss, analyse, interview, loss, notice
from tests.accountability.test_loss_workflow import decide as decide_loss
from tests.api.conftest import litigation as pushed_litigation
from tests.api.conftest import make_caller
from tests.cases.ledgers import litigation_row, reconsideration_row, write_workbook
from tests.factories import World, make_case
from tests.reconsideration.conftest import head, receive

pytestmark = pytest.mark.django_db
__all__ = ["head", "loss"]  # the reconsideration and loss-review tests' fixtures
D = datetime.date


def verified() -> str:
    """``fuyuan stats --verify``'s output; a difference fails the test with the lines it printed."""
    out = StringIO()
    try:
        call_command("stats", "--verify", stdout=out)
    except CommandError as error:
        pytest.fail(f"{error}\n{out.getvalue()}")
    return out.getvalue()


def litigation(world: World, number: str, **values: Any) -> dict[str, Any]:
    return {
        "kind": CaseKind.LITIGATION,
        "number": number,
        "instance": Instance.FIRST,
        "court": world.orgs["都匀法院"],
        "defendant": world.orgs["都匀自然资源局"],
        "cause": ActType.PENALTY,
        "domain": Domain.FORESTRY,
        "filed_on": D(2021, 3, 5),
        **values,
    }


def test_every_edit_that_moves_a_count_keeps_the_counts_equal_to_a_recount(world: World) -> None:
    office = world.users["rol_pref"]
    case = register_case(litigation(world, "（2021）黔27行初1号"), by=office)
    recon = register_case(
        {
            "kind": CaseKind.RECONSIDERATION,
            "number": "黔南复〔2021〕1号",
            "reconsideration_body": world.orgs["州司法局"],
            "defendant": world.orgs["福泉公安局"],
            "received_on": D(2021, 2, 1),
            "acceptance": Acceptance.ACCEPTED,
            "accepted_on": D(2021, 2, 3),
        },
        by=office,
    )
    assert "一致" in verified()
    edits: list[tuple[Case, dict[str, Any]]] = [
        (case, {"filed_on": D(2021, 4, 2)}),
        (case, {"hearing_on": D(2021, 5, 6)}),
        (case, {"concluded_on": D(2021, 6, 7), "outcome": LitigationOutcome.REVOKED}),
        (case, {"outcome": LitigationOutcome.CLAIM_DISMISSED}),
        (case, {"concluded_on": D(2021, 7, 1)}),
        (case, {"domain": Domain.HOUSING, "cause": ActType.LICENSING}),
        (case, {"defendant": world.orgs["福泉公安局"], "court": world.orgs["福泉法院"]}),  # region and county
        (case, {"instance": Instance.SECOND}),  # out of the 一审 figures
        (case, {"instance": Instance.FIRST}),
        (recon, {"acceptance": Acceptance.REJECTED, "rejection_reason": "超过申请期限"}),
        (recon, {"acceptance": Acceptance.ACCEPTED, "rejection_reason": ""}),
        (recon, {"concluded_on": D(2021, 4, 1), "outcome": ReconsiderationOutcome.REVOKED}),
        (recon, {"received_on": D(2021, 1, 28)}),
    ]
    for target, values in edits:
        update_case(Case.objects.get(pk=target.pk), values, by=office)
        verified()
    fresh = Case.objects.get(pk=case.pk)
    record_appearance(fresh, held_on=D(2021, 5, 1), appeared=False, absence_reason=AbsenceReason.ACCIDENT, by=office)
    verified()
    record_appearance(fresh, held_on=D(2021, 5, 1), appeared=True, head_name="王局长", spoke=True, by=office)
    verified()
    # The kind itself: a case entered as litigation by mistake becomes the reconsideration it was.
    wrong = register_case(litigation(world, "（2021）黔27行初2号", court=world.orgs["都匀法院"]), by=office)
    update_case(
        wrong,
        {
            "kind": CaseKind.RECONSIDERATION,
            "instance": "",
            "court": None,
            "filed_on": None,
            "reconsideration_body": world.orgs["州司法局"],
            "received_on": D(2021, 3, 9),
            "acceptance": Acceptance.ACCEPTED,
        },
        by=office,
    )
    verified()
    assert FigureCount.objects.filter(kind=CaseKind.RECONSIDERATION, field="received_on").exists()


def test_a_second_case_with_the_same_values_adds_to_the_rows_of_the_first_instead_of_new_rows(world: World) -> None:
    # A case's rows are found again by their very keys, nulls (no head's appearance, the county grain's agency) and
    # dates included: the table grows with the combinations, not with the cases.
    office = world.users["rol_pref"]
    values = {"hearing_on": D(2021, 5, 6), "concluded_on": D(2021, 6, 7), "outcome": LitigationOutcome.REVOKED}
    register_case(litigation(world, "（2021）黔27行初1号", **values), by=office)
    rows = FigureCount.objects.count()
    assert rows > 0 and set(FigureCount.objects.values_list("n", flat=True)) == {1}

    register_case(litigation(world, "（2021）黔27行初2号", **values), by=office)

    assert FigureCount.objects.count() == rows
    assert set(FigureCount.objects.values_list("n", flat=True)) == {2}
    assert FigureCount.objects.filter(head_appeared__isnull=True, field="hearing_on").exists()
    assert "一致" in verified()


def test_a_ledger_import_new_and_again_with_changes_and_a_wrong_import_deleted_keep_the_counts(
    world: World, tmp_path: Path
) -> None:
    rows = [
        litigation_row("（2021）黔27行初5号", 案由="行政处罚", 领域="林业", 结案日期="2021-05-06", 结案方式="撤销"),
        litigation_row("（2021）黔27行初6号", 开庭日期="2021-04-01", 负责人出庭="是", 出庭负责人="王局长"),
    ]
    recon = [reconsideration_row("黔南复〔2021〕5号", 结案日期="2021-03-01", 结案方式="和解", 受理日期="2021-02-03")]

    def imported(path: Path) -> None:
        call_command("import_cases", str(path), stdout=StringIO(), stderr=StringIO())

    imported(write_workbook(tmp_path / "a.xlsx", rows, recon))
    verified()
    rows[0].update(结案方式="驳回诉讼请求", 结案日期="2021-06-01")
    rows[1].update(立案日期="2021-02-01", 领域="交通")
    imported(write_workbook(tmp_path / "b.xlsx", rows, recon))
    verified()
    # A wrong import taken back: its cases deleted (by the admin or a shell; no workflow deletes cases), the records
    # derived from them first.
    wrong = Case.objects.filter(number__in=["（2021）黔27行初5号", "黔南复〔2021〕5号"])
    Deadline.objects.filter(case__in=wrong).delete()
    LossReview.objects.filter(case__in=wrong).delete()
    wrong.delete()
    verified()
    assert counts.stored() == counts.recount() != {}


def test_cases_pushed_and_changed_through_the_api_keep_the_counts(world: World) -> None:
    court = make_caller(world, "都匀法院审判系统", "court", world.orgs["都匀法院"])
    assert court.put("/api/v1/cases/", pushed_litigation(filed_on="2021-03-05")).status_code == 201
    verified()
    changed = pushed_litigation(filed_on="2021-03-05", concluded_on="2021-06-01", outcome="撤销", domain="林业")
    assert court.put("/api/v1/cases/", changed).status_code == 200
    verified()


def test_the_reconsideration_workflow_steps_keep_the_counts(world: World, head: Any, clock: Any) -> None:
    clock(D(2026, 9, 29))
    application = receive(world).application
    verified()
    application = accept(application, by=world.users["recon_pref"])
    verified()
    clock(D(2026, 11, 2))
    decide(application, outcome=ReconsiderationOutcome.REVOKED, facts="查明的事实", grounds="违法", by=head)
    verified()
    assert FigureCount.objects.filter(field="concluded_on", outcome=ReconsiderationOutcome.REVOKED).exists()


def test_verify_reports_a_change_written_past_the_counts_and_rebuild_repairs_it(world: World) -> None:
    case = make_case(defendant=world.orgs["都匀自然资源局"], concluded_on=D(2021, 5, 1), outcome="revoked")
    Case.objects.filter(pk=case.pk).update(outcome=LitigationOutcome.CLAIM_DISMISSED)  # past every workflow
    out = StringIO()

    # Its 结案 counted under the old outcome and missing under the new one, in each of the four grains.
    with pytest.raises(CommandError, match="不一致：8 处"):
        call_command("stats", "--verify", stdout=out)

    assert "outcome=revoked" in out.getvalue() and "计数 1，重算 0" in out.getvalue()
    call_command("stats", "--rebuild", stdout=StringIO())
    verified()


def all_but_counted(cases: QuerySet[Case]) -> QuerySet[Case]:
    """The same cases narrowed by a condition the counts do not know: counted from the cases themselves."""
    return cases.filter(pk__isnull=False)


WINDOWS = [
    (D(2021, 1, 1), D(2021, 12, 31)),  # whole months
    (D(2021, 1, 15), D(2021, 6, 10)),  # both ends inside a month
    (D(2021, 3, 2), D(2021, 3, 30)),  # within one month
    (D(2021, 2, 1), D(2021, 5, 31)),
    (D(2020, 12, 31), D(2021, 1, 1)),
    (D(2021, 6, 5), D(2021, 6, 5)),
]


def test_figures_from_the_counts_equal_figures_counted_from_the_cases_for_any_window(world: World) -> None:
    duyun, fuquan = world.orgs["都匀自然资源局"], world.orgs["福泉公安局"]
    for day, agency, outcome in [
        (D(2021, 1, 1), duyun, "revoked"),
        (D(2021, 1, 31), fuquan, "claim_dismissed"),
        (D(2021, 3, 2), duyun, "varied"),
        (D(2021, 3, 31), fuquan, "revoked"),
        (D(2021, 6, 5), duyun, "mediated"),
        (D(2021, 6, 11), fuquan, "withdrawn_after_change"),
    ]:
        make_case(
            defendant=agency,
            filed_on=day - datetime.timedelta(days=20),
            hearing_on=day - datetime.timedelta(days=10),
            head_appeared=agency == duyun,
            concluded_on=day,
            outcome=outcome,
            cause=ActType.PENALTY if agency == duyun else "",
            domain=Domain.FORESTRY if agency == fuquan else "",
        )
        make_case(
            CaseKind.RECONSIDERATION,
            defendant=agency,
            received_on=day,
            concluded_on=day + datetime.timedelta(days=1),
            outcome="mediated" if agency == duyun else "revoked",
        )
    office = world.users["rol_pref"]
    scoped = [Case.objects.all(), visible_to(office), visible_to(office).filter(region__path__startswith="/x/")]
    assert [counts.region_paths(c) is not None for c in scoped] == [True, True, True]
    assert counts.region_paths(visible_to(world.users["agency_duyun"])) is None
    cases = visible_to(office)
    raw = all_but_counted(cases)
    rates = [name for name, *_ in figures.RATES]
    for i, window in enumerate(WINDOWS):
        # Every grouping over one window with ends inside months; the total and the months over every window.
        for by in (None, "month", *(("county", "agency", "domain") if i == 1 else ())):
            assert figures.table(cases, *window, by) == figures.table(raw, *window, by), (window, by)
        assert figures.monthly(cases, *window, rates) == figures.monthly(raw, *window, rates), window
        assert figures.losses_by(cases, *window, "agency") == figures.losses_by(raw, *window, "agency"), window
    duyun = Case.objects.filter(region__path__startswith=world.regions["都匀市"].path)
    for by in figures.LOSS_GROUPINGS:
        assert figures.losses_by(duyun, *WINDOWS[1], by) == figures.losses_by(all_but_counted(duyun), *WINDOWS[1], by)
    assert figures.table(duyun, *WINDOWS[1], "county") == figures.table(all_but_counted(duyun), *WINDOWS[1], "county")


@pytest.mark.usefixtures("clock")
def test_the_loss_causes_counted_stay_equal_to_a_recount_through_the_review_steps_and_the_case_edits(
    loss: Loss,
) -> None:
    """The 败诉原因 (grains "review" and "reason"): a review counts once its 倒查 is recorded, under its case's 结案,
    领域, regions and outcome, through the later steps; withdrawn it leaves the counts, resumed it comes back;
    deleted it goes."""
    world, office = loss.world, loss.user("rol_pref")
    verified()
    notice(loss)
    verified()
    assert not FigureCount.objects.filter(grain__in=counts.REVIEW_GRAINS).exists()  # no 倒查 yet
    analyse(loss)
    verified()
    reasons = FigureCount.objects.filter(grain="reason", n=1).values_list("cause", flat=True)
    assert sorted(reasons) == sorted([LossCause.LATE_EVIDENCE, LossCause.PROCEDURE])
    interview(loss)
    decide_loss(loss)
    verified()
    today = loss.case.concluded_on
    assert today is not None
    edits: list[dict[str, Any]] = [
        {"domain": Domain.HOUSING},
        {"concluded_on": today - datetime.timedelta(days=40)},  # another month
        {"defendant": world.orgs["福泉公安局"], "court": world.orgs["福泉法院"]},  # regions; the review's agency stays
        {"outcome": LitigationOutcome.CLAIM_DISMISSED},  # no loss: the review withdrawn
        {"outcome": LitigationOutcome.REVOKED},  # a loss again: resumed
        {"instance": Instance.SECOND},
        {"instance": Instance.FIRST},
    ]
    for values in edits:
        update_case(Case.objects.get(pk=loss.case.pk), values, by=office)
        verified()
    assert LossReview.objects.get(case=loss.case).state == LossReviewState.CLOSED
    assert FigureCount.objects.filter(grain="review").aggregate(n=Sum("n"))["n"] == 1
    # Taken back (no workflow deletes a review or a case): the review first, then the case.
    Deadline.objects.filter(case=loss.case).delete()
    LossReview.objects.filter(case=loss.case).delete()
    verified()
    assert not FigureCount.objects.filter(grain__in=counts.REVIEW_GRAINS).exclude(n=0).exists()
    Case.objects.filter(pk=loss.case.pk).delete()
    verified()


@pytest.mark.usefixtures("clock")
def test_rebuild_counts_the_loss_causes_of_reviews_written_past_the_workflow(loss: Loss) -> None:
    notice(loss)
    LossReview.objects.filter(case=loss.case).update(
        causes=[LossCause.FACTS, LossCause.LAW], analysis_on=loss.case.concluded_on
    )  # past every workflow, as a restore
    with pytest.raises(CommandError, match="不一致：3 处"):  # the review, and each of its two causes
        call_command("stats", "--verify", stdout=StringIO())
    call_command("stats", "--rebuild", stdout=StringIO())
    verified()
    assert CountedCase.objects.get(case_id=loss.case.pk).review_causes == "facts,law"
    assert counts.refresh([loss.case.pk]) == 0  # the rebuilt snapshot is the one a refresh takes
