"""What a case must be to be true, in one place (no database): ``case_errors`` checks the values a case would hold
after a change — completeness for its kind, 结案日期 ⇔ 结案方式, the order of its dates, nothing in the future.

``cases.workflow`` calls it on every registration and edit, so every door (the forms, the ledger import, the API,
a dispute handed over, the demo) is held to the same rules; each door only puts the errors into its own words.
The orders of ``DATE_ORDERS`` are also database constraints (``Case.Meta.constraints``); "not in the future" is
not, as a database has no "today" of the deployment's time zone.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fuyuan.cases.choices import CaseKind, outcome_choices

# The short names the rules' messages use (the ledger's and the API's column names).
LABELS = {
    "number": "案号",
    "court": "法院",
    "instance": "审级",
    "reconsideration_body": "复议机构",
    "filed_on": "立案日期",
    "complaint_served_on": "起诉状副本送达日期",
    "defence_submitted_on": "答辩及证据提交日期",
    "hearing_on": "开庭日期",
    "judgment_served_on": "裁判文书送达日期",
    "effective_on": "生效日期",
    "received_on": "收案日期",
    "accepted_on": "受理日期",
    "concluded_on": "结案日期",
    "outcome": "结案方式",
    "head_appeared": "负责人出庭",
    "head_spoke": "负责人出声",
    "summary": "案情摘要",
}

# SPEC §9 "Case summaries": the facts and claims in a few sentences, at most 2,000 characters.
SUMMARY_MAX = 2000


def label(field: str, kind: str = "") -> str:
    if field == "defendant":
        return "被告" if kind == CaseKind.LITIGATION else "被申请人"
    return LABELS.get(field, field)


# What a case of each kind cannot be saved without (also ``Case.Meta.constraints``).
REQUIRED: dict[str, tuple[str, ...]] = {
    CaseKind.LITIGATION: ("number", "court", "instance", "defendant", "filed_on"),
    CaseKind.RECONSIDERATION: ("number", "reconsideration_body", "defendant", "received_on"),
}


@dataclass(frozen=True)
class DateOrder:
    """``later`` cannot be earlier than ``earlier`` (the same day is allowed); ``source`` says why."""

    later: str
    earlier: str
    source: str

    @property
    def constraint_name(self) -> str:
        return f"case_{self.later}_not_before_{self.earlier}"


DATE_ORDERS = (
    # Litigation.
    DateOrder(
        "complaint_served_on", "filed_on", "行政诉讼法 第67条：人民法院应当在立案之日起五日内将起诉状副本发送被告"
    ),
    DateOrder(
        "defence_submitted_on",
        "complaint_served_on",
        "行政诉讼法 第67条：被告应当在收到起诉状副本之日起十五日内提交证据和答辩状",
    ),
    DateOrder("hearing_on", "filed_on", "行政诉讼法 第51条：法院对立案的起诉审理，开庭在立案之后"),
    DateOrder("concluded_on", "filed_on", "行政诉讼法 第51条、第81条：审理期限自立案之日起计算，结案在立案之后"),
    DateOrder("judgment_served_on", "concluded_on", "行政诉讼法 第80条：宣判后发给（当庭宣判的十日内发送）判决书"),
    DateOrder("effective_on", "concluded_on", "行政诉讼法 第85条：判决、裁定在作出之后（上诉期满或终审）发生法律效力"),
    # Reconsideration.
    DateOrder("accepted_on", "received_on", "行政复议法（2023）第30条：收到申请之日起五日内审查，决定是否受理"),
    DateOrder("concluded_on", "received_on", "行政复议法（2023）第62条：复议决定在收到申请并受理之后作出"),
    DateOrder("concluded_on", "accepted_on", "行政复议法（2023）第62条：自受理申请之日起六十日内作出行政复议决定"),
)

# Dates of things that have happened. 开庭日期 is not among them: a hearing is registered before it is held.
PAST_DATES = (
    "filed_on",
    "complaint_served_on",
    "defence_submitted_on",
    "judgment_served_on",
    "effective_on",
    "received_on",
    "accepted_on",
    "concluded_on",
)


@dataclass(frozen=True)
class CaseError:
    """One thing wrong with a case: the field it is reported on, the Chinese reason, and the other fields the
    rule involves (a door that does not show ``field`` reports the error on one of those)."""

    field: str
    message: str
    related: tuple[str, ...] = ()

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.field, *self.related)


class CaseInvalid(Exception):
    """A case that cannot be true was refused; ``errors`` lists every reason (``case_errors``)."""

    def __init__(self, errors: list[CaseError]) -> None:
        super().__init__("；".join(e.message for e in errors))
        self.errors = errors


def _blank(value: Any) -> bool:
    return value is None or value == ""


def case_errors(values: Mapping[str, Any], *, today: datetime.date) -> list[CaseError]:
    """Everything wrong with a case holding ``values`` (its field values after the change, all of them: on an edit,
    the stored ones merged with the new), ``today`` being the date in the deployment's time zone. Empty when the
    case may be saved. The order of the errors follows the fields, so a door lists them as a person reads."""
    kind = str(values.get("kind") or "")
    errors: list[CaseError] = []
    if kind not in CaseKind.values:
        return [CaseError("kind", f"未知的案件类别“{kind}”")]
    for field in REQUIRED[kind]:
        if _blank(values.get(field)):
            errors.append(CaseError(field, f"请填写{label(field, kind)}"))

    concluded_on, outcome = values.get("concluded_on"), values.get("outcome") or ""
    if concluded_on and not outcome:
        errors.append(CaseError("outcome", "填写了结案日期但缺少结案方式", ("concluded_on",)))
    if outcome and not concluded_on:
        errors.append(CaseError("concluded_on", "填写了结案方式但缺少结案日期", ("outcome",)))
    if outcome and outcome not in outcome_choices(kind).values:
        errors.append(CaseError("outcome", f"结案方式“{outcome}”不属于{CaseKind(kind).label}案件的结案方式"))

    summary = values.get("summary") or ""
    if len(summary) > SUMMARY_MAX:
        errors.append(CaseError("summary", f"案情摘要过长：{len(summary)} 个字，最多 {SUMMARY_MAX} 个字"))

    if values.get("head_spoke") is not None and values.get("head_appeared") is not True:
        errors.append(CaseError("head_spoke", "负责人出庭为“是”时才能填写负责人是否出声", ("head_appeared",)))

    for field in PAST_DATES:
        day = values.get(field)
        if isinstance(day, datetime.date) and day > today:
            errors.append(CaseError(field, f"{label(field)}（{day.isoformat()}）不能晚于今天（{today.isoformat()}）"))
    for order in DATE_ORDERS:
        later, earlier = values.get(order.later), values.get(order.earlier)
        if isinstance(later, datetime.date) and isinstance(earlier, datetime.date) and later < earlier:
            errors.append(
                CaseError(
                    order.later,
                    f"{label(order.later)}（{later.isoformat()}）不能早于{label(order.earlier)}（{earlier.isoformat()}）",
                    (order.earlier,),
                )
            )
    return errors


def check_case(values: Mapping[str, Any], *, today: datetime.date) -> None:
    """Raise ``CaseInvalid`` with every error of ``case_errors``, if there is any."""
    errors = case_errors(values, today=today)
    if errors:
        raise CaseInvalid(errors)
