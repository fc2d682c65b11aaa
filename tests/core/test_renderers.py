"""The form renderer (fuyuan.core.renderers): a select written without templates is the HTML Django's own Jinja2
widget templates write, character for character, whatever the select holds."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.forms.renderers import Jinja2

from fuyuan.core.models import Organisation
from fuyuan.core.renderers import JinjaWidgets
from tests.factories import World

TRICKY = [("", "全部"), ("a&b", "甲 & 乙"), ('q"uote', "<b>引号</b>"), ("it's", "它's"), (3, 3)]


class Everything(forms.Form):
    plain = forms.ChoiceField(choices=TRICKY, required=False)
    grouped = forms.ChoiceField(
        choices=[("诉讼", [("first", "一审"), ("second", "二审")]), ("复议", [("recon", "复议")]), ("x", "其他")]
    )
    many = forms.MultipleChoiceField(choices=TRICKY[1:], widget=forms.SelectMultiple(attrs={"size": 4}))
    flag = forms.NullBooleanField(required=False)
    shut = forms.ChoiceField(choices=TRICKY, disabled=True, widget=forms.Select(attrs={"class": "form-select"}))
    radio = forms.ChoiceField(choices=TRICKY[1:], widget=forms.RadioSelect)


def _fields(form: forms.Form, renderer: Any) -> dict[str, str]:
    form.renderer = renderer
    return {name: str(form[name]) for name in form.fields}


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"plain": "a&b", "grouped": "second", "many": ['q"uote', "3"], "flag": "true", "shut": "it's"},
        {"plain": "nothing", "many": ["x"], "flag": "unknown"},
    ],
)
def test_every_kind_of_select_is_written_as_djangos_own_templates_write_it(data: dict[str, Any] | None) -> None:
    fast, reference = _fields(Everything(data), JinjaWidgets()), _fields(Everything(data), Jinja2())

    assert fast == reference
    assert "&amp;" in fast["plain"] and "&#34;" in fast["plain"] and "&lt;b&gt;" in fast["plain"]
    assert "<optgroup" in fast["grouped"] and "multiple" in fast["many"]


@pytest.mark.django_db
def test_a_select_of_records_is_written_as_djangos_own_templates_write_it(world: World) -> None:
    class Pick(forms.Form):
        organisation = forms.ModelChoiceField(Organisation.objects.order_by("name"), empty_label="请选择")

    chosen = world.orgs["都匀法院"].pk
    fast = _fields(Pick({"organisation": chosen}), JinjaWidgets())
    assert fast == _fields(Pick({"organisation": chosen}), Jinja2())
    assert f'<option value="{chosen}" selected>' in fast["organisation"]
