"""Enforcement supervision as transitions (SPEC §6.7 items 1-2). Each function checks the actor's right, validates
(``EnforcementError`` naming the field, nothing written), changes the record, writes its Event and calls what follows
by name (the due obligations, the notices), in one transaction.

Bodies::

    register_body (执法监督人员 of the region) ─▶ 待确认 ─confirm_body─▶ 已确认 ─publish_body─▶ 已公告

Officers and certificates come from the exam platform's workbook (``importer``); each current certificate is a due
obligation (kind ``enforcement.certificate``, due its last day): the sweep warns the body's legal staff and the
supervision staff once before it lapses (临期, ``FUYUAN_ENFORCEMENT_WARN_DAYS``) and once when it has lapsed.

Major decisions, by the body's legal staff (机关联络员 of its organisation)::

    register_decision ─▶ record_review (法制审核, 行政处罚法 第58条) ─▶ record_decision ─▶ file_decision (备案)

A decision may be recorded without its review (it happened): it is then listed, and the obligation ``review`` of kind
``enforcement.decision`` chases the legal staff the day after. Its filing is the obligation ``filing``, due
``FUYUAN_ENFORCEMENT_FILING_DAYS`` days after the decision, warned before and chased after by the same sweep.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from fuyuan.accountability.losses import liaisons
from fuyuan.core.models import Organisation, OrganisationKind, Region, Role, User
from fuyuan.core.queries import nearest_users
from fuyuan.core.timeline import Actor, record_event
from fuyuan.enforcement import rules
from fuyuan.enforcement.choices import DecisionKind, MajorGround, Qualification, ReviewConclusion
from fuyuan.enforcement.models import Certificate, EnforcementBody, MajorDecision
from fuyuan.legalreview.workflow import review_body_of
from fuyuan.notifications.workflow import personal_rows, put
from fuyuan.obligations import workflow as obligations
from fuyuan.obligations.models import Obligation
from fuyuan.obligations.registry import Kind

CERTIFICATE = "enforcement.certificate"
DECISION = "enforcement.decision"
FILING, REVIEW = "filing", "review"
SYSTEM = Actor(label="系统定时任务")
MAX_TEXT = 5000


class EnforcementError(Exception):
    """A transition that cannot be done, with the reason in Chinese naming the field (nothing was written)."""


# ---------------------------------------------------------------------------------------------------------------
# Rights


def is_supervisor_of(user: User, organisation: Organisation) -> bool:
    """The 执法监督人员 of the organisation's region or of a region above it."""
    region = user.scope_region
    return (
        user.is_active
        and user.role == Role.ENFORCEMENT_SUPERVISION
        and region is not None
        and organisation.region.path.startswith(region.path)
    )


def can_register_body(user: User) -> bool:
    return user.is_active and user.role == Role.ENFORCEMENT_SUPERVISION and user.scope_region is not None


def is_legal_staff(user: User, body: EnforcementBody) -> bool:
    """The body's legal staff: the 机关联络员 of its organisation."""
    return user.is_active and user.role == Role.AGENCY_LIAISON and user.organisation_id == body.organisation_id


def can_manage_officers(user: User, body: EnforcementBody) -> bool:
    """Import the body's officers and training: its supervision staff, or its own legal staff."""
    return is_supervisor_of(user, body.organisation) or is_legal_staff(user, body)


def can_import(user: User) -> bool:
    return can_register_body(user) or (user.is_active and user.role == Role.AGENCY_LIAISON)


def can_register_decision(user: User) -> bool:
    return (
        user.is_active
        and user.role == Role.AGENCY_LIAISON
        and user.organisation_id is not None
        and EnforcementBody.objects.filter(organisation_id=user.organisation_id).exists()
    )


def _require(allowed: bool, action: str) -> None:
    if not allowed:
        raise EnforcementError(f"您无权{action}")


def _text(value: str, field: str, *, required: bool = True, limit: int = MAX_TEXT) -> str:
    value = (value or "").strip()
    if required and not value:
        raise EnforcementError(f"请填写“{field}”")
    if len(value) > limit:
        raise EnforcementError(f"“{field}”不能超过{limit}字（现有{len(value)}字）")
    return value


