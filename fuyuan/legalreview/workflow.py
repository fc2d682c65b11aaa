"""The legality review of a legal matter (法律事务合法性审查, SPEC §6.6 item 3) as transitions::

    submit_matter (agency liaison, or the 依法治办 standing for the government office) ─▶ 待分办
    待分办 or 审查中 ─assign_reviewer (staff of the reviewing 司法局)─▶ 审查中
    审查中 ─return_for_material (the reviewer)─▶ 补充材料中 ─supply_material (the sender)─▶ 审查中
    审查中 ─give_opinion (the reviewer: 合法 / 不合法 / 修改后合法)─▶ 已出具意见
    已出具意见 ─record_adoption (the sender: 采纳 / 部分采纳 / 未采纳, with the reason)─▶ 已反馈采纳情况

Each function checks the actor's right, validates (``ReviewError`` naming the field, nothing written), changes the
matter, writes its Event on the matter's timeline and puts its notifications in the outbox, in one transaction.

The reviewer is the 司法局 of the sender's region (the nearest one above when the region has none): the justice
bureau is the government's legality review body, and its users hold the reconsideration-body role.

The review period (``rules.review_due``) is a due obligation of that bureau (kind ``legalreview.review``): the sweep
reminds the reviewer (临期) and chases the reviewer with the sender region's 依法治办 copied (逾期). While the sender
owes material (补充材料) the period is paused: the obligation is cancelled with the working days left kept on the matter,
and when the material arrives the period resumes with those days (at least one), so the reviewer is not chased for the
sender's delay.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from fuyuan.accountability.losses import liaisons, office_users
from fuyuan.core.models import Organisation, OrganisationKind, Region, Role, User
from fuyuan.core.timeline import Actor, record_event
from fuyuan.core.uploads import check_upload
from fuyuan.legalreview.choices import Adoption, Conclusion, MatterKind, MatterState
from fuyuan.legalreview.models import LegalMatter
from fuyuan.legalreview.rules import resumed_due, review_due, review_rule, working_days_left
from fuyuan.notifications.workflow import personal_rows, put
from fuyuan.obligations import workflow as obligations
from fuyuan.obligations.models import Obligation
from fuyuan.obligations.registry import Kind

REVIEW = "legalreview.review"
SYSTEM = Actor(label="系统定时任务")
MAX_TEXT = 20000
FILE_TYPES = (".pdf", ".docx", ".doc")


class ReviewError(Exception):
    """A transition that cannot be done, with the reason in Chinese naming the field (nothing was written)."""


def link(matter: LegalMatter) -> str:
    return f"/legalreview/{matter.pk}/"


# ---------------------------------------------------------------------------------------------------------------
# Rights


def can_submit(user: User) -> bool:
    """An agency's liaison, or the 依法治办 of a region standing for its government office."""
    if not user.is_active:
        return False
    if user.role == Role.AGENCY_LIAISON:
        return user.organisation_id is not None
    return user.role == Role.RULE_OF_LAW_OFFICE and user.scope_region is not None


def is_sender(user: User, matter: LegalMatter) -> bool:
    if not user.is_active:
        return False
    if matter.sender_id is not None:
        return user.role == Role.AGENCY_LIAISON and user.organisation_id == matter.sender_id
    region = user.scope_region if user.role == Role.RULE_OF_LAW_OFFICE else None
    return region is not None and region.pk == matter.sender_region_id


def is_review_staff(user: User, matter: LegalMatter) -> bool:
    return user.is_active and user.role == Role.RECONSIDERATION_BODY and user.organisation_id == matter.review_body_id


def can_assign(user: User, matter: LegalMatter) -> bool:
    return is_review_staff(user, matter) and matter.state in (MatterState.SUBMITTED, MatterState.UNDER_REVIEW)


def is_reviewer(user: User, matter: LegalMatter) -> bool:
    return is_review_staff(user, matter) and matter.reviewer_id == user.pk


def can_review(user: User, matter: LegalMatter) -> bool:
    """Return for material or give the opinion: the assigned reviewer, while the review runs."""
    return is_reviewer(user, matter) and matter.state == MatterState.UNDER_REVIEW


