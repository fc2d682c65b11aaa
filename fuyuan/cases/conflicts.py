"""A case edit refused as stale (``workflow.StaleCase``): what the other users changed, and the user's edit
merged on top of the latest version so that they can re-apply it knowingly (issue 7 §6: never silently
overwritten).

The merge is three-way, by field: *base* is the value when the form was opened (the "old" side of the first
timeline event since then), *theirs* the value now, *mine* the value in the refused form.

- mine equals base: the user did not touch the field, so the form takes theirs (re-applying never reverts
  someone else's change the user did not see);
- mine equals theirs: nothing to decide;
- otherwise both changed it: the form keeps mine and the page marks the field for the user to check.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import QueryDict

from fuyuan.cases.forms import CaseForm
from fuyuan.cases.models import Case
from fuyuan.cases.workflow import display_value
from fuyuan.core.models import Event
from fuyuan.core.timeline import timeline

# The timeline actions that raise a case's version by one each (``cases.workflow`` and the ledger import).
VERSIONED_ACTIONS = ("updated", "appearance", "import_updated")

# A form field whose value is held by a differently named model field.
MODEL_FIELD = {"predecessor_number": "predecessor"}


@dataclass
class FieldMerge:
    """One field the other users changed, as the page shows it."""

    name: str
    label: str
    base: str
    theirs: str
    mine: str
    conflict: bool  # both changed it, differently: the form keeps the user's value

    @property
    def outcome(self) -> str:
        if self.conflict:
            return "保留您的值，请核对"
        if self.mine == self.theirs:
            return "与对方一致"
        return "采用对方的修改"


@dataclass
class EditConflict:
    latest: Case
    events: list[Event]  # the other users' changes since the form was opened, oldest first
    fields: list[FieldMerge]
    data: QueryDict  # the refused form's data merged onto the latest version, with its version number

    @property
    def conflicts(self) -> int:
        return sum(1 for f in self.fields if f.conflict)

    def mark(self, form: CaseForm) -> None:
        """Outline in the form the fields both sides changed, which keep the user's value."""
        for merge in self.fields:
            if merge.conflict and merge.name in form.fields:
                attrs = form.fields[merge.name].widget.attrs
                attrs["class"] = f"{attrs.get('class', '')} border-warning border-2".strip()
                attrs["title"] = f"对方已改为：{merge.theirs}"


def changes_since(case: Case, version: int) -> list[Event]:
    """The timeline events that took ``case`` from ``version`` to its current version, oldest first."""
    count = case.version - version
    if count <= 0:
        return []
    newest_first = timeline(case).filter(action__in=VERSIONED_ACTIONS).order_by("-at", "-id")[:count]
    return list(reversed(newest_first))


def merge_edit(form: CaseForm, latest: Case, expected_version: int, fresh: CaseForm) -> EditConflict:
    """Merge the valid but refused ``form`` onto ``latest``; ``fresh`` is an unbound form of ``latest``."""
    events = changes_since(latest, expected_version)
    base: dict[str, str] = {}
    for event in events:
        for label, (old, _new) in event.changes.items():
            base.setdefault(label, old)
    mine_values = form.case_values()
    data = QueryDict(mutable=True)
    data.update(form.data)
    data["expected_version"] = str(latest.version)
    fields: list[FieldMerge] = []
    for name, bound in ((n, form[n]) for n in form.fields if n != "expected_version"):
        model_field = MODEL_FIELD.get(name, name)
        label = str(getattr(Case._meta.get_field(model_field), "verbose_name", model_field))
        if label not in base or model_field not in mine_values:
            continue
        mine = display_value(latest, model_field, mine_values[model_field])
        theirs = display_value(latest, model_field, getattr(latest, model_field))
        merge = FieldMerge(
            name=name,
            label=str(bound.label or label),
            base=base[label],
            theirs=theirs,
            mine=mine,
            conflict=mine not in (base[label], theirs),
        )
        if mine == base[label]:
            data[name] = _as_form_data(fresh[name].value())
        fields.append(merge)
    return EditConflict(latest=latest, events=events, fields=fields, data=data)


def _as_form_data(value: Any) -> str:
    """A form's initial value as the browser would post it back."""
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