def _day(
    value: datetime.date | None, field: str, *, not_before: datetime.date | None = None, after: str = ""
) -> datetime.date:
    if value is None:
        raise EnforcementError(f"请填写“{field}”")
    if value > timezone.localdate():
        raise EnforcementError(f"“{field}”不能晚于今天")
    if not_before is not None and value < not_before:
        raise EnforcementError(f"“{field}”不能早于{after}（{not_before:%Y-%m-%d}）")
    return value


# ---------------------------------------------------------------------------------------------------------------
# Who is told


def supervisors(region: Region) -> list[User]:
    """The 执法监督人员 of ``region``, else of the nearest level above that has some."""
    return nearest_users(region, Role.ENFORCEMENT_SUPERVISION)


def legal_staff(body: EnforcementBody) -> list[User]:
    return liaisons(body.organisation_id, Role.AGENCY_LIAISON)


def _tell(
    users: Iterable[User], *, subject: str, body: str, link: str, key: str, now: datetime.datetime | None = None
) -> None:
    put(personal_rows(users, subject=subject, body=body, link=link, dedup_key=key, now=now))


def decision_link(decision: MajorDecision) -> str:
    return f"/enforcement/decisions/{decision.pk}/"


def officer_link(officer_id: int) -> str:
    return f"/enforcement/officers/{officer_id}/"


# ---------------------------------------------------------------------------------------------------------------
# Bodies


@transaction.atomic
def register_body(organisation: Organisation, *, legal_basis: str, scope: str, by: User) -> EnforcementBody:
    """An organisation of the supervisor's region becomes an enforcement body awaiting confirmation."""
    _require(can_register_body(by) and is_supervisor_of(by, organisation), f"登记{organisation.name}为执法主体")
    if organisation.kind != OrganisationKind.AGENCY:
        raise EnforcementError(f"“单位”应为行政机关，{organisation.name}是{organisation.get_kind_display()}")
    if EnforcementBody.objects.filter(organisation=organisation).exists():
        raise EnforcementError(f"{organisation.name}已登记为执法主体")
    body = EnforcementBody.objects.create(
        organisation=organisation,
        legal_basis=_text(legal_basis, "法定依据"),
        scope=_text(scope, "执法职权范围"),
    )
    record_event(body, by=by, action="enforcement_body_registered", summary=f"登记执法主体：{organisation.name}",
                 changes={"主体资格": ["", Qualification.PENDING.label]})  # fmt: skip
    return body


@transaction.atomic
def confirm_body(body: EnforcementBody, *, by: User) -> EnforcementBody:
    """The 司法局 confirms the body's qualification (主体资格确认)."""
    body = EnforcementBody.objects.select_for_update().select_related("organisation__region").get(pk=body.pk)
    _require(is_supervisor_of(by, body.organisation), "确认执法主体资格")
    if body.state != Qualification.PENDING:
        raise EnforcementError(f"该执法主体当前为“{body.get_state_display()}”，无需确认")
    body.state, body.confirmed_on = Qualification.CONFIRMED, timezone.localdate()
    body.save(update_fields=["state", "confirmed_on"])
    record_event(body, by=by, action="enforcement_body_confirmed", summary="确认执法主体资格",
                 changes={"主体资格": [Qualification.PENDING.label, Qualification.CONFIRMED.label]})  # fmt: skip
    return body


@transaction.atomic
def publish_body(body: EnforcementBody, *, by: User) -> EnforcementBody:
    """The confirmed qualification is published (向社会公告)."""
    body = EnforcementBody.objects.select_for_update().select_related("organisation__region").get(pk=body.pk)
    _require(is_supervisor_of(by, body.organisation), "公告执法主体")
    if body.state != Qualification.CONFIRMED:
        raise EnforcementError(f"该执法主体当前为“{body.get_state_display()}”，确认后才能公告")
    body.state, body.published_on = Qualification.PUBLISHED, timezone.localdate()
    body.save(update_fields=["state", "published_on"])
    record_event(body, by=by, action="enforcement_body_published", summary="执法主体资格已向社会公告",
                 changes={"主体资格": [Qualification.CONFIRMED.label, Qualification.PUBLISHED.label]})  # fmt: skip
    return body


# ---------------------------------------------------------------------------------------------------------------
# Certificates: their warning is a due obligation


