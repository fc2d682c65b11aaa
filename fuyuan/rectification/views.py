"""The 销账本 pages (SPEC §6.5): the ledger with its filters and counts, a recommendation's page (document, items
with their state and due date, the actions, the timeline), and the registration form with its items.

Every page starts from ``queries.visible_to``: a recommendation the user cannot see is a 404. Views only parse, call
``rectification.workflow`` and render; a refusal is shown next to the form, and nothing is written.
"""

from __future__ import annotations

import datetime
from typing import cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from fuyuan.core.models import Organisation, OrganisationKind, Role, User
from fuyuan.core.paging import paginate
from fuyuan.core.queries import organisations_visible_to
from fuyuan.core.timeline import timeline
from fuyuan.rectification import workflow
from fuyuan.rectification.forms import RegisterForm, ReportForm, ReturnForm
from fuyuan.rectification.models import Item, ItemState, Recommendation, RecommendationKind
from fuyuan.rectification.queries import ISSUER_ROLES, items_visible_to, visible_to

LIST_ROLES = frozenset({Role.RULE_OF_LAW_OFFICE, Role.LEADER, Role.AGENCY_LIAISON, *ISSUER_ROLES})
ISSUING_KINDS = [
    OrganisationKind.COURT,
    OrganisationKind.PROCURATORATE,
    OrganisationKind.JUSTICE_BUREAU,
    OrganisationKind.RULE_OF_LAW_OFFICE,
]


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _with_counts(recs: QuerySet[Recommendation], today: datetime.date) -> QuerySet[Recommendation]:
    return recs.annotate(
        n_items=Count("items"),
        n_verified=Count("items", filter=Q(items__state=ItemState.VERIFIED)),
        n_overdue=Count("items", filter=Q(items__state=ItemState.IN_PROGRESS, items__due_on__lt=today)),
    )


