"""The written-report duty (书面报告并作出检查, SPEC §4): a county whose first-instance loss rate (败诉率) for the year
exceeds the threshold reports in writing to the prefecture, and the prefecture's 依法治办 accepts or returns it.

Each transition checks the actor's right, changes the duty, writes its Event and puts its notifications in the
outbox in one transaction; nothing else writes a ReportDuty. The rules and their sources:

- 黔西南州's "四必治败诉" 工作机制 (黔西南州依法治州办的工作报道): "行政诉讼案件败诉率超过30%的县人民政府须向州人民政府书面报告具体
  情况、作出检查"; SPEC §4: "A county whose loss rate for the year exceeds the threshold (default 30%) gets a
  written-report duty automatically." "Exceeds" is strictly greater, compared on the published figure (two
  decimals), so a county shown at 30.00% gets none. The threshold (``FUYUAN_LOSS_THRESHOLD``) and the window
  (``FUYUAN_LOSS_WINDOW``) are settings, since localities differ.
- A county with fewer than ``FUYUAN_REPORT_DUTY_MIN_CASES`` (default 10) first-instance cases concluded in the
  window gets none: a local rule, so that one early loss (1 of 1) does not open the year's duty.
- The report is due ``FUYUAN_REPORT_DUE_DAYS`` calendar days (default 30) after the duty opens: a local rule,
  not a statute. The sweep reminds the county ``FUYUAN_DEADLINE_WARN_DAYS`` days before, and tells the county and
  the 州 依法治办 once the date has passed (``chase_report_duties``).
- The rate is ``stats.figures``' (the only module that computes figures): the counties' figures for the window
  are one aggregate statement, so the sweep's check is cheap, and it runs at most once a day per year
  (``sweep_report_duties``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from pathlib import PurePath
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from fuyuan.accountability.models import AWAITING_REPORT, DutyState, ReportDuty, ThresholdCheck
from fuyuan.cases.models import Case
from fuyuan.core.models import Organisation, OrganisationKind, Region, RegionLevel, Role, User
from fuyuan.core.timeline import Actor, record_event
from fuyuan.core.uploads import check_upload
from fuyuan.notifications.isolation import Rows
from fuyuan.notifications.workflow import personal_rows, put
from fuyuan.obligations import workflow as obligations
from fuyuan.obligations.models import Obligation
from fuyuan.obligations.registry import Kind
from fuyuan.stats import figures

SYSTEM = Actor(label="系统定时任务")
# FUYUAN_LOSS_WINDOW: the period whose loss rate is compared with the threshold.
WINDOWS = {"year": "本年度（1月1日至今）", "previous_year": "上一年度（全年）"}
# The report: a PDF or a Word file, recognised by its first bytes as well as by its name.
REPORT_TYPES = (".pdf", ".docx", ".doc")
REPORT_MAX_BYTES = 20 * 1024 * 1024
GOVERNMENT_SUFFIX = "人民政府"


class DutyError(Exception):
    """A transition that cannot be done, with the reason in Chinese for the person who tried."""


# ---------------------------------------------------------------------------------------------------------------
# The threshold and the window


def threshold() -> Decimal:
    return Decimal(str(settings.FUYUAN_LOSS_THRESHOLD))


def loss_window(today: datetime.date) -> tuple[int, datetime.date, datetime.date]:
    """(year, from, to) of the configured window: the calendar year to date, or the last whole calendar year."""
    kind = settings.FUYUAN_LOSS_WINDOW
    if kind == "year":
        return today.year, datetime.date(today.year, 1, 1), today
    if kind == "previous_year":
        year = today.year - 1
        return year, datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    raise ImproperlyConfigured(f"FUYUAN_LOSS_WINDOW 只能是 {'、'.join(WINDOWS)}，而不是“{kind}”")


def exceeds(loss_rate: float | None, limit: Decimal) -> bool:
    """SPEC §4 "exceeds": strictly greater, on the rate as published (two decimals)."""
    return loss_rate is not None and Decimal(str(loss_rate)) > limit


def lost_cases_url(duty: ReportDuty) -> str:
    """The case list narrowed to the county's losses counted when the duty opened (the list's GET filters)."""
    return _drill(duty, "litigation.lost")


def concluded_cases_url(duty: ReportDuty) -> str:
    return _drill(duty, "litigation.concluded")


def _drill(duty: ReportDuty, measure: str) -> str:
    params = {
        "figure": measure,
        "from": duty.window_from.isoformat(),
        "to": duty.window_to.isoformat(),
        "county": duty.county_id,
    }
    return reverse("cases:list") + "?" + urlencode(params)


def link(duty: ReportDuty) -> str:
    return reverse("accountability:detail", args=[duty.pk])


# ---------------------------------------------------------------------------------------------------------------
# Who is told, who may act


def county_government(county: Region) -> Organisation | None:
    """The county's 人民政府: the agency of that county whose name ends with 人民政府 (None when not registered)."""
    return (
        Organisation.objects.filter(region=county, kind=OrganisationKind.AGENCY, name__endswith=GOVERNMENT_SUFFIX)
        .order_by("name")
        .first()
    )


