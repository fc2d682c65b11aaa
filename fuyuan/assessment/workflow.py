"""The assessment scheme and the manual items as transitions (SPEC §6.7)::

    create_scheme (州 依法治办: a copy of the previous year's scheme, or the registry's defaults) ─▶ 编制中
    update_indicator / add_indicator / remove_indicator (州 依法治办) — each an Event on the scheme's timeline
    adopt_scheme (州 依法治办) ─▶ 已启用 (the scheme still changes, and every change stays on its timeline)
    enter_manual_item (州 依法治办: a value 0–100 for one county or department, with the evidence) — an Event

Each function checks the actor's right, validates (``AssessmentError`` naming the field, nothing written), changes
the records and writes the Event, in one transaction.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from fuyuan.assessment.indicators import COUNTY, DEPARTMENT, SOURCES
from fuyuan.assessment.models import Indicator, ManualEntry, RuleKind, Scheme, SchemeState
from fuyuan.assessment.queries import can_edit
from fuyuan.core.models import Organisation, Region, RegionLevel, Role, User
from fuyuan.core.timeline import record_event
from fuyuan.core.uploads import check_upload

EVIDENCE_TYPES = (".pdf", ".docx", ".doc", ".jpg", ".jpeg", ".png")
EDITABLE = ("weight", "rule", "floor", "target", "lower_is_better")
FIELD_LABELS = {
    "weight": "分值",
    "rule": "计分规则",
    "floor": "下限",
    "target": "目标值",
    "lower_is_better": "越低越好",
}


class AssessmentError(Exception):
    """A change that cannot be made, with the reason in Chinese naming the field (nothing was written)."""


def _require_editor(user: User, scheme: Scheme) -> None:
    if not can_edit(user, scheme):
        raise AssessmentError(f"只有{scheme.region.name}依法治办可以编制考核方案和录入考核手工项")


def can_create(user: User) -> bool:
    return (
        user.is_active
        and user.role == Role.RULE_OF_LAW_OFFICE
        and user.region is not None
        and user.region.level == RegionLevel.PREFECTURE
    )


def _decimal(value: Any, field: str) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise AssessmentError(f"“{field}”须是数字（现为“{value}”）") from None
    if not number.is_finite():
        raise AssessmentError(f"“{field}”须是数字（现为“{value}”）")
    return number.quantize(Decimal("0.01"))


def check_rule(name: str, weight: Decimal, rule: str, floor: Decimal, target: Decimal, lower_is_better: bool) -> None:
    """The one place where an indicator's rule is validated: forms and imports translate its errors."""
    if weight < 0 or weight > 100:
        raise AssessmentError(f"指标“{name}”的分值须在 0 至 100 之间（现为 {weight}）")
    if rule not in RuleKind.values:
        raise AssessmentError(f"指标“{name}”的计分规则无效")
    if rule == RuleKind.LINEAR:
        if floor == target:
            raise AssessmentError(f"指标“{name}”线性计分的下限与目标值不能相同（均为 {target}）")
        if lower_is_better and floor < target:
            raise AssessmentError(
                f"指标“{name}”越低越好，下限（得0分）须高于目标值（得满分）：现为 {floor} 与 {target}"
            )
        if not lower_is_better and floor > target:
            raise AssessmentError(
                f"指标“{name}”越高越好，下限（得0分）须低于目标值（得满分）：现为 {floor} 与 {target}"
            )


@transaction.atomic
def create_scheme(region: Region, year: int, *, by: User) -> Scheme:
    """The scheme of ``year``: a copy of the latest earlier scheme of the region, or the registry's defaults."""
    if not can_create(by) or by.region_id != region.pk:
        raise AssessmentError("只有州（市）依法治办可以编制本地区的考核方案")
    if not 2000 <= year <= 2100:
        raise AssessmentError(f"“考核年度”无效（{year}）")
    if Scheme.objects.filter(region=region, year=year).exists():
        raise AssessmentError(f"{region.name}{year}年度的考核方案已经存在")
    previous = Scheme.objects.filter(region=region, year__lt=year).order_by("-year").first()
    scheme = Scheme.objects.create(region=region, year=year, copied_from=previous, created_by=by,
                                   created_at=timezone.now())  # fmt: skip
    if previous is not None:
        Indicator.objects.bulk_create(
            Indicator(scheme=scheme, **{f: getattr(i, f) for f in ("code", "name", "position", *EDITABLE)})
            for i in previous.indicators.all()
        )
        summary = f"编制{year}年度考核方案（沿用{previous.year}年度方案）"
    else:
        Indicator.objects.bulk_create(
            Indicator(scheme=scheme, code=s.code, name=s.name, position=n, weight=s.weight, rule=s.rule,
                      floor=s.floor, target=s.target, lower_is_better=s.lower_is_better)
            for n, s in enumerate(SOURCES.values(), start=1)
        )  # fmt: skip
        summary = f"编制{year}年度考核方案（采用默认指标）"
    record_event(scheme, by=by, action="create", summary=summary)
    return scheme


