"""The fixed lists of non-litigation enforcement (非诉执行, SPEC §6.9, 行政强制法 第五章)."""

from __future__ import annotations

from django.db import models

from fuyuan.accountability.models import LossCause


class Stage(models.TextChoices):
    """Where the file stands; only ``nonlitigation.workflow`` moves it."""

    REGISTERED = "registered", "待催告"
    REMINDED = "reminded", "已催告"
    APPLIED = "applied", "已申请执行"
    ACCEPTED = "accepted", "法院已受理"
    GRANTED = "granted", "准予执行"
    REFUSED = "refused", "不准予执行"
    HANDED_OVER = "handed_over", "交由政府组织实施"
    DONE = "done", "执行终结"


# Waiting on the court (the periods of 第56-58条 run).
BEFORE_RULING = (Stage.APPLIED, Stage.ACCEPTED)
# Granted and not yet carried out: by the court, or by the body it was handed to (裁执分离).
BEING_EXECUTED = (Stage.GRANTED, Stage.HANDED_OVER)


class Ruling(models.TextChoices):
    """行政强制法 第57条、第58条: the court rules whether to enforce."""

    GRANTED = "granted", "准予执行"
    REFUSED = "refused", "不准予执行"


class Executor(models.TextChoices):
    """Who carries out a granted decision: the court itself, or under 裁执分离 the government body the ruling names."""

    COURT = "court", "人民法院执行"
    GOVERNMENT = "government", "裁执分离·交由政府组织实施"


class ExecutionResult(models.TextChoices):
    EXECUTED = "executed", "执行完毕"
    PARTLY = "partly", "部分执行"
    NOT_EXECUTED = "not_executed", "未能执行"


# The causes a 不准予 ruling is given for are the loss causes of the 一案一分析 (accountability.models.LossCause): a
# refusal counts for the agency like a loss. Those that fit a court's review of an application (第58条: 明显缺乏事实
# 根据、明显缺乏法律法规依据、其他明显违法并损害被执行人合法权益) are offered.
REFUSAL_CAUSES = (LossCause.PROCEDURE, LossCause.FACTS, LossCause.LAW, LossCause.ULTRA_VIRES, LossCause.OTHER)