def keep_certificate_warnings(certificates: Iterable[Certificate], replaced: Iterable[int] = ()) -> None:
    """Each current certificate warned before its last day; those ``replaced`` (renewed, revoked) no longer."""
    dues = [
        obligations.Due(
            subject_id=c.pk,
            due_on=c.valid_to,
            warn=rules.certificate_warn_on(c.valid_to),
            owner_organisation_id=c.officer.body.organisation_id,
        )
        for c in certificates
        if c.revoked_on is None
    ]
    if dues:
        obligations.keep_all(CERTIFICATE, dues)
    gone = list(replaced)
    if gone:
        obligations.cancel_all(CERTIFICATE, gone)


def _current(ob: Obligation) -> Certificate | None:
    """The certificate of an obligation, if it is still its officer's current one and the officer still serves."""
    cert = (
        Certificate.objects.filter(pk=ob.subject_id, revoked_on__isnull=True)
        .select_related("officer__body__organisation__region")
        .first()
    )
    if cert is None or cert.officer.left_on is not None:
        return None
    if Certificate.objects.filter(
        officer_id=cert.officer_id, revoked_on__isnull=True, valid_to__gt=cert.valid_to
    ).exists():
        return None
    return cert


def _certificate_notice(ob: Obligation, now: datetime.datetime, *, lapsed: bool) -> bool:
    cert = _current(ob)
    if cert is None:
        return False
    officer, body = cert.officer, cert.officer.body
    if lapsed:
        subject = "【执法监督】执法证已过期"
        text = (f"{body.organisation.name}执法人员{officer.name}的{cert.get_kind_display()}（{cert.number}）已于 "
                f"{cert.valid_to:%Y-%m-%d} 到期，过期后不得从事行政执法活动，请及时办理换证。")  # fmt: skip
    else:
        days = (cert.valid_to - now.date()).days
        subject = "【执法监督】执法证临期"
        text = (f"{body.organisation.name}执法人员{officer.name}的{cert.get_kind_display()}（{cert.number}）将于 "
                f"{cert.valid_to:%Y-%m-%d} 到期（还有{days}天），请及时办理换证。")  # fmt: skip
    key = f"enforcement:certificate:{cert.pk}:{'lapsed' if lapsed else 'warned'}:{cert.valid_to:%Y%m%d}"
    _tell([*legal_staff(body), *supervisors(body.organisation.region)], subject=subject, body=text,
          link=officer_link(officer.pk), key=key, now=now)  # fmt: skip
    record_event(officer, by=SYSTEM, action="certificate_lapsed" if lapsed else "certificate_warned",
                 summary=f"执法证{cert.number}{'已过期' if lapsed else '临期'}提醒")  # fmt: skip
    return True


def warn_certificate(ob: Obligation, now: datetime.datetime) -> bool:
    return _certificate_notice(ob, now, lapsed=False)


def chase_certificate(ob: Obligation, now: datetime.datetime) -> bool:
    return _certificate_notice(ob, now, lapsed=True)


CERTIFICATE_KIND = Kind(name=CERTIFICATE, label="执法证有效期", remind=warn_certificate, chase=chase_certificate)


# ---------------------------------------------------------------------------------------------------------------
# Major decisions


def _lock(decision: MajorDecision) -> MajorDecision:
    return (
        MajorDecision.objects.select_for_update(of=("self",))
        .select_related("body__organisation__region", "reviewer")
        .get(pk=decision.pk)
    )


@transaction.atomic
def register_decision(*, title: str, number: str = "", kind: str, ground: str, by: User) -> MajorDecision:
    """The legal staff enter a major decision their body is preparing."""
    body = EnforcementBody.objects.filter(organisation_id=by.organisation_id).first() if by.organisation_id else None
    _require(body is not None and is_legal_staff(by, body), "登记重大执法决定（只有执法主体的法制审核人员可以登记）")
    assert body is not None
    if kind not in DecisionKind.values:
        raise EnforcementError("请选择“决定类别”")
    if ground not in MajorGround.values:
        raise EnforcementError("请选择“重大情形”（行政处罚法 第58条第1款）")
    decision = MajorDecision.objects.create(
        body=body,
        title=_text(title, "案件名称", limit=200),
        number=_text(number, "决定书文号", required=False, limit=100),
        kind=kind,
        ground=ground,
        registered_by=by,
    )
    record_event(decision, by=by, action="major_decision_registered",
                 summary=f"登记重大执法决定：{decision.title}（{decision.get_ground_display()}）")  # fmt: skip
    return decision