@transaction.atomic
def update_indicator(indicator: Indicator, *, by: User, **values: Any) -> Indicator:
    """Change an indicator's weight or rule; every changed field is on the scheme's timeline (old → new)."""
    scheme = indicator.scheme
    _require_editor(by, scheme)
    new = {f: getattr(indicator, f) for f in EDITABLE}
    for f in ("weight", "floor", "target"):
        if f in values:
            new[f] = _decimal(values[f], f"{indicator.name}的{FIELD_LABELS[f]}")
    if "rule" in values:
        new["rule"] = values["rule"]
    if "lower_is_better" in values:
        new["lower_is_better"] = bool(values["lower_is_better"])
    check_rule(indicator.name, new["weight"], new["rule"], new["floor"], new["target"], new["lower_is_better"])
    changes = {f: [str(getattr(indicator, f)), str(new[f])] for f in EDITABLE if getattr(indicator, f) != new[f]}
    if not changes:
        return indicator
    for f, v in new.items():
        setattr(indicator, f, v)
    indicator.save(update_fields=list(changes))
    said = "，".join(f"{FIELD_LABELS[f]} {old} → {now}" for f, (old, now) in changes.items())
    record_event(scheme, by=by, action="indicator", summary=f"调整指标“{indicator.name}”：{said}",
                 changes={"indicator": indicator.code, **changes})  # fmt: skip
    return indicator


@transaction.atomic
def add_indicator(scheme: Scheme, code: str, *, by: User) -> Indicator:
    _require_editor(by, scheme)
    source = SOURCES.get(code)
    if source is None:
        raise AssessmentError(f"没有代码为“{code}”的考核指标")
    if scheme.indicators.filter(code=code).exists():
        raise AssessmentError(f"方案中已有指标“{source.name}”")
    last = scheme.indicators.order_by("-position").values_list("position", flat=True).first() or 0
    indicator = Indicator.objects.create(
        scheme=scheme, code=code, name=source.name, position=last + 1, weight=source.weight, rule=source.rule,
        floor=source.floor, target=source.target, lower_is_better=source.lower_is_better,
    )  # fmt: skip
    record_event(scheme, by=by, action="indicator_added", summary=f"增加指标“{source.name}”（分值 {source.weight}）")
    return indicator


@transaction.atomic
def remove_indicator(indicator: Indicator, *, by: User) -> None:
    scheme = indicator.scheme
    _require_editor(by, scheme)
    if indicator.entries.exists():
        raise AssessmentError(f"指标“{indicator.name}”已有录入的手工项，不能删除；可将分值调整为 0")
    record_event(
        scheme, by=by, action="indicator_removed", summary=f"删除指标“{indicator.name}”（原分值 {indicator.weight}）"
    )
    indicator.delete()


@transaction.atomic
def adopt_scheme(scheme: Scheme, *, by: User) -> Scheme:
    _require_editor(by, scheme)
    if scheme.state == SchemeState.IN_USE:
        raise AssessmentError("该方案已经启用")
    if not scheme.indicators.exists():
        raise AssessmentError("方案中没有指标，不能启用")
    scheme.state = SchemeState.IN_USE
    scheme.save(update_fields=["state"])
    total = sum(i.weight for i in scheme.indicators.all())
    record_event(scheme, by=by, action="adopt", summary=f"启用{scheme.year}年度考核方案（总分值 {total}）")
    return scheme


@transaction.atomic
def enter_manual_item(
    indicator: Indicator,
    *,
    by: User,
    value: Any,
    note: str,
    evidence: UploadedFile | None,
    region: Region | None = None,
    organisation: Organisation | None = None,
) -> ManualEntry:
    """Enter (or replace) a manual item's value for one county or one department, with its evidence."""
    scheme = indicator.scheme
    _require_editor(by, scheme)
    source = SOURCES.get(indicator.code)
    if source is None or source.kind != "manual":
        raise AssessmentError(f"指标“{indicator.name}”由系统依据记录计算，不能手工录入")
    if (region is None) == (organisation is None):
        raise AssessmentError("请选择一个被考核的县(市、区)或部门")
    if region is not None and (region.parent_id != scheme.region_id or region.level != RegionLevel.COUNTY):
        raise AssessmentError(f"“{region.name}”不是{scheme.region.name}所辖的县(市、区)")
    if organisation is not None and organisation.region_id != scheme.region_id:
        raise AssessmentError(f"“{organisation.name}”不是{scheme.region.name}的州直部门")
    number = _decimal(value, "得分率")
    if not 0 <= number <= 100:
        raise AssessmentError(f"“得分率”须在 0 至 100 之间（现为 {number}）")
    note = (note or "").strip()
    if not note:
        raise AssessmentError("请填写“说明”（依据的述法评议或督察意见）")
    if evidence is None:
        raise AssessmentError("请上传“佐证材料”（PDF、Word 或图片）")
    check_upload(evidence, accepted=EVIDENCE_TYPES, not_accepted="不是 PDF、Word 或图片文件，请上传佐证材料原件的扫描件或电子文件",
                 error=AssessmentError)  # fmt: skip
    unit = region or organisation
    kind = COUNTY if region is not None else DEPARTMENT
    entry = ManualEntry.objects.filter(indicator=indicator, region=region, organisation=organisation).first()
    old = None if entry is None else str(entry.value)
    if entry is None:
        entry = ManualEntry(indicator=indicator, region=region, organisation=organisation)
    entry.value, entry.note, entry.entered_by, entry.entered_at = number, note, by, timezone.now()
    entry.evidence_name = evidence.name or "佐证材料"
    entry.evidence.save(entry.evidence_name, evidence, save=False)
    entry.save()
    said = f"{old} → {number}" if old is not None else f"{number}"
    record_event(scheme, by=by, action="manual", summary=f"录入{unit}的“{indicator.name}”：{said}（附{entry.evidence_name}）",
                 changes={"indicator": indicator.code, "unit": kind, "ref": unit.pk if unit else None})  # fmt: skip
    return entry
