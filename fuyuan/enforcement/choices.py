"""The fixed lists of enforcement supervision (SPEC §6.7), with their Chinese labels."""

from django.db import models


class Qualification(models.TextChoices):
    """主体资格: an organisation's qualification as an enforcement body, confirmed by the 司法局 and then published
    (行政执法监督条例 (2026): 行政执法主体 are confirmed and made public)."""

    PENDING = "pending", "待确认"
    CONFIRMED = "confirmed", "已确认"
    PUBLISHED = "published", "已公告"


class CertificateKind(models.TextChoices):
    ENFORCEMENT = "enforcement", "行政执法证"
    SUPERVISION = "supervision", "行政执法监督证"


class ExamResult(models.TextChoices):
    PASSED = "passed", "合格"
    FAILED = "failed", "不合格"
    ABSENT = "absent", "缺考"


class DecisionKind(models.TextChoices):
    PENALTY = "penalty", "行政处罚"
    COERCION = "coercion", "行政强制"
    LICENCE = "licence", "行政许可"
    LEVY = "levy", "行政征收征用"
    OTHER = "other", "其他"


class MajorGround(models.TextChoices):
    """Why the decision is major: 行政处罚法 (2021) 第58条第1款 (一)至(四)."""

    PUBLIC_INTEREST = "public_interest", "涉及重大公共利益"
    HEARD = "heard", "直接关系当事人或者第三人重大权益，经过听证程序"
    COMPLEX = "complex", "案件情况疑难复杂、涉及多个法律关系"
    OTHER = "other", "法律、法规规定应当进行法制审核的其他情形"


class ReviewConclusion(models.TextChoices):
    AGREED = "agreed", "同意"
    AMENDED = "amended", "修改后同意"
    REFUSED = "refused", "不同意"
