"""Leader case-packaging (领导包案, SPEC §6.4): create, edit, progress, 约谈, close, withdraw, and the monthly dispatch
reminder. Each transition checks the actor's right, checks the state, changes the package, writes its Event and puts
its notifications in the outbox, in one transaction; nothing else writes a CasePackage.

The rules and their source (黔南州司法局“三个加强”, 法制生活报 2021-10-08, the “两包” paragraph):
- "县(市)领导包案化解": a 包案化解 package goes to a leader of a county (县/市/区) for cases of that county.
- "州级领导包案督促 … 套案数量较大的重大复议诉讼案件、群体性复议诉讼案件": a 包案督促 package goes to a prefecture leader,
  for cases anywhere in the prefecture; a package may hold several cases (the 套案 or 群体性 group).
- "领导小组对“两包”案件按月调度": a dispatch reminder to the leader and the 依法治办 once each month (``sweep_packages``).
- "对领导包案化解不到位的，采取电话提醒、约谈等措施": a package that is 落后 (past due, or no progress within a month:
  ``models.lagging_condition``) gets a 约谈 recorded by the 依法治办.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from fuyuan.cases import queries as case_queries
from fuyuan.cases.models import Case
from fuyuan.core.models import RegionLevel, Role, User
from fuyuan.core.timeline import Actor, record_event
from fuyuan.notifications.workflow import personal_rows, put
from fuyuan.obligations import workflow as obligations
from fuyuan.obligations.models import Obligation
from fuyuan.obligations.registry import Kind
from fuyuan.packaging.models import (
    CasePackage,
    PackageInterview,
    PackageKind,
    PackageState,
    ProgressReport,
)
from fuyuan.packaging.queries import can_manage, can_report

SYSTEM = Actor(label="系统定时任务")
# Packages reminded per sweep at most; the rest a minute later (a run stays short).
REMINDER_BATCH = 500
# The leader's region level for each kind ("县(市)领导包案化解，州级领导包案督促").
LEADER_LEVEL = {PackageKind.RESOLVE: RegionLevel.COUNTY, PackageKind.SUPERVISE: RegionLevel.PREFECTURE}


class PackageError(Exception):
    """A transition that cannot be done, with the reason in Chinese for the person who tried."""


def link(package: CasePackage) -> str:
    return reverse("packaging:detail", args=[package.pk])


def offices(package: CasePackage) -> list[User]:
    """The 依法治办 of the package's region: they dispatch it."""
    return list(
        User.objects.filter(is_active=True, role=Role.RULE_OF_LAW_OFFICE)
        .filter(Q(region_id=package.region_id) | Q(region__isnull=True, organisation__region_id=package.region_id))
        .order_by("id")
    )


def _notify(
    package: CasePackage, users: Iterable[User], *, key: str, subject: str, body: str, now: datetime.datetime
) -> None:
    # The outbox is a table: rows put inside the transaction vanish with it if it rolls back.
    put(personal_rows(users, subject=subject, body=body, link=link(package), dedup_key=f"package:{package.pk}:{key}",
                      now=now))  # fmt: skip


def _lock(package: CasePackage) -> CasePackage:
    fresh = CasePackage.objects.select_for_update().get(pk=package.pk)
    package.__dict__.update({k: v for k, v in fresh.__dict__.items() if not k.startswith("_")})
    return package


def _require_active(package: CasePackage, action: str) -> None:
    if package.state != PackageState.ACTIVE:
        raise PackageError(f"该包案当前状态为“{package.get_state_display()}”，不能{action}")


def _require_manager(user: User, package: CasePackage) -> None:
    if not can_manage(user, package):
        raise PackageError("只有本地区依法治办可以办理此项")


def case_numbers(package: CasePackage) -> str:
    return "、".join(package.cases.order_by("number").values_list("number", flat=True))


def _check_cases(cases: list[Case], leader_region_path: str, by: User) -> None:
    if not cases:
        raise PackageError("请至少选择一件案件")
    visible = set(case_queries.visible_to(by).filter(pk__in=[c.pk for c in cases]).values_list("pk", flat=True))
    outside = [c.number for c in cases if c.pk not in visible or not c.region.path.startswith(leader_region_path)]
    if outside:
        raise PackageError(f"案件不在包案领导所在地区或不在您的管辖范围内：{'、'.join(outside)}")


