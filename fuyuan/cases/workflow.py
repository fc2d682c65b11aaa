"""Changes to cases. Each function checks the actor's right, changes the case and writes its Event in one
transaction; nothing else in the code base writes a Case (the ledger import writes through ``place_case``
and ``describe_changes`` so that its bulk path records the same things)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from operator import attrgetter
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection, models, transaction
from django.db.models import F, Max
from django.utils import timezone

from fuyuan.cases.choices import outcome_label
from fuyuan.cases.models import Case
from fuyuan.cases.queries import can_edit, creatable_kinds
from fuyuan.cases.rules import CaseError, CaseInvalid, check_case
from fuyuan.cases.signals import cases_changed
from fuyuan.core.bulk import insert_rows
from fuyuan.core.models import Organisation, User
from fuyuan.core.timeline import Actor, record_event
from fuyuan.stats import counts as figure_counts

# Fields a person or a ledger may set; the rest (region, county, version, timestamps) follow from them.
EDITABLE_FIELDS = (
    "kind",
    "number",
    "instance",
    "court",
    "reconsideration_body",
    "defendant",
    "plaintiffs",
    "third_parties",
    "cause",
    "domain",
    "request",
    "summary",
    "amount",
    "group_size",
    "filed_on",
    "complaint_served_on",
    "defence_submitted_on",
    "hearing_on",
    "judgment_served_on",
    "effective_on",
    "head_appeared",
    "appeared_head",
    "head_spoke",
    "head_absence_reason",
    "received_on",
    "acceptance",
    "accepted_on",
    "rejection_reason",
    "concluded_on",
    "outcome",
    "predecessor",
    "note",
)


RELATED_FIELDS = frozenset({"court", "reconsideration_body", "defendant", "predecessor"})


class StaleCase(Exception):
    """The case was changed by someone else since the form was opened.

    ``latest`` is the case as it is now (re-read), ``expected_version`` the version the form was opened at; the
    edit page shows what changed between the two (``cases.conflicts``) instead of overwriting it.
    """

    def __init__(self, latest: Case, expected_version: int) -> None:
        super().__init__("此案件已被他人修改，请刷新后重试")
        self.latest = latest
        self.expected_version = expected_version


def place_case(case: Case, defendant: Organisation, county_of: dict[int, int] | None = None) -> None:
    """Keep the case's region and county equal to its defendant's (scoping and figures rely on it)."""
    case.defendant = defendant
    case.region_id = defendant.region_id
    if county_of is not None:
        case.county_id = county_of[defendant.region_id]
    else:
        case.county = defendant.region.county()


def insert_new_cases(cases: Sequence[Case]) -> None:
    """Insert new cases by the raw bulk path of ``core.bulk`` and give each its id (a ledger import, the demo).

    The ORM's ``bulk_create`` spent more time preparing the cases' thirty-odd values each than reading the ledger
    did. A case's predecessor must have been inserted before it (its id is taken from it here, as ``bulk_create``
    does). The raw path returns no ids: every id handed out after the largest one before the insert is new, so one
    range read finds ours by 案号 (a row another writer added meanwhile has a 案号 not among ours). The cases
    stay model instances, as saved ones, for the events and the ``cases_changed`` receivers.
    """
    if not cases:
        return
    now = timezone.now()
    fields = [f.attname for f in Case._meta.concrete_fields if not f.primary_key]
    values_of = attrgetter(*fields)
    for case in cases:
        case.created_at = case.updated_at = now  # what auto_now_add and auto_now would set
        if case.predecessor_id is None and case.predecessor is not None:
            case.predecessor_id = case.predecessor.pk
    before = Case.objects.aggregate(last=Max("id"))["last"] or 0
    insert_rows(Case, fields, [values_of(case) for case in cases])
    ids_by_number = dict(Case.objects.filter(id__gt=before).values_list("number", "id"))
    for case in cases:
        case.pk = ids_by_number[case.number]
        case._state.adding = False
        case._state.db = connection.alias


def display_value(case: Case, field: str, value: Any) -> str:
    """How a value reads on the timeline: labels, not codes."""
    if value is None or value == "":
        return "（空）"
    if field == "outcome":
        return outcome_label(case.kind, value)
    model_field = Case._meta.get_field(field)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    choices = getattr(model_field, "choices", None)
    if choices:
        return str(dict(choices).get(value, value))
    return str(value)


def changed_fields(case: Case, values: dict[str, Any]) -> list[str]:
    """The fields of ``values`` that differ from the case (a related record compared by its id)."""
    changed = []
    for field, new in values.items():
        old = getattr(case, field)
        if isinstance(old, models.Model) or isinstance(new, models.Model):
            if getattr(old, "pk", None) == getattr(new, "pk", None):
                continue
        elif old == new:
            continue
        changed.append(field)
    return changed


def describe_changes(case: Case, values: dict[str, Any], fields: list[str] | None = None) -> dict[str, list[str]]:
    """Field label → [old, new] for every field of ``values`` that differs from the case (``fields``, when the
    caller has found them already with ``changed_fields``)."""
    return {
        str(getattr(Case._meta.get_field(field), "verbose_name", field)): [
            display_value(case, field, getattr(case, field)),
            display_value(case, field, values[field]),
        ]
        for field in (changed_fields(case, values) if fields is None else fields)
    }


def case_values(case: Case) -> dict[str, Any]:
    """The case's editable values as the case rules read them (what they check on an edit): a related record by its
    id, so that reading them costs no query."""
    return {f: getattr(case, f"{f}_id" if f in RELATED_FIELDS else f) for f in EDITABLE_FIELDS}


@transaction.atomic
def register_case(values: dict[str, Any], *, by: User | Actor, on_behalf: bool = False) -> Case:
    """Register a new case. ``values`` are field values of the right types (see ``cases.forms``); the case they make
    is checked against the case rules (``cases.rules``), and ``CaseInvalid`` lists every error if it cannot be true.

    ``on_behalf``: another workflow registers the case for the court or the body and has checked the actor's own
    right (a coordination centre handing a failed mediation over, ``disputes.workflow.hand_over``); the event still
    names the person who did it."""
    actor = Actor.of(by)
    if actor.user is not None and not on_behalf and values.get("kind") not in creatable_kinds(actor.user):
        raise PermissionDenied("您无权登记此类案件")
    check_case(values, today=timezone.localdate())
    case = Case(**{f: v for f, v in values.items() if f in EDITABLE_FIELDS and f != "defendant"})
    place_case(case, values["defendant"])
    case.save()
    record_event(case, by=actor, action="registered", summary=f"登记案件 {case.number}")
    _open_performance(case, by=actor)
    cases_changed.send(sender=Case, case_ids=[case.pk])
    # The figures' counts, in this transaction (stats.counts); last, so that their rows are locked only briefly.
    figure_counts.refresh([case.pk])
    return case


@transaction.atomic
def update_case(case: Case, values: dict[str, Any], *, by: User | Actor, expected_version: int | None = None) -> Case:
    """Change a case's fields and record what changed. The case as it would be after the change is checked against
    the case rules (``CaseInvalid``, nothing changed); a stale ``expected_version`` is refused (no lost edits)."""
    actor = Actor.of(by)
    if actor.user is not None and not can_edit(actor.user, case):
        raise PermissionDenied("您无权修改此案件")
    values = {f: v for f, v in values.items() if f in EDITABLE_FIELDS}
    fields = changed_fields(case, values)
    if not fields:
        return case
    changes = describe_changes(case, values, fields)
    version = expected_version or case.version
    # The conditional UPDATE is the lock: of two edits opened at the same version, one matches and the other
    # finds no row. The caller's case is left as it was, so a refused edit changes nothing in memory either.
    if Case.objects.filter(pk=case.pk, version=version).update(version=F("version") + 1) != 1:
        raise StaleCase(Case.objects.select_related("defendant", "predecessor").get(pk=case.pk), version)
    # Checked on the case as stored at this version (the lock holds it); a refusal rolls the version back too.
    check_file_kept(case, values)
    check_case(case_values(case) | values, today=timezone.localdate())
    for field, value in values.items():
        setattr(case, field, value)
    place_case(case, values.get("defendant", case.defendant))
    case.version = version + 1
    case.save()
    record_event(case, by=actor, action="updated", summary="修改案件信息", changes=changes)
    _open_performance(case, by=actor)
    # ``fields``: what changed, so that an edit of a note or a summary keeps the dashboards' cached figures (stats.cache).
    cases_changed.send(sender=Case, case_ids=[case.pk], fields=fields)
    # The figures' counts, in this transaction (stats.counts); last, so that their rows are locked only briefly.
    figure_counts.refresh([case.pk])
    return case


# What the registry case of a reconsideration file handled in the platform keeps (``check_file_kept``).
FILE_KEPT_MESSAGE = "该案件由复议机构在平台办理（行政复议案件卷宗），案件类别和复议机构以卷宗为准，不能修改"


def cases_with_a_file(case_ids: Iterable[int]) -> set[int]:
    """Those of ``case_ids`` that are the registry case of a reconsideration file handled in the platform."""
    from fuyuan.reconsideration.models import Application

    ids = list(case_ids)
    found: set[int] = set()
    for i in range(0, len(ids), 900):
        found.update(Application.objects.filter(case_id__in=ids[i : i + 900]).values_list("case_id", flat=True))
    return found


def moves_the_file(case: Case, values: Mapping[str, Any]) -> bool:
    """Whether ``values`` would change the case's kind or its reconsideration body (read without a query)."""
    body = values.get("reconsideration_body", case.reconsideration_body_id)
    body_id = body.pk if isinstance(body, models.Model) else body
    return values.get("kind", case.kind) != case.kind or body_id != case.reconsideration_body_id


