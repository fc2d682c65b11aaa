"""``fuyuan deadline`` (SPEC §9): the due date of each rule, with its counting and source."""

import json
from io import StringIO

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
