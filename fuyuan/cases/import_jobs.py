"""The web ledger import as a job outside the request (issue 13 item 11: long work shows progress and never times
out the request).

An upload becomes an ``ImportJob`` row; ``fuyuan worker`` picks it up within a second (``run_queued_jobs``), reads
and checks the ledger (``ledger.plan_import``, writing nothing) and stores what the preview shows. The person
confirms; the same job is queued again and the worker imports it (``ledger.apply_import``, one transaction: all or
nothing). The page polls the row for progress. The row is the whole state, so the web servers and the workers may
be different processes on different machines (the uploaded file is kept in ``DATA_DIR/imports``, which they share,
as they share the other uploaded documents).

Progress is written to the row every ``ledger.PROGRESS_EVERY`` rows while reading and checking, each time in its
own autocommitted UPDATE so the page sees it at once. Writing is one transaction and reports nothing while it
runs: on SQLite any other write (the progress UPDATE from a second connection included) waits for the import's
write lock, so the only progress that works on both databases is the stage label and the row count set just
before the transaction begins. The page shows that stage with the time it has taken.

A worker that dies (killed, the machine lost) leaves its job ``running`` with progress that no longer moves: the
page shows it as failed once the progress is older than ``STALE_AFTER`` (while writing, plus three times as long
as reading and checking took, which writing never exceeds by that much), and offers to run it again. Nothing was
written: the import's transaction died with the worker. Each claim raises the job's ``attempt``, and a run writes
its progress and its result only while it holds the current attempt; the result of an import is written inside
the import's own transaction, so a run that lost its job (run again meanwhile) rolls its import back.

Small ledgers (``INLINE_BYTES``) are checked and imported in the request itself, by the same ``run_job``: they
take well under a second, and need no worker.
"""

from __future__ import annotations

import datetime
import difflib
import logging
import uuid
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from fuyuan.cases.ledger import (
    ImportPlan,
    LedgerFileError,
    Progress,
    UnconfirmedRegions,
    apply_import,
    plan_import,
)
from fuyuan.cases.models import ImportJob, ImportStage
from fuyuan.core.models import Region, User
from fuyuan.core.timeline import Actor
from fuyuan.core.uploads import upload_dir

logger = logging.getLogger("fuyuan.import")

State = ImportJob.State
Action = ImportJob.Action

# A ledger of up to this many bytes (about 650 rows) is read, checked and imported in the request: a second or less.
INLINE_BYTES = 50_000
# A running job whose progress has not moved for this long is taken for dead (its worker was killed or lost).
STALE_AFTER = datetime.timedelta(minutes=2)
# Writing reports no progress; it is taken for dead only after STALE_AFTER plus this many times what reading and
# checking the same ledger took (bench/bench_import.py: writing takes about as long as reading and checking).
WRITE_ALLOWANCE = 3
# A job queued for this long and not picked up means no worker is running.
NOT_PICKED_UP_AFTER = datetime.timedelta(seconds=30)
# The errors kept for the page; the count is always the full one.
ERRORS_SHOWN = 1000
# Rows named for a new region shown beside its checkbox; the rest are counted.
ROWS_SHOWN = 5

NO_WORKER = "后台任务进程未运行，请联系管理员（fuyuan worker）"


class JobLost(Exception):
    """The job was run again (its worker taken for dead) while this run was still going: this run stops."""


def upload_path(token: str) -> Path:
    return upload_dir("imports") / f"{token}.xlsx"


def queue_check(upload: UploadedFile, *, by: User) -> ImportJob:
    """Keep the uploaded ledger and queue the check (read and validate) of it."""
    token = uuid.uuid4().hex
    path = upload_path(token)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return ImportJob.objects.create(
        token=token, user=by, filename=(upload.name or "台账.xlsx")[:255], queued_at=timezone.now()
    )


