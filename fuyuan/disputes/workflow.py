"""The dispute procedure (SPEC §6.2) as transitions: each checks the actor's right and the state, changes the
dispute, writes its Event and tells whom it concerns, in one transaction.

    received ──accept──▶ accepted ──assign──▶ assigned ──review──▶ reviewed ──plan──▶ planned
       │                     │                   │  meetings (四方会谈) in assigned, reviewed, planned  │
       └──reject (不予受理)   └── conclude: 调解成功 / 撤回 / 调解不成 → 转诉讼 / 转复议 (from any open state) ──┘
       └──merge (并入 an open dispute it repeats: closed as 不予受理, recorded on the other)

Acceptance needs the party's recorded consent to mediation (行政诉讼法 第60条, SPEC §10); a hand-over never does.
A dispute is linked or handed over only to a case its applicants brought against its agency.

Time limits (SPEC §5, local rule of 黔南州, on the working-day calendar): expert review 3 working days from
the assignment (``centre.expert_review``), the plan 5 working days from the review (``centre.plan``), and the
mediation 30 days from acceptance (``centre.pre_litigation``).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from fuyuan.cases.choices import Acceptance, CaseKind, Domain, Instance
from fuyuan.cases.models import Case
from fuyuan.cases.rules import CaseInvalid
from fuyuan.cases.workflow import register_case
from fuyuan.core.fields import blind_index_of
from fuyuan.core.masking import mask_phone
from fuyuan.core.models import Organisation, Role, User
from fuyuan.core.queries import work_calendar
from fuyuan.core.timeline import Actor, record_event
from fuyuan.deadlines.rules import compute_due
from fuyuan.disputes import classify, intake
from fuyuan.disputes import obligations as periods
from fuyuan.disputes.choices import (
    MEETING_STATES,
    OPEN_STATES,
    AssignmentRole,
    ConsentWay,
    DisputeOutcome,
    DisputeState,
    MeetingKind,
    ParticipantRole,
    Source,
    WithdrawalReason,
)
from fuyuan.disputes.matching import conflict_of, with_load
from fuyuan.disputes.models import Assignment, Conflict, Coordinator, Dispute, Meeting, Participant
from fuyuan.disputes.queries import (
    can_keep,
    can_manage,
    can_work_on,
    keepable_regions,
    keeps_pool,
    linkable_accounts,
    pool_organisations,
)
from fuyuan.notifications.workflow import notify

ONLINE_APPLICANT = Actor(label="当事人（线上申请）")


class DisputeError(Exception):
    """A transition refused for a reason the user can act on; the message says which."""


# Fields a registration may set (``register_dispute``), as the intake form and the online application give them.
INTAKE_FIELDS = (
    "source", "referred_by", "referral_number", "received_on", "applicants", "applicant_id_number",
    "applicant_phone", "applicant_address", "agency", "matter", "claims", "amount",
)  # fmt: skip


def _due(rule_id: str, start: datetime.date) -> datetime.date:
    return compute_due(rule_id, start, work_calendar()).due


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _in_state(dispute: Dispute, states: Sequence[str], action: str) -> None:
    if dispute.state not in states:
        raise DisputeError(f"{dispute.number} 当前状态为“{dispute.get_state_display()}”，不能{action}")


def _locked(dispute: Dispute) -> Dispute:
    """Re-read the dispute under a row lock: two clicks on the same button change it once."""
    return Dispute.objects.select_for_update().get(pk=dispute.pk)


def _number(centre: Organisation, year: int) -> str:
    """The next 编号 of ``centre`` for ``year``, e.g. ``都匀市争调〔2026〕12号`` (numbering is serialised by a lock on
    the centre's row)."""
    Organisation.objects.select_for_update().filter(pk=centre.pk).first()
    prefix = f"{centre.region.name}争调〔{year}〕"
    taken = Dispute.objects.filter(centre=centre, number__startswith=prefix).count()
    return f"{prefix}{taken + 1}号"


def _place(dispute: Dispute) -> None:
    """Keep the dispute's region and county equal to its agency's (scoping and figures rely on it)."""
    dispute.region_id = dispute.agency.region_id
    dispute.county = dispute.agency.region.county()


@dataclass(frozen=True)
class Consent:
    """The party's consent to mediation (行政诉讼法 第60条, SPEC §10): who gave it, when and how."""

    by: str
    on: datetime.date
    way: str


def _not_after_today(day: datetime.date, what: str) -> None:
    today = timezone.localdate()
    if day > today:
        raise DisputeError(f"{what}（{day.isoformat()}）不能晚于今天（{today.isoformat()}）")


def _not_before(day: datetime.date, what: str, step: datetime.date | None, step_what: str) -> None:
    """A step's date cannot precede the step it follows (``step`` None: that step has not happened)."""
    if step is not None and day < step:
        raise DisputeError(f"{what}（{day.isoformat()}）不能早于{step_what}（{step.isoformat()}）")


def _check_consent(consent: Consent) -> None:
    if not consent.by.strip():
        raise DisputeError("请填写同意调解的当事人")
    if consent.on > timezone.localdate():
        raise DisputeError("同意调解日期不能晚于今天")
    if consent.way not in ConsentWay.values:
        raise DisputeError("请选择当事人同意调解的方式")


def _set_consent(dispute: Dispute, consent: Consent, recorded_by: User | None) -> None:
    dispute.consent_by, dispute.consent_on, dispute.consent_way = consent.by.strip(), consent.on, consent.way
    dispute.consent_recorded_by = recorded_by


def _consent_text(dispute: Dispute) -> str:
    assert dispute.consent_on is not None
    return f"同意调解：{dispute.consent_by}（{dispute.consent_on.isoformat()}，{dispute.get_consent_way_display()}）"


def _check_merge_target(target: Dispute, centre: Organisation) -> None:
    """Only an open dispute of the same centre takes a re-application: a closed one is for reference only, and
    another centre's dispute is not this centre's to change."""
    if target.centre_id != centre.pk:
        raise DisputeError(f"{target.number} 由{target.centre.name}办理，不能并入，请与该中心联系")
    if target.state == DisputeState.CLOSED:
        raise DisputeError(f"{target.number} 已办结，不能并入；请作为新的争议登记，已办结的争议仅供参考")


@transaction.atomic
def register_dispute(
    centre: Organisation,
    values: dict[str, Any],
    *,
    by: User | Actor,
    duplicate_of: Dispute | None = None,
    consent: Consent | None = None,
) -> Dispute:
    """集中受理: register an application at ``centre`` from any source, with the system's classification
    suggestion kept beside it. Given ``duplicate_of`` (an open dispute of this centre), no new dispute is made: the
    application is recorded on the dispute already on file (same applicants, agency and matter) and that one is
    returned. ``consent`` is the party's consent to mediation when the application carries it."""
    actor = Actor.of(by)
    if actor.user is not None:
        _require(
            actor.user.role == Role.CENTRE_STAFF and actor.user.organisation_id == centre.pk,
            "只有本中心工作人员可以登记争议",
        )
    source = Source(values["source"])
    _not_after_today(values["received_on"], "收件日期")
    if consent is not None:
        _check_consent(consent)
    if duplicate_of is not None:
        duplicate_of = _locked(duplicate_of)
        _check_merge_target(duplicate_of, centre)
        record_event(
            duplicate_of,
            by=actor,
            action="duplicate_application",
            summary=f"收到重复申请（{source.label}，{values['applicants']}），并入本件办理",
        )
        return duplicate_of
    dispute = Dispute(centre=centre, registered_by=actor.user, **{f: values[f] for f in INTAKE_FIELDS if f in values})
    suggestion = classify.suggest(dispute.matter, applicants=dispute.applicants)
    dispute.suggestion = suggestion.as_json()
    dispute.domain, dispute.act_type = suggestion.domain, suggestion.act_type
    dispute.urgency, dispute.group_size = suggestion.urgency, suggestion.group_size
    dispute.number = _number(centre, dispute.received_on.year)
    _place(dispute)
    consented = ""
    if consent is not None:
        _set_consent(dispute, consent, actor.user)
        consented = f"；{_consent_text(dispute)}"
    dispute.save()
    record_event(
        dispute, by=actor, action="registered", summary=f"登记争议 {dispute.number}（{source.label}）{consented}"
    )
    return dispute


@transaction.atomic
def apply_online(centre: Organisation, values: dict[str, Any], *, consents_to_mediation: bool = False) -> Dispute:
    """The party's own online application (线上申请): registered as received, for the centre to accept. It is never
    refused as a duplicate: staff see the possible duplicates on the file and may merge (``merge_duplicate``)."""
    today = timezone.localdate()
    consent = Consent(by=values["applicants"], on=today, way=ConsentWay.ONLINE) if consents_to_mediation else None
    return register_dispute(
        centre, {**values, "source": Source.ONLINE, "received_on": today}, by=ONLINE_APPLICANT, consent=consent
    )


# An exact repeat of an online application (same person by ID number, same agency, same matter word for word) made
# while the first still waits for the centre's answer and within a week of it gets the first one's number back.
# A week covers the 5 working days the confirmation page promises for that answer (views.CONTACT_WORKING_DAYS):
# a party who repeats within it is unsure the first went through (a double click, the back button, a second
# device). A repeat after that, or after the centre has answered, is a chase or a new attempt: it is registered
# and staff see it as a possible duplicate (``duplicates_of``) and may merge it.
REPEAT_WINDOW_DAYS = 7


@transaction.atomic
def apply_online_once(
    centre: Organisation, values: dict[str, Any], *, consents_to_mediation: bool = False
) -> tuple[Dispute, bool]:
    """``apply_online``, except that an exact repeat (see ``REPEAT_WINDOW_DAYS``) registers nothing and returns
    the earlier application. Returns the dispute and whether it is that earlier one. Applications to a centre are
    serialised by a lock on its row, so that simultaneous identical submissions get one number."""
    Organisation.objects.select_for_update().filter(pk=centre.pk).first()
    earlier = earlier_online_application(centre, values)
    if earlier is not None:
        return earlier, True
    return apply_online(centre, values, consents_to_mediation=consents_to_mediation), False


def earlier_online_application(centre: Organisation, values: dict[str, Any]) -> Dispute | None:
    """The online application at ``centre`` that ``values`` repeats exactly, if one is still awaiting the centre's
    answer and was received within ``REPEAT_WINDOW_DAYS``. The ID number is compared on its blind index."""
    index = blind_index_of(Dispute, "applicant_id_number_index", values.get("applicant_id_number", ""))
    if not index:
        return None
    since = timezone.localdate() - datetime.timedelta(days=REPEAT_WINDOW_DAYS)
    candidates = Dispute.objects.filter(
        centre=centre,
        source=Source.ONLINE,
        state=DisputeState.RECEIVED,
        agency=values["agency"],
        applicant_id_number_index=index,
        received_on__gte=since,
    ).order_by("id")
    matter = " ".join(values["matter"].split())
    return next((d for d in candidates if " ".join(d.matter.split()) == matter), None)


def duplicates_of(dispute: Dispute) -> list[Dispute]:
    """The disputes on file at any centre that look like ``dispute`` (same applicants or ID number, agency and a
    similar matter), itself excluded: the file shows them as 可能重复."""
    found = intake.possible_duplicates(
        applicants=dispute.applicants,
        agency=dispute.agency,
        matter=dispute.matter,
        id_number=dispute.applicant_id_number,
    )
    return [d for d in found if d.pk != dispute.pk]


@transaction.atomic
def merge_duplicate(dispute: Dispute, into: Dispute, *, by: User) -> Dispute:
    """并入: a new application (待受理) found to repeat an open dispute of the same centre is closed as not accepted
    for that reason, and recorded on the dispute it repeats, which carries on. Returns ``into``."""
    _require(can_manage(by, dispute), "只有本中心工作人员可以并入重复申请")
    dispute = _locked(dispute)
    _in_state(dispute, [DisputeState.RECEIVED], "并入其他争议")
    if into.pk == dispute.pk:
        raise DisputeError("不能并入本件自身")
    if into.pk not in {d.pk for d in duplicates_of(dispute)}:
        raise DisputeError(f"{into.number} 不是本件的可能重复件，不能并入")
    into = _locked(into)
    _check_merge_target(into, dispute.centre)
    _close(dispute, DisputeOutcome.REJECTED, by=by, rejection_reason=f"重复申请，已并入 {into.number} 办理")
    record_event(
        into,
        by=by,
        action="duplicate_application",
        summary=f"收到重复申请 {dispute.number}（{dispute.get_source_display()}，{dispute.applicants}），并入本件办理",
    )
    return into


@transaction.atomic
def classify_dispute(
    dispute: Dispute, *, domain: str, act_type: str, urgency: str, group_size: int, by: User
) -> Dispute:
    """Staff confirm or change the suggested classification (分类化解)."""
    _require(can_manage(by, dispute), "只有本中心工作人员可以确认分类")
    dispute = _locked(dispute)
    if dispute.state == DisputeState.CLOSED:
        raise DisputeError(f"{dispute.number} 已办结，不能再修改分类")
    if group_size < 1:
        raise DisputeError("涉及人数至少为 1")
    before = _classification(dispute)
    dispute.domain, dispute.act_type, dispute.urgency, dispute.group_size = domain, act_type, urgency, group_size
    dispute.classified_at = timezone.now()
    dispute.save()
    after = _classification(dispute)
    changes = {label: [before[label], after[label]] for label in after if before[label] != after[label]}
    record_event(dispute, by=by, action="classified", summary="确认分类", changes=changes)
    return dispute


def _classification(d: Dispute) -> dict[str, str]:
    return {
        "领域": d.get_domain_display() or "（空）",
        "行政行为类别": d.get_act_type_display() or "（空）",
        "紧急程度": d.get_urgency_display(),
        "涉及人数": str(d.group_size),
    }


def _check_parties(dispute: Dispute, case: Case, action: str) -> None:
    """A dispute goes only to a case its applicants brought (the rule of the intake panel, ``intake.related_cases``):
    linking it opens the case to the centre's staff (``cases.queries``), so no other case may be linked."""
    if not intake.related_cases(applicants=dispute.applicants, agency=dispute.agency).filter(pk=case.pk).exists():
        raise DisputeError(f"案件 {case.number} 的原告/申请人不是本件申请人（{dispute.applicants}），不能{action}")


@transaction.atomic
def link_case(dispute: Dispute, case: Case, *, by: User) -> Dispute:
    """Link the dispute to the case it concerns (an existing lawsuit or reconsideration)."""
    _require(can_manage(by, dispute), "只有本中心工作人员可以关联案件")
    dispute = _locked(dispute)
    if case.defendant_id != dispute.agency_id:
        raise DisputeError(f"案件 {case.number} 的被告/被申请人不是{dispute.agency.name}，不能关联")
    _check_parties(dispute, case, "关联")
    dispute.case = case
    dispute.save()
    record_event(dispute, by=by, action="case_linked", summary=f"关联案件 {case.number}")
    record_event(case, by=by, action="dispute_linked", summary=f"关联协调化解中心争议 {dispute.number}")
    return dispute


@transaction.atomic
def accept_dispute(
    dispute: Dispute, *, by: User, on: datetime.date | None = None, consent: Consent | None = None
) -> Dispute:
    """受理: the 30-day mediation period (``centre.pre_litigation``) runs from today. 行政诉讼法 第60条 and SPEC §10:
    nobody is taken into mediation without their recorded consent — given online, or recorded now (``consent``).
    Mediation never bars the party from suing or applying for reconsideration."""
    _require(can_manage(by, dispute), "只有本中心工作人员可以受理")
    dispute = _locked(dispute)
    _in_state(dispute, [DisputeState.RECEIVED], "受理")
    if consent is not None:
        _check_consent(consent)
        _set_consent(dispute, consent, by)
    if not dispute.has_consent:
        raise DisputeError("未记录当事人同意调解，不能受理：请登记同意调解的当事人、日期和方式（行政诉讼法 第60条）")
    accepted_on = on or timezone.localdate()
    _not_after_today(accepted_on, "受理日期")
    _not_before(accepted_on, "受理日期", dispute.received_on, "收件日期")
    dispute.state = DisputeState.ACCEPTED
    dispute.accepted_on = accepted_on
    dispute.mediation_due_on = _due("centre.pre_litigation", dispute.accepted_on)
    dispute.save()
    periods.open_period(dispute, "centre.pre_litigation", dispute.mediation_due_on)
    record_event(
        dispute,
        by=by,
        action="accepted",
        summary=f"受理，化解期限至 {dispute.mediation_due_on.isoformat()}；{_consent_text(dispute)}",
    )
    return dispute


@transaction.atomic
def reject_dispute(dispute: Dispute, *, reason: str, by: User) -> Dispute:
    """不予受理, with the reason (told to the applicant by the centre)."""
    _require(can_manage(by, dispute), "只有本中心工作人员可以作出不予受理")
    if not reason.strip():
        raise DisputeError("请填写不予受理的理由")
    dispute = _locked(dispute)
    _in_state(dispute, [DisputeState.RECEIVED], "不予受理")
    return _close(dispute, DisputeOutcome.REJECTED, by=by, rejection_reason=reason.strip())


@dataclass(frozen=True)
class Choice:
    """A coordinator staff chose, with the role on the 专班 and the proposal's reason."""

    coordinator: Coordinator
    role: str = AssignmentRole.MEMBER
    reason: str = ""


@transaction.atomic
def assign_coordinators(dispute: Dispute, choices: Sequence[Choice], *, by: User) -> Dispute:
    """Form the 专班 (一案一专班): one lead and members. A coordinator with a declared conflict is refused with it.
    The first assignment starts the 3-working-day expert review (``centre.expert_review``)."""
    _require(can_manage(by, dispute), "只有本中心工作人员可以指派协调员")
    dispute = _locked(dispute)
    _in_state(dispute, [DisputeState.ACCEPTED, *MEETING_STATES], "指派协调员")
    if not choices:
        raise DisputeError("请至少选择一名协调员")
    now = timezone.now()
    loads = dict(
        with_load(Coordinator.objects.filter(pk__in=[c.coordinator.pk for c in choices])).values_list("pk", "load")
    )
    for choice in choices:
        coordinator = choice.coordinator
        conflict = conflict_of(coordinator, dispute)
        if conflict is not None:
            raise DisputeError(f"{coordinator.name} 已申报回避（{conflict.reason}），不能指派")
        if not coordinator.is_available_on(timezone.localdate(now)):
            until = (
                f"（暂不可指派至 {coordinator.unavailable_until.isoformat()}）" if coordinator.unavailable_until else ""
            )
            raise DisputeError(f"{coordinator.name} 目前不可接受指派{until}，不能指派")
        if loads.get(coordinator.pk, 0) >= coordinator.max_load:
            raise DisputeError(
                f"{coordinator.name} 在办 {loads.get(coordinator.pk, 0)} 件，已达同时承办上限 {coordinator.max_load} 件，"
                "不能指派"
            )
    active = dispute.assignments.filter(released_at__isnull=True)
    has_lead = active.filter(role=AssignmentRole.LEAD).exists()
    if sum(c.role == AssignmentRole.LEAD for c in choices) + has_lead > 1:
        raise DisputeError("每个专班只能有一名牵头协调员")
    taken = set(active.values_list("coordinator_id", flat=True))
    for choice in choices:
        if choice.coordinator.pk in taken:
            raise DisputeError(f"{choice.coordinator.name} 已在本件专班中")
    Assignment.objects.bulk_create(
        [
            Assignment(
                dispute=dispute,
                coordinator=c.coordinator,
                role=c.role,
                reason=c.reason[:300],
                assigned_at=now,
                assigned_by=by,
            )
            for c in choices
        ]
    )
    summary = "、".join(f"{c.coordinator.name}（{AssignmentRole(c.role).label}）" for c in choices)
    if dispute.state == DisputeState.ACCEPTED:
        dispute.state = DisputeState.ASSIGNED
        dispute.assigned_on = timezone.localdate(now)
        dispute.review_due_on = _due("centre.expert_review", dispute.assigned_on)
        dispute.save()
        periods.open_period(dispute, "centre.expert_review", dispute.review_due_on)
        summary += f"；专家评审期限至 {dispute.review_due_on.isoformat()}"
    record_event(dispute, by=by, action="assigned", summary=f"指派协调员：{summary}")
    users = [c.coordinator.user for c in choices if c.coordinator.user is not None]
    notify(
        users,
        subject=f"【协调化解】您已被指派办理 {dispute.number}",
        body=f"{dispute.applicants} 与{dispute.agency.name}的争议：{dispute.matter[:80]}",
        link=reverse("disputes:detail", args=[dispute.pk]),
        dedup_key=f"dispute:{dispute.pk}:assigned:{now.isoformat()}",
    )
    return dispute


@transaction.atomic
def release_coordinator(assignment: Assignment, *, by: User) -> Assignment:
    """A coordinator leaves the 专班; the assignment stays on record with the time it ended."""
    dispute = assignment.dispute
    _require(can_manage(by, dispute), "只有本中心工作人员可以调整专班")
    if assignment.released_at is not None:
        raise DisputeError(f"{assignment.coordinator.name} 已退出本件专班")
    assignment.released_at = timezone.now()
    assignment.save(update_fields=["released_at"])
    record_event(dispute, by=by, action="released", summary=f"{assignment.coordinator.name} 退出专班")
    return assignment


@transaction.atomic
def record_review(dispute: Dispute, *, opinion: str, by: User) -> Dispute:
    """专家评审 done: the opinion is kept and the 5-working-day plan period (``centre.plan``) starts."""
    _require(can_work_on(by, dispute), "只有本中心工作人员或本件协调员可以登记评审意见")
    if not opinion.strip():
        raise DisputeError("请填写专家评审意见")
    dispute = _locked(dispute)
    _in_state(dispute, [DisputeState.ASSIGNED], "登记专家评审意见")
    dispute.state = DisputeState.REVIEWED
    dispute.reviewed_on = timezone.localdate()
    dispute.review_opinion = opinion.strip()
    dispute.plan_due_on = _due("centre.plan", dispute.reviewed_on)
    dispute.save()
    periods.end_period(dispute, "centre.expert_review")
    periods.open_period(dispute, "centre.plan", dispute.plan_due_on)
    late = "（逾期）" if dispute.review_due_on and dispute.reviewed_on > dispute.review_due_on else ""
    record_event(
        dispute,
        by=by,
        action="reviewed",
        summary=f"完成专家评审{late}；化解方案期限至 {dispute.plan_due_on.isoformat()}",
    )
    return dispute


@transaction.atomic
def record_plan(dispute: Dispute, *, plan: str, by: User) -> Dispute:
    """化解方案 settled: the 专班 now works to it, meeting the parties."""
    _require(can_work_on(by, dispute), "只有本中心工作人员或本件协调员可以登记化解方案")
    if not plan.strip():
        raise DisputeError("请填写化解方案")
    dispute = _locked(dispute)
    _in_state(dispute, [DisputeState.REVIEWED], "登记化解方案")
    dispute.state = DisputeState.PLANNED
    dispute.planned_on = timezone.localdate()
    dispute.plan = plan.strip()
    dispute.save()
    periods.end_period(dispute, "centre.plan")
    late = "（逾期）" if dispute.plan_due_on and dispute.planned_on > dispute.plan_due_on else ""
    record_event(dispute, by=by, action="planned", summary=f"确定化解方案{late}")
    return dispute


@dataclass(frozen=True)
class Attendee:
    role: str
    name: str
    organisation_name: str = ""


@transaction.atomic
def record_meeting(
    dispute: Dispute,
    *,
    kind: str,
    held_at: datetime.datetime,
    place: str,
    participants: Sequence[Attendee],
    minutes: str,
    next_steps: str = "",
    by: User,
) -> Meeting:
    """A meeting (四方会谈: judge, justice-bureau expert, agency head, party) with its minutes and next steps."""
    _require(can_work_on(by, dispute), "只有本中心工作人员或本件协调员可以登记会谈")
    dispute = _locked(dispute)
    _in_state(dispute, MEETING_STATES, "登记会谈")
    if not participants:
        raise DisputeError("请至少填写一名参会人员")
    if not minutes.strip():
        raise DisputeError("请填写会谈纪要")
    if held_at > timezone.now():
        raise DisputeError("会谈时间不能晚于现在：请在会谈后登记纪要")
    held_on = timezone.localdate(held_at)
    # The 专班 holds the meetings: none before it was formed.
    _not_before(held_on, "会谈时间", dispute.assigned_on, "指派协调员组成专班的日期")
    if kind != MeetingKind.EXPERT_REVIEW:
        # SPEC §6.2: expert review → plan → meetings with the parties (四方会谈, 调解会谈). Once the review is on
        # file, such a meeting dated before it is out of order; the review's own meeting is 专家评审会.
        reviewed_on = dispute.reviewed_on
        if reviewed_on is not None and held_on < reviewed_on:
            label = MeetingKind(kind).label
            raise DisputeError(
                f"{label}时间（{held_on.isoformat()}）不能早于专家评审完成日期（{reviewed_on.isoformat()}）："
                f"{label}在专家评审之后举行，评审期间的会议请登记为专家评审会"
            )
    meeting = Meeting.objects.create(
        dispute=dispute,
        kind=kind,
        held_at=held_at,
        place=place,
        minutes=minutes.strip(),
        next_steps=next_steps.strip(),
        recorded_by=by,
    )
    Participant.objects.bulk_create(
        [
            Participant(meeting=meeting, role=a.role, name=a.name, organisation_name=a.organisation_name)
            for a in participants
        ]
    )
    roles = "、".join(sorted({ParticipantRole(a.role).label for a in participants}))
    record_event(
        dispute,
        by=by,
        action="meeting",
        summary=f"{meeting.get_kind_display()}（{timezone.localtime(held_at):%Y-%m-%d %H:%M}，{roles}参加）",
    )
    return meeting


def _close(dispute: Dispute, outcome: str, *, by: User | Actor, **values: Any) -> Dispute:
    dispute.state = DisputeState.CLOSED
    dispute.outcome = outcome
    dispute.concluded_on = timezone.localdate()
    for field, value in values.items():
        setattr(dispute, field, value)
    dispute.save()
    periods.end_periods(dispute)
    record_event(dispute, by=by, action="concluded", summary=f"办结：{dispute.get_outcome_display()}")
    return dispute


@transaction.atomic
def conclude_mediated(dispute: Dispute, *, terms: str, judicial_confirmation: bool = False, by: User) -> Dispute:
    """调解成功: the agreement's terms are kept (the 调解协议书 is generated from them); the parties may ask the
    court to confirm it (司法确认, 民事诉讼法 第205条 applied by analogy in 诉前调解 practice)."""
    _require(can_manage(by, dispute), "只有本中心工作人员可以办结")
    if not terms.strip():
        raise DisputeError("请填写调解协议的内容")
    dispute = _locked(dispute)
    _in_state(dispute, OPEN_STATES, "办结")
    return _close(
        dispute,
        DisputeOutcome.MEDIATED,
        by=by,
        agreement_terms=terms.strip(),
        judicial_confirmation=judicial_confirmation,
    )


@transaction.atomic
def conclude_withdrawn(dispute: Dispute, *, reason: str, note: str = "", by: User) -> Dispute:
    """撤回: the applicant withdraws; whether because the agency corrected its act decides 化解数."""
    _require(can_manage(by, dispute), "只有本中心工作人员可以办结")
    WithdrawalReason(reason)
    dispute = _locked(dispute)
    _in_state(dispute, OPEN_STATES, "办结")
    return _close(dispute, DisputeOutcome.WITHDRAWN, by=by, withdrawal_reason=reason, outcome_note=note.strip())


@dataclass(frozen=True)
class NewCase:
    """The case a failed mediation hands over to, when it is not on file yet."""

    number: str
    forum: Organisation  # the court (诉讼) or the reconsideration body (复议)
    on: datetime.date  # 立案 / 收案 date


@transaction.atomic
def hand_over(
    dispute: Dispute, *, to: str, case: Case | None = None, new_case: NewCase | None = None, note: str = "", by: User
) -> Dispute:
    """调解不成: the dispute goes to litigation or reconsideration with its file, linked to the case — the one on
    file, or one registered now from the dispute's data."""
    _require(can_manage(by, dispute), "只有本中心工作人员可以办结")
    kind = CaseKind(to)
    dispute = _locked(dispute)
    _in_state(dispute, OPEN_STATES, "转诉讼或复议")
    if (case is None) == (new_case is None):
        raise DisputeError("请选择已登记的案件，或填写新案件的案号")
    if case is not None:
        if case.kind != kind:
            raise DisputeError(f"案件 {case.number} 是{case.get_kind_display()}案件，与所选去向不符")
        if case.defendant_id != dispute.agency_id:
            raise DisputeError(f"案件 {case.number} 的被告/被申请人不是{dispute.agency.name}")
        _check_parties(dispute, case, "移交")
    else:
        assert new_case is not None
        if Case.objects.filter(number=new_case.number).exists():
            raise DisputeError(f"案号 {new_case.number} 已登记，请选择该案件关联")
        # The centre registers the case on the court's or the body's behalf; its right was checked above. The case
        # rules hold here as at every door (a 立案/收案 date in the future is refused).
        try:
            case = register_case(
                _case_values(dispute, kind, new_case),
                by=Actor(user=by, label=f"{dispute.centre.name}转办"),
                on_behalf=True,
            )
        except CaseInvalid as invalid:
            raise DisputeError(f"新案件不能登记：{invalid}") from None
    outcome = DisputeOutcome.TO_LITIGATION if kind == CaseKind.LITIGATION else DisputeOutcome.TO_RECONSIDERATION
    dispute = _close(dispute, outcome, by=by, case=case, outcome_note=note.strip())
    record_event(
        case, by=by, action="dispute_handed_over", summary=f"协调化解中心争议 {dispute.number} 调解不成，移交本案"
    )
    return dispute


def _case_values(dispute: Dispute, kind: CaseKind, new: NewCase) -> dict[str, Any]:
    values: dict[str, Any] = {
        "kind": kind,
        "number": new.number,
        "defendant": dispute.agency,
        "plaintiffs": dispute.applicants,
        "cause": dispute.act_type,
        "domain": dispute.domain,
        "note": f"由{dispute.centre.name}争议 {dispute.number} 转来",
    }
    if kind == CaseKind.LITIGATION:
        values.update(court=new.forum, instance=Instance.FIRST, filed_on=new.on)
    else:
        values.update(reconsideration_body=new.forum, received_on=new.on, acceptance=Acceptance.PENDING)
    return values


# ---------------------------------------------------------------------------------------------------------------
# 专业协调员库: the centre's staff keep the pool of their region subtree. An entry is never deleted: it is removed
# from the pool (移出专家库) and may come back (重新入库); a declaration of conflict is withdrawn (撤回), not deleted.
# Each change is an Event on the coordinator's timeline, edits with their old → new values.

# What ``save_coordinator`` sets, as the pool's form gives it.
COORDINATOR_FIELDS = (
    "name", "title", "organisation", "region", "domains", "expertise", "phone", "available", "unavailable_until",
    "max_load", "user",
)  # fmt: skip
MAX_LOAD_RANGE = (1, 50)


def _entry(c: Coordinator) -> dict[str, str]:
    """A coordinator's entry as its timeline records it (the phone masked: the timeline is read more widely)."""
    labels = dict(Domain.choices)
    return {
        "姓名": c.name,
        "职务/职称": c.title or "（空）",
        "所在单位": c.organisation.name if c.organisation_id else "（空）",
        "所在地区": c.region.name if c.region_id else "（空）",
        "擅长领域": "、".join(str(labels.get(d, d)) for d in c.domains) or "（空）",
        "专长说明": c.expertise or "（空）",
        "联系电话": mask_phone(c.phone) or "（空）",
        "可接受指派": "是" if c.available else "否",
        "暂不可指派至": c.unavailable_until.isoformat() if c.unavailable_until else "（空）",
        "同时承办上限": str(c.max_load),
        "登录账号": c.user.username if c.user_id and c.user else "（未关联）",
    }


def _check_entry(values: dict[str, Any], coordinator: Coordinator | None, by: User) -> None:
    """The invariants of a pool entry the form also checks; here so that no other door can break them."""
    if not str(values.get("name", "")).strip():
        raise DisputeError("请填写姓名")
    if not keepable_regions(by).filter(pk=values["region"].pk).exists():
        raise DisputeError(f"所在地区“{values['region'].name}”不在本中心所辖范围内")
    if not pool_organisations(by).filter(pk=values["organisation"].pk).exists():
        raise DisputeError(f"所在单位“{values['organisation'].name}”不在本中心可选的范围内")
    low, high = MAX_LOAD_RANGE
    if not low <= values["max_load"] <= high:
        raise DisputeError(f"同时承办上限应在 {low} 到 {high} 之间")
    unknown = set(values["domains"]) - set(Domain.values)
    if unknown:
        raise DisputeError(f"擅长领域中有无法识别的领域：{'、'.join(sorted(unknown))}")
    account = values.get("user")
    if account is not None and not linkable_accounts(by, coordinator).filter(pk=account.pk).exists():
        raise DisputeError(f"登录账号 {account.username} 不是本地区未关联的协调员账号，不能关联")


@transaction.atomic
def save_coordinator(coordinator: Coordinator | None, values: dict[str, Any], *, by: User) -> Coordinator:
    """Add a coordinator to the pool (``coordinator`` None) or change one's entry. Changes are recorded as old → new;
    saving an entry unchanged records nothing."""
    _require(keeps_pool(by), "只有协调化解中心工作人员可以维护专业协调员库")
    values = {f: values[f] for f in COORDINATOR_FIELDS if f in values}
    values["name"] = str(values.get("name", "")).strip()
    if coordinator is None:
        _check_entry(values, None, by)
        coordinator = Coordinator.objects.create(**values)
        record_event(
            coordinator,
            by=by,
            action="coordinator_added",
            summary=f"加入专业协调员库：{coordinator.name}（{coordinator.organisation.name}）",
            changes={label: ["", value] for label, value in _entry(coordinator).items() if value != "（空）"},
        )
        return coordinator
    coordinator = (
        Coordinator.objects.select_for_update(of=("self",))
        .select_related("region", "organisation", "user")
        .get(pk=coordinator.pk)
    )
    _require(can_keep(by, coordinator), f"{coordinator.name} 不属于本中心所辖地区，不能修改")
    _check_entry(values, coordinator, by)
    before, old_phone = _entry(coordinator), coordinator.phone
    for field, value in values.items():
        setattr(coordinator, field, value)
    after = _entry(coordinator)
    changes = {label: [before[label], after[label]] for label in after if before[label] != after[label]}
    # A changed phone may mask the same (same first three and last four digits): it is still a change.
    if "联系电话" not in changes and old_phone != coordinator.phone:
        changes["联系电话"] = [before["联系电话"], f"{after['联系电话']}（已更换）"]
    if not changes:
        return coordinator
    coordinator.save()
    record_event(coordinator, by=by, action="coordinator_changed", summary="修改协调员信息", changes=changes)
    return coordinator


def _kept(coordinator: Coordinator, by: User, action: str) -> Coordinator:
    _require(keeps_pool(by), "只有协调化解中心工作人员可以维护专业协调员库")
    coordinator = Coordinator.objects.select_for_update(of=("self",)).select_related("region").get(pk=coordinator.pk)
    _require(can_keep(by, coordinator), f"{coordinator.name} 不属于本中心所辖地区，不能{action}")
    return coordinator


def _in_hand(coordinator: Coordinator) -> int:
    return coordinator.assignments.filter(released_at__isnull=True, dispute__state__in=OPEN_STATES).count()


@transaction.atomic
def remove_from_pool(coordinator: Coordinator, *, by: User) -> Coordinator:
    """移出专家库: no longer proposed or assignable; the disputes already in hand stay with them."""
    coordinator = _kept(coordinator, by, "移出专家库")
    if not coordinator.active:
        raise DisputeError(f"{coordinator.name} 已移出专家库")
    coordinator.active = False
    coordinator.save(update_fields=["active"])
    in_hand = _in_hand(coordinator)
    note = f"；在办的 {in_hand} 件争议仍由其继续承办" if in_hand else ""
    record_event(
        coordinator, by=by, action="removed_from_pool", summary=f"移出专家库{note}", changes={"在库": ["是", "否"]}
    )
    return coordinator


@transaction.atomic
def return_to_pool(coordinator: Coordinator, *, by: User) -> Coordinator:
    """重新入库: proposed and assignable again."""
    coordinator = _kept(coordinator, by, "重新入库")
    if coordinator.active:
        raise DisputeError(f"{coordinator.name} 已在专家库中")
    coordinator.active = True
    coordinator.save(update_fields=["active"])
    record_event(coordinator, by=by, action="returned_to_pool", summary="重新入库", changes={"在库": ["否", "是"]})
    return coordinator


@transaction.atomic
def declare_conflict(
    coordinator: Coordinator,
    *,
    organisation: Organisation | None,
    person_name: str,
    reason: str,
    declared_on: datetime.date,
    by: User,
) -> Conflict:
    """利益冲突申报: from now on the coordinator is never proposed for, nor assigned to, a dispute against
    ``organisation`` or brought by ``person_name`` (``matching``)."""
    coordinator = _kept(coordinator, by, "申报利益冲突")
    person_name, reason = person_name.strip(), reason.strip()
    if organisation is None and not person_name:
        raise DisputeError("请选择回避单位或填写回避当事人")
    if not reason:
        raise DisputeError("请填写回避事由")
    if declared_on > timezone.localdate():
        raise DisputeError("申报日期不能晚于今天")
    if organisation is not None and not pool_organisations(by).filter(pk=organisation.pk).exists():
        raise DisputeError(f"回避单位“{organisation.name}”不在本中心可选的范围内")
    same = coordinator.conflicts.in_force().filter(organisation=organisation, person_name=person_name)
    if same.exists():
        raise DisputeError(f"{coordinator.name} 已申报过对同一单位/当事人的回避，无需重复申报")
    conflict = Conflict.objects.create(
        coordinator=coordinator,
        organisation=organisation,
        person_name=person_name,
        reason=reason,
        declared_on=declared_on,
    )
    record_event(
        coordinator,
        by=by,
        action="conflict_declared",
        summary=f"申报利益冲突：回避{conflict.whom}（{reason}），申报日期 {declared_on.isoformat()}",
    )
    return conflict


@transaction.atomic
def withdraw_conflict(conflict: Conflict, *, reason: str, by: User) -> Conflict:
    """撤回 a declaration: it stays on record with who withdrew it, when and why, and no longer bars the
    coordinator."""
    _kept(conflict.coordinator, by, "撤回利益冲突申报")
    conflict = (
        Conflict.objects.select_for_update(of=("self",))
        .select_related("organisation", "coordinator")
        .get(pk=conflict.pk)
    )
    if not reason.strip():
        raise DisputeError("请填写撤回理由")
    if conflict.withdrawn_on is not None:
        raise DisputeError(f"对{conflict.whom}的回避申报已于 {conflict.withdrawn_on.isoformat()} 撤回")
    conflict.withdrawn_on = timezone.localdate()
    conflict.withdrawn_by = by
    conflict.withdrawal_reason = reason.strip()
    conflict.save(update_fields=["withdrawn_on", "withdrawn_by", "withdrawal_reason"])
    record_event(
        conflict.coordinator,
        by=by,
        action="conflict_withdrawn",
        summary=f"撤回利益冲突申报：回避{conflict.whom}（撤回理由：{conflict.withdrawal_reason}）",
    )
    return conflict
