"""The written-report duty (SPEC §4): a county whose loss rate for the year exceeds 30% gets exactly one duty,
told once to its government and its 依法治办, answered with an uploaded report and closed by the prefecture."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fuyuan.accountability.models import DutyState, ReportDuty
from fuyuan.accountability.workflow import (
    DutyError,
    accept_report,
    open_report_duties,
    return_report,
    submit_report,
    sweep_report_duties,
)
from fuyuan.core.models import Event
from fuyuan.core.timeline import timeline
from fuyuan.notifications.models import Notification
from fuyuan.notifications.sweep import run_sweep
from tests.accountability.conftest import NOW, PDF, Setup, pdf

pytestmark = pytest.mark.django_db

LATER = NOW + datetime.timedelta(hours=3)
NEXT_DAY = NOW + datetime.timedelta(days=1)


def the_duty() -> ReportDuty:
    return ReportDuty.objects.select_related("county", "government").get()


def test_a_county_crossing_30_percent_gets_exactly_one_open_duty_however_often_it_runs(setup: Setup) -> None:
    first = open_report_duties(NOW)
    again = open_report_duties(LATER)

    assert [d.county.name for d in first] == ["都匀市"]
    assert again == []
    duty = the_duty()
    assert (duty.county.name, duty.state, duty.year) == ("都匀市", DutyState.OPEN, 2026)
    assert duty.government == setup.government
    assert (duty.lost, duty.concluded, duty.loss_rate, duty.threshold) == (4, 10, Decimal("40.00"), Decimal("30"))
    assert (duty.window_from, duty.window_to) == (datetime.date(2026, 1, 1), datetime.date(2026, 3, 18))
    assert duty.due_on == datetime.date(2026, 4, 17)  # 30 calendar days (local rule)
    assert [e.summary for e in timeline(duty)] == [
        "2026年1月1日至2026年3月18日都匀市一审结案10件，败诉4件，败诉率40.00%，超过30.00%，启动书面报告"
    ]


def test_the_sweep_run_twice_opens_one_duty_and_computes_the_rates_once_a_day(
    setup: Setup, django_assert_max_num_queries
) -> None:
    first = run_sweep(NOW)
    with django_assert_max_num_queries(4):  # the day's check: a read and a conditional update, in a transaction
        idle = sweep_report_duties(LATER)
    second = run_sweep(LATER)
    next_day = run_sweep(NEXT_DAY)

    assert first.report_duties.checked and [d.county.name for d in first.report_duties.opened] == ["都匀市"]
    assert "书面报告——新启动书面报告 1 项" in first.summary()
    assert not idle.checked and not second.report_duties.checked
    assert "书面报告——今日已检查败诉率" in second.summary()
    assert next_day.report_duties.checked and next_day.report_duties.opened == []
    assert ReportDuty.objects.filter(state=DutyState.OPEN).count() == 1


def test_a_county_at_exactly_30_percent_or_below_gets_none(setup: Setup) -> None:
    open_report_duties(NOW)

    assert not ReportDuty.objects.filter(county=setup.world.regions["福泉市"]).exists()


def test_the_prefectures_own_agencies_are_not_a_county_and_get_none(setup: Setup) -> None:
    open_report_duties(NOW)

    assert not ReportDuty.objects.filter(county=setup.world.regions["黔南州"]).exists()


def test_the_threshold_and_the_window_are_settings(setup: Setup, settings) -> None:  # type: ignore[no-untyped-def]
    settings.FUYUAN_LOSS_THRESHOLD = "40"
    assert open_report_duties(NOW) == []  # 40.00% does not exceed 40%

    settings.FUYUAN_LOSS_THRESHOLD = "29.99"
    settings.FUYUAN_LOSS_WINDOW = "previous_year"
    settings.FUYUAN_REPORT_DUTY_MIN_CASES = 5  # 福泉市's 2025: 5 concluded (the minimum is tested on its own)
    opened = open_report_duties(NOW)

    # 2025: 福泉市 lost 5 of 5; 都匀市 concluded nothing in 2025.
    assert [(d.county.name, d.year, d.loss_rate) for d in opened] == [("福泉市", 2025, Decimal("100.00"))]


def test_a_county_already_holding_a_duty_for_the_year_gets_none_even_after_it_closed(setup: Setup) -> None:
    (duty,) = open_report_duties(NOW)
    submit_report(duty, pdf(), by=setup.gov_duyun, now=LATER)
    accept_report(duty, by=setup.world.users["rol_pref"], now=LATER)

    assert open_report_duties(NEXT_DAY) == []
    assert ReportDuty.objects.count() == 1


def test_the_opening_is_told_once_to_the_government_liaisons_and_the_county_office(setup: Setup) -> None:
    open_report_duties(NOW)
    open_report_duties(LATER)

    told = Notification.objects.filter(channel="in_app", dedup_key__startswith="report_duty:")
    assert sorted(told.values_list("recipient__username", flat=True)) == ["gov_duyun", "rol_duyun"]
    message = told.first()
    assert message is not None and "败诉率40.00%" in message.body and "2026年4月17日前" in message.body
    assert message.link == f"/accountability/{the_duty().pk}/"


def test_a_county_without_a_registered_government_is_named_and_its_office_told(setup: Setup, settings) -> None:  # type: ignore[no-untyped-def]
    settings.FUYUAN_LOSS_THRESHOLD = "29"
    open_report_duties(NOW)

    duty = ReportDuty.objects.get(county__name="福泉市")
    assert duty.government is None and duty.reporter == "福泉市人民政府"
    told = Notification.objects.filter(channel="in_app", dedup_key=f"report_duty:{duty.pk}:opened")
    assert list(told.values_list("recipient__username", flat=True)) == ["rol_fuquan"]


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (None, "请选择要上传的书面报告文件"),
        (SimpleUploadedFile("报告.txt", b"text"), "“报告.txt”不是 PDF 或 Word 文件：只接受 .pdf、.doc、.docx"),
        (SimpleUploadedFile("报告.pdf", b""), "“报告.pdf”是空文件"),
        (SimpleUploadedFile("报告.pdf", b"<html>not a pdf</html>"), "“报告.pdf”的内容不是 PDF 文件"),
        (SimpleUploadedFile("报告.docx", PDF), "“报告.docx”的内容不是 Word（.docx） 文件"),
        (SimpleUploadedFile("报告.pdf", PDF + b"0" * (20 * 1024 * 1024)), "有 20.0 MB，超过 20 MB 的上限"),
    ],
)
def test_a_bad_file_is_refused_with_a_clear_message_and_writes_nothing(
    setup: Setup, upload: SimpleUploadedFile | None, message: str
) -> None:
    (duty,) = open_report_duties(NOW)
    events = Event.objects.count()

    with pytest.raises(DutyError, match=message):
        submit_report(duty, upload, by=setup.gov_duyun, now=LATER)

    duty.refresh_from_db()
    assert duty.state == DutyState.OPEN and not duty.report and duty.submitted_at is None
    assert Event.objects.count() == events
    assert not setup.reports.exists() or not any(setup.reports.rglob("*.*"))


def test_accepting_closes_the_duty_with_the_report_and_an_event(setup: Setup) -> None:
    (duty,) = open_report_duties(NOW)
    rol_pref = setup.world.users["rol_pref"]

    submit_report(duty, pdf(), by=setup.gov_duyun, now=LATER)
    accept_report(duty, by=rol_pref, note="检查深刻，整改措施具体", now=LATER)

    duty = the_duty()
    assert duty.state == DutyState.CLOSED
    assert (duty.closed_by, duty.submitted_by, duty.report_name) == (
        rol_pref,
        setup.gov_duyun,
        "都匀市2026年书面报告.pdf",
    )
    with duty.report.open("rb") as stored:
        assert stored.read() == PDF
    assert str(setup.reports) in duty.report.path
    assert [e.action for e in timeline(duty)] == ["opened", "submitted", "accepted"]
    accepted = timeline(duty).last()
    assert accepted is not None and accepted.actor == rol_pref
    assert accepted.changes == {"状态": ["已报送待审核", "已办结"], "审核意见": ["", "检查深刻，整改措施具体"]}
    reviewers_told = Notification.objects.filter(channel="in_app", subject="【书面报告】待审核")
    assert list(reviewers_told.values_list("recipient__username", flat=True)) == ["rol_pref"]


def test_returned_then_resubmitted_then_accepted(setup: Setup) -> None:
    (duty,) = open_report_duties(NOW)
    rol_pref, rol_duyun = setup.world.users["rol_pref"], setup.world.users["rol_duyun"]
    submit_report(duty, pdf("初稿.pdf"), by=setup.gov_duyun, now=LATER)

    return_report(duty, note="未列明责任人员，请补充", by=rol_pref, now=LATER)
    assert the_duty().state == DutyState.RETURNED
    with pytest.raises(DutyError, match="不能审核通过"):
        accept_report(duty, by=rol_pref, now=LATER)

    docx = SimpleUploadedFile("修改稿.docx", b"PK\x03\x04" + b"\0" * 40)
    submit_report(duty, docx, by=rol_duyun, now=LATER + datetime.timedelta(minutes=5))
    accept_report(duty, by=rol_pref, now=LATER + datetime.timedelta(minutes=10))

    duty = the_duty()
    assert (duty.state, duty.report_name, duty.submitted_by) == (DutyState.CLOSED, "修改稿.docx", rol_duyun)
    assert [e.action for e in timeline(duty)] == ["opened", "submitted", "returned", "resubmitted", "accepted"]
    returned = Notification.objects.filter(channel="in_app", subject="【书面报告】退回补充")
    assert sorted(returned.values_list("recipient__username", flat=True)) == ["gov_duyun", "rol_duyun"]
    assert Notification.objects.filter(channel="in_app", subject="【书面报告】待审核").count() == 2


def test_only_the_county_answers_and_only_the_prefecture_office_reviews(setup: Setup) -> None:
    (duty,) = open_report_duties(NOW)
    u = setup.world.users
    for outsider in (u["agency_duyun"], u["rol_pref"], setup.rol_fuquan, u["leader_pref"]):
        with pytest.raises(DutyError, match="无权报送"):
            submit_report(duty, pdf(), by=outsider, now=LATER)
    submit_report(duty, pdf(), by=setup.gov_duyun, now=LATER)
    for outsider in (u["rol_duyun"], setup.gov_duyun, u["leader_pref"]):
        with pytest.raises(DutyError, match="由州（市）依法治办审核"):
            accept_report(duty, by=outsider, now=LATER)
    with pytest.raises(DutyError, match="请写明需要补充"):
        return_report(duty, note="  ", by=u["rol_pref"], now=LATER)
    assert the_duty().state == DutyState.SUBMITTED