def awaits_confirmation(job: ImportJob) -> bool:
    """A finished check with no error, or an import refused before writing (a new region left unticked)."""
    return job.state == State.FINISHED and job.result.get("ok", False) and not job.result.get("applied", False)


def queue_import(job: ImportJob, *, confirmed_regions: list[str]) -> bool:
    """Queue the import of a checked ledger the person confirmed; False when it is no longer waiting for that
    (imported already, or confirmed twice)."""
    if not awaits_confirmation(job) or not upload_path(job.token).exists():
        return False
    queued = ImportJob.objects.filter(pk=job.pk, state=State.FINISHED, attempt=job.attempt).update(
        action=Action.APPLY, confirmed_regions=confirmed_regions, **_fresh_queue()
    )
    job.refresh_from_db()
    return queued == 1


def can_run_again(job: ImportJob, now: datetime.datetime | None = None) -> bool:
    return (job.state == State.FAILED or looks_dead(job, now)) and upload_path(job.token).exists()


def run_again(job: ImportJob) -> bool:
    """Queue a failed job, or one whose worker died, once more; False if it moved on meanwhile."""
    if not can_run_again(job):
        return False
    queued = ImportJob.objects.filter(pk=job.pk, state=job.state, attempt=job.attempt).update(**_fresh_queue())
    job.refresh_from_db()
    return queued == 1


def _fresh_queue() -> dict[str, Any]:
    return {
        "state": State.QUEUED,
        "stage": "",
        "rows_done": 0,
        "rows_total": None,
        "failure": "",
        "queued_at": timezone.now(),
        "started_at": None,
        "stage_started_at": None,
        "progress_at": None,
        "finished_at": None,
    }


def claim(job_id: int) -> ImportJob | None:
    """Take a queued job for this process: the conditional UPDATE lets exactly one of any number of workers have it
    (the shape of Healthchecks' ``sendalerts``)."""
    now = timezone.now()
    taken = ImportJob.objects.filter(pk=job_id, state=State.QUEUED).update(
        state=State.RUNNING, attempt=F("attempt") + 1, started_at=now, progress_at=now
    )
    return ImportJob.objects.select_related("user").get(pk=job_id) if taken else None


def run_queued_jobs() -> int:
    """The worker's step: run every queued job, oldest first, each claimed before it is run; how many ran."""
    ran = 0
    while True:
        candidates = ImportJob.objects.filter(state=State.QUEUED).order_by("queued_at").values_list("pk", flat=True)
        job = next((taken for pk in candidates[:10] if (taken := claim(pk)) is not None), None)
        if job is None:
            return ran
        run_job(job)
        ran += 1


def run_inline_if_small(job: ImportJob) -> ImportJob:
    """Run a small ledger's job in the request (see the module's docstring); leave a large one to the worker."""
    if upload_path(job.token).stat().st_size <= INLINE_BYTES and (claimed := claim(job.pk)) is not None:
        run_job(claimed)
        job.refresh_from_db()
    return job


def run_job(job: ImportJob) -> None:
    """Check (and, for a confirmed job, import) the job's ledger; store what the page shows. A job that cannot be
    run is marked failed with the reason; nothing is written then."""
    path = upload_path(job.token)
    scope = job.user.scope_region
    report = _reporter(job)
    try:
        try:
            plan = plan_import(path, root=scope.name if scope else None, scope=scope, progress=report)
        except LedgerFileError as exc:
            path.unlink(missing_ok=True)
            _finish(job, {"ok": False, "file_error": str(exc)})
            return
        if job.action == Action.CHECK or not plan.ok:
            if not plan.ok:
                path.unlink(missing_ok=True)
            _finish(job, plan_result(plan))
            return
        report(ImportStage.WRITE, 0, len(plan.rows))
        try:
            with transaction.atomic():
                apply_import(plan, by=Actor(user=job.user), confirmed_regions=job.confirmed_regions)
                _finish(job, plan_result(plan))
        except UnconfirmedRegions as refused:
            _finish(job, {**plan_result(plan), "unconfirmed": refused.names})
            return
        path.unlink(missing_ok=True)
    except JobLost:
        logger.warning("台账导入任务 %s 已被重新运行，本次运行停止（未写入任何数据）", job.pk)
    except Exception:
        logger.exception("台账导入任务 %s 出错", job.pk)
        ImportJob.objects.filter(pk=job.pk, attempt=job.attempt, state=State.RUNNING).update(
            state=State.FAILED,
            failure="导入时系统出错，未导入任何数据。请重新运行；仍然出错的，请联系管理员。",
            finished_at=timezone.now(),
        )


