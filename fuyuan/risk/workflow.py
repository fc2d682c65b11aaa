"""Loss-risk early warning (三色预警) as transitions:

- ``refresh_region`` (the sweep, order 66, or ``fuyuan risk-train``): when a 州/市's data changed since its model was
  last trained, learn again (``model.assess``), keep the run (``RiskModelRun``) and set the levels (``apply_levels``);
- ``apply_levels``: each pending first-instance case gets its level; a level that changes writes an Event on the
  case's timeline; a case that turns red notifies the agency and the county's 依法治办 once (the outbox's key
  ``risk:CASE:red``); a case no longer pending leaves the list with an Event;
- ``set_thresholds``: the 州 依法治办 sets the levels' thresholds (an Event on the settings), and the stored scores
  are levelled again by name (``relevel``).

A level changes only with the data: the features are facts of the record (no clock), and the sweep retrains only
when the region's cases or risk notices changed (``data_signature``).
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field
from functools import partial

from django.db import transaction
from django.db.models import Count, Max, Sum
from django.utils import timezone

from fuyuan.accountability.losses import liaisons, office_users
from fuyuan.cases.models import Case
from fuyuan.consultation.models import RiskNotice
from fuyuan.core.models import Region, RegionLevel, Role, User
from fuyuan.core.timeline import Actor, PendingEvent, record_event, record_events
from fuyuan.notifications.workflow import personal_rows, put
from fuyuan.risk.features import FEATURES, column_label, load_region
from fuyuan.risk.model import Assessment, assess
from fuyuan.risk.models import DEFAULT_THRESHOLDS, CaseRisk, Level, RiskModelRun, RiskSettings, Thresholds
from fuyuan.stats.cache import figures_changed

SYSTEM = Actor(label="败诉风险模型（定时任务）")
LEVEL_EVENT = "risk_level"


class RiskError(Exception):
    """A change that cannot be made, with the reason in Chinese naming the field (nothing was written)."""


def link(case: Case | int) -> str:
    return f"/risk/case/{case if isinstance(case, int) else case.pk}/"


def model_region(region: Region) -> Region:
    """The 州/市 whose model and thresholds serve ``region`` (itself when it is one, or a province/top region)."""
    if region.level <= RegionLevel.PREFECTURE:
        return region
    for ancestor in reversed(region.ancestors()):
        if ancestor.level == RegionLevel.PREFECTURE:
            return ancestor
    return region


def thresholds_for(region: Region | None) -> Thresholds:
    if region is None:
        return DEFAULT_THRESHOLDS
    found = RiskSettings.objects.filter(region=model_region(region)).first()
    return found.thresholds if found else DEFAULT_THRESHOLDS


def data_signature(region: Region) -> str:
    """Changes whenever a case of the region or a risk notice on one is added, edited or removed (two queries)."""
    cases = Case.objects.filter(region__path__startswith=region.path).aggregate(
        n=Count("id"), top=Max("id"), changed=Max("updated_at"), versions=Sum("version")
    )
    notices = RiskNotice.objects.filter(case__region__path__startswith=region.path).aggregate(
        n=Count("id"), top=Max("id"), answered=Max("answered_on")
    )
    text = repr(sorted(cases.items())) + repr(sorted(notices.items())) + ",".join(f.name for f in FEATURES)
    return hashlib.sha256(text.encode()).hexdigest()


# ---------------------------------------------------------------------------------------------------------------
# Levels


def _level_label(level: str) -> str:
    return Level(level).label if level else "无"


def _notify_red(risk: CaseRisk) -> None:
    """红色预警: the defendant agency's liaisons and the county's 依法治办, once per case (the outbox key)."""
    case = risk.case
    recipients = [*liaisons(case.defendant_id, Role.AGENCY_LIAISON), *office_users(case.county)]
    put(
        personal_rows(
            recipients,
            subject=f"败诉风险红色预警：{case.number}",
            body=(
                f"{case.number}（被告：{case.defendant.name}）的败诉风险评分为{risk.score:.0%}，列为红色预警。"
                f"主要原因：{'；'.join(risk.reasons)}。请研究是否自行纠正、申请判前会商、提交协调化解或报请领导包案。"
            ),
            link=link(case),
            dedup_key=f"risk:{case.pk}:red",
        )
    )


@transaction.atomic
def apply_levels(region: Region, assessment: Assessment, thresholds: Thresholds, *, by: User | Actor = SYSTEM) -> int:
    """Set the level of every case ``assessment`` scored (a region below the minimum history scores none); return
    how many levels changed. One Event per change on the case's timeline; a case newly red is notified."""
    existing = {r.case_id: r for r in CaseRisk.objects.filter(region=region).select_related("case")}
    scored_ids = {s.facts.pk for s in assessment.scored}
    cases = Case.objects.select_related("defendant", "county").in_bulk(
        [s.facts.pk for s in assessment.scored if s.facts.pk not in existing]
    )
    events: list[PendingEvent] = []
    creates, updates, reds = [], [], []
    for s in assessment.scored:
        level = thresholds.level_of(s.score)
        risk = existing.get(s.facts.pk)
        before = risk.level if risk else ""
        if risk is None:
            risk = CaseRisk(case=cases[s.facts.pk], region=region, level=level, score=s.score, reasons=s.reasons,
                            as_of=assessment.as_of)  # fmt: skip
            creates.append(risk)
        else:
            risk.level, risk.score, risk.reasons, risk.as_of = level, s.score, s.reasons, assessment.as_of
            updates.append(risk)
        if level != before:
            events.append(
                PendingEvent(
                    risk.case,
                    LEVEL_EVENT,
                    f"败诉风险预警：{_level_label(before)} → {_level_label(level)}（评分{s.score:.0%}）",
                    {"level": [before, level], "score": s.score, "reasons": s.reasons},
                )
            )
        if level == Level.RED and not risk.red_notified:
            risk.red_notified = True
            reds.append(risk)
    gone = [r for case_id, r in existing.items() if case_id not in scored_ids]
    for r in gone:
        why = "已结案" if r.case.concluded_on is not None else "不再评分"
        events.append(PendingEvent(r.case, LEVEL_EVENT, f"败诉风险预警：{_level_label(r.level)} → 无（{why}）",
                                   {"level": [r.level, ""]}))  # fmt: skip
    CaseRisk.objects.filter(pk__in=[r.pk for r in gone]).delete()
    CaseRisk.objects.bulk_create(creates, batch_size=1000)
    CaseRisk.objects.bulk_update(updates, ["level", "score", "reasons", "as_of", "red_notified"], batch_size=1000)
    for risk in reds:
        _notify_red(risk)
    record_events(events, by=by)
    if events:
        figures_changed()  # the dashboard's card of levels is kept with the figures (``stats.cache``)
    return len(events)


