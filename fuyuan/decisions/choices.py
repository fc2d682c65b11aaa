"""The words of major administrative decisions (重大行政决策, SPEC §6.6, 重大行政决策程序暂行条例 国务院令第713号)."""

from __future__ import annotations

from django.db import models


class CatalogueState(models.TextChoices):
    DRAFT = "draft", "编制中"
    APPROVED = "approved", "已经同意"
    PUBLISHED = "published", "已公布"


class Stage(models.TextChoices):
    """The procedure of one decision, in the order of the 条例 (第二章、第三章、第四章)."""

    DRAFTING = "drafting", "起草"
    PUBLIC_PARTICIPATION = "public_participation", "公众参与"
    EXPERT_ARGUMENT = "expert_argument", "专家论证"
    RISK_ASSESSMENT = "risk_assessment", "风险评估"
    LEGALITY_REVIEW = "legality_review", "合法性审查"
    COLLECTIVE_DISCUSSION = "collective_discussion", "集体讨论决定"
    DECIDED = "decided", "已决定待公布"
    PUBLISHED = "published", "已公布"
    EXECUTING = "executing", "执行中"
    POST_EVALUATION = "post_evaluation", "决策后评估"
    EVALUATED = "evaluated", "已评估"
    ARCHIVED = "archived", "已归档"


# The order of the stages: a step is "done" when the decision is past it.
STAGE_ORDER = [s.value for s in Stage]


class Answer(models.TextChoices):
    ADOPTED = "adopted", "采纳"
    NOT_ADOPTED = "not_adopted", "不采纳"


class Conclusion(models.TextChoices):
    LAWFUL = "lawful", "合法"
    UNLAWFUL = "unlawful", "不合法"
    LAWFUL_IF_CHANGED = "lawful_if_changed", "修改后合法"


class MeetingKind(models.TextChoices):
    # 条例 第30条: 决策机关常务会议或者全体会议.
    EXECUTIVE = "executive", "常务会议"
    PLENARY = "plenary", "全体会议"


class Trigger(models.TextChoices):
    # 条例 第36条第1款 (三项情形).
    BELOW_EXPECTATION = "below_expectation", "实施后明显未达到预期效果"
    MANY_OPINIONS = "many_opinions", "公民、法人或者其他组织提出较多意见"
    DEEMED_NECESSARY = "deemed_necessary", "决策机关认为有必要"


class DocumentStep(models.TextChoices):
    """The steps a document may be uploaded to (the page's steps, 条例 第二章至第四章)."""

    PUBLIC = "public", "公众参与"
    EXPERTS = "experts", "专家论证"
    RISK = "risk", "风险评估"
    REVIEW = "review", "合法性审查"
    DISCUSSION = "discussion", "集体讨论决定"
    PUBLICATION = "publication", "公布"
    EXECUTION = "execution", "执行"
    EVALUATION = "evaluation", "决策后评估"