def ledger(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user.role not in LIST_ROLES:
        raise PermissionDenied("销账本仅供依法治办、领导、发出建议的单位和被建议单位查看")
    today = timezone.localdate()
    scoped = visible_to(user)
    overdue_recs = items_visible_to(user).filter(state=ItemState.IN_PROGRESS, due_on__lt=today)
    counts = {
        "open": scoped.filter(closed_at__isnull=True).count(),
        "overdue": overdue_recs.count(),
        "closed": scoped.filter(closed_at__isnull=False).count(),
    }
    filters = {
        "kind": request.GET.get("kind", ""),
        "state": request.GET.get("state", ""),
        "overdue": request.GET.get("overdue", ""),
        "agency": request.GET.get("agency", ""),
    }
    recs = scoped
    if filters["kind"] in RecommendationKind.values:
        recs = recs.filter(kind=filters["kind"])
    if filters["state"] == "open":
        recs = recs.filter(closed_at__isnull=True)
    elif filters["state"] == "closed":
        recs = recs.filter(closed_at__isnull=False)
    if filters["overdue"]:
        recs = recs.filter(pk__in=overdue_recs.values("recommendation_id"))
    if filters["agency"].isdigit():
        recs = recs.filter(recipient_id=int(filters["agency"]))
    # The open ones first, those with overdue items at the top; then the newest.
    rows = paginate(
        request,
        _with_counts(recs.select_related("issuer", "recipient"), today).order_by(
            F("closed_at").asc(nulls_first=True), "-n_overdue", "-issued_on", "-pk"
        ),
    )
    agencies = Organisation.objects.filter(pk__in=scoped.values("recipient_id")).order_by("name")
    context = {
        "nav": "rectification",
        "rows": rows,
        "counts": counts,
        "filters": filters,
        "kinds": RecommendationKind.choices,
        "agencies": agencies,
        "can_register": workflow.can_register_any(user),
    }
    return render(request, "rectification/list.html", context)


def _load(request: HttpRequest, pk: int) -> tuple[User, Recommendation]:
    user = _user(request)
    rec = get_object_or_404(
        visible_to(user).select_related("issuer", "recipient__region", "registered_by", "case"), pk=pk
    )
    return user, rec


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, rec = _load(request, pk)
    return _render_detail(request, user, rec)


def _render_detail(
    request: HttpRequest, user: User, rec: Recommendation, *, bound: tuple[int, str, forms.Form] | None = None
) -> HttpResponse:
    today = timezone.localdate()
    rows = []
    for item in rec.items.select_related("owner", "reported_by", "verified_by"):
        item.recommendation = rec
        mine = bound if bound and bound[0] == item.pk else None
        rows.append(
            {
                "item": item,
                "overdue": item.is_overdue(today),
                "can_report": workflow.can_report(user, item) and item.state == ItemState.IN_PROGRESS,
                "can_verify": workflow.can_verify(user, item) and item.state == ItemState.REPORTED,
                "report_form": mine[2] if mine and mine[1] == "report" else ReportForm(prefix=f"r{item.pk}"),
                "return_form": mine[2] if mine and mine[1] == "return" else ReturnForm(prefix=f"b{item.pk}"),
                "verify_error": mine[2] if mine and mine[1] == "verify" else None,
                "open_form": mine[1] if mine else "",
            }
        )
    context = {"nav": "rectification", "rec": rec, "rows": rows, "events": timeline(rec)}
    return render(request, "rectification/detail.html", context, status=400 if bound else 200)


def _item(request: HttpRequest, item_pk: int) -> tuple[User, Item]:
    user = _user(request)
    item = get_object_or_404(items_visible_to(user).select_related("owner"), pk=item_pk)
    _user_again, rec = _load(request, item.recommendation_id)
    item.recommendation = rec
    return user, item


def _after(request: HttpRequest, item: Item, done: str) -> HttpResponse:
    messages.success(request, done)
    return HttpResponseRedirect(reverse("rectification:detail", args=[item.recommendation_id]) + f"#item-{item.pk}")


@require_POST
def report(request: HttpRequest, item_pk: int) -> HttpResponse:
    user, item = _item(request, item_pk)
    if not workflow.can_report(user, item):
        raise PermissionDenied("您无权报送该事项的整改情况")
    form = ReportForm(request.POST, request.FILES, prefix=f"r{item.pk}")
    if form.is_valid():
        try:
            workflow.report_item(item, text=form.cleaned_data["text"], upload=form.cleaned_data["upload"], by=user)
        except workflow.RectificationError as error:
            form.add_error(None, str(error))
        else:
            return _after(request, item, f"已报送第{item.position}项的整改情况，等待核验")
    return _render_detail(request, user, item.recommendation, bound=(item.pk, "report", form))


@require_POST
def verify(request: HttpRequest, item_pk: int) -> HttpResponse:
    user, item = _item(request, item_pk)
    if not workflow.can_verify(user, item):
        raise PermissionDenied("您无权核验该事项")
    form = forms.Form(request.POST)
    try:
        workflow.verify_item(item, by=user)
    except workflow.RectificationError as error:
        form.add_error(None, str(error))
        return _render_detail(request, user, item.recommendation, bound=(item.pk, "verify", form))
    done = f"第{item.position}项核验通过" + ("；全部事项已核验，已销账" if item.recommendation.is_closed else "")
    return _after(request, item, done)


@require_POST
def return_(request: HttpRequest, item_pk: int) -> HttpResponse:
    user, item = _item(request, item_pk)
    if not workflow.can_verify(user, item):
        raise PermissionDenied("您无权退回该事项")
    form = ReturnForm(request.POST, prefix=f"b{item.pk}")
    if form.is_valid():
        try:
            workflow.return_item(item, note=form.cleaned_data["note"], by=user)
        except workflow.RectificationError as error:
            form.add_error(None, str(error))
        else:
            return _after(request, item, f"已退回第{item.position}项，已通知责任单位继续整改")
    return _render_detail(request, user, item.recommendation, bound=(item.pk, "return", form))


def _choices(user: User) -> tuple[QuerySet[Organisation], QuerySet[Organisation]]:
    """The issuers a user may register for (their own organisation, or those of their region) and the agencies."""
    visible = organisations_visible_to(user)
    if user.role in ISSUER_ROLES:
        issuers = Organisation.objects.filter(pk=user.organisation_id or 0)
        recipients = Organisation.objects.filter(kind__in=[OrganisationKind.AGENCY, OrganisationKind.OTHER])
        if user.scope_region is not None:
            recipients = recipients.filter(region__path__startswith=user.scope_region.path)
    else:
        # The 依法治办 registers for issuers in its region or above it (a 州 court's 司法建议 to a county agency).
        region = user.scope_region
        issuers = (
            Organisation.objects.filter(
                Q(region__path__startswith=region.path) | Q(region__in=region.ancestors()), kind__in=ISSUING_KINDS
            )
            if region
            else Organisation.objects.none()
        )
        recipients = visible.filter(kind__in=[OrganisationKind.AGENCY, OrganisationKind.OTHER])
    return issuers.order_by("kind", "name"), recipients.order_by("region__path", "name")


def _drafts(request: HttpRequest, recipients: QuerySet[Organisation]) -> tuple[list[workflow.ItemDraft], list[dict]]:
    """The items as entered (parallel lists), and the raw rows to show again if the form is refused."""
    texts = request.POST.getlist("item_text")
    owners = request.POST.getlist("item_owner")
    dues = request.POST.getlist("item_due")
    allowed = {o.pk: o for o in recipients}
    drafts, raw = [], []
    for i, text in enumerate(texts):
        owner_id = owners[i] if i < len(owners) else ""
        due_text = dues[i] if i < len(dues) else ""
        owner = allowed.get(int(owner_id)) if owner_id.isdigit() else None
        try:
            due = datetime.date.fromisoformat(due_text) if due_text else None
        except ValueError:
            due = None
        drafts.append(workflow.ItemDraft(text=text, owner=owner, due_on=due))
        raw.append({"text": text, "owner": owner_id, "due": due_text})
    return drafts, raw


def register(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not workflow.can_register_any(user):
        raise PermissionDenied("仅依法治办和发出建议的法院、检察院、复议机构可以登记建议书")
    issuers, recipients = _choices(user)
    raw: list[dict] = [{"text": "", "owner": "", "due": ""}]
    if request.method == "POST":
        form = RegisterForm(request.POST, request.FILES, issuers=issuers, recipients=recipients)
        drafts, raw = _drafts(request, recipients)
        if form.is_valid():
            data = form.cleaned_data
            try:
                rec = workflow.register_recommendation(
                    kind=data["kind"],
                    number=data["number"],
                    issuer=data["issuer"],
                    recipient=data["recipient"],
                    issued_on=data["issued_on"],
                    stated_due_on=data["stated_due_on"],
                    document=data["document"],
                    summary=data["summary"],
                    items=drafts,
                    by=user,
                )
            except workflow.RectificationError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"已登记{rec.get_kind_display()}（{rec.number}），已通知责任单位")
                return HttpResponseRedirect(reverse("rectification:detail", args=[rec.pk]))
    else:
        initial = {"issuer": issuers.first()} if user.role in ISSUER_ROLES else {}
        form = RegisterForm(initial=initial, issuers=issuers, recipients=recipients)
    context = {"nav": "rectification", "form": form, "items": raw or [{"text": "", "owner": "", "due": ""}],
               "recipients": recipients}  # fmt: skip
    return render(request, "rectification/new.html", context, status=400 if form.is_bound else 200)


def download_document(request: HttpRequest, pk: int) -> FileResponse:
    _viewer, rec = _load(request, pk)
    return FileResponse(rec.document.open("rb"), as_attachment=True, filename=rec.document_name or rec.document.name)


def download_report(request: HttpRequest, item_pk: int) -> FileResponse:
    _viewer, item = _item(request, item_pk)
    if not item.report_file:
        raise Http404("未上传整改材料")
    return FileResponse(
        item.report_file.open("rb"), as_attachment=True, filename=item.report_name or item.report_file.name
    )
