"""Audits the reads of case files, the exports and every change made through a page (GB/T 22239-2019 8.1.4.3 a):
审计覆盖到每个用户, 对重要的用户行为进行审计; 网络安全法 第21条).

One rule per kind, decided from the response once the view has answered, for logged-in users only:

- READ: a successful (200) GET of one of the case-file pages in ``CASE_FILE_PAGES``;
- EXPORT: any response that is a download (``Content-Disposition: attachment``), whatever the page: a new export
  is audited without anyone remembering to add it here;
- CHANGE: any other method than GET/HEAD/OPTIONS that succeeded (status below 400). The names of the posted fields
  are kept, never their values (they hold personal data and passwords).

The target is found from the URL (model label and primary key) and named as its users name it: one query loads it
for its ``__str__`` (the 争调 number, the case number, the document's number), and the action is a Chinese verb from
``fuyuan.audit.actions`` — a summary reads "登记调解成功（行政争议 都匀市争调〔2026〕12号）", never a URL name or a
database id. The record itself is one INSERT (``fuyuan.audit.log``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse

from fuyuan.audit.actions import action_label
from fuyuan.audit.context import current_request, record_shown
from fuyuan.audit.log import record
from fuyuan.audit.models import AuditKind

# URL name of a case-file page -> (model label of the object its ``pk`` names, what the page is called).
CASE_FILE_PAGES: dict[str, tuple[str, str]] = {
    "cases:detail": ("cases.case", "案件"),
    "cases:timeline": ("cases.case", "案件"),
    "disputes:detail": ("disputes.dispute", "行政争议"),
    "hearings:detail": ("hearings.hearing", "开庭"),
    "accountability:detail": ("accountability.reportduty", "书面报告"),
    "accountability:loss_detail": ("accountability.lossreview", "败诉问责"),
    "accountability:typical_detail": ("accountability.compilation", "典型案例汇编"),
    "accountability:transfer_detail": ("accountability.cluetransfer", "移送纪委监委"),
    "rectification:detail": ("rectification.recommendation", "建议书"),
    "packaging:detail": ("packaging.casepackage", "领导包案"),
}
# Records that are not case files (their pages are not audited as reads) but that a change made under their address
# is about: named the same way in the change's summary.
OTHER_RECORD_PAGES: dict[str, tuple[str, str]] = {
    "disputes:coordinator": ("disputes.coordinator", "协调员"),
    "admins:detail": ("core.user", "账号"),
}
# The relations a case file's name (its ``__str__``) reads, loaded with it in the one query that names it.
NAME_RELATIONS: dict[str, tuple[str, ...]] = {
    "accountability.reportduty": ("county",),
    "accountability.lossreview": ("case",),
    "accountability.cluetransfer": ("review__case",),
    "hearings.hearing": ("case",),
    "packaging.casepackage": ("leader",),
}
# Audited by their own receivers (fuyuan.audit.signals): the log-in POST would otherwise also count as a change.
NOT_CHANGES = frozenset({"login", "logout"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# The external systems' calls are recorded once each, as AuditKind.API, by the API itself (fuyuan.api).
API_CALLS = ("/api/v1/",)


class AuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            current_request.reset(token)
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and response.status_code < 400
            and not request.path.startswith(API_CALLS)
        ):
            audit_response(request, response)
        return response


def audit_response(request: HttpRequest, response: HttpResponse) -> None:
    match = request.resolver_match
    url_name = match.view_name if match else ""
    kwargs: dict[str, Any] = dict(match.kwargs) if match else {}
    if _is_download(response):
        target_type, target_id, page = _target(request, url_name, kwargs)
        target = _named(target_type, target_id)
        filename = _filename(response)
        record(
            AuditKind.EXPORT,
            f"导出 {filename or request.path}" + _of(page, target, target_id),
            request=request,
            target=target,
            target_type=target_type,
            target_id=target_id,
            detail={"url_name": url_name, "path": request.path, "query": _query(request), "filename": filename},
        )
    elif request.method == "GET" and response.status_code == 200 and url_name in CASE_FILE_PAGES:
        target_type, page = CASE_FILE_PAGES[url_name]
        target_id = str(kwargs.get("pk", ""))
        target = record_shown(request, target_type, target_id) or _named(target_type, target_id)
        record(
            AuditKind.READ,
            f"查阅{page} {target if target is not None else target_id}",
            request=request,
            target=target,
            target_type=target_type,
            target_id=target_id,
            detail={"url_name": url_name, "path": request.path},
        )
    elif request.method not in SAFE_METHODS and url_name not in NOT_CHANGES:
        target_type, target_id, page = _target(request, url_name, kwargs)
        target = record_shown(request, target_type, target_id) or _named(target_type, target_id)
        record(
            AuditKind.CHANGE,
            action_label(url_name, kwargs) + _of(page, target, target_id),
            request=request,
            target=target,
            target_type=target_type,
            target_id=target_id,
            detail={
                "url_name": url_name,
                "path": request.path,
                "method": request.method,
                "status": response.status_code,
                "url_kwargs": {k: str(v) for k, v in kwargs.items()},
                "fields": sorted(k for k in request.POST if k != "csrfmiddlewaretoken"),
                "files": sorted(request.FILES),
            },
        )


def _target(request: HttpRequest, url_name: str, kwargs: dict[str, Any]) -> tuple[str, str, str]:
    """The case file a URL acts on: the case-file page whose address is the longest prefix of this one
    (``/accountability/losses/5/analysis/`` acts on the loss review of ``/accountability/losses/5/``)."""
    if "pk" not in kwargs:
        return "", "", ""
    namespace = url_name.rpartition(":")[0]
    best: tuple[int, str, str] = (0, "", "")
    for name, (label, page) in {**CASE_FILE_PAGES, **OTHER_RECORD_PAGES}.items():
        if name.rpartition(":")[0] != namespace:
            continue
        try:
            address = reverse(name, kwargs={"pk": kwargs["pk"]})
        except NoReverseMatch:
            continue
        if request.path.startswith(address) and len(address) > best[0]:
            best = (len(address), label, page)
    if not best[1]:
        return "", str(kwargs["pk"]), ""
    return best[1], str(kwargs["pk"]), best[2]


def _named(target_type: str, target_id: str) -> models.Model | None:
    """The case file a record is about, to be named by its ``__str__`` (one query); None when there is none (a record
    deleted by the request, an id that is not a number)."""
    if not target_type or not target_id.isdigit():
        return None
    model = apps.get_model(target_type)
    records = model._base_manager.filter(pk=int(target_id))
    related = NAME_RELATIONS.get(target_type)
    if related:  # select_related() without names would follow every relation
        records = records.select_related(*related)
    found: models.Model | None = records.first()
    return found


def _of(page: str, target: models.Model | None, target_id: str) -> str:
    """ "（行政争议 都匀市争调〔2026〕12号）": what kind of file, and its number (its id only once it is gone)."""
    if not page:
        return ""
    return f"（{page} {target if target is not None else target_id}）"


def _is_download(response: HttpResponse) -> bool:
    return str(response.get("Content-Disposition", "")).lower().startswith("attachment")


def _filename(response: HttpResponse) -> str:
    """The file name offered to the browser (the UTF-8 ``filename*`` if there is one)."""
    from urllib.parse import unquote

    header = str(response.get("Content-Disposition", ""))
    for part in header.split(";"):
        part = part.strip()
        if part.lower().startswith("filename*=") and "''" in part:
            return unquote(part.split("''", 1)[1])[:200]
    for part in header.split(";"):
        part = part.strip()
        if part.lower().startswith("filename="):
            return part.split("=", 1)[1].strip('"')[:200]
    return ""


def _query(request: HttpRequest) -> dict[str, str]:
    """The filters of an export (what was exported), each value cut to 100 characters."""
    return {k: ",".join(request.GET.getlist(k))[:100] for k in list(request.GET)[:30]}