def county_people(duty: ReportDuty) -> list[User]:
    """The government's agency liaisons and the county's 依法治办: the ones who answer the duty."""
    offices = Q(role=Role.RULE_OF_LAW_OFFICE) & (
        Q(region_id=duty.county_id) | Q(region__isnull=True, organisation__region_id=duty.county_id)
    )
    liaisons = Q(role=Role.AGENCY_LIAISON, organisation_id=duty.government_id) if duty.government_id else Q(pk=None)
    return list(User.objects.filter(is_active=True).filter(offices | liaisons).order_by("id"))


def reviewers(duty: ReportDuty) -> list[User]:
    """The 依法治办 above the county (prefecture or province) whose subtree holds it."""
    # The seed has the county report to the 州人民政府: its 依法治办 runs rule-of-law work for it and receives it.
    above = [r.pk for r in duty.county.ancestors() if r.level < RegionLevel.COUNTY]
    return list(
        User.objects.filter(is_active=True, role=Role.RULE_OF_LAW_OFFICE)
        .filter(Q(region_id__in=above) | Q(region__isnull=True, organisation__region_id__in=above))
        .order_by("id")
    )


def can_submit(user: User, duty: ReportDuty) -> bool:
    """The county government's liaison, or the county's 依法治办, reports."""
    if user.role == Role.AGENCY_LIAISON:
        return duty.government_id is not None and user.organisation_id == duty.government_id
    region = user.scope_region
    return user.role == Role.RULE_OF_LAW_OFFICE and region is not None and region.pk == duty.county_id


def can_review(user: User, duty: ReportDuty) -> bool:
    """The 依法治办 above the county (a prefecture's, or the province's) accepts or returns the report."""
    region = user.scope_region
    return (
        user.role == Role.RULE_OF_LAW_OFFICE
        and region is not None
        and region.level < RegionLevel.COUNTY
        and duty.county.path.startswith(region.path)
    )


def _notify(duty: ReportDuty, users: list[User], *, key: str, subject: str, body: str, now: datetime.datetime) -> None:
    put(personal_rows(users, subject=subject, body=body, link=link(duty), dedup_key=f"report_duty:{duty.pk}:{key}",
                      now=now))  # fmt: skip


def _lock(duty: ReportDuty) -> ReportDuty:
    """Re-read the duty under a row lock so two people acting at once see each other's change."""
    fresh = ReportDuty.objects.select_for_update().get(pk=duty.pk)
    duty.__dict__.update({k: v for k, v in fresh.__dict__.items() if not k.startswith("_")})
    return duty


def _require_state(duty: ReportDuty, states: Iterable[str], action: str) -> None:
    if duty.state not in states:
        raise DutyError(f"该书面报告事项当前状态为“{duty.get_state_display()}”，不能{action}")


# ---------------------------------------------------------------------------------------------------------------
# Opening


@dataclass
class DutySweep:
    checked: bool = False
    opened: list[ReportDuty] = field(default_factory=list)
    failed: int = 0

    def summary(self) -> str:
        if not self.checked:
            return "今日已检查败诉率"
        return f"新启动书面报告 {len(self.opened)} 项" if self.opened else "无县(市、区)败诉率超过阈值"


