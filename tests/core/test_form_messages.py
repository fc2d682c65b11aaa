"""A refused field says which field and what limit in plain Chinese ("案号不能超过 100 个字（现为 120 个）"), never
Django's "确保该变量包含不超过 100 字符": every form of the project takes its messages from ``core.forms.NamedErrors``."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django import forms
from django.test import Client
from django.urls import reverse

import fuyuan
from fuyuan.core.forms import NamedErrors
from fuyuan.deadlines.views import CalculatorForm
from tests.factories import PASSWORD, World
from tests.visible import visible_text

pytestmark = pytest.mark.django_db


def _client(persona: str) -> Client:
    client = Client()
    assert client.login(username=persona, password=PASSWORD)
    return client


def test_a_too_long_case_number_names_the_field_the_limit_and_the_length(world: World) -> None:
    page = _client("court_duyun").post(reverse("hearings:new"), {"case_number": "（2026）黔2701行初" + "1" * 107})

    text = visible_text(page.content.decode())
    assert "案号不能超过 100 个字（现为 120 个）" in text
    assert "确保" not in text and "字符" not in text


def test_a_too_long_applicant_list_on_the_public_form_is_named_in_its_words(world: World) -> None:
    page = Client().post(reverse("disputes:apply"), {"applicants": "张" * 501})

    text = visible_text(page.content.decode())
    assert "申请人姓名不能超过 500 个字（现为 501 个）" in text
    assert "该字段是必填项" not in text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (forms.CharField(label="说明", min_length=5), "短", "说明至少要 5 个字（现为 1 个）"),
        (forms.IntegerField(label="件数（件）", max_value=10), "11", "件数不能大于 10"),
        (forms.IntegerField(label="件数", min_value=1), "0", "件数不能小于 1"),
        (forms.IntegerField(label="件数"), "十", "件数应为整数"),
        (forms.DecimalField(label="比例", max_digits=4, decimal_places=2), "1.234", "比例最多 2 位小数"),
        (forms.DateField(label="立案日期"), "2026-02-30", "立案日期不是有效的日期（如 2026-03-02）"),
        (forms.ChoiceField(label="类别", choices=[("a", "甲")]), "b", "类别中没有“b”这一项，请重新选择"),
        (forms.ChoiceField(label="类别", choices=[("a", "甲")]), "", "请选择类别"),
        (forms.CharField(label="理由："), "", "请填写理由"),
        (forms.BooleanField(label="同意"), "", "请勾选“同意”"),
        (forms.CharField(max_length=2), "abc", "此项不能超过 2 个字（现为 3 个）"),  # no label: never its code name
    ],
)
def test_each_limit_is_named_with_its_field(field: forms.Field, value: str, message: str) -> None:
    form_class = type("Probe", (NamedErrors, forms.Form), {"probe": field})

    form = form_class({"probe": value})

    assert form.errors["probe"] == [message]


def test_a_message_the_form_sets_itself_is_kept() -> None:
    form = CalculatorForm({"rule": "centre.plan", "start": "2026-02-30"})

    assert form.errors["start"] == ["请填写存在的日期"]


def _project_forms() -> set[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(fuyuan.__path__, "fuyuan."):
        if ".migrations" not in module.name and ".management" not in module.name:
            importlib.import_module(module.name)
    found: set[type[forms.BaseForm]] = set()
    todo: list[type] = [forms.BaseForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("fuyuan.") and sub is not NamedErrors:
                found.add(sub)
    return found


def test_every_form_of_the_project_names_its_fields_in_its_errors() -> None:
    project_forms = _project_forms()

    assert len(project_forms) > 50
    assert sorted(f"{f.__module__}.{f.__name__}" for f in project_forms if not issubclass(f, NamedErrors)) == []