@transaction.atomic
def relevel(region: Region, *, by: User | Actor = SYSTEM) -> int:
    """Level the stored scores of ``region`` again by its thresholds (after they were changed)."""
    thresholds = thresholds_for(region)
    events: list[PendingEvent] = []
    changed, reds = [], []
    for risk in CaseRisk.objects.filter(region=region).select_related("case", "case__defendant", "case__county"):
        level = thresholds.level_of(risk.score)
        if level == risk.level:
            continue
        events.append(
            PendingEvent(
                risk.case,
                LEVEL_EVENT,
                f"败诉风险预警：{_level_label(risk.level)} → {_level_label(level)}（阈值调整，评分{risk.score:.0%}）",
                {"level": [risk.level, level], "score": risk.score},
            )
        )
        risk.level = level
        if level == Level.RED and not risk.red_notified:
            risk.red_notified = True
            reds.append(risk)
        changed.append(risk)
    CaseRisk.objects.bulk_update(changed, ["level", "red_notified"], batch_size=1000)
    for risk in reds:
        _notify_red(risk)
    record_events(events, by=by)
    if events:
        figures_changed()  # the dashboard's card of levels is kept with the figures (``stats.cache``)
    return len(events)


# ---------------------------------------------------------------------------------------------------------------
# Training


@dataclass
class Refresh:
    region: Region
    trained: bool
    changed_levels: int = 0
    shortfall: str = ""


