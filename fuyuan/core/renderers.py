"""How form widgets are rendered (``FORM_RENDERER``).

Django renders every widget, option and attribute list of a form through a template. With its template language
that was a third of the case list's and half the edit form's server time (bench/bench_pages.py: the filter form's
selects of 案由, 领域 and agencies render hundreds of ``select_option.html``). Django ships the same widget
templates for Jinja2 (``django/forms/jinja2``), which renders them several times faster; this renderer uses them and
falls back to the Django template language for a template only it has (the dispute form's picture challenge,
``disputes/_challenge.html``, and django-simple-captcha's widget).

A select is the commonest widget and the costliest (an include per option, and one more per option's attributes):
``select_html`` writes the same HTML as Django's ``select.html`` / ``select_option.html`` / ``attrs.html`` for Jinja2,
character for character and escaped by the same function (tests/core/test_renderers.py compares them), without a
template per option."""

from __future__ import annotations

from typing import Any

from django.forms.renderers import BaseRenderer, DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist
from markupsafe import escape

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def _attrs(attrs: dict[str, Any]) -> str:
    """``attrs.html``: `` name="value"`` for each attribute, `` name`` for True, nothing for False."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def select_html(widget: dict[str, Any]) -> str | None:
    """``select.html`` for this widget context, or None when an option has a template of its own."""
    out = [f'<select name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{escape(group_name)}">')
        for option in group_choices:
            if option["template_name"] != OPTION:
                return None
            out.append(
                f'\n  <option value="{escape(option["value"])}"{_attrs(option["attrs"])}>{escape(option["label"])}</option>'
            )
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


class JinjaWidgets(BaseRenderer):
    def __init__(self) -> None:
        self.jinja = Jinja2()
        self.django = DjangoTemplates()

    def get_template(self, template_name: str) -> Any:
        try:
            return self.jinja.get_template(template_name)
        except TemplateDoesNotExist:
            return self.django.get_template(template_name)

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        if template_name == SELECT:
            html = select_html(context["widget"])
            if html is not None:
                return html
        return super().render(template_name, context, request)