@transaction.atomic
def record_review(
    decision: MajorDecision, *, conclusion: str, opinion: str, reviewed_on: datetime.date | None, by: User
) -> MajorDecision:
    """The 法制审核 (行政处罚法 第58条) by the body's legal staff: the conclusion, the opinion and its date. A review
    recorded after the decision (补审) ends the chasing but the decision stays one made without review."""
    decision = _lock(decision)
    _require(is_legal_staff(by, decision.body), "记录法制审核（只有执法主体的法制审核人员可以记录）")
    if decision.reviewed_on is not None:
        raise EnforcementError("该决定已有法制审核意见")
    if conclusion not in ReviewConclusion.values:
        raise EnforcementError("请选择“审核意见”：同意、修改后同意或不同意")
    decision.review_opinion = _text(opinion, "审核意见说明")
    decision.reviewed_on = _day(reviewed_on, "法制审核日期")
    decision.review_conclusion = conclusion
    decision.reviewer = by
    decision.save(update_fields=["review_opinion", "reviewed_on", "review_conclusion", "reviewer"])
    late = decision.decided_on is not None and decision.reviewed_on > decision.decided_on
    if decision.decided_on is not None:
        obligations.settle(DECISION, decision.pk, REVIEW)
    label = ReviewConclusion(conclusion).label
    record_event(decision, by=by, action="major_decision_reviewed",
                 summary=f"法制审核：{label}{'（决定作出后补审）' if late else ''}",
                 changes={"法制审核": ["", f"{label} {decision.reviewed_on:%Y-%m-%d}"]})  # fmt: skip
    return decision


@transaction.atomic
def record_decision(
    decision: MajorDecision, *, decided_on: datetime.date | None, number: str = "", by: User
) -> MajorDecision:
    """The decision was made on ``decided_on``: its filing period starts (``rules.filing_due``). Made without a 法制审核
    before it (行政处罚法 第58条), or against a refusing one, it is recorded as it happened, listed, and the legal staff
    are chased by the sweep."""
    decision = _lock(decision)
    _require(is_legal_staff(by, decision.body), "记录决定（只有执法主体的法制审核人员可以记录）")
    if decision.decided_on is not None:
        raise EnforcementError("该决定已记录作出日期")
    decision.decided_on = _day(decided_on, "决定日期")
    decision.number = _text(number, "决定书文号", required=False, limit=100) or decision.number
    decision.filing_due_on = rules.filing_due(decision.decided_on)
    decision.save(update_fields=["decided_on", "number", "filing_due_on"])
    org = decision.body.organisation_id
    obligations.keep(DECISION, decision.pk, due_on=decision.filing_due_on, rule_id=FILING, owner_organisation=org)
    refused = decision.review_conclusion == ReviewConclusion.REFUSED
    unreviewed = not decision.reviewed_before and not refused
    if unreviewed:
        # Due the day of the decision, not warned: the sweep chases it from the next day (a review then recorded
        # ends it).
        obligations.keep(DECISION, decision.pk, due_on=decision.decided_on, rule_id=REVIEW, warn=False,
                         owner_organisation=org)  # fmt: skip
    summary = f"作出决定（{decision.decided_on:%Y-%m-%d}），应于 {decision.filing_due_on:%Y-%m-%d} 前备案"
    if unreviewed:
        summary += "；未经法制审核"
    elif refused:
        summary += "；法制审核未通过仍作出决定"
    record_event(decision, by=by, action="major_decision_made", summary=summary,
                 changes={"决定日期": ["", f"{decision.decided_on:%Y-%m-%d}"]})  # fmt: skip
    return decision


