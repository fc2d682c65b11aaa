"""典型案例 (以案释法; SPEC §6.3: "Quarterly, the 依法治办 selects typical cases and the system compiles them").

The prefecture's (州/市) 依法治办 keeps one ``Compilation`` a quarter: while it is a draft (草稿) it selects concluded
first-instance cases of its region into it (``select_case``; the cause and the court's comment are prefilled from
the case's ``LossReview`` — the agency's 一案一分析 and the court's 点评 — when there is one), edits them
(``edit_case``), orders them (``move_case``) and removes them (``remove_case``). ``issue_compilation`` generates the
典型案例汇编 .docx from the cases at that moment and stores it (what was sent stays what was sent), distributes it
to every agency (行政机关) of the region — one ``Receipt`` row each — and notifies their liaisons in-app. The first
liaison of an agency to open or download it writes the agency's read receipt (``record_read``), once.

Rights: only the 依法治办 of the compilation's prefecture selects, edits and issues; county 依法治办 and the
region's leaders read; an agency liaison reads the issued compilations distributed to its agency. Each transition
checks the actor's right and the state, changes the records and writes the Event and the notifications in one
transaction. Who sees which compilation is ``compilations_visible_to``.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from fuyuan.accountability.models import (
    Compilation,
    CompilationState,
    LossReview,
    Receipt,
    TypicalCase,
)
from fuyuan.cases.choices import CaseKind, Instance, loss_outcomes
from fuyuan.cases.models import Case
from fuyuan.core.models import Organisation, OrganisationKind, Region, RegionLevel, Role, User
from fuyuan.core.timeline import record_event
from fuyuan.notifications.workflow import outbox_rows, put

REGION_WIDE_ROLES = frozenset({Role.RULE_OF_LAW_OFFICE, Role.LEADER})
SEARCH_LIMIT = 20


class TypicalCaseError(Exception):
    """A change that cannot be made, with the reason in Chinese for the person who tried."""


def link(compilation: Compilation) -> str:
    return reverse("accountability:typical_detail", args=[compilation.pk])


# ---------------------------------------------------------------------------------------------------------------
# Who sees, who acts


def compilations_visible_to(user: User) -> QuerySet[Compilation]:
    """The 依法治办 and leaders: every compilation of their region subtree (drafts too), and the issued ones of the
    regions above them (a county reads its prefecture's); an agency liaison: the issued compilations distributed to
    its agency. Nobody else sees any."""
    if not user.is_authenticated or not user.is_active:
        return Compilation.objects.none()
    if user.role in REGION_WIDE_ROLES:
        region = user.scope_region
        if region is None:
            return Compilation.objects.none()
        above = [r.pk for r in region.ancestors() if r.pk != region.pk]
        return Compilation.objects.filter(
            Q(region__path__startswith=region.path) | Q(region_id__in=above, state=CompilationState.ISSUED)
        )
    if user.role == Role.AGENCY_LIAISON and user.organisation_id:
        return Compilation.objects.filter(state=CompilationState.ISSUED, receipts__organisation_id=user.organisation_id)
    return Compilation.objects.none()


def editable_region(user: User) -> Region | None:
    """The prefecture whose compilations this user selects, edits and issues: a 州/市 依法治办's own (else None)."""
    if not (user.is_authenticated and user.is_active and user.role == Role.RULE_OF_LAW_OFFICE):
        return None
    region = user.scope_region
    return region if region is not None and region.level == RegionLevel.PREFECTURE else None


def is_editor(user: User, compilation: Compilation) -> bool:
    region = editable_region(user)
    return region is not None and compilation.region_id == region.pk


def _require_editor(user: User, compilation: Compilation) -> None:
    if not is_editor(user, compilation):
        raise PermissionDenied("典型案例由本州（市）依法治办选定、编辑和印发")


def _locked(compilation: Compilation) -> Compilation:
    """Re-read under a row lock: two clicks on 印发 issue once, and no case is added to an issued compilation."""
    return Compilation.objects.select_for_update().get(pk=compilation.pk)


def _draft(compilation: Compilation, action: str) -> Compilation:
    compilation = _locked(compilation)
    if compilation.state != CompilationState.DRAFT:
        raise TypicalCaseError(f"{compilation.title}已印发，不能{action}")
    return compilation


# ---------------------------------------------------------------------------------------------------------------
# Transitions


@transaction.atomic
def open_compilation(
    region: Region, *, year: int, quarter: int, by: User, now: datetime.datetime | None = None
) -> Compilation:
    """The quarter's compilation of the prefecture, created as a draft the first time it is opened."""
    if editable_region(by) != region:
        raise PermissionDenied("典型案例由本州（市）依法治办选定、编辑和印发")
    if quarter not in (1, 2, 3, 4):
        raise TypicalCaseError("季度应为1至4")
    if not 2000 <= year <= 2100:
        raise TypicalCaseError("请填写正确的年度")
    existing = Compilation.objects.filter(region=region, year=year, quarter=quarter).first()
    if existing:
        return existing
    now = now or timezone.now()
    try:
        with transaction.atomic():
            compilation = Compilation.objects.create(
                region=region, year=year, quarter=quarter, created_at=now, created_by=by
            )
    except IntegrityError:  # opened at the same moment by a colleague
        return Compilation.objects.get(region=region, year=year, quarter=quarter)
    record_event(compilation, by=by, action="opened", summary=f"新建{compilation.title}（草稿）")
    return compilation


def selectable_cases(compilation: Compilation, number: str) -> QuerySet[Case]:
    """The region's concluded first-instance litigation cases whose 案号 contains ``number``, not yet selected."""
    return (
        Case.objects.filter(
            kind=CaseKind.LITIGATION,
            instance=Instance.FIRST,
            region__path__startswith=compilation.region.path,
            number__icontains=number.strip(),
        )
        .exclude(outcome="")
        .exclude(pk__in=compilation.typical_cases.values("case_id"))
        .select_related("defendant", "county")
        .order_by("-concluded_on", "number")
    )


def is_loss(case: Case) -> bool:
    return case.outcome in loss_outcomes()


def _prefill(case: Case) -> dict[str, str]:
    """The title and summary from the case; the cause and the court's comment from its loss review, if any."""
    act = case.get_cause_display() if case.cause else "行政"
    plaintiffs = case.plaintiffs or "原告"
    title = f"{plaintiffs}诉{case.defendant.name}{act}案"
    when = f"{case.concluded_on:%Y年%-m月%-d日}" if case.concluded_on else ""
    court = case.court.name if case.court_id and case.court else "人民法院"
    summary = f"{plaintiffs}不服{case.defendant.name}{act}行为，向{court}提起行政诉讼，案号{case.number}。"
    summary += f"{court}于{when}审结，结案方式：{case.outcome_label}。"
    cause = comment = ""
    review = LossReview.objects.filter(case=case).first()
    if review is not None:
        labels = "、".join(review.cause_labels)
        cause = "\n".join(p for p in (labels and f"败诉原因：{labels}。", review.analysis) if p)
        comment = "\n".join(
            f"{label}：{text}"
            for label, text in (
                ("程序", review.comment_procedure),
                ("实体", review.comment_substance),
                ("出庭应诉", review.comment_appearance),
            )
            if text
        )
    return {"title": title[:200], "summary": summary, "cause": cause, "comment": comment}


@transaction.atomic
def select_case(compilation: Compilation, case: Case, *, by: User, now: datetime.datetime | None = None) -> TypicalCase:
    """Add a concluded first-instance case of the region at the end of the draft, prefilled."""
    _require_editor(by, compilation)
    compilation = _draft(compilation, "增加案例")
    if not selectable_cases(compilation, "").filter(pk=case.pk).exists():
        if compilation.typical_cases.filter(case=case).exists():
            raise TypicalCaseError(f"{case.number}已在本期汇编中")
        raise TypicalCaseError(f"{case.number}不是本地区已结案的一审行政诉讼案件，不能选为典型案例")
    last = compilation.typical_cases.aggregate(m=Max("position"))["m"] or 0
    item = TypicalCase.objects.create(
        compilation=compilation,
        case=case,
        position=last + 1,
        selected_at=now or timezone.now(),
        selected_by=by,
        **_prefill(case),
    )
    record_event(compilation, by=by, action="case_selected", summary=f"选定典型案例：{case.number}")
    return item


@transaction.atomic
def edit_case(
    item: TypicalCase, *, title: str, summary: str, cause: str, comment: str, lesson: str, by: User
) -> TypicalCase:
    _require_editor(by, item.compilation)
    _draft(item.compilation, "修改案例")
    title = (title or "").strip()
    if not title:
        raise TypicalCaseError("请填写案例标题")
    item = TypicalCase.objects.select_related("case").get(pk=item.pk)
    item.title, item.summary, item.cause = title, summary.strip(), cause.strip()
    item.comment, item.lesson = comment.strip(), lesson.strip()
    item.save()
    record_event(item.compilation, by=by, action="case_edited", summary=f"修改典型案例：{item.case.number}")
    return item


@transaction.atomic
def move_case(item: TypicalCase, *, up: bool, by: User) -> None:
    """Swap the case with its neighbour above (``up``) or below; at the top or bottom nothing changes."""
    _require_editor(by, item.compilation)
    compilation = _draft(item.compilation, "调整顺序")
    items = list(compilation.typical_cases.order_by("position", "id"))
    index = next(i for i, it in enumerate(items) if it.pk == item.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(items):
        return
    items[index], items[other] = items[other], items[index]
    for position, it in enumerate(items, start=1):
        if it.position != position:
            TypicalCase.objects.filter(pk=it.pk).update(position=position)
    record_event(compilation, by=by, action="case_moved", summary=f"调整典型案例顺序：{item.case.number}")


@transaction.atomic
def remove_case(item: TypicalCase, *, by: User) -> None:
    _require_editor(by, item.compilation)
    compilation = _draft(item.compilation, "移除案例")
    number = item.case.number
    TypicalCase.objects.filter(pk=item.pk).delete()
    for position, pk in enumerate(compilation.typical_cases.order_by("position", "id").values_list("pk", flat=True), 1):
        TypicalCase.objects.filter(pk=pk).update(position=position)
    record_event(compilation, by=by, action="case_removed", summary=f"移除典型案例：{number}")


def recipients_of(region: Region) -> QuerySet[Organisation]:
    """The agencies (行政机关) of the region subtree: those the compilation is distributed to."""
    return Organisation.objects.filter(kind=OrganisationKind.AGENCY, region__path__startswith=region.path)


@transaction.atomic
def issue_compilation(compilation: Compilation, *, by: User, now: datetime.datetime | None = None) -> Compilation:
    """印发: the .docx is generated from the cases now and stored; every agency of the region gets a receipt row and
    its liaisons an in-app message with a link to the compilation."""
    from fuyuan.accountability.typical_docx import render_compilation

    _require_editor(by, compilation)
    compilation = _draft(compilation, "再次印发")
    items = list(compilation.typical_cases.select_related("case").order_by("position", "id"))
    if not items:
        raise TypicalCaseError("汇编中还没有案例，不能印发")
    missing = [it.case.number for it in items if not (it.summary and it.cause and it.lesson)]
    if missing:
        raise TypicalCaseError(f"以下案例的基本案情、原因或启示尚未填写：{'、'.join(missing)}")
    now = now or timezone.now()
    compilation.state = CompilationState.ISSUED
    compilation.issued_at, compilation.issued_by = now, by
    content = render_compilation(compilation, items, issued_on=timezone.localtime(now).date())
    compilation.document.save(f"{compilation.title}.docx", ContentFile(content), save=False)
    compilation.save()
    agencies = list(recipients_of(compilation.region))
    Receipt.objects.bulk_create([Receipt(compilation=compilation, organisation=o) for o in agencies])
    record_event(
        compilation,
        by=by,
        action="issued",
        summary=f"印发{compilation.title}，共{len(items)}个案例，分送{len(agencies)}个行政机关",
        changes={"状态": [CompilationState.DRAFT.label, CompilationState.ISSUED.label]},
    )
    liaisons = User.objects.filter(
        is_active=True, role=Role.AGENCY_LIAISON, organisation__in=[o.pk for o in agencies]
    ).order_by("id")
    put(
        outbox_rows(
            liaisons,
            subject=f"【以案释法】{compilation.title}已印发",
            body=f"{compilation.title}（{len(items)}个案例）已印发，请组织学习。",
            link=link(compilation),
            dedup_key=f"typical:{compilation.pk}:issued",
            now=now,
        )
    )
    return compilation


def record_read(compilation: Compilation, *, by: User, now: datetime.datetime | None = None) -> bool:
    """The agency's read receipt, written by the first of its liaisons to open or download the issued compilation;
    later reads keep the first. True when this call wrote it."""
    if not (by.is_active and by.role == Role.AGENCY_LIAISON and by.organisation_id):
        return False
    if compilation.state != CompilationState.ISSUED:
        return False
    with transaction.atomic():
        written = Receipt.objects.filter(
            compilation=compilation, organisation_id=by.organisation_id, first_read_at__isnull=True
        ).update(first_read_at=now or timezone.now(), first_read_by=by)
        if written:
            record_event(compilation, by=by, action="read", summary=f"{by.organisation}已阅")
    return bool(written)
