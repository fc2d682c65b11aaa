"""The forms of the decisions pages: one form per step's action, and the public comment form.

Forms only parse what was typed; every rule of the 条例 is the workflow's (``decisions.workflow``), whose refusal is
shown on the form it came from.
"""

from __future__ import annotations

from typing import Any

from django import forms

from fuyuan.core.forms import NamedErrors
from fuyuan.core.models import Organisation, OrganisationKind
from fuyuan.decisions.choices import Answer, Conclusion, MeetingKind, Trigger
from fuyuan.decisions.models import Catalogue, Decision
from fuyuan.disputes.models import Coordinator

SELECT = {"class": "form-select form-select-sm"}
TEXT = {"class": "form-control form-control-sm"}
AREA = {"class": "form-control form-control-sm", "rows": 3}
DATE = {"class": "form-control form-control-sm", "type": "date"}
# In the collective discussion's record, the marks a line of speech may carry.
HEAD_MARK = "[行政首长]"
DISSENT_MARK = "[不同意见]"


def _date(label: str) -> forms.DateField:
    return forms.DateField(label=label, widget=forms.DateInput(attrs=DATE))


def _area(label: str, required: bool = True) -> forms.CharField:
    return forms.CharField(label=label, widget=forms.Textarea(attrs=AREA), required=required)


def _text(label: str, required: bool = True) -> forms.CharField:
    return forms.CharField(label=label, max_length=200, widget=forms.TextInput(attrs=TEXT), required=required)