@transaction.atomic
def file_decision(decision: MajorDecision, *, filed_on: datetime.date | None, by: User) -> MajorDecision:
    """备案 with the 司法局 of the body's region (the nearest one above when it has none)."""
    decision = _lock(decision)
    _require(is_legal_staff(by, decision.body), "备案（只有执法主体的法制审核人员可以备案）")
    if decision.decided_on is None:
        raise EnforcementError("请先记录决定日期，再备案")
    if decision.filed_on is not None:
        raise EnforcementError("该决定已备案")
    decision.filed_on = _day(filed_on, "备案日期", not_before=decision.decided_on, after="决定日期")
    decision.filed_with = review_body_of(decision.body.organisation.region)
    decision.save(update_fields=["filed_on", "filed_with"])
    obligations.settle(DECISION, decision.pk, FILING)
    late = decision.filed_on > (decision.filing_due_on or decision.filed_on)
    where = decision.filed_with.name if decision.filed_with else "司法行政部门"
    record_event(decision, by=by, action="major_decision_filed",
                 summary=f"报{where}备案{'（逾期备案）' if late else ''}",
                 changes={"备案日期": ["", f"{decision.filed_on:%Y-%m-%d}"]})  # fmt: skip
    return decision


def _made(ob: Obligation) -> MajorDecision | None:
    return (
        MajorDecision.objects.filter(pk=ob.subject_id, decided_on__isnull=False)
        .select_related("body__organisation__region")
        .first()
    )


def _decision_notice(ob: Obligation, now: datetime.datetime, *, chase: bool) -> bool:
    decision = _made(ob)
    if decision is None:
        return False
    name = f"{decision.body.organisation.name}《{decision.title}》"
    told = legal_staff(decision.body)
    if ob.rule_id == REVIEW:
        if decision.reviewed_on is not None:
            return False
        subject = "【执法监督】重大执法决定未经法制审核"
        text = (f"{name}于 {decision.decided_on:%Y-%m-%d} 作出，未经法制审核（{rules.REVIEW_RULE_SOURCE}）。"
                "请补充法制审核意见并说明情况。")  # fmt: skip
        told += supervisors(decision.body.organisation.region)
    else:
        if decision.filed_on is not None:
            return False
        if chase:
            subject = "【执法监督】重大执法决定逾期未备案"
            text = f"{name}应于 {decision.filing_due_on:%Y-%m-%d} 前备案，已逾期，请立即报送备案。"
            told += supervisors(decision.body.organisation.region)
        else:
            subject = "【执法监督】重大执法决定备案临期"
            text = f"{name}应于 {decision.filing_due_on:%Y-%m-%d} 前报司法行政部门备案（{rules.filing_source()}）。"
    key = f"enforcement:decision:{decision.pk}:{ob.rule_id}:{'chased' if chase else 'warned'}"
    _tell(told, subject=subject, body=text, link=decision_link(decision), key=key, now=now)
    record_event(decision, by=SYSTEM, action=f"major_decision_{ob.rule_id}_{'chased' if chase else 'warned'}",
                 summary=subject.removeprefix("【执法监督】") + "，已提醒法制审核人员")  # fmt: skip
    return True


def warn_decision(ob: Obligation, now: datetime.datetime) -> bool:
    return _decision_notice(ob, now, chase=False)


def chase_decision(ob: Obligation, now: datetime.datetime) -> bool:
    return _decision_notice(ob, now, chase=True)


DECISION_KIND = Kind(name=DECISION, label="重大执法决定", remind=warn_decision, chase=chase_decision)


# ---------------------------------------------------------------------------------------------------------------
# The sweep's parts (orders 60 and 61): what the obligation step did for these kinds


@dataclass
class CertificateSweep:
    warned: int = 0
    lapsed: int = 0
    failed: int = 0

    def summary(self) -> str:
        return f"执法证临期提醒 {self.warned} 人，过期提醒 {self.lapsed} 人"


@dataclass
class DecisionSweep:
    warned: int = 0
    chased: int = 0
    failed: int = 0

    def summary(self) -> str:
        return f"重大执法决定备案临期提醒 {self.warned} 件，未审核或逾期未备案督办 {self.chased} 件"


def certificate_sweep(report: obligations.ObligationSweep) -> CertificateSweep:
    warned, lapsed, failed = report.of(CERTIFICATE)
    return CertificateSweep(warned=warned, lapsed=lapsed, failed=failed)


def decision_sweep(report: obligations.ObligationSweep) -> DecisionSweep:
    warned, chased, failed = report.of(DECISION)
    return DecisionSweep(warned=warned, chased=chased, failed=failed)
