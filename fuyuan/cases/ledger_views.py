"""Ledger pages: upload → preview (errors or what will change) → confirm; the export and the empty template."""

from __future__ import annotations

import difflib
import io
import uuid
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from fuyuan.cases.filters import filter_cases
from fuyuan.cases.ledger import (
    SHEETS,
    ImportPlan,
    LedgerFileError,
    UnconfirmedRegions,
    apply_import,
    plan_import,
    stream_ledger,
    write_template,
)
from fuyuan.cases.queries import can_import
from fuyuan.core.models import Region, User
from fuyuan.core.timeline import Actor
from fuyuan.core.uploads import check_upload

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SESSION_KEY = "ledger_import_token"


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename=ledger.xlsx; filename*=UTF-8''{quote(filename)}"
    return response


def _upload_path(token: str) -> Path:
    return Path(settings.DATA_DIR) / "imports" / f"{token}.xlsx"


def _upload_problem(upload: UploadedFile) -> str:
    """What is wrong with the uploaded ledger before it is saved anywhere: not an .xlsx by name or by content,
    empty, too large, or a package that unpacks to far more than a ledger could ("" when nothing is)."""
    try:
        check_upload(
            upload,
            accepted=(".xlsx",),
            not_accepted="不是 Excel 工作簿：请上传 .xlsx 文件。",
            error=LedgerFileError,
            label_suffix="，无法读取该文件",
            max_bytes=settings.FUYUAN_MAX_UPLOAD_BYTES,
        )
    except LedgerFileError as exc:
        return str(exc)
    return ""


# Rows named for a new region shown beside its checkbox; the rest are counted.
ROWS_SHOWN = 5


def new_regions_to_confirm(plan: ImportPlan) -> list[dict[str, object]]:
    """Each region the import would create, with the rows that name it and the existing regions it resembles, so
    that the person importing recognises a typo (都云市 for 都匀市) before confirming it as a new region."""
    existing = list(Region.objects.values_list("name", flat=True))
    shown: list[dict[str, object]] = []
    for name in plan.new_regions:
        rows = [f"{r.sheet.name}第 {r.row} 行" for r in plan.rows if r.region == name]
        shown.append(
            {
                "name": name,
                "rows": "、".join(rows[:ROWS_SHOWN]) + (f" 等 {len(rows)} 行" if len(rows) > ROWS_SHOWN else ""),
                "similar": difflib.get_close_matches(name, existing, n=3, cutoff=0.5),
            }
        )
    return shown


def ledger_import(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if not can_import(user):
        return render(request, "cases/import_forbidden.html", {"nav": "import"}, status=403)
    scope = user.scope_region
    context: dict[str, object] = {"nav": "import", "sheets": SHEETS, "scope": scope}
    if request.method == "POST" and "confirm" in request.POST:
        token = request.session.get(SESSION_KEY)
        if not token or request.POST.get("token") != token or not _upload_path(token).exists():
            messages.error(request, "导入已过期或已完成，请重新上传台账。")
            return redirect("cases:import")
        path = _upload_path(token)
        plan = plan_import(path, root=scope.name if scope else None, scope=scope)
        if plan.ok:
            try:
                apply_import(plan, by=Actor(user=user), confirmed_regions=request.POST.getlist("new_region"))
            except UnconfirmedRegions as refused:
                context["unconfirmed"] = refused.names
                context["ticked"] = request.POST.getlist("new_region")
                context["token"] = token
                context["filename"] = request.POST.get("filename", "")
            else:
                path.unlink(missing_ok=True)
                del request.session[SESSION_KEY]
                messages.success(request, "台账已导入。" + "；".join(plan.summary_lines()))
                return redirect("cases:list")
        context["plan"] = plan
        context["new_regions"] = new_regions_to_confirm(plan)
    elif request.method == "POST":
        upload = request.FILES.get("ledger")
        if upload is None:
            context["upload_error"] = "请选择要导入的台账文件（.xlsx）。"
        elif problem := _upload_problem(upload):
            context["upload_error"] = problem
        else:
            token = uuid.uuid4().hex
            path = _upload_path(token)
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            try:
                plan = plan_import(path, root=scope.name if scope else None, scope=scope)
            except LedgerFileError as exc:
                path.unlink(missing_ok=True)
                context["upload_error"] = str(exc)
            else:
                context["plan"] = plan
                context["new_regions"] = new_regions_to_confirm(plan)
                context["filename"] = upload.name
                if plan.ok:
                    request.session[SESSION_KEY] = token
                    context["token"] = token
                else:
                    path.unlink(missing_ok=True)
    return render(request, "cases/import.html", context)


def ledger_template(request: HttpRequest) -> HttpResponse:
    stream = io.BytesIO()
    write_template(stream)
    return _xlsx_response(stream.getvalue(), "案件台账模板.xlsx")


def case_export(request: HttpRequest) -> StreamingHttpResponse:
    """The list as filtered, in the import's layout (so it can be edited and imported again). Streamed: the
    workbook is sent as its rows are read, so the download starts at once and no proxy times it out; the list
    page shows its progress (fuyuan/static/js/export-progress.js)."""
    user = request.user
    assert isinstance(user, User)
    response = StreamingHttpResponse(stream_ledger(filter_cases(user, request.GET)), content_type=XLSX)
    filename = f"案件台账-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f"attachment; filename=ledger.xlsx; filename*=UTF-8''{quote(filename)}"
    # A proxy that buffers (nginx by default) would hold the pieces back until the end.
    response["X-Accel-Buffering"] = "no"
    return response