def can_supply(user: User, matter: LegalMatter) -> bool:
    return is_sender(user, matter) and matter.state == MatterState.AWAITING_MATERIAL


def can_record_adoption(user: User, matter: LegalMatter) -> bool:
    return is_sender(user, matter) and matter.state == MatterState.OPINION_GIVEN


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


def _check_file(upload: UploadedFile | None, field: str) -> str:
    if upload is None:
        return ""
    return check_upload(
        upload, accepted=FILE_TYPES, not_accepted=f"{field}：只接受 .pdf、.doc、.docx", error=ReviewError
    )


def review_body_of(region: Region) -> Organisation | None:
    """The 司法局 of ``region``, else of the nearest level above."""
    ids = [region.pk] + [r.pk for r in reversed(region.ancestors())]
    bureaus = {
        o.region_id: o
        for o in Organisation.objects.filter(kind=OrganisationKind.JUSTICE_BUREAU, region_id__in=ids).order_by("-id")
    }
    return next((bureaus[rid] for rid in ids if rid in bureaus), None)


# ---------------------------------------------------------------------------------------------------------------
# Who is told


def _tell(matter: LegalMatter, users: Iterable[User], *, key: str, subject: str, body: str) -> None:
    put(personal_rows(users, subject=subject, body=body, link=link(matter), dedup_key=f"legalreview:{matter.pk}:{key}"))


def _senders(matter: LegalMatter) -> list[User]:
    if matter.sender_id is not None:
        return liaisons(matter.sender_id, Role.AGENCY_LIAISON)
    return office_users(matter.sender_region)


def _review_staff(matter: LegalMatter) -> list[User]:
    """The assigned reviewer, or the bureau's staff while nobody is assigned."""
    if matter.reviewer is not None and matter.reviewer.is_active:
        return [matter.reviewer]
    return liaisons(matter.review_body_id, Role.RECONSIDERATION_BODY)


def _keep_period(matter: LegalMatter) -> None:
    obligations.keep(REVIEW, matter.pk, due_on=matter.due_on, rule_id=review_rule(matter.kind).id,
                     owner_organisation=matter.review_body_id, owner_user=matter.reviewer_id)  # fmt: skip


def _lock(matter: LegalMatter) -> LegalMatter:
    return (
        LegalMatter.objects.select_for_update(of=("self",))
        .select_related("sender", "sender_region", "review_body", "reviewer")
        .get(pk=matter.pk)
    )


# ---------------------------------------------------------------------------------------------------------------
# Transitions


@transaction.atomic
def submit_matter(
    *, kind: str, title: str, text: str = "", upload: UploadedFile | None = None, by: User
) -> LegalMatter:
    """A matter sent for review, received today by the 司法局 of the sender's region; the review period starts."""
    _require(can_submit(by), "报送合法性审查事项（只有行政机关联络员或代表政府办公室的依法治办可以报送）")
    if kind not in MatterKind.values:
        raise ReviewError("请选择“事项类别”：规范性文件、行政合同、重大执法决定法制审核、复杂信访事项或其他")
    title = _text(title, "事项名称", limit=200)
    text = _text(text, "送审内容", required=False)
    if not text and upload is None:
        raise ReviewError("请填写“送审内容”或上传“送审材料”（至少一项）")
    suffix = _check_file(upload, "送审材料")
    sender = by.organisation if by.role == Role.AGENCY_LIAISON else None
    region = sender.region if sender is not None else by.scope_region
    assert region is not None  # ``can_submit``
    body = review_body_of(region)
    if body is None:
        raise ReviewError(f"{region.name}及其上级没有登记司法局，无法送审；请系统管理员先登记司法局")
    today = timezone.localdate()
    matter = LegalMatter(
        kind=kind,
        title=title,
        text=text,
        sender=sender,
        sender_region=region,
        sent_by=by,
        received_on=today,
        period_days=review_rule(kind).amount,
        due_on=review_due(kind, today),
        review_body=body,
    )
    if upload is not None:
        matter.attachment.save(f"送审材料{suffix}", upload, save=False)
        matter.attachment_name = PurePath(upload.name or "").name[:255]
    matter.save()
    _keep_period(matter)
    record_event(
        matter,
        by=by,
        action="legal_matter_submitted",
        summary=(
            f"{matter.sender_name}报送{matter.get_kind_display()}合法性审查，{body.name}收件，"
            f"审查期限{matter.period_days}个工作日，至 {matter.due_on:%Y-%m-%d}"
        ),
        changes={"状态": ["", MatterState.SUBMITTED.label], "审查期限": ["", f"{matter.due_on:%Y-%m-%d}"]},
    )
    _tell(matter, _review_staff(matter), key="submitted", subject="【合法性审查】新送审事项待分办",
          body=f"{matter.sender_name}报送《{matter.title}》（{matter.get_kind_display()}），请于 {matter.due_on:%Y-%m-%d} 前出具审查意见。")  # fmt: skip
    return matter