def refresh_region(region: Region, *, now: datetime.datetime | None = None, force: bool = False) -> Refresh:
    """Learn again for ``region`` when its data changed (or ``force``), keep the run and set the levels."""
    now = now or timezone.now()
    as_of = timezone.localdate(now)
    signature = data_signature(region)
    run = RiskModelRun.objects.filter(region=region).first()
    if run is not None and run.signature == signature and not force:
        return Refresh(region, trained=False, shortfall=run.shortfall)
    records = load_region(region)
    assessment = assess(records, as_of)
    bt = assessment.backtest
    values = {
        "trained_at": now,
        "as_of": as_of,
        "signature": signature,
        "concluded": assessment.concluded,
        "losses": assessment.losses,
        "pending": len(assessment.pending),
        "shortfall": assessment.shortfall,
        "backtest": {
            "cases": bt.cases,
            "train_cases": bt.train_cases,
            "train_until": bt.train_until.isoformat() if bt.train_until else None,
            "auc": bt.model.auc,
            "brier": bt.model.brier,
            "baseline_auc": bt.baseline.auc,
            "baseline_brier": bt.baseline.brier,
            "reliability": bt.reliability,
            "note": bt.note,
        },
        "weights": [[column_label(n, records.names), round(w, 4)] for n, w in assessment.trained.weights()]
        if assessment.trained
        else [],
    }
    with transaction.atomic():
        # Two sweeps at once: the second waits here, then finds the run it would write already written.
        Region.objects.select_for_update().filter(pk=region.pk).first()
        latest = RiskModelRun.objects.filter(region=region).first()
        if latest is not None and latest.signature == signature and latest.trained_at >= now and not force:
            return Refresh(region, trained=False, shortfall=latest.shortfall)
        RiskModelRun.objects.update_or_create(region=region, defaults=values)
        changed = apply_levels(region, assessment, thresholds_for(region))
    return Refresh(region, trained=True, changed_levels=changed, shortfall=assessment.shortfall)


@dataclass
class RiskSweep:
    trained: list[str] = field(default_factory=list)
    unchanged: int = 0
    changed_levels: int = 0
    failed: int = 0

    def summary(self) -> str:
        if not self.trained:
            return "数据未变化，未重新训练"
        return (
            f"重新训练 {len(self.trained)} 个州/市（{'、'.join(self.trained)}），预警等级变化 {self.changed_levels} 件"
        )


def sweep_risk(now: datetime.datetime) -> RiskSweep:
    """Each 州/市 with cases, trained again only when its data changed; a region that fails is logged and held back
    (``notifications.isolation.Rows``) while the others go on."""
    from fuyuan.notifications.isolation import Rows

    report = RiskSweep()
    rows = Rows("risk", now)
    regions = rows.exclude(Region.objects.filter(level=RegionLevel.PREFECTURE)).order_by("path")
    for region in regions:
        if not Case.objects.filter(region__path__startswith=region.path).exists():
            continue
        done = rows.attempt(region.pk, partial(refresh_region, region, now=now))
        if done is None:
            continue
        if done.trained:
            report.trained.append(region.name)
            report.changed_levels += done.changed_levels
        else:
            report.unchanged += 1
    report.failed = rows.failed
    return report


# ---------------------------------------------------------------------------------------------------------------
# Settings


def can_set_thresholds(user: User, region: Region) -> bool:
    """The 州/市 依法治办 of that region."""
    scope = user.scope_region
    return (
        user.is_active
        and user.role == Role.RULE_OF_LAW_OFFICE
        and scope is not None
        and scope.pk == region.pk
        and region.level == RegionLevel.PREFECTURE
    )


def set_thresholds(region: Region, *, red: float, orange: float, yellow: float, by: User) -> RiskSettings:
    if not can_set_thresholds(by, region):
        raise RiskError("只有州（市）依法治办可以设置本地区的预警阈值")
    for name, value in (("红色预警下限", red), ("橙色预警下限", orange), ("黄色预警下限", yellow)):
        if not 0 < value < 1:
            raise RiskError(f"“{name}”须在0到1之间（现为{value}）")
    if not yellow < orange < red:
        raise RiskError("阈值须满足：黄色预警下限 < 橙色预警下限 < 红色预警下限")
    with transaction.atomic():
        settings, _ = RiskSettings.objects.select_for_update().get_or_create(region=region)
        before = settings.thresholds
        settings.red, settings.orange, settings.yellow, settings.updated_by = red, orange, yellow, by
        settings.save()
        record_event(
            settings,
            by=by,
            action="risk_thresholds",
            summary=(
                f"预警阈值：红≥{before.red:.0%}、橙≥{before.orange:.0%}、黄≥{before.yellow:.0%} → "
                f"红≥{red:.0%}、橙≥{orange:.0%}、黄≥{yellow:.0%}"
            ),
            changes={"red": [before.red, red], "orange": [before.orange, orange], "yellow": [before.yellow, yellow]},
        )
        relevel(region, by=by)
    return settings