def open_report_duties(now: datetime.datetime | None = None) -> list[ReportDuty]:
    """Open one duty for every county whose loss rate over the configured window exceeds the threshold, with at
    least ``FUYUAN_REPORT_DUTY_MIN_CASES`` first-instance cases concluded in it, and that holds no duty for that
    year yet; return the duties opened now.

    Idempotent and safe to run twice at once: the (county, year) constraint keeps one duty, and a county that
    already holds one (open, submitted, returned or closed) gets none. The county's government liaisons and its
    依法治办 are told once (the outbox key is the duty's).
    """
    now = timezone.localtime(now or timezone.now())
    year, date_from, date_to = loss_window(now.date())
    limit = threshold()
    minimum = settings.FUYUAN_REPORT_DUTY_MIN_CASES
    rows = figures.table(Case.objects.all(), date_from, date_to, by="county")["rows"]
    over = {
        row["ref"]: row
        for row in rows
        if row["counts"]["litigation.concluded"] >= minimum and exceeds(row["rates"]["loss_rate"], limit)
    }
    if not over:
        return []
    held = set(ReportDuty.objects.filter(year=year, county_id__in=over).values_list("county_id", flat=True))
    # A prefecture's own agencies (州本级) form a row of their own; the duty is a county's (SPEC §4).
    counties = Region.objects.filter(pk__in=set(over) - held, level=RegionLevel.COUNTY).order_by("path")
    due_on = now.date() + datetime.timedelta(days=settings.FUYUAN_REPORT_DUE_DAYS)
    opened = []
    rows = Rows("accountability.open_duty", now)
    for county in counties:
        if county.pk in rows.held():
            continue
        counts = over[county.pk]["counts"]
        duty = ReportDuty(
            county=county,
            government=county_government(county),
            year=year,
            window_from=date_from,
            window_to=date_to,
            lost=counts["litigation.lost"],
            concluded=counts["litigation.concluded"],
            loss_rate=Decimal(str(over[county.pk]["rates"]["loss_rate"])),
            threshold=limit,
            opened_at=now,
            due_on=due_on,
        )
        if rows.attempt(county.pk, partial(_open, duty, now)):
            opened.append(duty)
    return opened


def _open(duty: ReportDuty, now: datetime.datetime) -> bool:
    try:
        with transaction.atomic():
            duty.save()
    except IntegrityError:
        return False  # another sweep opened it a moment ago
    obligations.keep(DUTY, duty.pk, due_on=duty.due_on, owner_organisation=duty.government_id)
    _announce(duty, now)
    return True


def _announce(duty: ReportDuty, now: datetime.datetime) -> None:
    window = f"{duty.window_from:%Y年%-m月%-d日}至{duty.window_to:%Y年%-m月%-d日}"
    figures_text = f"一审结案{duty.concluded}件，败诉{duty.lost}件，败诉率{duty.loss_rate:.2f}%"
    record_event(
        duty,
        by=SYSTEM,
        action="opened",
        summary=f"{window}{duty.county.name}{figures_text}，超过{duty.threshold:.2f}%，启动书面报告",
        changes={"状态": ["", DutyState.OPEN.label], "报告期限": ["", duty.due_on.isoformat()]},
    )
    body = (
        f"{window}，{duty.county.name}{figures_text}，超过{duty.threshold:.2f}%的阈值。"
        f"请{duty.reporter}于{duty.due_on:%Y年%-m月%-d日}前向州（市）依法治办书面报告并作出检查，在平台上传报告。"
    )
    _notify(duty, county_people(duty), key="opened", subject="【书面报告】败诉率超过阈值", body=body, now=now)


@transaction.atomic
def sweep_report_duties(now: datetime.datetime | None = None) -> DutySweep:
    """The sweep's part: ``open_report_duties`` at most once a day per year (the sweep runs every minute, and the
    figures change with the cases, which are entered during the day). The day's check is claimed with a
    conditional UPDATE, so two workers never both compute it; if opening fails, the claim rolls back with it."""
    now = timezone.localtime(now or timezone.now())
    today = now.date()
    year, _from, _to = loss_window(today)
    check, created = ThresholdCheck.objects.get_or_create(year=year, defaults={"checked_on": today})
    if not created and not ThresholdCheck.objects.filter(pk=check.pk, checked_on__lt=today).update(checked_on=today):
        return DutySweep(checked=False)
    return DutySweep(checked=True, opened=open_report_duties(now))


