"""Deadlines follow the case's dates: registered, changed, imported, met and overdue (SPEC §5)."""

import datetime
from pathlib import Path

from django.core.management import call_command
from django.utils import timezone

from fuyuan.cases.choices import Acceptance, CaseKind, LitigationOutcome
from fuyuan.cases.models import Case
from fuyuan.cases.workflow import register_case, update_case
from fuyuan.deadlines.models import Deadline, DeadlineState
from fuyuan.deadlines.reminders import remind_deadlines
from fuyuan.deadlines.workflow import sync_case_deadlines
from tests.cases.ledgers import reconsideration_row, write_workbook
from tests.factories import PASSWORD, World

D = datetime.date


def litigation(world: World, number: str, **dates: datetime.date) -> Case:
    """A first-instance case at 都匀市人民法院 against 都匀市自然资源局, registered by the court liaison."""
    values = {
        "kind": CaseKind.LITIGATION,
        "number": number,
        "instance": "first",
        "court": world.orgs["都匀法院"],
        "defendant": world.orgs["都匀自然资源局"],
        **dates,
    }
    return register_case(values, by=world.users["court_duyun"])


def deadlines_of(case_id: int) -> dict[str, Deadline]:
    return {d.rule_id: d for d in Deadline.objects.filter(case_id=case_id)}


def test_registering_a_case_computes_its_defence_and_trial_deadlines(world: World) -> None:
    case = litigation(world, "（2026）黔2701行初1号", filed_on=D(2026, 9, 15), complaint_served_on=D(2026, 9, 20))

    found = deadlines_of(case.pk)
    # 15 days from 20 September end on 5 October, inside the National Day holiday: due on 8 October.
    assert found["litigation.defence"].due_on == D(2026, 10, 8)
    assert found["litigation.defence"].owner == world.orgs["都匀自然资源局"]
    assert found["litigation.first_instance"].due_on == D(2027, 3, 15)
    assert found["litigation.first_instance"].owner == world.orgs["都匀法院"]


def test_a_changed_date_moves_the_deadline_and_a_recorded_defence_meets_it(world: World) -> None:
    case = litigation(world, "（2026）黔2701行初2号", filed_on=D(2026, 3, 2), complaint_served_on=D(2026, 3, 2))

    update_case(
        case,
        {"complaint_served_on": D(2026, 3, 4), "defence_submitted_on": D(2026, 3, 10)},
        by=world.users["court_duyun"],
    )

    defence = deadlines_of(case.pk)["litigation.defence"]
    assert (defence.start_on, defence.due_on) == (D(2026, 3, 4), D(2026, 3, 19))
    assert (defence.state, defence.met_on) == (DeadlineState.MET, D(2026, 3, 10))


def test_a_cleared_date_cancels_its_deadline_without_deleting_it(world: World) -> None:
    case = litigation(world, "（2026）黔2701行初3号", filed_on=D(2026, 3, 2), complaint_served_on=D(2026, 3, 3))

    update_case(case, {"complaint_served_on": None}, by=world.users["court_duyun"])

    assert deadlines_of(case.pk)["litigation.defence"].state == DeadlineState.CANCELLED


def test_imported_reconsideration_cases_get_their_working_day_deadlines(world: World, tmp_path: Path) -> None:
    path = write_workbook(
        tmp_path / "l.xlsx",
        None,
        [reconsideration_row("黔南复〔2026〕1号", 收案日期="2026-02-12", 受理情况="审查中")],
    )

    call_command("import_cases", str(path))

    acceptance = Deadline.objects.get(rule_id="reconsideration.acceptance")
    assert acceptance.due_on == D(2026, 2, 26)  # five working days across Spring Festival, 14 February worked
    assert acceptance.owner == world.orgs["州司法局"]


def test_an_open_deadline_past_its_day_becomes_overdue_and_a_met_one_stays_met(world: World) -> None:
    case = register_case(
        {
            "kind": CaseKind.RECONSIDERATION,
            "number": "黔南复〔2026〕2号",
            "reconsideration_body": world.orgs["州司法局"],
            "defendant": world.orgs["福泉公安局"],
            "received_on": D(2026, 3, 2),
            "acceptance": Acceptance.ACCEPTED,
            "accepted_on": D(2026, 3, 4),
        },
        by=world.users["recon_pref"],
    )
    sync_case_deadlines([case.pk], today=D(2026, 3, 5))

    # The sweep marks overdue deadlines (deadlines.reminders), with the event on the case.
    assert remind_deadlines(timezone.make_aware(datetime.datetime(2026, 5, 20, 10))).overdue == 1

    found = deadlines_of(case.pk)
    assert found["reconsideration.acceptance"].state == DeadlineState.MET
    assert found["reconsideration.decision"].due_on == D(2026, 5, 6)
    assert found["reconsideration.decision"].state == DeadlineState.OVERDUE


def test_concluding_the_case_meets_the_trial_deadline(world: World) -> None:
    case = litigation(world, "（2026）黔2701行初4号", filed_on=D(2026, 1, 5))

    update_case(
        case,
        {"concluded_on": D(2026, 6, 1), "outcome": LitigationOutcome.CLAIM_DISMISSED},
        by=world.users["court_duyun"],
    )

    assert deadlines_of(case.pk)["litigation.first_instance"].state == DeadlineState.MET


def test_the_case_page_lists_its_deadlines_with_their_source(client, world: World) -> None:  # type: ignore[no-untyped-def]
    case = litigation(world, "（2026）黔2701行初5号", filed_on=D(2026, 9, 15), complaint_served_on=D(2026, 9, 20))
    client.login(username="court_duyun", password=PASSWORD)

    html = client.get(f"/cases/{case.pk}/").content.decode()

    assert "被告提交答辩状及证据" in html
    assert "届满 2026-10-08" in html
    assert "行政诉讼法 第81条" in html