def _check_terms(goal: str, due_on: datetime.date | None, today: datetime.date) -> str:
    goal = goal.strip()
    if not goal:
        raise PackageError("请填写化解目标")
    if due_on is None:
        raise PackageError("请填写完成期限")
    if due_on < today:
        raise PackageError("完成期限不能早于今天")
    return goal


def create_package(
    *,
    kind: str,
    leader: User,
    cases: Iterable[Case],
    goal: str,
    due_on: datetime.date | None,
    by: User,
    now: datetime.datetime | None = None,
) -> CasePackage:
    """The 依法治办 packages one case or a group of cases to a leader of its region subtree."""
    now = timezone.localtime(now or timezone.now())
    office_region = by.scope_region
    if by.role != Role.RULE_OF_LAW_OFFICE or office_region is None:
        raise PackageError("只有依法治办可以安排领导包案")
    if kind not in PackageKind.values:
        raise PackageError("请选择包案类型")
    leader_region = leader.scope_region
    if leader.role != Role.LEADER or not leader.is_active or leader_region is None:
        raise PackageError(f"{leader.display_name}不是领导，不能包案")
    if not leader_region.path.startswith(office_region.path):
        raise PackageError(f"{leader.display_name}不是本地区的领导")
    if leader_region.level != LEADER_LEVEL[PackageKind(kind)]:
        raise PackageError(
            f"包案化解由县(市)领导负责，包案督促由州级领导负责（{leader.display_name}属于{leader_region.name}）"
        )
    cases = list(cases)
    _check_cases(cases, leader_region.path, by)
    goal = _check_terms(goal, due_on, now.date())
    assert due_on is not None
    with transaction.atomic():
        package = CasePackage.objects.create(
            kind=kind,
            region=leader_region,
            leader=leader,
            goal=goal,
            due_on=due_on,
            created_by=by,
            created_at=now,
            last_activity_on=now.date(),
            dispatch_reminded_for=now.date().replace(day=1),
        )
        package.cases.set(cases)
        # The month it is created in counts as dispatched: the first reminder is next month's.
        obligations.keep(DISPATCH, package.pk, **_round(_next_month(now.date())), owner_user=leader)
        numbers = "、".join(c.number for c in cases)
        record_event(
            package,
            by=by,
            action="created",
            summary=f"安排{leader.display_name}{package.get_kind_display()}：{numbers}",
            changes={
                "状态": ["", PackageState.ACTIVE.label],
                "包案领导": ["", leader.display_name],
                "案件": ["", numbers],
                "化解目标": ["", goal],
                "完成期限": ["", due_on.isoformat()],
            },
        )
        body = (
            f"依法治办安排您{package.get_kind_display()}：{numbers}。目标：{goal}。"
            f"完成期限 {due_on:%Y年%-m月%-d日}，请每月报送进展。"
        )
        _notify(
            package, [leader], key="created", subject=f"【领导包案】{package.get_kind_display()}", body=body, now=now
        )
    return package


def edit_package(
    package: CasePackage,
    *,
    goal: str,
    due_on: datetime.date | None,
    cases: Iterable[Case],
    by: User,
    now: datetime.datetime | None = None,
) -> CasePackage:
    """The 依法治办 changes the goal, the due date or the cases of an active package."""
    now = timezone.localtime(now or timezone.now())
    _require_manager(by, package)
    cases = list(cases)
    with transaction.atomic():
        _lock(package)
        _require_active(package, "修改")
        _check_cases(cases, package.region.path, by)
        goal = _check_terms(goal, due_on, now.date())
        assert due_on is not None
        before = {"化解目标": package.goal, "完成期限": package.due_on.isoformat(), "案件": case_numbers(package)}
        package.goal, package.due_on = goal, due_on
        package.save(update_fields=["goal", "due_on"])
        package.cases.set(cases)
        after = {"化解目标": goal, "完成期限": due_on.isoformat(), "案件": "、".join(c.number for c in cases)}
        changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
        if not changes:
            return package
        record_event(package, by=by, action="edited", summary=f"修改包案：{'、'.join(changes)}", changes=changes)
        body = "依法治办修改了您的包案：" + "；".join(f"{k}改为“{v[1]}”" for k, v in changes.items())
        stamp = f"{now:%Y%m%d%H%M%S%f}"
        _notify(package, [package.leader], key=f"edited:{stamp}", subject="【领导包案】包案已修改", body=body, now=now)
    return package


