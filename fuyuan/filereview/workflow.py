"""Case-file review (案卷评查, SPEC §6.7 item 3) as transitions::

    create_sheet / copy_sheet ─▶ the year's scoring sheet ─add_sheet_item / remove_sheet_item / set_part_points─▶
        (refused once a file scored under it: a sheet in use is not changed under its scores)
    create_plan (执法监督人员 of the 司法局) ─▶ register_file ─assign_file─▶ score_file (the assigned reviewer)
    issue_notice (执法监督人员): the body's failed files and findings ─▶ one 执法监督通知书 in the 销账本

Each function checks the actor's right, validates (``ReviewError`` naming what and where, nothing written), changes
the records and writes the Event on the plan's or the file's timeline, in one transaction.

Scoring (the sheet as data): each veto item found fails the file whatever its points (一票否决, score 0); each
deduction is at most its item's points and a part's deductions together at most the part's points; the points are
the sheet's total less the deductions; a file under the sheet's pass mark fails.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from fuyuan.core.models import Organisation, OrganisationKind, Role, User
from fuyuan.core.timeline import record_event
from fuyuan.documents.official import DOCX_MEDIA_TYPE
from fuyuan.filereview.models import (
    ActKind,
    FileMark,
    ItemKind,
    PlanBody,
    ReviewFile,
    ReviewMode,
    ReviewPlan,
    ScoreSheet,
    SheetItem,
    SheetPart,
)
from fuyuan.rectification import workflow as rectification
from fuyuan.rectification.models import Recommendation, RecommendationKind

# Who may review files: the 司法局's own enforcement supervision staff and the 特邀执法监督员 it invites.
REVIEWER_ROLES = frozenset({Role.ENFORCEMENT_SUPERVISION, Role.INVITED_SUPERVISOR})
MAX_TEXT = 5000
TENTH = Decimal("0.1")

# The usual sheet (各地《行政执法案卷评查标准》): the veto items, and the deductions of 卷面 (20) and 内容 (80).
STANDARD_VETOES = (
    "执法主体不合法",
    "执法人员无执法资格",
    "执法人员不足2人",
    "主要事实不清、证据不足",
    "适用法律、法规、规章错误",
    "违反法定程序（程序违法）",
    "超越职权或者滥用职权",
)
STANDARD_PARTS: tuple[tuple[str, int, tuple[tuple[str, int], ...]], ...] = (
    ("卷面", 20, (("案卷装订不规范、目录不全或页码不连续", 5), ("文书填写不完整、有涂改", 10), ("归档不及时", 5))),
    (
        "内容",
        80,
        (
            ("立案、调查取证不规范", 20),
            ("证据材料不完整、未经质证或说明来源", 20),
            ("告知陈述申辩、听证等权利不规范", 15),
            ("决定书说理不充分、裁量不当", 15),
            ("送达、执行不规范", 10),
        ),
    ),
)


class ReviewError(Exception):
    """A transition that cannot be done, with the reason in Chinese naming what and where (nothing was written)."""


def _require(allowed: bool, action: str) -> None:
    if not allowed:
        raise ReviewError(f"您无权{action}")


def _text(value: str, field: str, *, required: bool = True, limit: int = MAX_TEXT) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ReviewError(f"请填写“{field}”")
    if len(value) > limit:
        raise ReviewError(f"“{field}”不能超过{limit}字（现有{len(value)}字）")
    return value


def _points(value: object, field: str) -> Decimal:
    try:
        points = Decimal(str(value).strip() or "0")
    except InvalidOperation:
        raise ReviewError(f"“{field}”应为数字（填写的是“{value}”）") from None
    if points < 0 or points != points.quantize(TENTH):
        raise ReviewError(f"“{field}”应为不小于0、至多一位小数的分数（填写的是“{value}”）")
    return points


# ---------------------------------------------------------------------------------------------------------------
# Rights


def is_supervision_staff(user: User) -> bool:
    """The 司法局's enforcement supervision staff (执法监督人员) with a region and a bureau."""
    return (
        user.is_active
        and user.role == Role.ENFORCEMENT_SUPERVISION
        and user.organisation_id is not None
        and user.scope_region is not None
    )


def _covers(user: User, region_path: str) -> bool:
    region = user.scope_region
    return is_supervision_staff(user) and region is not None and region_path.startswith(region.path)


def can_manage_sheet(user: User, sheet: ScoreSheet) -> bool:
    return _covers(user, sheet.region.path)


