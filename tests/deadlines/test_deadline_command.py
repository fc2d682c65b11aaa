"""``fuyuan deadline`` (SPEC §9): the due date of each rule, with its counting and source."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fuyuan.core.models import CalendarDay, CalendarYear
from fuyuan.deadlines.rules import RULES

pytestmark = pytest.mark.django_db

SPEC_RULE_IDS = {
    "litigation.filing_limit", "litigation.after_reconsideration", "litigation.filing_review", "litigation.defence",
    "litigation.first_instance", "litigation.simplified", "litigation.appeal_judgment", "litigation.appeal_ruling",
    "litigation.second_instance", "reconsideration.apply", "reconsideration.acceptance", "reconsideration.reply",
    "reconsideration.decision", "reconsideration.decision_extended", "reconsideration.simplified",
    "hearing.first_reminder", "hearing.second_reminder", "centre.expert_review", "centre.plan",
    "centre.pre_litigation", "decision.public_comment", "decision.legality_review",
    # Reconsideration handling and non-litigation enforcement (SPEC §5, second list).
    "reconsideration.correction_notice", "reconsideration.correction_reply", "reconsideration.copy_to_respondent",
    "reconsideration.simplified_copy", "reconsideration.simplified_reply", "reconsideration.hearing_notice",
    "reconsideration.opinion_report", "enforcement.reminder_wait", "enforcement.application",
    "enforcement.court_acceptance", "enforcement.court_ruling", "enforcement.court_hearing_ruling",
}  # fmt: skip


def deadline(*args: str) -> dict[str, object]:
    out = StringIO()
    call_command("deadline", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


# Local rules the platform adds beyond SPEC §5's ids (issue 6): the 四必治败诉 steps and the recommendations' default.
LOCAL_RULE_IDS = {
    "accountability.notice", "accountability.analysis", "accountability.interview", "accountability.decision",
    "rectification.default",
}  # fmt: skip


def test_every_rule_of_the_spec_exists_and_names_its_source() -> None:
    assert set(RULES) == SPEC_RULE_IDS | LOCAL_RULE_IDS
    assert all(r.source for r in RULES.values())


def test_a_recommendation_without_its_own_period_has_two_months_ending_on_a_working_day() -> None:
    # Issued 2026-08-03: two months end on Saturday 2026-10-03, in the National Day holiday (1–7 October), so the
    # period ends on the next working day, Thursday 8 October.
    assert deadline("rectification.default", "2026-08-03")["due"] == "2026-10-08"


def test_the_json_answer_has_exactly_the_contract_keys() -> None:
    result = deadline("litigation.defence", "2026-03-02")

    assert result == {
        "rule": "litigation.defence",
        "start": "2026-03-02",
        "due": "2026-03-17",
        "counting": "calendar",
        "source": RULES["litigation.defence"].source,
        "calendar_known": True,
    }


def test_a_defence_period_ending_in_the_national_day_holiday_moves_to_the_next_working_day() -> None:
    # 2026-09-20 + 15 days = 5 October, inside the 1–7 October holiday: due on Thursday 8 October.
    assert deadline("litigation.defence", "2026-09-20")["due"] == "2026-10-08"


def test_reconsideration_acceptance_counts_working_days_across_spring_festival() -> None:
    result = deadline("reconsideration.acceptance", "2026-02-12")

    assert (result["due"], result["counting"]) == ("2026-02-26", "working")


def test_six_months_from_the_last_day_of_august_end_on_the_last_day_of_february() -> None:
    # 2027-02-28 is a Sunday; 2027 is unknown, so weekends only, and the answer says so.
    result = deadline("litigation.filing_limit", "2026-08-31")

    assert (result["due"], result["calendar_known"]) == ("2027-03-01", False)


def test_hearing_reminders_fall_before_the_hearing_and_do_not_move() -> None:
    assert deadline("hearing.first_reminder", "2026-10-15")["due"] == "2026-10-08"
    assert deadline("hearing.second_reminder", "2026-10-08")["due"] == "2026-10-07"


def test_an_entered_arrangement_makes_the_year_known_and_is_used() -> None:
    year = CalendarYear.objects.create(year=2027, source="国务院办公厅关于2027年部分节假日安排的通知")
    CalendarDay.objects.create(calendar_year=year, day="2027-01-11", is_workday=False, note="假设的节日")

    result = deadline("litigation.appeal_judgment", "2026-12-25")

    assert (result["due"], result["calendar_known"]) == ("2027-01-12", True)


def test_the_text_answer_names_the_counting_and_the_source() -> None:
    out = StringIO()
    call_command("deadline", "reconsideration.reply", "2026-09-28", stdout=out)

    text = out.getvalue()
    assert "按工作日计算" in text
    assert "届满日：2026-10-16" in text
    assert "行政复议法（2023修订）第48条" in text


@pytest.mark.parametrize(
    ("args", "reason"),
    [(("no.such_rule", "2026-01-01"), "未知的期限规则"), (("litigation.defence", "2026-02-30"), "日期无效")],
)
def test_an_unknown_rule_or_an_impossible_date_exits_with_a_one_line_reason(args: tuple[str, str], reason: str) -> None:
    with pytest.raises(CommandError, match=reason):
        call_command("deadline", *args, stdout=StringIO())


def test_every_rule_names_who_must_act_and_the_text_answer_says_it_while_the_json_keeps_its_keys() -> None:
    out = StringIO()
    call_command("deadline", "reconsideration.reply", "2026-09-28", stdout=out)

    assert all(r.owner.label for r in RULES.values())
    assert "责任方：被申请人" in out.getvalue()
    assert set(deadline("reconsideration.reply", "2026-09-28")) == {
        "rule", "start", "due", "counting", "source", "calendar_known",
    }  # fmt: skip


def test_the_centres_local_periods_default_to_three_and_five_working_days_and_thirty_days() -> None:
    # From Thursday 2026-02-12 the working days are Friday 13, Saturday 14 February (a 调休 working day), then none
    # until the Spring Festival holiday (15–23 February) is over: Tuesday 24, Wednesday 25 …
    assert deadline("centre.expert_review", "2026-02-12")["due"] == "2026-02-24"
    assert deadline("centre.plan", "2026-02-13")["due"] == "2026-02-27"
    assert deadline("centre.pre_litigation", "2026-03-02")["due"] == "2026-04-01"
    assert "黔南州" in RULES["centre.pre_litigation"].source
    assert "最高人民法院" not in RULES["centre.pre_litigation"].source


def test_a_deployment_sets_the_centres_periods_in_its_settings(settings: object) -> None:
    from fuyuan.deadlines.rules import build_rules

    settings.FUYUAN_CENTRE_LIMITS = {"centre.plan": 7, "centre.pre_litigation": 45}  # type: ignore[attr-defined]

    table = build_rules()

    assert (table["centre.plan"].amount, table["centre.plan"].period_label) == (7, "7个工作日")
    assert table["centre.plan"].source.endswith("；本地设置为7个工作日")
    assert table["centre.pre_litigation"].period_label == "45日"
    assert table["centre.expert_review"].amount == 3
    assert table["litigation.defence"] == RULES["litigation.defence"]


@pytest.mark.parametrize(
    ("limits", "reason"),
    [
        ({"litigation.defence": 10}, "不是协调中心的期限"),
        ({"centre.plan": 0}, "正整数"),
        ({"centre.plan": "5"}, "正整数"),
    ],
)
def test_a_wrong_centre_period_in_the_settings_stops_with_a_reason(limits: dict[str, object], reason: str) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from fuyuan.deadlines.rules import build_rules

    with pytest.raises(ImproperlyConfigured, match=reason):
        build_rules(limits)


def test_the_centres_periods_are_read_from_the_environment_as_name_equals_days() -> None:
    from django.core.exceptions import ImproperlyConfigured

    from fuyuan.settings import _centre_limits

    assert _centre_limits("") == {}
    assert _centre_limits("centre.plan=7, centre.expert_review=2") == {"centre.plan": 7, "centre.expert_review": 2}
    with pytest.raises(ImproperlyConfigured, match="应写成 期限名=天数"):
        _centre_limits("centre.plan=七")


# The periods of reconsideration handling and non-litigation enforcement across the 2026 holidays, counted by hand on
# the State Council's arrangements: 春节 15–23 February, Saturday 14 and Saturday 28 February working days; 中秋
# 25–27 September; 国庆 1–7 October, Sunday 20 September and Saturday 10 October working days. Periods of ten days or
# less are working days (行政复议法 第88条第2款, 行政强制法 第69条); the start day is not counted.
ACROSS_HOLIDAYS = [
    # Received Tuesday 29 September: working days 30 Sep (1), 8 Oct (2), 9 Oct (3), Saturday 10 Oct (4), 12 Oct (5).
    ("reconsideration.correction_notice", "2026-09-29", "2026-10-12", "working"),
    # Received Thursday 12 February: 13 Feb (1), Saturday 14 Feb (2), 24 (3), 25 (4), 26 Feb (5).
    ("reconsideration.correction_notice", "2026-02-12", "2026-02-26", "working"),
    # … then 13 (6), 14 (7), 15 (8), 16 (9), 19 Oct (10).
    ("reconsideration.correction_reply", "2026-09-29", "2026-10-19", "working"),
    # … 27 Feb (6), Saturday 28 Feb (7), 2 Mar (8), 3 (9), 4 Mar (10).
    ("reconsideration.correction_reply", "2026-02-12", "2026-03-04", "working"),
    ("reconsideration.copy_to_respondent", "2026-09-29", "2026-10-14", "working"),
    ("reconsideration.copy_to_respondent", "2026-02-12", "2026-02-28", "working"),  # a working Saturday
    ("reconsideration.simplified_copy", "2026-09-29", "2026-10-09", "working"),
    ("reconsideration.simplified_copy", "2026-02-12", "2026-02-24", "working"),
    ("reconsideration.simplified_reply", "2026-09-29", "2026-10-12", "working"),
    ("reconsideration.simplified_reply", "2026-02-12", "2026-02-26", "working"),
    # Counted back from a 听证 on Friday 9 October: 8 Oct (1), 30 Sep (2), 29 (3), 28 (4), 中秋 25–27, 24 Sep (5).
    ("reconsideration.hearing_notice", "2026-10-09", "2026-09-24", "working"),
    # From a 听证 on Wednesday 25 February: 24 (1), Saturday 14 (2), 13 (3), 12 (4), 11 Feb (5).
    ("reconsideration.hearing_notice", "2026-02-25", "2026-02-11", "working"),
    # 60 days from 29 September end on Saturday 28 November: the next working day.
    ("reconsideration.opinion_report", "2026-09-29", "2026-11-30", "calendar"),
    ("reconsideration.opinion_report", "2026-02-12", "2026-04-13", "calendar"),
    ("enforcement.reminder_wait", "2026-09-29", "2026-10-19", "working"),
    ("enforcement.reminder_wait", "2026-02-12", "2026-03-04", "working"),
    ("enforcement.application", "2026-09-29", "2026-12-29", "calendar"),
    # Three months from 4 July end on Sunday 4 October, in the National Day holiday: Thursday the 8th.
    ("enforcement.application", "2026-07-04", "2026-10-08", "calendar"),
    ("enforcement.court_acceptance", "2026-09-29", "2026-10-12", "working"),
    ("enforcement.court_acceptance", "2026-02-12", "2026-02-26", "working"),
    ("enforcement.court_ruling", "2026-09-29", "2026-10-14", "working"),
    ("enforcement.court_ruling", "2026-02-12", "2026-02-28", "working"),
    ("enforcement.court_hearing_ruling", "2026-09-29", "2026-10-29", "calendar"),
    # 30 days from 12 February end on Saturday 14 March: Monday the 16th.
    ("enforcement.court_hearing_ruling", "2026-02-12", "2026-03-16", "calendar"),
]


@pytest.mark.parametrize(("rule_id", "start", "due", "counting"), ACROSS_HOLIDAYS)
def test_reconsideration_and_enforcement_periods_across_the_holidays(
    rule_id: str, start: str, due: str, counting: str
) -> None:
    result = deadline(rule_id, start)

    assert (result["due"], result["counting"], result["calendar_known"]) == (due, counting, True)
    assert "法" in str(result["source"])


def test_every_new_reconsideration_and_enforcement_rule_is_counted_across_a_holiday() -> None:
    new = {r for r in SPEC_RULE_IDS if r.split(".")[1] in NEW_PERIODS}
    assert new == {rule_id for rule_id, *_ in ACROSS_HOLIDAYS}


NEW_PERIODS = {
    "correction_notice", "correction_reply", "copy_to_respondent", "simplified_copy", "simplified_reply",
    "hearing_notice", "opinion_report", "reminder_wait", "application", "court_acceptance", "court_ruling",
    "court_hearing_ruling",
}  # fmt: skip


def test_the_hearing_notice_text_says_the_last_day_to_send_it_counted_back() -> None:
    out = StringIO()
    call_command("deadline", "reconsideration.hearing_notice", "2026-10-09", stdout=out)

    assert "前5个工作日" in out.getvalue()
    assert "届满日：2026-09-24" in out.getvalue()
    assert "第51条" in out.getvalue()


@pytest.mark.real_clock
def test_the_command_answers_on_a_machine_whose_database_is_not_created_yet(tmp_path: Path) -> None:
    # A fresh install asked for a date before ``fuyuan migrate``: the package's calendar, not a traceback.
    env = {**os.environ, "FUYUAN_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "fuyuan.cli", "deadline", "reconsideration.copy_to_respondent", "2026-09-29",
         "--format", "json"],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip

    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["due"] == "2026-10-14"