def report_progress(
    package: CasePackage,
    *,
    text: str,
    reported_on: datetime.date | None = None,
    by: User,
    now: datetime.datetime | None = None,
) -> ProgressReport:
    """The leader (or the 依法治办 for them) reports the month's progress; the package is no longer 落后 for lack of
    progress (a package past its due date stays 落后 until it is closed or its due date changed)."""
    now = timezone.localtime(now or timezone.now())
    if not can_report(by, package):
        raise PackageError("只有包案领导或本地区依法治办可以报送进展")
    text = text.strip()
    if not text:
        raise PackageError("请填写进展情况")
    reported_on = reported_on or now.date()
    if reported_on > now.date():
        raise PackageError("报送日期不能晚于今天")
    with transaction.atomic():
        _lock(package)
        _require_active(package, "报送进展")
        report = ProgressReport.objects.create(
            package=package, reported_on=reported_on, text=text, by=by, created_at=now
        )
        if reported_on > package.last_activity_on:
            package.last_activity_on = reported_on
            package.save(update_fields=["last_activity_on"])
        record_event(
            package,
            by=by,
            action="progress",
            summary=f"报送{reported_on:%Y年%-m月}进展",
            changes={"进展情况": ["", text]},
        )
        who = [u for u in [package.leader, *offices(package)] if u.pk != by.pk]
        body = f"{by.display_name}报送了包案进展（{reported_on:%Y-%m-%d}）：{text}"
        _notify(package, who, key=f"progress:{report.pk}", subject="【领导包案】进展报送", body=body, now=now)
    return report


def record_interview(
    package: CasePackage,
    *,
    held_on: datetime.date | None,
    interviewer: str,
    interviewee: str,
    conclusions: str,
    by: User,
    now: datetime.datetime | None = None,
) -> PackageInterview:
    """The 依法治办 records the 约谈 of a package that is 落后 ("对领导包案化解不到位的，采取…约谈等措施")."""
    now = timezone.localtime(now or timezone.now())
    _require_manager(by, package)
    interviewer, interviewee, conclusions = interviewer.strip(), interviewee.strip(), conclusions.strip()
    if not (held_on and interviewer and interviewee and conclusions):
        raise PackageError("请填写约谈日期、约谈人、被约谈人和约谈结论")
    if held_on > now.date():
        raise PackageError("约谈日期不能晚于今天")
    with transaction.atomic():
        _lock(package)
        _require_active(package, "约谈")
        if not package.is_lagging(now.date()):
            raise PackageError("该包案未落后（未超期且一个月内有进展），无需约谈")
        reason = package.lag_reason(now.date())
        interview = PackageInterview.objects.create(
            package=package,
            held_on=held_on,
            interviewer=interviewer,
            interviewee=interviewee,
            conclusions=conclusions,
            recorded_by=by,
            created_at=now,
        )
        record_event(
            package,
            by=by,
            action="interviewed",
            summary=f"约谈：{interviewer}约谈{interviewee}（{reason}）",
            changes={"约谈日期": ["", held_on.isoformat()], "约谈结论": ["", conclusions]},
        )
        body = f"{held_on:%Y年%-m月%-d日}{interviewer}就包案落后（{reason}）约谈{interviewee}。结论：{conclusions}"
        _notify(package, [package.leader], key=f"interview:{interview.pk}", subject="【领导包案】约谈记录",
                body=body, now=now)  # fmt: skip
    return interview


