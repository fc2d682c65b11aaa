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


class RejectionGround(models.TextChoices):
    """Why an application is not accepted (不予受理): the conditions of 行政复议法 (2023) 第30条第1款 it fails, one
    choice per condition (第(七)项 split in its two halves); ``CONDITION`` gives the item of the law."""

    NO_PARTIES = "no_parties", "没有明确的申请人或者符合规定的被申请人"
    NO_INTEREST = "no_interest", "申请人与行政行为没有利害关系（申请人不适格）"
    NO_REQUEST = "no_request", "没有具体的行政复议请求和理由"
    OUT_OF_TIME = "out_of_time", "超过法定申请期限"
    OUT_OF_SCOPE = "out_of_scope", "不属于行政复议范围"
    NOT_COMPETENT = "not_competent", "不属于本机关管辖"
    DUPLICATE = "duplicate", "重复申请（已受理过同一申请人就同一行政行为的申请）"
    IN_LITIGATION = "in_litigation", "人民法院已受理同一申请人就同一行政行为提起的行政诉讼"


# 行政复议法 (2023) 第30条第1款: the item (一)–(七) each ground fails.
CONDITION = {
    RejectionGround.NO_PARTIES: 1,
    RejectionGround.NO_INTEREST: 2,
    RejectionGround.NO_REQUEST: 3,
    RejectionGround.OUT_OF_TIME: 4,
    RejectionGround.OUT_OF_SCOPE: 5,
    RejectionGround.NOT_COMPETENT: 6,
    RejectionGround.DUPLICATE: 7,
    RejectionGround.IN_LITIGATION: 7,
}
