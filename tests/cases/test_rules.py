"""The case rules (``cases.rules``): one pure function, enforced by the workflow for every caller, its date orders
held by the database too, and a migration that names the cases on file that break them instead of failing blind."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from fuyuan.cases.choices import CaseKind
from fuyuan.cases.models import Case
from fuyuan.cases.rules import DATE_ORDERS, LABELS, PAST_DATES, CaseError, CaseInvalid, case_errors
from fuyuan.cases.workflow import register_case, update_case
from tests import migrated
from tests.factories import World, make_case

D = datetime.date
TODAY = D(2026, 6, 15)
DAY = datetime.timedelta(days=1)

# Every date of a case, in an order that is true.
TRUE_LITIGATION: dict[str, Any] = {
    "kind": CaseKind.LITIGATION,
    "number": "（2026）黔2701行初1号",
    "court": "法院",
    "instance": "first",
    "defendant": "被告",
    "filed_on": D(2026, 1, 5),
    "complaint_served_on": D(2026, 1, 8),
    "defence_submitted_on": D(2026, 1, 20),
    "hearing_on": D(2026, 3, 2),
    "concluded_on": D(2026, 4, 1),
    "outcome": "revoked",
    "judgment_served_on": D(2026, 4, 3),
    "effective_on": D(2026, 4, 20),
}
TRUE_RECONSIDERATION: dict[str, Any] = {
    "kind": CaseKind.RECONSIDERATION,
    "number": "黔南复〔2026〕1号",
    "reconsideration_body": "复议机构",
    "defendant": "被申请人",
    "received_on": D(2026, 1, 5),
    "accepted_on": D(2026, 1, 9),
    "concluded_on": D(2026, 3, 1),
    "outcome": "upheld",
}


def true_values(field: str) -> dict[str, Any]:
    return dict(TRUE_LITIGATION if field in TRUE_LITIGATION else TRUE_RECONSIDERATION)


def kind_of(order: Any) -> str:
    reconsideration = {"received_on", "accepted_on"}
    return CaseKind.RECONSIDERATION if {order.later, order.earlier} & reconsideration else CaseKind.LITIGATION


def test_a_case_whose_dates_are_in_order_and_past_has_no_error() -> None:
    assert case_errors(TRUE_LITIGATION, today=TODAY) == []
    assert case_errors(TRUE_RECONSIDERATION, today=TODAY) == []


def two_dates(order: Any) -> tuple[str, dict[str, Any]]:
    """The kind and the dates of a case holding the order's two dates in order (on 5 and 10 January), and only what
    its kind requires besides, so that moving one breaks this order and no other."""
    kind = kind_of(order)
    start = "filed_on" if kind == CaseKind.LITIGATION else "received_on"
    fields: dict[str, Any] = {start: D(2026, 1, 1), order.earlier: D(2026, 1, 5), order.later: D(2026, 1, 10)}
    if "concluded_on" in fields:
        fields["outcome"] = "revoked" if kind == CaseKind.LITIGATION else "upheld"
    return kind, fields


@pytest.mark.parametrize("order", DATE_ORDERS, ids=lambda o: o.constraint_name)
def test_each_date_before_the_one_it_follows_is_an_error_naming_both(order: Any) -> None:
    kind, fields = two_dates(order)
    base = TRUE_LITIGATION if kind == CaseKind.LITIGATION else TRUE_RECONSIDERATION
    values = {k: v for k, v in base.items() if not isinstance(v, datetime.date) and k != "outcome"} | fields

    errors = case_errors({**values, order.later: D(2026, 1, 4)}, today=TODAY)

    later, earlier = LABELS[order.later], LABELS[order.earlier]
    assert errors == [CaseError(order.later, f"{later}（2026-01-04）不能早于{earlier}（2026-01-05）", (order.earlier,))]


def test_the_same_day_is_in_order() -> None:
    values = {**TRUE_RECONSIDERATION, "accepted_on": D(2026, 1, 5), "concluded_on": D(2026, 1, 5)}

    assert case_errors(values, today=TODAY) == []


@pytest.mark.parametrize("field", PAST_DATES)
def test_a_date_of_something_that_has_happened_cannot_be_after_today(field: str) -> None:
    values = true_values(field)
    values.update({name: TODAY for name in values if isinstance(values[name], datetime.date)})
    values[field] = TODAY + DAY

    errors = case_errors(values, today=TODAY)

    assert [(e.field, e.message) for e in errors if "晚于今天" in e.message] == [
        (field, f"{LABELS[field]}（2026-06-16）不能晚于今天（2026-06-15）")
    ]


def test_a_hearing_may_be_ahead_of_today() -> None:
    assert (
        case_errors(
            {**TRUE_LITIGATION, "hearing_on": TODAY + 30 * DAY, "concluded_on": None, "outcome": ""}, today=TODAY
        )
        == []
    )


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"outcome": ""}, "outcome", "填写了结案日期但缺少结案方式"),
        (
            {"concluded_on": None, "judgment_served_on": None, "effective_on": None},
            "concluded_on",
            "填写了结案方式但缺少结案日期",
        ),
        ({"outcome": "upheld"}, "outcome", "结案方式“upheld”不属于行政诉讼案件的结案方式"),
        ({"filed_on": None}, "filed_on", "请填写立案日期"),
        ({"court": None}, "court", "请填写法院"),
        ({"head_spoke": True, "head_appeared": False}, "head_spoke", "负责人出庭为“是”时才能填写负责人是否出声"),
    ],
)
def test_completeness_and_the_outcome_are_rules_too(change: dict[str, Any], field: str, message: str) -> None:
    errors = case_errors({**TRUE_LITIGATION, **change}, today=TODAY)

    assert (field, message) in [(e.field, e.message) for e in errors]


# --- The workflow: every caller ----------------------------------------------------------------------------------


def test_register_case_refuses_an_impossible_case_whoever_calls_it(world: World) -> None:
    values = {
        "kind": CaseKind.RECONSIDERATION,
        "number": "黔南复〔2021〕9号",
        "reconsideration_body": world.orgs["州司法局"],
        "defendant": world.orgs["州人社局"],
        "received_on": D(2021, 3, 10),
        "accepted_on": D(2021, 3, 9),
    }

    with pytest.raises(CaseInvalid) as refused:
        register_case(values, by=world.users["rol_pref"])

    assert [e.field for e in refused.value.errors] == ["accepted_on"]
    assert not Case.objects.exists()


def test_update_case_checks_the_case_as_it_would_be_and_changes_nothing_when_refused(world: World) -> None:
    case = make_case(
        defendant=world.orgs["都匀自然资源局"],
        filed_on=D(2021, 3, 1),
        hearing_on=D(2021, 4, 1),
        court=world.orgs["都匀法院"],
    )

    with pytest.raises(CaseInvalid, match="开庭日期（2021-04-01）不能早于立案日期（2021-04-02）"):
        update_case(case, {"filed_on": D(2021, 4, 2)}, by=world.users["rol_pref"])

    case.refresh_from_db()
    assert (case.filed_on, case.version) == (D(2021, 3, 1), 1)


# --- The database ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("order", DATE_ORDERS, ids=lambda o: o.constraint_name)
def test_the_database_refuses_a_direct_write_of_dates_out_of_order(world: World, order: Any) -> None:
    # given a case with the two dates in order (and only what its kind requires besides)
    kind, fields = two_dates(order)
    case = make_case(kind, defendant=world.orgs["都匀自然资源局"], **fields)

    # when a write that passes by the workflow puts the later one before the earlier one
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        Case.objects.filter(pk=case.pk).update(**{order.later: D(2026, 1, 4)})

    # then the database refuses it by the constraint's name

    assert order.constraint_name in str(refused.value)


# --- The migration -----------------------------------------------------------------------------------------------

# The case table as it was before the date rules (0004): the migrations after it on the table are taken back first,
# each alone (tests/migrated.unapply); the test database is a fresh copy of the run's template afterwards.
LATER = [("cases", "0006_case_summary"), ("cases", "0005_ledger_import_jobs")]
RULES = ("cases", "0004_case_dates_in_order")


@pytest.mark.django_db(transaction=True)
def test_the_migration_names_each_case_out_of_order_and_stops_until_it_is_corrected(world: World) -> None:
    for later in LATER:
        migrated.unapply(connection, *later)
    apps = migrated.unapply(connection, *RULES)
    try:
        OldCase = apps.get_model("cases", "Case")
        agency, court = world.orgs["都匀自然资源局"], world.orgs["都匀法院"]
        OldCase.objects.create(
            kind="litigation", number="（2019）黔2701行初7号", instance="first", court_id=court.pk,
            defendant_id=agency.pk, region_id=agency.region_id, county_id=agency.region_id,
            filed_on=D(2019, 5, 10), hearing_on=D(2019, 5, 9),
        )  # fmt: skip

        with pytest.raises(
            Exception, match=r"（2019）黔2701行初7号：开庭日期 2019-05-09 早于立案日期 2019-05-10"
        ) as stop:
            migrated.reapply(connection, *RULES)
        assert "迁移已停止（未作任何修改）" in str(stop.value)

        OldCase.objects.filter(number="（2019）黔2701行初7号").update(hearing_on=D(2019, 6, 9))
        migrated.reapply(connection, *RULES)
        # Read as of 0004 (later migrations add columns the current model has).
        assert Case.objects.values_list("hearing_on", flat=True).get() == D(2019, 6, 9)
    finally:
        migrated.restore_test_database(connection)