def can_manage_plan(user: User, plan: ReviewPlan) -> bool:
    return _covers(user, plan.region.path)


def can_score(user: User, file: ReviewFile) -> bool:
    """Only the file's assigned reviewer scores it, until it is in a 执法监督通知书."""
    return user.is_active and file.reviewer_id == user.pk and file.notice_item_id is None


def sheet_in_use(sheet: ScoreSheet) -> bool:
    return ReviewFile.objects.filter(plan__sheet=sheet, scored_at__isnull=False).exists()


def _require_editable(sheet: ScoreSheet) -> None:
    if sheet_in_use(sheet):
        raise ReviewError(f"{sheet}已有案卷按其评分，不能再修改（已评分的案卷须按原标准保留）；请复制为新标准后修改")


# ---------------------------------------------------------------------------------------------------------------
# Sheets


@transaction.atomic
def create_sheet(
    *,
    year: int,
    name: str,
    vetoes: Iterable[str] = STANDARD_VETOES,
    parts: Iterable[tuple[str, int, Iterable[tuple[str, int]]]] = STANDARD_PARTS,
    pass_mark: Decimal = Decimal("60"),
    by: User,
) -> ScoreSheet:
    """A new sheet of the user's region (the usual one unless vetoes and parts are given)."""
    _require(is_supervision_staff(by), "制定评查标准（只有司法局执法监督人员可以）")
    name = _text(name, "评查标准名称", limit=100)
    region = by.scope_region
    assert region is not None
    if ScoreSheet.objects.filter(region=region, year=year, name=name).exists():
        raise ReviewError(f"{year}年已有名为“{name}”的评查标准")
    sheet = ScoreSheet.objects.create(year=year, name=name, region=region, pass_mark=pass_mark)
    for position, text in enumerate(vetoes, 1):
        SheetItem.objects.create(sheet=sheet, kind=ItemKind.VETO, position=position, text=text)
    for part_position, (part_name, points, items) in enumerate(parts, 1):
        part = SheetPart.objects.create(sheet=sheet, position=part_position, name=part_name, points=points)
        for position, (text, max_points) in enumerate(items, 1):
            SheetItem.objects.create(
                sheet=sheet, part=part, kind=ItemKind.DEDUCTION, position=position, text=text, max_points=max_points
            )
    record_event(sheet, by=by, action="created", summary=f"制定{sheet}")
    return sheet


@transaction.atomic
def copy_sheet(sheet: ScoreSheet, *, year: int, by: User) -> ScoreSheet:
    """The sheet copied to ``year`` (parts and items alike), to be edited for that year."""
    _require(can_manage_sheet(by, sheet), "复制该评查标准")
    if not 2000 <= year <= 2100:
        raise ReviewError(f"“年度”应为四位年份（填写的是{year}）")
    if ScoreSheet.objects.filter(region=sheet.region, year=year, name=sheet.name).exists():
        raise ReviewError(f"{year}年已有名为“{sheet.name}”的评查标准")
    new = ScoreSheet.objects.create(
        year=year, name=sheet.name, region=sheet.region, pass_mark=sheet.pass_mark, copied_from=sheet
    )
    parts = {}
    for part in sheet.parts.all():
        parts[part.pk] = SheetPart.objects.create(sheet=new, position=part.position, name=part.name, points=part.points)
    for item in sheet.items.all():
        SheetItem.objects.create(
            sheet=new,
            part=parts.get(item.part_id) if item.part_id else None,
            kind=item.kind,
            position=item.position,
            text=item.text,
            max_points=item.max_points,
        )
    record_event(new, by=by, action="copied", summary=f"由{sheet}复制为{year}年标准")
    return new


@transaction.atomic
def add_sheet_item(
    sheet: ScoreSheet, *, kind: str, text: str, part: SheetPart | None = None, max_points: object = 0, by: User
) -> SheetItem:
    _require(can_manage_sheet(by, sheet), "修改该评查标准")
    _require_editable(sheet)
    text = _text(text, "评查内容", limit=300)
    if kind == ItemKind.VETO:
        part, points = None, Decimal("0")
    elif kind == ItemKind.DEDUCTION:
        if part is None or part.sheet_id != sheet.pk:
            raise ReviewError("扣分项请选择所属部分（如卷面、内容）")
        points = _points(max_points, "最多扣分")
        if points <= 0 or points > part.points:
            raise ReviewError(f"“最多扣分”应大于0且不超过{part.name}的分值{part.points}分（填写的是{points}）")
    else:
        raise ReviewError("请选择项目类别：否决项或扣分项")
    position = (sheet.items.filter(kind=kind, part=part).aggregate(m=Max("position"))["m"] or 0) + 1
    item = SheetItem.objects.create(sheet=sheet, part=part, kind=kind, position=position, text=text, max_points=points)
    record_event(sheet, by=by, action="item_added", summary=f"增加{item.get_kind_display()}：{text}")
    return item