class StepForm(NamedErrors, forms.Form):
    def __init__(self, decision: Decision, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.decision = decision


class NoFieldsForm(StepForm):
    pass


class OpenCommentForm(StepForm):
    comment_from = _date("征求意见开始日期")
    comment_until = _date("征求意见截止日期")
    short_reason = _area("缩短期限的理由（不少于30日的不填）", required=False)


class AnswerForm(StepForm):
    comment = forms.IntegerField(widget=forms.HiddenInput)
    answer = forms.ChoiceField(label="处理", choices=Answer.choices, widget=forms.Select(attrs=SELECT))
    reason = _area("理由")

    def clean_comment(self) -> Any:
        comment = self.decision.comments.filter(pk=self.cleaned_data["comment"]).first()
        if comment is None:
            raise forms.ValidationError("该意见不属于本决策")
        return comment


class HearingForm(StepForm):
    held_on = _date("听证日期")
    material_sent_on = _date("材料送达听证参加人日期")
    participants = _area("听证参加人")
    record = _area("听证情况", required=False)


class AddExpertForm(StepForm):
    expert = forms.ModelChoiceField(
        label="专家（专业协调员库）", queryset=Coordinator.objects.none(), widget=forms.Select(attrs=SELECT)
    )

    def __init__(self, decision: Decision, *args: Any, **kwargs: Any) -> None:
        super().__init__(decision, *args, **kwargs)
        field = self.fields["expert"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Coordinator.objects.filter(active=True).exclude(pk__in=decision.experts.values("expert_id"))


class ExpertOpinionForm(StepForm):
    review = forms.IntegerField(widget=forms.HiddenInput)
    opinion = _area("书面论证意见")
    signed_by = _text("专家署名")
    signed_on = _date("署名日期")

    def clean_review(self) -> Any:
        review = self.decision.experts.select_related("expert").filter(pk=self.cleaned_data["review"]).first()
        if review is None:
            raise forms.ValidationError("该专家不在本决策的论证专家之列")
        return review


def _agencies(decision: Decision) -> Any:
    return Organisation.objects.filter(
        region__path__startswith=decision.region.path,
        kind__in=[OrganisationKind.AGENCY, OrganisationKind.JUSTICE_BUREAU, OrganisationKind.OTHER],
    )


class RiskForm(StepForm):
    points = _area("风险点及防范措施（每行一个：风险点｜防范措施）")
    plan = _area("风险处置预案")
    controllable = forms.TypedChoiceField(
        label="评估结论",
        choices=[("yes", "风险可控"), ("no", "风险不可控")],
        coerce=lambda v: v == "yes",
        widget=forms.Select(attrs=SELECT),
    )
    assessor = forms.ModelChoiceField(
        label="风险评估单位（委托第三方评估的选择该单位，不选为本单位）",
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, decision: Decision, *args: Any, **kwargs: Any) -> None:
        super().__init__(decision, *args, **kwargs)
        self.fields["assessor"].queryset = _agencies(decision)  # type: ignore[attr-defined]

    def clean_points(self) -> list[tuple[str, str]]:
        rows = []
        for n, line in enumerate(self.cleaned_data["points"].splitlines(), start=1):
            if not line.strip():
                continue
            point, sep, measure = line.replace("|", "｜").partition("｜")
            if not sep:
                raise forms.ValidationError(f"风险点及防范措施第{n}行请用“｜”分开风险点和防范措施")
            rows.append((point.strip(), measure.strip()))
        return rows


class SendReviewForm(StepForm):
    sent_on = _date("送请审查日期")
    review_until = _date("审查期限（不少于7个工作日）")


class ReviewForm(StepForm):
    conclusion = forms.ChoiceField(label="审查结论", choices=Conclusion.choices, widget=forms.Select(attrs=SELECT))
    opinion = _area("合法性审查意见")
    changes = _area("需要修改的内容（修改后合法的必填）", required=False)
    adviser_name = _text("提出法律意见的法律顾问或公职律师")
    adviser_opinion = _area("法律顾问或公职律师的法律意见")


class ChangesForm(StepForm):
    note = _area("修改情况说明")


class DiscussionForm(StepForm):
    meeting_kind = forms.ChoiceField(label="会议", choices=MeetingKind.choices, widget=forms.Select(attrs=SELECT))
    meeting_on = _date("会议日期")
    speeches = _area(
        f"发言记录（按发言顺序每行一人：发言人：内容；行政首长标{HEAD_MARK}，持不同意见的标{DISSENT_MARK}）"
    )
    decided_text = _area("决定内容")
    head_reason = _area("行政首长决定与多数意见不一致的理由", required=False)

    def clean_speeches(self) -> list[dict[str, Any]]:
        rows = []
        for n, line in enumerate(self.cleaned_data["speeches"].splitlines(), start=1):
            if not line.strip():
                continue
            is_head, dissent = HEAD_MARK in line, DISSENT_MARK in line
            line = line.replace(HEAD_MARK, "").replace(DISSENT_MARK, "")
            speaker, sep, content = line.replace(":", "：").partition("：")
            if not sep:
                raise forms.ValidationError(f"发言记录第{n}行请写成“发言人：内容”")
            rows.append(
                {"speaker": speaker.strip(), "content": content.strip(), "is_head": is_head, "dissent": dissent}
            )
        return rows


class PublishForm(StepForm):
    published_on = _date("公布日期")
    adoption_note = _area("公众意见、专家论证意见的采纳情况说明")


class ExecutionForm(StepForm):
    executor = forms.ModelChoiceField(
        label="决策执行单位", queryset=Organisation.objects.none(), widget=forms.Select(attrs=SELECT)
    )
    starts_on = _date("开始执行日期")

    def __init__(self, decision: Decision, *args: Any, **kwargs: Any) -> None:
        super().__init__(decision, *args, **kwargs)
        self.fields["executor"].queryset = _agencies(decision)  # type: ignore[attr-defined]


class PostEvaluationForm(StepForm):
    trigger = forms.ChoiceField(label="启动情形", choices=Trigger.choices, widget=forms.Select(attrs=SELECT))
    evaluator = forms.ModelChoiceField(
        label="评估单位", queryset=Organisation.objects.none(), widget=forms.Select(attrs=SELECT)
    )
    note = _area("情形说明", required=False)

    def __init__(self, decision: Decision, *args: Any, **kwargs: Any) -> None:
        super().__init__(decision, *args, **kwargs)
        self.fields["evaluator"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            region__path__startswith=decision.region.ancestors()[0].path
        ).exclude(kind=OrganisationKind.COURT)


class FinishEvaluationForm(StepForm):
    conclusion = _area("评估结论")


# The catalogue (条例 第10条)


class CatalogueForm(NamedErrors, forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100, widget=forms.NumberInput(attrs=TEXT))


class ItemForm(NamedErrors, forms.Form):
    title = _text("决策事项")
    owner = forms.ModelChoiceField(
        label="决策承办单位", queryset=Organisation.objects.none(), widget=forms.Select(attrs=SELECT)
    )
    planned_start = _date("计划启动日期")
    planned_end = _date("计划完成日期")
    reason = _area("调整理由（目录公布后调入事项必填）", required=False)

    def __init__(self, catalogue: Catalogue, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            region__path__startswith=catalogue.region.path, kind=OrganisationKind.AGENCY
        )


class ApproveForm(NamedErrors, forms.Form):
    approved_on = _date("同意日期")
    basis = _text("同意依据（如：经市委常委会同意）")


class PublishCatalogueForm(NamedErrors, forms.Form):
    published_on = _date("公布日期")


class WithdrawForm(NamedErrors, forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    reason = _area("调出理由")


class CommentForm(NamedErrors, forms.Form):
    """The public's comment on a draft: no account, a name optional."""

    author = forms.CharField(
        label="姓名或单位（可不填）", max_length=100, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    content = forms.CharField(label="意见内容", max_length=5000, widget=forms.Textarea(attrs={**AREA, "rows": 6}))