def close_package(
    package: CasePackage, *, state: str, note: str, by: User, now: datetime.datetime | None = None
) -> CasePackage:
    """The 依法治办 closes a package: 已化解, 未化解结案 (with the reason) or 撤销 (with the reason)."""
    now = timezone.localtime(now or timezone.now())
    _require_manager(by, package)
    if state not in (PackageState.RESOLVED, PackageState.UNRESOLVED, PackageState.WITHDRAWN):
        raise PackageError("请选择结束方式：已化解、未化解结案或撤销")
    note = note.strip()
    if state != PackageState.RESOLVED and not note:
        raise PackageError("未化解结案或撤销时请写明理由")
    with transaction.atomic():
        _lock(package)
        _require_active(package, "结束")
        package.state = state
        package.closed_at = now
        package.closing_note = note
        package.save(update_fields=["state", "closed_at", "closing_note"])
        obligations.settle(DISPATCH, package.pk)
        label = package.get_state_display()
        changes = {"状态": [PackageState.ACTIVE.label, label]}
        if note:
            changes["说明"] = ["", note]
        action = "withdrawn" if state == PackageState.WITHDRAWN else "closed"
        record_event(package, by=by, action=action, summary=f"包案{label}", changes=changes)
        body = f"您的包案（{case_numbers(package)}）已{label}。" + (f"说明：{note}" if note else "")
        _notify(package, [package.leader], key="closed", subject=f"【领导包案】{label}", body=body, now=now)
    return package


# ---------------------------------------------------------------------------------------------------------------
# The monthly dispatch reminder (按月调度)


@dataclass
class PackageSweep:
    reminded: int = 0
    failed: int = 0

    def summary(self) -> str:
        return f"调度提醒 {self.reminded} 件"


# The kind of due obligation a package's monthly dispatch is (``obligations``; registered by ``PackagingConfig``):
# a recurring one, due each month from its first day, renewed for the next month once reminded.
DISPATCH = "packaging.dispatch"


def _next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def _round(month: datetime.date) -> dict[str, Any]:
    """The obligation's terms for one month's dispatch: reminded from the month's first day, due by its last."""
    return {"due_on": _next_month(month) - datetime.timedelta(days=1), "warn": month}


def sweep_packages(now: datetime.datetime | None = None) -> PackageSweep:
    """The sweep's due obligations of package dispatches alone (``obligations.workflow.sweep``; ``run_sweep`` runs
    them with every other kind): the leader and the 依法治办 of every active package are reminded, once in each
    month, to dispatch it (an idle sweep is one indexed read)."""
    return package_sweep(obligations.sweep(now, kinds=[DISPATCH]))


def package_sweep(report: obligations.ObligationSweep) -> PackageSweep:
    reminded, late, failed = report.of(DISPATCH)
    return PackageSweep(reminded=reminded + late, failed=failed)


def remind_dispatch(ob: Obligation, now: datetime.datetime) -> bool:
    """This month's reminder (also when the sweep comes late, after the month of the round: the current month's)."""
    package = CasePackage.objects.filter(pk=ob.subject_id, state=PackageState.ACTIVE).select_related("leader").first()
    if package is None:
        return False
    today = now.date()
    month = today.replace(day=1)
    CasePackage.objects.filter(pk=package.pk).update(dispatch_reminded_for=month)
    late = f"（已落后：{package.lag_reason(today)}）" if package.is_lagging(today) else ""
    body = (
        f"{month:%Y年%-m月}领导包案调度：{package.leader.display_name}{package.get_kind_display()}"
        f"（{case_numbers(package)}），目标：{package.goal}，期限 {package.due_on:%Y-%m-%d}{late}。"
        "请包案领导报送本月进展。"
    )
    put(personal_rows([package.leader, *offices(package)], subject="【领导包案】按月调度", body=body,
                      link=link(package), dedup_key=f"package:{package.pk}:dispatch:{month:%Y-%m}",
                      now=now))  # fmt: skip
    record_event(package, by=SYSTEM, action="dispatch_reminded", summary=f"{month:%Y年%-m月}调度提醒")
    return True


def next_dispatch(ob: Obligation, now: datetime.datetime) -> tuple[datetime.date, datetime.date]:
    """After this month's reminder, next month's."""
    terms = _round(_next_month(now.date()))
    return terms["warn"], terms["due_on"]


DISPATCH_KIND = Kind(name=DISPATCH, label="领导包案调度", remind=remind_dispatch, chase=remind_dispatch,
                     renew=next_dispatch)  # fmt: skip
