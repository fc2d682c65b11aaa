"""The fixed lists of the legality review of legal matters other than major decisions (法律事务合法性审查,
SPEC §6.6 item 3)."""

from __future__ import annotations

from django.db import models


class MatterKind(models.TextChoices):
    """What is sent for review. 重大执法决定法制审核: 行政处罚法 (2021) 第58条 requires a 法制审核 before a major
    enforcement decision; the platform records the review when the agency sends it to the 司法局 (an agency's own
    internal 法制审核 is not recorded here)."""

    NORMATIVE = "normative", "规范性文件"
    CONTRACT = "contract", "行政合同"
    ENFORCEMENT = "enforcement", "重大执法决定法制审核"
    PETITION = "petition", "复杂信访事项"
    OTHER = "other", "其他"


class MatterState(models.TextChoices):
    SUBMITTED = "submitted", "待分办"
    UNDER_REVIEW = "under_review", "审查中"
    AWAITING_MATERIAL = "awaiting_material", "补充材料中"
    OPINION_GIVEN = "opinion_given", "已出具意见"
    CLOSED = "closed", "已反馈采纳情况"


class Conclusion(models.TextChoices):
    LAWFUL = "lawful", "合法"
    UNLAWFUL = "unlawful", "不合法"
    LAWFUL_IF_AMENDED = "lawful_if_amended", "修改后合法"


class Adoption(models.TextChoices):
    ADOPTED = "adopted", "采纳"
    PARTLY = "partly", "部分采纳"
    NOT_ADOPTED = "not_adopted", "未采纳"


# The states in which the review period runs (the review body owes its opinion).
RUNNING_STATES = frozenset({MatterState.SUBMITTED, MatterState.UNDER_REVIEW})
# The states after the opinion.
OPINION_STATES = frozenset({MatterState.OPINION_GIVEN, MatterState.CLOSED})
# An opinion counts as followed when it was adopted in whole or in part.
FOLLOWED = frozenset({Adoption.ADOPTED, Adoption.PARTLY})
