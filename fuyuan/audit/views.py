"""The audit administrator's pages: search the log, read one record, check the chain, export a search."""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from fuyuan.audit import queries
from fuyuan.audit.actions import action_label
from fuyuan.audit.chain import verify_and_remember
from fuyuan.audit.forms import AuditSearchForm
from fuyuan.audit.models import AuditHead, AuditKind, AuditRecord
from fuyuan.core.models import Role
from fuyuan.core.paging import paginate
from fuyuan.core.xlsx_stream import stream_workbook

# A workbook is built in memory: a larger search is refused with the count, to be narrowed (by dates, say).
EXPORT_MAX_ROWS = 100_000
# The detail keys the audit log writes, in the audit administrator's words.
DETAIL_LABELS = {
    "url_name": "页面",
    "path": "地址",
    "method": "请求方式",
    "status": "响应状态",
    "url_kwargs": "地址参数",
    "fields": "提交的字段（不含内容）",
    "query": "导出条件",
    "filename": "文件名",
    "before": "变更前",
    "after": "变更后",
    "field": "项目",
    "action": "动作",
    "names": "名称",
}
ROLE_LABELS = dict(Role.choices)


def _search(request: HttpRequest) -> tuple[AuditSearchForm, QuerySet[AuditRecord]]:
    form = AuditSearchForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return form, AuditRecord.objects.none()
    return form, queries.search(form.cleaned_data if form.is_bound else {})


def search_errors(form: AuditSearchForm) -> list[str]:
    """Each error of the search, naming the field it is about."""
    if not form.is_bound or form.is_valid():
        return []
    return [
        (f"{form.fields[field].label}：{error}" if field != "__all__" else str(error))
        for field, errors in form.errors.items()
        for error in errors
    ]


def audit_log(request: HttpRequest) -> HttpResponse:
    queries.require_audit_admin(request.user)
    form, records = _search(request)
    page = paginate(request, records)
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "nav": "audit",
        "form": form,
        "page": page,
        "rows": [
            (rec, ROLE_LABELS.get(rec.role, rec.role), queries.TARGET_TYPES.get(rec.target_type, rec.target_type))
            for rec in page
        ],
        "query": params.urlencode(),
        "search_errors": search_errors(form),
        "head": AuditHead.objects.filter(pk=1).first(),
        "retention_days": settings.FUYUAN_AUDIT_RETENTION_DAYS,
    }
    return render(request, "audit/log.html", context)


def audit_record(request: HttpRequest, pk: int) -> HttpResponse:
    queries.require_audit_admin(request.user)
    rec = get_object_or_404(AuditRecord, pk=pk)
    context = {
        "nav": "audit",
        "rec": rec,
        "role_label": ROLE_LABELS.get(rec.role, rec.role),
        "target_label": queries.TARGET_TYPES.get(rec.target_type, rec.target_type),
        "detail_rows": [
            (DETAIL_LABELS.get(key, key), _detail_value(rec, key, value)) for key, value in sorted(rec.detail.items())
        ],
        "detail_json": json.dumps(rec.detail, ensure_ascii=False, indent=2, sort_keys=True),
    }
    return render(request, "audit/record.html", context)


def _detail_value(rec: AuditRecord, key: str, value: object) -> str:
    """A detail as the auditor reads it; a change's page by what its form does, its URL name beside it."""
    if key == "url_name" and rec.kind == AuditKind.CHANGE and isinstance(value, str) and value:
        return f"{action_label(value)}（{value}）"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


@require_POST
def verify(request: HttpRequest) -> HttpResponse:
    queries.require_audit_admin(request.user)
    report = verify_and_remember()
    (messages.success if report.ok else messages.error)(request, report.message)
    return HttpResponseRedirect(reverse("audit:log"))


EXPORT_HEADERS: list[object] = [
    "编号",
    "时间",
    "类别",
    "账号",
    "角色",
    "来源地址",
    "客户端",
    "对象类型",
    "对象编号",
    "对象",
    "摘要",
    "详情",
    "哈希",
]


def export(request: HttpRequest) -> HttpResponseBase:
    """The current search as a workbook, streamed as its rows are read (memory stays flat, bytes flow at once). The
    download itself is audited as an export by ``AuditMiddleware``."""
    queries.require_audit_admin(request.user)
    form, records = _search(request)
    if form.is_bound and not form.is_valid():
        messages.error(request, "查询条件有误，未导出：" + "；".join(search_errors(form)))
        return HttpResponseRedirect(reverse("audit:log") + "?" + request.GET.urlencode())
    total = records.count()
    if total > EXPORT_MAX_ROWS:
        messages.error(
            request, f"当前查询有 {total} 条记录，超过单次导出上限 {EXPORT_MAX_ROWS} 条：请缩小日期范围后分批导出"
        )
        return HttpResponseRedirect(reverse("audit:log") + "?" + request.GET.urlencode())
    kinds = dict(AuditKind.choices)

    def rows() -> Iterator[list[object]]:
        yield EXPORT_HEADERS
        for rec in records.iterator(chunk_size=2000):
            yield [
                rec.pk,
                timezone.localtime(rec.at).strftime("%Y-%m-%d %H:%M:%S"),
                kinds.get(rec.kind, rec.kind),
                rec.username,
                ROLE_LABELS.get(rec.role, rec.role),
                rec.ip,
                rec.user_agent,
                queries.TARGET_TYPES.get(rec.target_type, rec.target_type),
                rec.target_id,
                rec.target_label,
                rec.summary,
                json.dumps(rec.detail, ensure_ascii=False, sort_keys=True),
                rec.hash,
            ]

    # Streamed (core.xlsx_stream): up to EXPORT_MAX_ROWS rows leave as they are read; the page shows the progress.
    response = StreamingHttpResponse(
        stream_workbook([("审计日志", rows())]),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["X-Accel-Buffering"] = "no"
    name = f"审计日志-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f"attachment; filename=audit-log.xlsx; filename*=UTF-8''{quote(name)}"
    return response