# ---------------------------------------------------------------------------------------------------------------
# Chasing the report: 临期 and 逾期


@dataclass
class DutyChase:
    warned: int = 0
    overdue: int = 0
    failed: int = 0

    def summary(self) -> str:
        return f"报告临期提醒 {self.warned} 项，逾期督办 {self.overdue} 项"


def chase_report_duties(now: datetime.datetime | None = None) -> DutyChase:
    """The sweep's due obligations of written-report duties alone (``obligations.workflow.sweep``; ``run_sweep``
    runs them with every other kind): the county is reminded once when its report falls due within
    ``FUYUAN_DEADLINE_WARN_DAYS`` days (临期, as for case deadlines), and once the date has passed the county and the
    依法治办 above it are told (逾期), each with an Event on the duty. Only a duty still awaiting its report (待报告,
    退回补充) is chased: a returned report keeps its due date, so a notice already sent is not repeated."""
    return duty_chase(obligations.sweep(now, kinds=[DUTY]))


def duty_chase(report: obligations.ObligationSweep) -> DutyChase:
    warned, overdue, failed = report.of(DUTY)
    return DutyChase(warned=warned, overdue=overdue, failed=failed)


def _awaiting(ob: Obligation) -> ReportDuty | None:
    """The duty of an obligation, if it still awaits its report (one sent for review is not chased)."""
    return (
        ReportDuty.objects.filter(pk=ob.subject_id, state__in=AWAITING_REPORT)
        .select_related("county", "government")
        .first()
    )


def chase_duty(ob: Obligation, now: datetime.datetime) -> bool:
    duty = _awaiting(ob)
    if duty is None:
        return False
    days = (now.date() - duty.due_on).days
    record_event(duty, by=SYSTEM, action="overdue", summary=f"报告期限已过{days}天，{duty.reporter}尚未报送，已督办")
    body = (
        f"{duty.county.name}{duty.year}年败诉率超过阈值的书面报告已于{duty.due_on:%Y年%-m月%-d日}到期，"
        f"已逾期{days}天，{duty.reporter}尚未报送。"
    )
    people = [*county_people(duty), *reviewers(duty)]
    _notify(duty, people, key="overdue", subject="【书面报告】报告逾期", body=body, now=now)
    return True


def warn_duty(ob: Obligation, now: datetime.datetime) -> bool:
    duty = _awaiting(ob)
    if duty is None:
        return False
    record_event(duty, by=SYSTEM, action="warned", summary=f"报告期限临近（{duty.due_on:%Y-%m-%d}），已提醒")
    body = (
        f"{duty.county.name}{duty.year}年败诉率超过阈值的书面报告将于{duty.due_on:%Y年%-m月%-d日}到期，"
        f"请{duty.reporter}按期向州（市）依法治办报送书面报告并作出检查。"
    )
    _notify(duty, county_people(duty), key="warned", subject="【书面报告】报告临期", body=body, now=now)
    return True


# The kind of due obligation a written-report duty is (``obligations``; registered by ``AccountabilityConfig``).
DUTY = "accountability.report_duty"
DUTY_KIND = Kind(name=DUTY, label="书面报告", remind=warn_duty, chase=chase_duty)


# ---------------------------------------------------------------------------------------------------------------
# The report


def check_report_file(upload: UploadedFile | None) -> str:
    """The report's extension if the file is acceptable; otherwise DutyError with what is wrong and what to do."""
    if upload is None:
        raise DutyError("请选择要上传的书面报告文件（PDF 或 Word）")
    return check_upload(
        upload,
        accepted=REPORT_TYPES,
        not_accepted="不是 PDF 或 Word 文件：只接受 .pdf、.doc、.docx",
        error=DutyError,
        label_suffix=" 文件",
        max_bytes=REPORT_MAX_BYTES,
    )