@transaction.atomic
def assign_reviewer(matter: LegalMatter, *, reviewer: User | None, by: User) -> LegalMatter:
    """The bureau gives the matter to one of its staff (again, to hand it to another)."""
    matter = _lock(matter)
    _require(is_review_staff(by, matter), "分办此事项（只有审查机构的工作人员可以分办）")
    if matter.state not in (MatterState.SUBMITTED, MatterState.UNDER_REVIEW):
        raise ReviewError(f"此事项当前为“{matter.get_state_display()}”，不能分办")
    if reviewer is None:
        raise ReviewError("请选择“承办人”")
    if not (
        reviewer.is_active
        and reviewer.role == Role.RECONSIDERATION_BODY
        and reviewer.organisation_id == matter.review_body_id
    ):
        raise ReviewError(f"“承办人”应为{matter.review_body.name}的在岗工作人员")  # fmt: skip
    before = matter.reviewer.display_name if matter.reviewer else ""
    matter.reviewer = reviewer
    matter.state = MatterState.UNDER_REVIEW
    matter.save(update_fields=["reviewer", "state"])
    _keep_period(matter)
    record_event(matter, by=by, action="legal_matter_assigned", summary=f"分办给{reviewer.display_name}审查",
                 changes={"承办人": [before, reviewer.display_name]})  # fmt: skip
    if reviewer.pk != by.pk:
        _tell(matter, [reviewer], key=f"assigned:{reviewer.pk}", subject="【合法性审查】请审查",
              body=f"《{matter.title}》已分办给您，请于 {matter.due_on:%Y-%m-%d} 前出具审查意见。")  # fmt: skip
    return matter


@transaction.atomic
def return_for_material(matter: LegalMatter, *, reason: str, by: User) -> LegalMatter:
    """The reviewer asks the sender for more material; the period is paused with its working days left kept."""
    matter = _lock(matter)
    _require(is_reviewer(by, matter), "退回补充材料（只有承办人可以退回）")
    if matter.state != MatterState.UNDER_REVIEW:
        raise ReviewError(f"此事项当前为“{matter.get_state_display()}”，不能退回补充材料")
    reason = _text(reason, "需补充的材料", limit=5000)
    today = timezone.localdate()
    matter.state = MatterState.AWAITING_MATERIAL
    matter.returned_on = today
    matter.return_reason = reason
    matter.days_left = working_days_left(today, matter.due_on)
    matter.save(update_fields=["state", "returned_on", "return_reason", "days_left"])
    obligations.cancel(REVIEW, matter.pk)
    record_event(matter, by=by, action="legal_matter_returned",
                 summary=f"退回补充材料，审查期限中止（剩余{matter.days_left}个工作日）：{reason[:100]}",
                 changes={"状态": [MatterState.UNDER_REVIEW.label, MatterState.AWAITING_MATERIAL.label]})  # fmt: skip
    _tell(matter, _senders(matter), key=f"returned:{today:%Y%m%d}", subject="【合法性审查】请补充材料",
          body=f"《{matter.title}》需补充材料：{reason[:200]}")  # fmt: skip
    return matter