@transaction.atomic
def remove_sheet_item(item: SheetItem, *, by: User) -> None:
    sheet = item.sheet
    _require(can_manage_sheet(by, sheet), "修改该评查标准")
    _require_editable(sheet)
    item.delete()
    record_event(sheet, by=by, action="item_removed", summary=f"删除{item.get_kind_display()}：{item.text}")


@transaction.atomic
def set_part_points(part: SheetPart, *, points: int, by: User) -> SheetPart:
    sheet = part.sheet
    _require(can_manage_sheet(by, sheet), "修改该评查标准")
    _require_editable(sheet)
    largest = max((i.max_points for i in part.items.all()), default=Decimal("0"))
    if points <= 0 or points < largest:
        raise ReviewError(f"{part.name}的分值应大于0且不小于其中单项的最多扣分{largest}分（填写的是{points}）")
    before, part.points = part.points, points
    part.save(update_fields=["points"])
    record_event(sheet, by=by, action="part_points", summary=f"{part.name}分值由{before}分改为{points}分")
    return part


# ---------------------------------------------------------------------------------------------------------------
# Plans and files


@transaction.atomic
def create_plan(
    *,
    year: int,
    name: str,
    mode: str,
    sheet: ScoreSheet,
    bodies: Mapping[Organisation, int],
    reviewers: Iterable[User],
    by: User,
) -> ReviewPlan:
    """A plan of the user's 司法局 for their region: the bodies of the region with their quotas, the reviewers."""
    _require(is_supervision_staff(by), "制定评查计划（只有司法局执法监督人员可以）")
    region = by.scope_region
    assert region is not None and by.organisation is not None
    name = _text(name, "计划名称", limit=100)
    if mode not in ReviewMode.values:
        raise ReviewError("请选择评查方式：自查或抽查")
    related = region.path.startswith(sheet.region.path) or sheet.region.path.startswith(region.path)
    if sheet.year != year or not related:
        raise ReviewError(f"评查标准“{sheet}”不是{year}年本地区的标准，请先复制为{year}年标准")
    if not bodies:
        raise ReviewError("请至少选择一个被评查的执法主体")
    for org, quota in bodies.items():
        if not org.region.path.startswith(region.path) or org.kind not in (
            OrganisationKind.AGENCY,
            OrganisationKind.OTHER,
        ):
            raise ReviewError(f"“{org.name}”不是本地区的行政执法主体")
        if quota < 1:
            raise ReviewError(f"“{org.name}”的评查案卷数应至少为1")
    people = list(reviewers)
    if not people:
        raise ReviewError("请至少选择一名评查人员")
    for person in people:
        if person.role not in REVIEWER_ROLES or not person.is_active:
            raise ReviewError(f"“{person.display_name}”不是执法监督人员或特邀执法监督员，不能担任评查人员")
    plan = ReviewPlan.objects.create(
        year=year, name=name, mode=mode, region=region, organiser=by.organisation, sheet=sheet, created_by=by
    )
    PlanBody.objects.bulk_create([PlanBody(plan=plan, organisation=o, quota=q) for o, q in bodies.items()])
    plan.reviewers.set(people)
    record_event(
        plan,
        by=by,
        action="created",
        summary=f"制定{plan}（{plan.get_mode_display()}，{len(bodies)}个执法主体，评查人员{len(people)}名）",
    )
    return plan


def _check_reviewer(plan: ReviewPlan, reviewer: User | None) -> None:
    if reviewer is not None and not plan.reviewers.filter(pk=reviewer.pk).exists():
        raise ReviewError(f"“{reviewer.display_name}”不是本计划的评查人员")


