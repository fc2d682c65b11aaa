"""How form widgets are rendered (``FORM_RENDERER``).

Django renders every widget, option and attribute list of a form through a template. With its template language
that was a third of the case list's and half the edit form's server time (bench/bench_pages.py: the filter form's
selects of 案由, 领域 and agencies render hundreds of ``select_option.html``). Django ships the same widget
templates for Jinja2 (``django/forms/jinja2``), which renders them several times faster; this renderer uses them and
falls back to the Django template language for a template only it has (the dispute form's picture challenge,
``disputes/_challenge.html``, and django-simple-captcha's widget)."""

from __future__ import annotations

from typing import Any

from django.forms.renderers import BaseRenderer, DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist


class JinjaWidgets(BaseRenderer):
    def __init__(self) -> None:
        self.jinja = Jinja2()
        self.django = DjangoTemplates()

    def get_template(self, template_name: str) -> Any:
        try:
            return self.jinja.get_template(template_name)
        except TemplateDoesNotExist:
            return self.django.get_template(template_name)