@transaction.atomic
def supply_material(
    matter: LegalMatter, *, text: str = "", upload: UploadedFile | None = None, by: User
) -> LegalMatter:
    """The sender answers (a note, a file or both); the period resumes with the working days left when it was
    paused."""
    matter = _lock(matter)
    _require(is_sender(by, matter), "补充材料（只有送审单位可以补充）")
    if matter.state != MatterState.AWAITING_MATERIAL:
        raise ReviewError(f"此事项当前为“{matter.get_state_display()}”，无需补充材料")
    text = _text(text, "补充材料说明", required=upload is None)
    suffix = _check_file(upload, "补充材料文件")
    today = timezone.localdate()
    before = matter.due_on
    fields = ["state", "material_text", "material_on", "due_on"]
    if upload is not None:
        matter.material_file.save(f"补充材料{suffix}", upload, save=False)
        matter.material_file_name = PurePath(upload.name or "").name[:255]
        fields += ["material_file", "material_file_name"]
    matter.state = MatterState.UNDER_REVIEW
    matter.material_text = text
    matter.material_on = today
    matter.due_on = resumed_due(today, matter.days_left or 0)
    matter.save(update_fields=fields)
    _keep_period(matter)
    record_event(matter, by=by, action="legal_matter_material_supplied",
                 summary=f"送审单位补充材料，审查期限恢复计算，至 {matter.due_on:%Y-%m-%d}",
                 changes={"审查期限": [f"{before:%Y-%m-%d}", f"{matter.due_on:%Y-%m-%d}"]})  # fmt: skip
    _tell(matter, _review_staff(matter), key=f"material:{today:%Y%m%d}", subject="【合法性审查】送审单位已补充材料",
          body=f"《{matter.title}》已补充材料，请于 {matter.due_on:%Y-%m-%d} 前出具审查意见。")  # fmt: skip
    return matter


@transaction.atomic
def give_opinion(matter: LegalMatter, *, conclusion: str, text: str, by: User) -> LegalMatter:
    """The reviewer's written opinion (合法 / 不合法 / 修改后合法 with its reasons); the period is settled."""
    matter = _lock(matter)
    _require(is_reviewer(by, matter), "出具审查意见（只有承办人可以出具）")
    if matter.state != MatterState.UNDER_REVIEW:
        raise ReviewError(f"此事项当前为“{matter.get_state_display()}”，不能出具审查意见")
    if conclusion not in Conclusion.values:
        raise ReviewError("请选择“审查结论”：合法、不合法或修改后合法")
    text = _text(text, "审查意见")
    today = timezone.localdate()
    matter.state = MatterState.OPINION_GIVEN
    matter.conclusion = conclusion
    matter.opinion_text = text
    matter.opinion_on = today
    matter.opinion_by = by
    matter.days_to_opinion = (today - matter.received_on).days
    matter.save(update_fields=["state", "conclusion", "opinion_text", "opinion_on", "opinion_by", "days_to_opinion"])
    obligations.settle(REVIEW, matter.pk)
    label = Conclusion(conclusion).label
    late = "（逾期出具）" if today > matter.due_on else ""
    record_event(matter, by=by, action="legal_matter_opinion", summary=f"出具合法性审查意见：{label}{late}",
                 changes={"状态": [MatterState.UNDER_REVIEW.label, MatterState.OPINION_GIVEN.label],
                          "审查结论": ["", label]})  # fmt: skip
    _tell(matter, _senders(matter), key="opinion", subject=f"【合法性审查】审查意见：{label}",
          body=f"《{matter.title}》的合法性审查意见已出具（{label}），请下载意见书，并反馈采纳情况。")  # fmt: skip
    return matter


