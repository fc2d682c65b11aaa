"""Ledger pages: upload → check → preview (errors or what will change) → confirm → import; the export and the empty
template. The check and the import run as a job (``cases.import_jobs``) that the page follows by polling."""

from __future__ import annotations

import datetime
import io
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from fuyuan.cases import import_jobs
from fuyuan.cases.filters import filter_cases
from fuyuan.cases.ledger import SHEETS, LedgerFileError, stream_ledger, write_template
from fuyuan.cases.models import ImportJob, ImportStage
from fuyuan.cases.queries import can_import
from fuyuan.core.models import User
from fuyuan.core.replica import reads_replica
from fuyuan.core.uploads import check_upload

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The browser session's latest import, shown again when the person comes back to the page while it runs (or failed).
SESSION_KEY = "ledger_import_token"
State = ImportJob.State


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename=ledger.xlsx; filename*=UTF-8''{quote(filename)}"
    return response


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


def _own_job(user: User, token: str | None) -> ImportJob | None:
    """The person's own import job: another person's token finds nothing, like a missing one."""
    if not token:
        return None
    return ImportJob.objects.select_related("user").filter(user=user, token=token).first()


STAGE_DONE: dict[str, str] = {ImportStage.READ: "已读取", ImportStage.CHECK: "已校验", ImportStage.WRITE: "正在写入"}


def _elapsed(since: datetime.datetime | None, now: datetime.datetime) -> str:
    seconds = max(int((now - since).total_seconds()), 0) if since else 0
    return f"{seconds // 60} 分 {seconds % 60:02d} 秒" if seconds >= 60 else f"{seconds} 秒"


def job_context(job: ImportJob) -> dict[str, Any]:
    """What the job's panel shows: its status and, while it runs, how far it is."""
    now = timezone.now()
    result = job.result
    context: dict[str, Any] = {"job": job, "result": result, "token": job.token, "filename": job.filename}
    if job.state == State.QUEUED:
        context["status"] = "queued"
        context["no_worker"] = import_jobs.NO_WORKER if import_jobs.not_picked_up(job, now) else ""
        context["elapsed"] = _elapsed(job.queued_at, now)
    elif job.state == State.RUNNING and import_jobs.looks_dead(job, now):
        context["status"] = "failed"
        context["failure"] = import_jobs.dead_message(job)
        context["can_run_again"] = import_jobs.can_run_again(job, now)
    elif job.state == State.RUNNING:
        context["status"] = "running"
        context["elapsed"] = _elapsed(job.started_at, now)
        context["stage_done"] = STAGE_DONE.get(job.stage, "准备")
        total = job.rows_total
        context["percent"] = min(100, job.rows_done * 100 // total) if total else None
    elif job.state == State.FAILED:
        context["status"] = "failed"
        context["failure"] = job.failure
        context["can_run_again"] = import_jobs.can_run_again(job, now)
    elif result.get("file_error"):
        context["status"] = "file_error"
    elif result.get("applied"):
        context["status"] = "imported"
    elif not result.get("ok"):
        context["status"] = "errors"
    else:
        context["status"] = "preview"
        context["new_regions"] = result.get("new_regions", [])
        context["unconfirmed"] = result.get("unconfirmed", [])
        context["ticked"] = job.confirmed_regions
    return context


def _imported(request: HttpRequest, job: ImportJob) -> str:
    """Say on the next page that the ledger was imported; the session's import is over."""
    messages.success(request, "台账已导入。" + "；".join(job.result.get("summary", [])))
    request.session.pop(SESSION_KEY, None)
    return reverse("cases:list")


def ledger_import(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if not can_import(user):
        return render(request, "cases/import_forbidden.html", {"nav": "import"}, status=403)
    scope = user.scope_region
    context: dict[str, Any] = {"nav": "import", "sheets": SHEETS, "scope": scope}
    job: ImportJob | None = None
    if request.method == "POST" and "confirm" in request.POST:
        job = _own_job(user, request.POST.get("token"))
        if job is None or not import_jobs.queue_import(job, confirmed_regions=request.POST.getlist("new_region")):
            messages.error(request, "导入已过期或已完成，请重新上传台账。")
            return redirect("cases:import")
        job = import_jobs.run_inline_if_small(job)
        if job.state == State.FINISHED and job.result.get("applied"):
            return redirect(_imported(request, job))
    elif request.method == "POST" and "run_again" in request.POST:
        job = _own_job(user, request.POST.get("token"))
        if job is None or not import_jobs.run_again(job):
            messages.error(request, "该导入任务已在运行或已结束，无需重新运行。")
            return redirect("cases:import")
        request.session[SESSION_KEY] = job.token
    elif request.method == "POST":
        upload = request.FILES.get("ledger")
        if upload is None:
            context["upload_error"] = "请选择要导入的台账文件（.xlsx）。"
        elif problem := _upload_problem(upload):
            context["upload_error"] = problem
        else:
            job = import_jobs.run_inline_if_small(import_jobs.queue_check(upload, by=user))
            if job.state == State.FINISHED and job.result.get("file_error"):
                context["upload_error"] = job.result["file_error"]
                job = None
            else:
                request.session[SESSION_KEY] = job.token
    else:
        current = _own_job(user, request.session.get(SESSION_KEY))
        if current is not None and current.state in (State.QUEUED, State.RUNNING, State.FAILED):
            job = current
    if job is not None:
        context.update(job_context(job))
    return render(request, "cases/import.html", context)


def _own_job_or_404(request: HttpRequest, token: str) -> tuple[User, ImportJob]:
    user = request.user
    assert isinstance(user, User)
    job = _own_job(user, token) if can_import(user) else None
    if job is None:
        raise Http404
    return user, job


def import_job(request: HttpRequest, token: str) -> HttpResponse:
    """One import job's page (the progress box links here for a browser without JavaScript)."""
    user, job = _own_job_or_404(request, token)
    context: dict[str, Any] = {"nav": "import", "sheets": SHEETS, "scope": user.scope_region}
    context.update(job_context(job))
    return render(request, "cases/import.html", context)


def import_progress(request: HttpRequest, token: str) -> HttpResponse:
    """The job's panel, polled every second by the page (HTMX) while the job is queued or running; once imported,
    the page goes to the case list with the summary."""
    user, job = _own_job_or_404(request, token)
    context = job_context(job)
    if context["status"] == "imported":
        response = HttpResponse()
        response["HX-Redirect"] = _imported(request, job)
        return response
    return render(request, "cases/import_job.html", {"scope": user.scope_region, **context})


def ledger_template(request: HttpRequest) -> HttpResponse:
    stream = io.BytesIO()
    write_template(stream)
    return _xlsx_response(stream.getvalue(), "案件台账模板.xlsx")


@reads_replica
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