def check_file_kept(case: Case, values: Mapping[str, Any]) -> None:
    """Refuse (``CaseInvalid``) to change the kind or the body of a case that is a reconsideration file's.

    The file (``reconsideration.Application``) is its body's: it is received by the body and registered with its case
    in one step (``reconsideration.workflow.receive_application``), and the body's queue and its count read the file's
    own body (``reconsideration.queries.body_files``), which is the case's body only as long as this holds. A body
    that is not competent refuses the application and names the competent one (行政复议法 (2023) 第30条第2款); the
    file does not move. Costs a query only when the kind or the body would change."""
    if moves_the_file(case, values) and cases_with_a_file([case.pk]):
        raise CaseInvalid([CaseError("reconsideration_body", FILE_KEPT_MESSAGE, ("kind",))])


def _open_performance(case: Case, *, by: Actor) -> None:
    """A judgment against the agency that has taken effect opens its performance item (生效裁判履行, SPEC §6.9)."""
    from fuyuan.performance.workflow import open_on_effect

    open_on_effect(case, by=by)


@transaction.atomic
def record_appearance(
    case: Case,
    *,
    held_on: datetime.date,
    appeared: bool,
    head_name: str = "",
    spoke: bool | None = None,
    absence_reason: str = "",
    by: User | Actor,
) -> Case:
    """Carry a hearing's attendance onto its case, where the figures count it (SPEC §4 负责人出庭应诉率,
    应出尽出率, 出声率).

    Called by ``hearings.workflow`` only, which has checked the actor's right to record attendance (a court or
    agency liaison, who may not otherwise edit the case). ``held_on`` is the day of the hearing just recorded: a
    case counts one hearing, so the earliest date is kept. The other values are the case's appearance as its
    hearings record it now (``hearings.workflow.case_appearance``) and replace what the case had, so that a
    corrected attendance (出庭 → 未出庭, 出声 → 未发言, and back) corrects the figures too. The case as it would be
    after the change is checked against the case rules, as ``update_case`` checks it (``CaseInvalid``).
    """
    # The caller's case may have been read long before (a hearing's case, loaded when the hearing was): work on
    # the row as stored, locked, so that neither the earliest date nor another person's edit is lost.
    case.refresh_from_db(from_queryset=Case.objects.select_for_update())
    values: dict[str, Any] = {
        "hearing_on": min(held_on, case.hearing_on) if case.hearing_on else held_on,
        "head_appeared": appeared,
    }
    if appeared:
        values.update(appeared_head=head_name, head_spoke=spoke, head_absence_reason="")
    else:
        values.update(appeared_head="", head_spoke=None, head_absence_reason=absence_reason)
    changes = describe_changes(case, values)
    if not changes:
        return case
    # The case rules hold here as at every other door (``CaseInvalid``, nothing changed): a hearing held before the
    # case's 立案日期 (corrected after the notice was registered) is refused with the rule's reason, before the
    # database's constraint (``case_hearing_on_not_before_filed_on``) would refuse it without one.
    check_case(case_values(case) | values, today=timezone.localdate())
    for field, value in values.items():
        setattr(case, field, value)
    Case.objects.filter(pk=case.pk).update(version=F("version") + 1)
    case.version += 1
    case.save(update_fields=[*values, "updated_at"])
    record_event(
        case, by=by, action="appearance", summary=f"登记{held_on.isoformat()}开庭的负责人出庭情况", changes=changes
    )
    cases_changed.send(sender=Case, case_ids=[case.pk])
    # The figures' counts, in this transaction (stats.counts); last, so that their rows are locked only briefly.
    figure_counts.refresh([case.pk])
    return case
