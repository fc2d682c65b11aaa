from django import forms

from fuyuan.core.forms import NamedErrors
from fuyuan.similar.queries import DEFAULT_LIMIT


class SearchForm(NamedErrors, forms.Form):
    text = forms.CharField(
        label="案情描述",
        max_length=2000,
        widget=forms.Textarea(
            attrs={
                "rows": 4,
                "class": "form-control",
                "placeholder": "例如：县自然资源局认定原告房屋为违法建筑，未经催告即强制拆除，原告请求确认违法并赔偿损失",
            }
        ),
        error_messages={"required": "请输入案情描述", "max_length": "案情描述最多 2000 字"},
    )
    limit = forms.TypedChoiceField(
        label="显示件数", choices=[(10, "10 件"), (20, "20 件"), (50, "50 件")], coerce=int, initial=DEFAULT_LIMIT,
        required=False, widget=forms.Select(attrs={"class": "form-select"}),
    )  # fmt: skip


class JudgmentForm(NamedErrors, forms.Form):
    file = forms.FileField(
        label="裁判文书（.docx 或 .pdf）",
        error_messages={"required": "请选择要上传的裁判文书", "empty": "上传的文件是空的"},
        widget=forms.ClearableFileInput(attrs={"class": "form-control form-control-sm", "accept": ".docx,.pdf"}),
    )