@transaction.atomic
def register_file(
    plan: ReviewPlan,
    *,
    number: str,
    body: Organisation,
    act_kind: str,
    decided_on: datetime.date,
    reviewer: User | None = None,
    by: User,
) -> ReviewFile:
    """A file of one of the plan's bodies, registered (and assigned when a reviewer is given)."""
    _require(can_manage_plan(by, plan), "登记该计划的案卷")
    number = _text(number, "案卷编号", limit=100)
    entry = plan.bodies.filter(organisation=body).first()
    if entry is None:
        raise ReviewError(f"“{body.name}”不在本计划的被评查单位中")
    if act_kind not in ActKind.values:
        raise ReviewError("请选择执法行为类别")
    if decided_on > timezone.localdate():
        raise ReviewError(f"“决定日期”{decided_on:%Y-%m-%d}晚于今天，请核对")
    if plan.files.filter(number=number).exists():
        raise ReviewError(f"案卷编号“{number}”已在本计划中登记")
    registered = plan.files.filter(body=body).count()
    if registered >= entry.quota:
        raise ReviewError(f"“{body.name}”计划评查{entry.quota}卷，已登记{registered}卷，不能再登记")
    _check_reviewer(plan, reviewer)
    file = ReviewFile.objects.create(
        plan=plan, number=number, body=body, act_kind=act_kind, decided_on=decided_on, reviewer=reviewer
    )
    who = f"，分配给{reviewer.display_name}" if reviewer else ""
    record_event(file, by=by, action="registered", summary=f"登记案卷{number}（{body.name}）{who}")
    return file


@transaction.atomic
def assign_file(file: ReviewFile, *, reviewer: User, by: User) -> ReviewFile:
    _require(can_manage_plan(by, file.plan), "分配该案卷")
    if file.is_scored:
        raise ReviewError(f"案卷{file.number}已评分，不能再分配")
    _check_reviewer(file.plan, reviewer)
    file.reviewer = reviewer
    file.save(update_fields=["reviewer"])
    record_event(file, by=by, action="assigned", summary=f"案卷{file.number}分配给{reviewer.display_name}")
    return file


# ---------------------------------------------------------------------------------------------------------------
# Scoring


def compute_result(
    sheet: ScoreSheet, vetoes: Iterable[int], deductions: Mapping[int, object]
) -> tuple[Decimal, Decimal, bool, bool, list[tuple[SheetItem, Decimal]]]:
    """(points, score, vetoed, passed, marks) of a file from the items found, or ReviewError naming the item or
    the part whose deductions go over its points. Pure of writes: the scoring page previews with it."""
    items = {i.pk: i for i in sheet.items.select_related("part")}
    parts = list(sheet.parts.all())
    marks: list[tuple[SheetItem, Decimal]] = []
    for pk in set(vetoes):
        item = items.get(pk)
        if item is None or item.kind != ItemKind.VETO:
            raise ReviewError("所选否决项不属于本案卷的评查标准")
        marks.append((item, Decimal("0")))
    by_part: dict[int, Decimal] = defaultdict(Decimal)
    for pk, raw in deductions.items():
        item = items.get(pk)
        if item is None or item.kind != ItemKind.DEDUCTION:
            raise ReviewError("所填扣分项不属于本案卷的评查标准")
        assert item.part is not None
        points = _points(raw, f"{item.part.name}：{item.text}")
        if points == 0:
            continue
        if points > item.max_points:
            raise ReviewError(f"“{item.part.name}：{item.text}”最多扣{item.max_points}分，填写的是{points}分")
        by_part[item.part_id or 0] += points
        marks.append((item, points))
    for part in parts:
        if by_part[part.pk] > part.points:
            raise ReviewError(
                f"“{part.name}”扣分合计{by_part[part.pk]}分，超过该部分的分值{part.points}分，请核对各项扣分"
            )
    total = Decimal(sum(p.points for p in parts))
    points = (total - sum(by_part.values(), Decimal("0"))).quantize(TENTH)
    vetoed = any(item.kind == ItemKind.VETO for item, _ in marks)
    score = Decimal("0.0") if vetoed else points
    passed = not vetoed and points >= sheet.pass_mark
    return points, score, vetoed, passed, marks