def submit_report(
    duty: ReportDuty, upload: UploadedFile | None, *, by: User, now: datetime.datetime | None = None
) -> ReportDuty:
    """The county reports: the file is checked before anything is written, then stored and sent for review."""
    now = timezone.localtime(now or timezone.now())
    if not can_submit(by, duty):
        raise DutyError("您无权报送该县（市、区）的书面报告")
    suffix = check_report_file(upload)
    assert upload is not None
    with transaction.atomic():
        _lock(duty)
        _require_state(duty, AWAITING_REPORT, "报送")
        before = duty.get_state_display()
        again = duty.state == DutyState.RETURNED
        original = PurePath(upload.name or "").name
        duty.report.save(f"{duty.county.name}{duty.year}年书面报告{suffix}", upload, save=False)
        duty.report_name = original
        duty.state = DutyState.SUBMITTED
        duty.submitted_at, duty.submitted_by = now, by
        duty.save()
        obligations.settle(DUTY, duty.pk)
        record_event(
            duty,
            by=by,
            action="resubmitted" if again else "submitted",
            summary=f"{'重新报送' if again else '报送'}书面报告：{original}",
            changes={"状态": [before, duty.get_state_display()], "书面报告": ["", original]},
        )
        body = f"{duty.reporter}已{'重新' if again else ''}报送{duty.year}年败诉率超过阈值的书面报告（{original}），请审核。"
        _notify(duty, reviewers(duty), key=f"submitted:{now:%Y%m%d%H%M%S%f}", subject="【书面报告】待审核",
                body=body, now=now)  # fmt: skip
    return duty


def accept_report(duty: ReportDuty, *, by: User, note: str = "", now: datetime.datetime | None = None) -> ReportDuty:
    """The prefecture's 依法治办 accepts the report: the duty is closed with it."""
    now = timezone.localtime(now or timezone.now())
    if not can_review(by, duty):
        raise DutyError("书面报告由州（市）依法治办审核")
    with transaction.atomic():
        _lock(duty)
        _require_state(duty, [DutyState.SUBMITTED], "审核通过")
        before = duty.get_state_display()
        duty.state = DutyState.CLOSED
        duty.closed_at, duty.closed_by = now, by
        duty.review_note = note.strip()
        duty.save()
        changes = {"状态": [before, duty.get_state_display()]}
        if duty.review_note:
            changes["审核意见"] = ["", duty.review_note]
        record_event(duty, by=by, action="accepted", summary=f"审核通过书面报告：{duty.report_name}", changes=changes)
        body = f"{duty.county.name}{duty.year}年的书面报告（{duty.report_name}）已审核通过，事项办结。"
        _notify(duty, county_people(duty), key="closed", subject="【书面报告】已办结", body=body, now=now)
    return duty


def return_report(duty: ReportDuty, *, note: str, by: User, now: datetime.datetime | None = None) -> ReportDuty:
    """The prefecture's 依法治办 returns the report with what is missing; the county reports again."""
    now = timezone.localtime(now or timezone.now())
    if not can_review(by, duty):
        raise DutyError("书面报告由州（市）依法治办审核")
    note = note.strip()
    if not note:
        raise DutyError("退回时请写明需要补充或修改的内容")
    with transaction.atomic():
        _lock(duty)
        _require_state(duty, [DutyState.SUBMITTED], "退回")
        before = duty.get_state_display()
        duty.state = DutyState.RETURNED
        duty.review_note = note
        duty.save()
        # Reported again under the same due date: a notice already sent is not sent again.
        obligations.keep(DUTY, duty.pk, due_on=duty.due_on, owner_organisation=duty.government_id)
        record_event(
            duty,
            by=by,
            action="returned",
            summary=f"退回书面报告：{duty.report_name}",
            changes={"状态": [before, duty.get_state_display()], "退回意见": ["", note]},
        )
        body = f"{duty.county.name}{duty.year}年的书面报告被退回，意见：{note}。请补充后重新报送（期限 {duty.due_on:%Y年%-m月%-d日}）。"
        _notify(duty, county_people(duty), key=f"returned:{now:%Y%m%d%H%M%S%f}", subject="【书面报告】退回补充",
                body=body, now=now)  # fmt: skip
    return duty