@transaction.atomic
def record_adoption(matter: LegalMatter, *, adoption: str, reason: str, by: User) -> LegalMatter:
    """The sender reports whether the opinion was followed; a reason is required unless adopted in whole."""
    matter = _lock(matter)
    _require(is_sender(by, matter), "反馈采纳情况（只有送审单位可以反馈）")
    if matter.state != MatterState.OPINION_GIVEN:
        raise ReviewError(f"此事项当前为“{matter.get_state_display()}”，不能反馈采纳情况")
    if adoption not in Adoption.values:
        raise ReviewError("请选择“采纳情况”：采纳、部分采纳或未采纳")
    reason = _text(reason, "采纳情况说明", required=adoption != Adoption.ADOPTED, limit=5000)
    today = timezone.localdate()
    matter.state = MatterState.CLOSED
    matter.adoption = adoption
    matter.adoption_reason = reason
    matter.adoption_on = today
    matter.adoption_by = by
    matter.save(update_fields=["state", "adoption", "adoption_reason", "adoption_on", "adoption_by"])
    label = Adoption(adoption).label
    record_event(matter, by=by, action="legal_matter_adoption", summary=f"送审单位反馈：{label}",
                 changes={"状态": [MatterState.OPINION_GIVEN.label, MatterState.CLOSED.label],
                          "采纳情况": ["", label]})  # fmt: skip
    _tell(matter, _review_staff(matter), key="adoption", subject=f"【合法性审查】意见{label}",
          body=f"{matter.sender_name}反馈《{matter.title}》的审查意见：{label}。{reason[:200]}")  # fmt: skip
    return matter


# ---------------------------------------------------------------------------------------------------------------
# The sweep: 临期 reminders and 逾期 chasing of the review period


@dataclass
class ReviewSweep:
    warned: int = 0
    overdue: int = 0
    failed: int = 0

    def summary(self) -> str:
        return f"审查临期提醒 {self.warned} 件，逾期督办 {self.overdue} 件"


def review_sweep(report: obligations.ObligationSweep) -> ReviewSweep:
    warned, overdue, failed = report.of(REVIEW)
    return ReviewSweep(warned=warned, overdue=overdue, failed=failed)


def _running(ob: Obligation) -> LegalMatter | None:
    """The matter of an obligation, if its review still runs."""
    return (
        LegalMatter.objects.filter(pk=ob.subject_id, state__in=[MatterState.SUBMITTED, MatterState.UNDER_REVIEW])
        .select_related("sender", "sender_region", "review_body", "reviewer")
        .first()
    )


def warn_review(ob: Obligation, now: datetime.datetime) -> bool:
    """临期: the reviewer (or the bureau's staff while unassigned) is told once."""
    matter = _running(ob)
    if matter is None:
        return False
    put(personal_rows(_review_staff(matter), subject="【合法性审查】审查临期",
                      body=f"《{matter.title}》的审查期限将于 {matter.due_on:%Y-%m-%d} 届满，请按期出具审查意见。",
                      link=link(matter), dedup_key=f"legalreview:{matter.pk}:warned:{matter.due_on:%Y%m%d}", now=now))  # fmt: skip
    record_event(matter, by=SYSTEM, action="legal_matter_warned", summary="审查期限临期提醒")
    return True


def chase_review(ob: Obligation, now: datetime.datetime) -> bool:
    """逾期: the reviewer and the 依法治办 of the sender's region are told once."""
    matter = _running(ob)
    if matter is None:
        return False
    days = (now.date() - matter.due_on).days
    put(personal_rows([*_review_staff(matter), *office_users(matter.sender_region)],
                      subject="【合法性审查】审查逾期",
                      body=(f"{matter.sender_name}报送的《{matter.title}》审查期限已于 {matter.due_on:%Y-%m-%d} 届满，"
                            f"已逾期{days}天，{matter.review_body.name}尚未出具审查意见。"),
                      link=link(matter), dedup_key=f"legalreview:{matter.pk}:overdue:{matter.due_on:%Y%m%d}", now=now))  # fmt: skip
    record_event(matter, by=SYSTEM, action="legal_matter_overdue", summary=f"审查逾期{days}天，已督办")
    return True


REVIEW_KIND = Kind(name=REVIEW, label="合法性审查期限", remind=warn_review, chase=chase_review)
