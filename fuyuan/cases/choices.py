"""The fixed lists of a Case (SPEC §3–4). Whether an outcome is a loss, a correction or a mediation is a
property of its list, defined here once; a deployment may override the sets in settings because localities
differ (``FUYUAN_LOSS_OUTCOMES``, ``FUYUAN_CORRECTION_OUTCOMES``, ``FUYUAN_MEDIATED_OUTCOMES``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class CaseKind(models.TextChoices):
    LITIGATION = "litigation", "行政诉讼"
    RECONSIDERATION = "reconsideration", "行政复议"


class Instance(models.TextChoices):
    FIRST = "first", "一审"
    SECOND = "second", "二审"
    RETRIAL = "retrial", "再审"


class AbsenceReason(models.TextChoices):
    """Why a head could not appear in court: 最高人民法院《关于行政机关负责人出庭应诉若干问题的规定》
    (法释〔2020〕3号) 第8条. Any other reason is not lawful and the absence counts as 未出庭 without excuse."""

    FORCE_MAJEURE = "force_majeure", "不可抗力"
    ACCIDENT = "accident", "意外事件"
    IRREPLACEABLE_DUTY = "irreplaceable_duty", "需要履行他人不能代替的公务"
    OTHER_JUSTIFIED = "other_justified", "无法出庭的其他正当事由"


class ActType(models.TextChoices):
    """案由: the type of the administrative act in dispute."""

    PENALTY = "penalty", "行政处罚"
    COERCION = "coercion", "行政强制"
    LICENSING = "licensing", "行政许可"
    LEVY = "levy", "行政征收"
    REQUISITION = "requisition", "行政征用"
    CONFIRMATION = "confirmation", "行政确认"
    REGISTRATION = "registration", "行政登记"
    COMPENSATION = "compensation", "行政赔偿"
    INDEMNITY = "indemnity", "行政补偿"
    NONPERFORMANCE = "nonperformance", "不履行法定职责"
    INFORMATION = "information", "政府信息公开"
    AGREEMENT = "agreement", "行政协议"
    OTHER = "other", "其他"


class Domain(models.TextChoices):
    """领域."""

    NATURAL_RESOURCES = "natural_resources", "自然资源"
    FORESTRY = "forestry", "林业"
    LAND_EXPROPRIATION = "land_expropriation", "征地拆迁"
    HOUSING = "housing", "住房城建"
    LABOUR = "labour", "劳动社保"
    MARKET = "market", "市场监管"
    PUBLIC_SECURITY = "public_security", "公安"
    TRANSPORT = "transport", "交通"
    ENVIRONMENT = "environment", "生态环境"
    EDUCATION = "education", "教育"
    HEALTH = "health", "卫生"
    OTHER = "other", "其他"


class Acceptance(models.TextChoices):
    """受理情况 of a reconsideration application."""

    PENDING = "pending", "审查中"
    ACCEPTED = "accepted", "受理"
    REJECTED = "rejected", "不予受理"


class LitigationOutcome(models.TextChoices):
    """结案方式 of a litigation case (SPEC §4)."""

    CLAIM_DISMISSED = "claim_dismissed", "驳回诉讼请求"
    REVOKED = "revoked", "撤销"
    PARTLY_REVOKED = "partly_revoked", "部分撤销"
    VARIED = "varied", "变更"
    CONFIRMED_ILLEGAL = "confirmed_illegal", "确认违法"
    CONFIRMED_VOID = "confirmed_void", "确认无效"
    ORDERED_TO_PERFORM = "ordered_to_perform", "责令履行"
    ORDERED_TO_PAY = "ordered_to_pay", "判决给付"
    ORDERED_TO_COMPENSATE = "ordered_to_compensate", "判决赔偿"
    SUIT_DISMISSED = "suit_dismissed", "裁定驳回起诉"
    WITHDRAWN = "withdrawn", "撤诉"
    # Kept apart from a plain withdrawal: the agency corrected its act and the plaintiff withdrew.
    # It is not a loss, and it is reported separately as a dispute resolved (化解数, SPEC §4).
    WITHDRAWN_AFTER_CHANGE = "withdrawn_after_change", "行政机关改变行为后撤诉"
    MEDIATED = "mediated", "调解"
    TERMINATED = "terminated", "终结"


class ReconsiderationOutcome(models.TextChoices):
    """结案方式 of a reconsideration case (SPEC §4)."""

    UPHELD = "upheld", "维持"
    REJECTED = "rejected", "驳回"
    REVOKED = "revoked", "撤销"
    VARIED = "varied", "变更"
    CONFIRMED_ILLEGAL = "confirmed_illegal", "确认违法"
    CONFIRMED_VOID = "confirmed_void", "确认无效"
    ORDERED_TO_PERFORM = "ordered_to_perform", "责令履行"
    MEDIATED = "mediated", "调解"
    SETTLED = "settled", "和解"
    TERMINATED = "terminated", "终止"
    WITHDRAWN = "withdrawn", "撤回"


# SPEC §4 defaults: judgments against the agency are losses; withdrawals, rulings and mediation are not.
DEFAULT_LOSS_OUTCOMES = frozenset(
    {
        LitigationOutcome.REVOKED,
        LitigationOutcome.PARTLY_REVOKED,
        LitigationOutcome.VARIED,
        LitigationOutcome.CONFIRMED_ILLEGAL,
        LitigationOutcome.CONFIRMED_VOID,
        LitigationOutcome.ORDERED_TO_PERFORM,
        LitigationOutcome.ORDERED_TO_PAY,
        LitigationOutcome.ORDERED_TO_COMPENSATE,
    }
)
# 行政复议法 (2023) 第63–66条: decisions that vary, revoke, confirm illegal/void or order performance correct the act.
DEFAULT_CORRECTION_OUTCOMES = frozenset(
    {
        ReconsiderationOutcome.REVOKED,
        ReconsiderationOutcome.VARIED,
        ReconsiderationOutcome.CONFIRMED_ILLEGAL,
        ReconsiderationOutcome.CONFIRMED_VOID,
        ReconsiderationOutcome.ORDERED_TO_PERFORM,
    }
)
# 复议调解成功率 counts mediation and settlement (调解 or 和解, SPEC §9).
DEFAULT_MEDIATED_OUTCOMES = frozenset({ReconsiderationOutcome.MEDIATED, ReconsiderationOutcome.SETTLED})


def loss_outcomes() -> frozenset[str]:
    return frozenset(getattr(settings, "FUYUAN_LOSS_OUTCOMES", DEFAULT_LOSS_OUTCOMES))


def correction_outcomes() -> frozenset[str]:
    return frozenset(getattr(settings, "FUYUAN_CORRECTION_OUTCOMES", DEFAULT_CORRECTION_OUTCOMES))


def mediated_outcomes() -> frozenset[str]:
    return frozenset(getattr(settings, "FUYUAN_MEDIATED_OUTCOMES", DEFAULT_MEDIATED_OUTCOMES))


def outcome_choices(kind: str) -> type[models.TextChoices]:
    return LitigationOutcome if kind == CaseKind.LITIGATION else ReconsiderationOutcome


def outcome_label(kind: str, value: str) -> str:
    if not value:
        return ""
    choices = dict(outcome_choices(kind).choices)
    return str(choices.get(value, value))
