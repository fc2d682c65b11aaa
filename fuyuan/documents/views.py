"""Downloads of the Word documents (SPEC §7). A document is another view of a record: who cannot see the record
gets a 404, as on its page."""

from __future__ import annotations

import datetime
from typing import Any, cast
from urllib.parse import quote

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template import engines
from django.urls import reverse
from django.utils import timezone

from fuyuan.audit.log import record
from fuyuan.audit.models import AuditKind
from fuyuan.cases.queries import REGION_WIDE_ROLES
from fuyuan.cases.queries import visible_to as cases_visible_to
from fuyuan.core.forms import NamedErrors, RegionChoiceField
from fuyuan.core.masking import REVEALABLE
from fuyuan.core.models import Region, RegionLevel, User
from fuyuan.core.queries import regions_visible_to
from fuyuan.disputes.queries import visible_to
from fuyuan.documents.agreement import AgreementError, render_agreement
from fuyuan.documents.bulletin import BulletinError, Period, parse_period, render_bulletin
from fuyuan.documents.bulletin_xlsx import render_bulletin_xlsx
from fuyuan.documents.official import DOCX_MEDIA_TYPE as DOCX

# The page shown instead of a document the record cannot have (a dispute not mediated has no agreement).
_REFUSAL = engines["django"].from_string(
    """{% extends "base.html" %}
{% block title %}{{ heading }}{% endblock %}
{% block content %}
<h1 class="h4 mb-3">{{ heading }}</h1>
<div class="alert alert-warning" role="alert" data-testid="document-refused">{{ message }}</div>
<a class="btn btn-outline-secondary" href="{{ back }}">返回</a>
{% endblock %}"""
)


def _docx_response(content: bytes, filename: str, fallback: str) -> HttpResponse:
    """The file as an attachment; the Chinese name per RFC 6266/5987 (``filename*``), an ASCII one for old clients."""
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f"attachment; filename={fallback}; filename*=UTF-8''{quote(filename)}"
    return response


def agreement(request: HttpRequest, pk: int) -> HttpResponse:
    """调解协议书 of a mediated dispute; 409 with the reason for a dispute that has none."""
    user = cast(User, request.user)
    dispute = get_object_or_404(visible_to(user).select_related("agency", "centre"), pk=pk)
    try:
        # The centre's staff print it for the parties to sign, whole and audited; any other reader gets a copy
        # with the applicant's numbers masked (个人信息保护法 第51条; core.masking.REVEALABLE).
        whole = REVEALABLE["dispute.applicant_id_number"].may_reveal(user, dispute)
        content = render_agreement(dispute, whole=whole)
        if whole and (dispute.applicant_id_number or dispute.applicant_phone):
            record(
                AuditKind.UNMASK,
                f"生成调解协议书（含申请人完整身份证号、联系电话）：{dispute}",
                request=request,
                target=dispute,
                detail={"field": "applicant_id_number,applicant_phone", "label": "调解协议书"},
            )
    except AgreementError as error:
        context = {
            "heading": "无法生成调解协议书",
            "message": str(error),
            "back": reverse("disputes:detail", args=[dispute.pk]),
        }
        return HttpResponse(_REFUSAL.render(context, request), status=409)
    return _docx_response(content, f"调解协议书-{dispute.number}.docx", f"agreement-{dispute.pk}.docx")


# --- 通报 (issue 5): the form, the .docx and the .xlsx ---

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The bulletin goes out from the 依法治办; its leaders read it (the roles that see their whole region, SPEC §2).
BULLETIN_ROLES = REGION_WIDE_ROLES


def _previous_month(today: datetime.date) -> str:
    last = today.replace(day=1) - datetime.timedelta(days=1)
    return f"{last.year}-{last.month:02d}"


class BulletinForm(NamedErrors, forms.Form):
    region = RegionChoiceField(label="地区", queryset=Region.objects.none(), required=False, empty_label=None)
    period = forms.CharField(
        label="期间",
        max_length=10,
        help_text="月度如 2026-11，季度如 2026-Q3",
        widget=forms.TextInput(attrs={"placeholder": "2026-11 或 2026-Q3"}),
    )
    number = forms.IntegerField(
        label="发文顺序号", required=False, min_value=1, help_text="留空则文号留白，由文书人员填写"
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region_field = self.fields["region"]
        assert isinstance(region_field, forms.ModelChoiceField)
        region_field.queryset = regions_visible_to(user).filter(level__lte=RegionLevel.COUNTY)
        self.user = user
        for field in self.fields.values():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def clean_region(self) -> Region:
        region = self.cleaned_data.get("region") or self.user.scope_region
        if region is None:
            raise forms.ValidationError("您没有可通报的地区")
        return region

    def clean_period(self) -> Period:
        try:
            return parse_period(self.cleaned_data["period"])
        except BulletinError as error:
            raise forms.ValidationError(str(error)) from error


def _bulletin_user(request: HttpRequest) -> User:
    user = cast(User, request.user)
    if user.role not in BULLETIN_ROLES:
        raise PermissionDenied("通报仅供依法治办和领导使用")
    return user


def bulletins(request: HttpRequest) -> HttpResponse:
    """The form to pick the region and the period of a 通报, and download it as .docx or .xlsx."""
    user = _bulletin_user(request)
    initial = {"region": user.scope_region, "period": _previous_month(timezone.localdate())}
    form = BulletinForm(user, initial=initial)
    return render(request, "documents/bulletins.html", {"nav": "bulletins", "form": form})


def _bulletin_download(request: HttpRequest, kind: str) -> HttpResponse:
    user = _bulletin_user(request)
    form = BulletinForm(user, request.GET)
    if not form.is_valid():
        return render(request, "documents/bulletins.html", {"nav": "bulletins", "form": form}, status=400)
    region, period = form.cleaned_data["region"], form.cleaned_data["period"]
    args: dict[str, Any] = {"cases": cases_visible_to(user), "document_number": form.cleaned_data["number"]}
    name = f"{region.name}{period.label}行政复议和行政诉讼案件情况通报"
    fallback = f"bulletin-{region.pk}-{period.code}"
    if kind == "docx":
        return _docx_response(render_bulletin(region, period, **args), f"{name}.docx", f"{fallback}.docx")
    response = HttpResponse(render_bulletin_xlsx(region, period, **args), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename={fallback}.xlsx; filename*=UTF-8''{quote(name)}.xlsx"
    return response


def bulletin(request: HttpRequest) -> HttpResponse:
    """The 通报 as .docx (``?region=&period=2026-11|2026-Q3&number=``); the form with its errors when invalid."""
    return _bulletin_download(request, "docx")


def bulletin_xlsx(request: HttpRequest) -> HttpResponse:
    """The 通报's tables as .xlsx, with the same parameters."""
    return _bulletin_download(request, "xlsx")