def _reporter(job: ImportJob) -> Progress:
    def report(stage: str, done: int, total: int | None) -> None:
        now = timezone.now()
        changes: dict[str, Any] = {"stage": stage, "rows_done": done, "rows_total": total, "progress_at": now}
        if stage != job.stage:
            changes["stage_started_at"] = now
            job.stage = stage
        if not ImportJob.objects.filter(pk=job.pk, attempt=job.attempt, state=State.RUNNING).update(**changes):
            raise JobLost

    return report


def _finish(job: ImportJob, result: dict[str, Any]) -> None:
    finished = ImportJob.objects.filter(pk=job.pk, attempt=job.attempt, state=State.RUNNING).update(
        state=State.FINISHED, result=result, finished_at=timezone.now()
    )
    if not finished:
        raise JobLost


def plan_result(plan: ImportPlan) -> dict[str, Any]:
    """What the page shows of a plan: its summary lines, or its errors by sheet, row and column, and the new regions
    to confirm."""
    return {
        "ok": plan.ok,
        "applied": plan.applied,
        "summary": plan.summary_lines(),
        "error_count": len(plan.errors),
        "errors": [
            {"sheet": e.sheet, "row": e.row, "column": e.column, "reason": e.reason} for e in plan.errors[:ERRORS_SHOWN]
        ],
        "new_regions": new_regions_to_confirm(plan),
    }


def new_regions_to_confirm(plan: ImportPlan) -> list[dict[str, Any]]:
    """Each region the import would create, with the rows that name it and the existing regions it resembles, so
    that the person importing recognises a typo (都云市 for 都匀市) before confirming it as a new region."""
    if not plan.new_regions:
        return []
    existing = list(Region.objects.values_list("name", flat=True))
    rows_of: dict[str, list[str]] = {name: [] for name in plan.new_regions}
    for r in plan.rows:
        if r.region in rows_of:
            rows_of[r.region].append(f"{r.sheet.name}第 {r.row} 行")
    return [
        {
            "name": name,
            "rows": "、".join(rows[:ROWS_SHOWN]) + (f" 等 {len(rows)} 行" if len(rows) > ROWS_SHOWN else ""),
            "similar": difflib.get_close_matches(name, existing, n=3, cutoff=0.5),
        }
        for name, rows in rows_of.items()
    ]


def looks_dead(job: ImportJob, now: datetime.datetime | None = None) -> bool:
    """A running job whose progress stopped moving (see the module's docstring)."""
    if job.state != State.RUNNING or job.progress_at is None:
        return False
    allowance = STALE_AFTER
    if job.stage == ImportStage.WRITE and job.started_at and job.stage_started_at:
        allowance += WRITE_ALLOWANCE * (job.stage_started_at - job.started_at)
    return (now or timezone.now()) - job.progress_at > allowance


def not_picked_up(job: ImportJob, now: datetime.datetime | None = None) -> bool:
    return job.state == State.QUEUED and (now or timezone.now()) - job.queued_at > NOT_PICKED_UP_AFTER


def dead_message(job: ImportJob) -> str:
    stage = ImportStage(job.stage).label if job.stage else "排队"
    return f"后台任务进程在{stage}阶段中断（已 {STALE_AFTER.seconds // 60} 分钟以上没有进展），未导入任何数据。可重新运行。"
