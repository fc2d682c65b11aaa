"""The fixed lists of pre-judgment consultation (诉前沟通、判前会商, SPEC §6.9)."""

from __future__ import annotations

from django.db import models

from fuyuan.cases.choices import LitigationOutcome


class Concern(models.TextChoices):
    """What the court finds wrong with the agency's act (败诉风险点). The values are those of the loss-cause analysis
    (``accountability.models.LossCause``, SPEC §6.3; a test holds them together), so that a risk notice and a later
    loss speak of the same causes."""

    PROCEDURE = "procedure", "程序问题"
    FACTS = "facts", "证据问题（事实不清、证据不足）"
    LAW = "law", "法律依据/适用法律问题"
    ULTRA_VIRES = "ultra_vires", "职权问题（超越职权、滥用职权）"
    OTHER = "other", "其他"


class Answer(models.TextChoices):
    """The agency's choice after a risk notice."""

    CORRECT = "correct", "自行纠正"
    SETTLE = "settle", "协调和解"
    DEFEND = "defend", "坚持应诉"


class NoticeState(models.TextChoices):
    SENT = "sent", "待答复"
    ANSWERED = "answered", "已答复"


# Answers that aim at ending the suit without judgment.
RESOLVING_ANSWERS = frozenset({Answer.CORRECT, Answer.SETTLE})
# How a suit ends without judgment after a correction or a settlement: the plaintiff withdraws (撤诉, or 行政机关改变
# 行为后撤诉 where the court recorded the change) or the case ends by 调解 (行政诉讼法 第60条: compensation and
# discretionary matters). A notice answered 自行纠正 or 协调和解 whose case ends so counts as resolved (化解, SPEC §4).
RESOLVING_OUTCOMES = frozenset(
    {LitigationOutcome.WITHDRAWN, LitigationOutcome.WITHDRAWN_AFTER_CHANGE, LitigationOutcome.MEDIATED}
)
