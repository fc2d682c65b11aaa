"""The fixed lists of the coordination centre (SPEC §3 "Dispute", §6.2), each with its Chinese label."""

from django.db import models
from django.db.models import Q


class Source(models.TextChoices):
    """Where a dispute came from (SPEC §3): 集中受理 takes them all at one door."""

    WINDOW = "window", "窗口受理"
    COURT_REFERRAL = "court_referral", "法院诉前委派"
    RECONSIDERATION = "reconsideration", "复议机构转来"
    PETITION = "petition", "信访转来"
    HOTLINE = "hotline", "12345热线"
    ONLINE = "online", "线上申请"


class ConsentWay(models.TextChoices):
    """How the party agreed to mediation (行政诉讼法 第60条 and SPEC §10: pre-filing mediation needs the party's
    recorded consent)."""

    ONLINE = "online", "线上申请时勾选同意"
    WRITTEN = "written", "书面签字同意"
    ORAL = "oral", "口头同意并记录在卷"


# 行政诉讼法 第60条: administrative cases are not mediated, except 行政赔偿、补偿 and matters of discretion given by law
# (自由裁量权). The act types that are compensation; discretion is a matter of the facts, which only staff can judge.
MEDIABLE_ACT_TYPES = ("compensation", "indemnity")


class Urgency(models.TextChoices):
    NORMAL = "normal", "一般"
    URGENT = "urgent", "紧急"
    CRITICAL = "critical", "特急"


class DisputeState(models.TextChoices):
    RECEIVED = "received", "待受理"
    ACCEPTED = "accepted", "已受理·待指派"
    ASSIGNED = "assigned", "专家评审中"
    REVIEWED = "reviewed", "待制定方案"
    PLANNED = "planned", "化解中"
    CLOSED = "closed", "已办结"


# Accepted and not yet closed: the centre's work in hand.
OPEN_STATES = (DisputeState.ACCEPTED, DisputeState.ASSIGNED, DisputeState.REVIEWED, DisputeState.PLANNED)
# States in which coordinators meet the parties (四方会谈) and record minutes.
MEETING_STATES = (DisputeState.ASSIGNED, DisputeState.REVIEWED, DisputeState.PLANNED)


class DisputeOutcome(models.TextChoices):
    """How a dispute ends (SPEC §3). Whether an outcome counts as mediated or resolved is defined here, once."""

    MEDIATED = "mediated", "调解成功"
    WITHDRAWN = "withdrawn", "撤回"
    TO_LITIGATION = "to_litigation", "调解不成·转诉讼"
    TO_RECONSIDERATION = "to_reconsideration", "调解不成·转复议"
    REJECTED = "rejected", "不予受理"


# 调解成功率 (SPEC §4): of the disputes the centre took on and closed, those mediated. A dispute not accepted
# (不予受理) was never mediated and counts in neither.
CLOSED_AFTER_MEDIATION = (
    DisputeOutcome.MEDIATED,
    DisputeOutcome.WITHDRAWN,
    DisputeOutcome.TO_LITIGATION,
    DisputeOutcome.TO_RECONSIDERATION,
)
HANDED_OVER = (DisputeOutcome.TO_LITIGATION, DisputeOutcome.TO_RECONSIDERATION)


class WithdrawalReason(models.TextChoices):
    """化解数 (SPEC §4) counts a withdrawal only when the agency corrected its act."""

    AGENCY_CORRECTED = "agency_corrected", "行政机关纠正后撤回"
    OTHER = "other", "其他原因撤回"


# 化解数 (SPEC §4): a dispute resolved without judgment — mediated, or withdrawn because the agency corrected its act.
RESOLVED = Q(outcome=DisputeOutcome.MEDIATED) | Q(
    outcome=DisputeOutcome.WITHDRAWN, withdrawal_reason=WithdrawalReason.AGENCY_CORRECTED
)


class AssignmentRole(models.TextChoices):
    LEAD = "lead", "牵头协调员"
    MEMBER = "member", "专班成员"


class MeetingKind(models.TextChoices):
    FOUR_PARTY = "four_party", "四方会谈"
    EXPERT_REVIEW = "expert_review", "专家评审会"
    MEDIATION = "mediation", "调解会谈"


class ParticipantRole(models.TextChoices):
    """四方会谈 (SPEC §6.2): judge, justice-bureau expert, agency head, party; and the coordinators."""

    JUDGE = "judge", "法官"
    JUSTICE_EXPERT = "justice_expert", "司法局专家"
    AGENCY_HEAD = "agency_head", "行政机关负责人"
    PARTY = "party", "当事人"
    COORDINATOR = "coordinator", "协调员"
    OTHER = "other", "其他"