@transaction.atomic
def score_file(
    file: ReviewFile,
    *,
    vetoes: Iterable[int] = (),
    deductions: Mapping[int, object] | None = None,
    findings: str = "",
    by: User,
) -> ReviewFile:
    """The reviewer's scoring of the file (again, replacing the last, until it is in a 执法监督通知书)."""
    file = ReviewFile.objects.select_for_update(of=("self",)).select_related("plan__sheet").get(pk=file.pk)
    _require(can_score(by, file), "为该案卷评分（只有分配的评查人可以，且案卷尚未下发执法监督通知书）")
    findings = _text(findings, "发现的问题", required=False)
    points, score, vetoed, passed, marks = compute_result(file.plan.sheet, vetoes, deductions or {})
    again = file.is_scored
    file.marks.all().delete()
    FileMark.objects.bulk_create([FileMark(file=file, item=item, points=p) for item, p in marks])
    file.points, file.score, file.vetoed, file.passed, file.findings = points, score, vetoed, passed, findings
    file.scored_at, file.scored_by = timezone.now(), by
    file.save()
    verdict = "一票否决，不合格" if vetoed else ("合格" if passed else "不合格")
    record_event(
        file,
        by=by,
        action="rescored" if again else "scored",
        summary=f"{'重新' if again else ''}评分：{score}分，{verdict}" + ("；发现问题已记录" if findings else ""),
    )
    return file


# ---------------------------------------------------------------------------------------------------------------
# 执法监督通知书 into the 销账本


def notice_files(plan: ReviewPlan, body: Organisation) -> QuerySet[ReviewFile]:
    """The body's files of the plan that must go into a notice: failed or with a finding, not yet in one."""
    return (
        plan.files.filter(body=body, scored_at__isnull=False, notice_item__isnull=True)
        .exclude(passed=True, findings="")
        .prefetch_related("marks__item__part")
        .order_by("number")
    )


def item_text(file: ReviewFile) -> str:
    """The rectification item a file becomes: what was found, and what to do."""
    found = [m.item.text for m in file.marks.all() if m.item.kind == ItemKind.VETO]
    found += [f"{m.item.text}（扣{m.points}分）" for m in file.marks.all() if m.item.kind == ItemKind.DEDUCTION]
    if file.findings:
        found.append(file.findings)
    verdict = (
        "一票否决，不合格" if file.vetoed else (f"{file.score}分，不合格" if not file.passed else f"{file.score}分")
    )
    said = "；".join(text.strip().rstrip("。；;.") for text in found)
    return f"案卷{file.number}（{file.get_act_kind_display()}，{verdict}）：{said}。请逐项整改并报送整改情况。"


def next_notice_number(issuer: Organisation, year: int) -> str:
    issued = Recommendation.objects.filter(
        issuer=issuer, kind=RecommendationKind.SUPERVISION_NOTICE, issued_on__year=year
    ).count()
    return f"执法监督〔{year}〕{issued + 1}号"


@transaction.atomic
def issue_notice(plan: ReviewPlan, body: Organisation, *, by: User) -> Recommendation:
    """The body's failed files and findings of the plan, as one 执法监督通知书 (rendered as .docx) registered in the
    销账本 through ``rectification.workflow.register_recommendation``, one item per file; each file keeps its item."""
    from fuyuan.filereview.documents import render_notice

    _require(can_manage_plan(by, plan), "下发该计划的执法监督通知书")
    files = list(notice_files(plan, body))
    if not files:
        raise ReviewError(f"“{body.name}”在本计划中没有不合格或发现问题而未下发通知书的案卷")
    today = timezone.localdate()
    number = next_notice_number(plan.organiser, today.year)
    texts = [item_text(f) for f in files]
    data = render_notice(plan, body, number=number, issued_on=today, items=texts)
    document = SimpleUploadedFile(f"{number}.docx", data, content_type=DOCX_MEDIA_TYPE)
    try:
        recommendation = rectification.register_recommendation(
            kind=RecommendationKind.SUPERVISION_NOTICE,
            number=number,
            issuer=plan.organiser,
            recipient=body,
            issued_on=today,
            document=document,
            items=[rectification.ItemDraft(text=t) for t in texts],
            summary=f"{plan}：{len(files)}卷案卷评查不合格或发现问题",
            by=by,
        )
    except rectification.RectificationError as error:
        raise ReviewError(str(error)) from None
    items = {it.position: it for it in recommendation.items.all()}
    for position, file in enumerate(files, 1):
        file.notice_item = items[position]
        file.save(update_fields=["notice_item"])
        record_event(file, by=by, action="noticed", summary=f"列入执法监督通知书{number}第{position}项")
    record_event(plan, by=by, action="noticed", summary=f"向{body.name}下发执法监督通知书{number}（{len(files)}项）")
    return recommendation
