"""The fixed lists of reconsideration handling (SPEC §6.8, 行政复议法 2023修订)."""

from __future__ import annotations

from django.db import models


class Channel(models.TextChoices):
    """How the application came in (行政复议法 (2023) 第22条: in writing — at the window, by post, online — or orally,
    the body then making a 笔录)."""

    WINDOW = "window", "窗口书面申请"
    ORAL = "oral", "口头申请（申请笔录）"
    POST = "post", "邮寄"
    ONLINE = "online", "网上申请"


class Stage(models.TextChoices):
    """Where the file stands; only ``reconsideration.workflow`` moves it (see its module docstring)."""

    RECEIVED = "received", "待审查"
    EXAMINING = "examining", "受理审查中"
    CORRECTION_REQUESTED = "correction_requested", "待补正"
    WITHDRAWN = "withdrawn", "视为放弃申请"
    REJECTED = "rejected", "不予受理"
    ACCEPTED = "accepted", "审理中"
    SUSPENDED = "suspended", "中止"
    MEDIATING = "mediating", "调解和解中"
    DECIDED = "decided", "已作出决定"
    SERVED = "served", "已送达"


# Before the acceptance decision (the 5-working-day review of 第30条 runs, or a 补正 is awaited).
BEFORE_ACCEPTANCE = (Stage.RECEIVED, Stage.EXAMINING, Stage.CORRECTION_REQUESTED)
# Accepted and not yet decided: the procedure runs.
IN_PROCEDURE = (Stage.ACCEPTED, Stage.SUSPENDED, Stage.MEDIATING)
# The file is closed (nothing more falls due on the body, but service and publication after a decision).
CLOSED = (Stage.WITHDRAWN, Stage.REJECTED, Stage.DECIDED, Stage.SERVED)


class Procedure(models.TextChoices):
    """行政复议法 (2023) 第53条: 简易程序 for the listed cases or where the parties agree; otherwise 普通程序."""

    ORDINARY = "ordinary", "普通程序"
    SIMPLIFIED = "simplified", "简易程序"


class MaterialKind(models.TextChoices):
    APPLICATION = "application", "申请材料"
    CORRECTION = "correction", "补正材料"
    REPLY = "reply", "被申请人答复"
    EVIDENCE = "evidence", "被申请人证据、依据"
    APPLICANT_EVIDENCE = "applicant_evidence", "申请人证据"
    HEARING_RECORD = "hearing_record", "听证笔录"
    MEDIATION = "mediation", "调解和解材料"
    OTHER = "other", "其他"


class CommitteeGround(models.TextChoices):
    """行政复议法 (2023) 第52条第2款: when the body must ask the 行政复议委员会 for its advice."""

    MAJOR = "major", "案情重大、疑难、复杂"
    TECHNICAL = "technical", "专业性、技术性较强"
    ARTICLE_24 = "article_24", "本法第二十四条第二款规定的行政复议案件"
    NECESSARY = "necessary", "行政复议机构认为有必要"


class MediationKind(models.TextChoices):
    """行政复议法 (2023) 第73条 (调解, ending in a 调解书) and 第74条 (和解, the applicant then withdraws)."""

    MEDIATION = "mediation", "调解"
    SETTLEMENT = "settlement", "和解"
