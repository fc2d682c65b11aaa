"""Entering the benchmarks (对标数据, SPEC §4): the 全省平均/全国平均 of a rate for a year, with its source.

The 依法治办 at prefecture level or above enters them (they come from the province's or the nation's published
reports, which a county office does not issue); the 依法治办 of every level and the leaders read them; everyone
else is refused. Every entry and change goes through ``stats.workflow.record_benchmark``, which writes an Event on
the benchmark's timeline (who, when, old → new); the views only parse, call it and render.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from fuyuan.core.forms import NamedErrors
from fuyuan.core.models import Role, User
from fuyuan.core.timeline import timeline
from fuyuan.stats import workflow
from fuyuan.stats.models import BENCHMARKED_RATES, Benchmark, BenchmarkScope
from fuyuan.stats.workflow import can_enter

READ_ROLES = frozenset({Role.RULE_OF_LAW_OFFICE, Role.LEADER})


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def can_read(user: User) -> bool:
    return user.role in READ_ROLES and user.scope_region is not None


class BenchmarkForm(NamedErrors, forms.ModelForm):
    value = forms.DecimalField(
        label="数值（%）",
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        max_digits=5,
        decimal_places=2,
        help_text="百分比，0–100，最多两位小数，如 22.33",
        error_messages={
            "max_decimal_places": "最多保留两位小数",
            "min_value": "数值不能小于 0",
            "max_value": "数值不能大于 100",
            "invalid": "请输入数字，如 22.33",
        },
    )

    class Meta:
        model = Benchmark
        fields = ["year", "rate", "scope", "value", "source"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].widget.attrs.update({"min": 2000, "max": 2100})
        self.fields["source"].error_messages["required"] = "请填写来源（发布单位与文件名称）"
        for name, field in self.fields.items():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs.setdefault("class", css)
            field.widget.attrs["data-testid"] = f"benchmark-{name}"

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if not 2000 <= year <= timezone.localdate().year + 1:
            raise forms.ValidationError("年度不在合理范围内")
        return year

    def validate_unique(self) -> None:
        """The unique constraint, with a message that says what to do instead."""
        data = self.cleaned_data
        if {"year", "rate", "scope"} <= data.keys():
            clash = Benchmark.objects.filter(year=data["year"], rate=data["rate"], scope=data["scope"])
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                existing = clash.get()
                self.add_error(None, f"已录入{existing}，请在列表中修改该条，不要重复录入")


def benchmark_list(request: HttpRequest) -> HttpResponse:
    """One year's benchmarks as a table: a row per rate, 全省平均 and 全国平均 side by side with their sources."""
    user = _user(request)
    if not can_read(user):
        raise PermissionDenied("对标数据仅供依法治办和领导查看")
    years = sorted(set(Benchmark.objects.values_list("year", flat=True)), reverse=True)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = years[0] if years else timezone.localdate().year
    found: dict[tuple[str, str], Benchmark] = {
        (b.rate, b.scope): b for b in Benchmark.objects.filter(year=year).select_related("entered_by")
    }
    rows = [
        {"rate": rate, "label": label, "cells": [(scope, found.get((rate, scope))) for scope in BenchmarkScope.values]}
        for rate, label in BENCHMARKED_RATES.items()
    ]
    context = {
        "nav": "benchmarks",
        "year": year,
        "years": sorted(set(years) | {year}, reverse=True),
        "scopes": BenchmarkScope.choices,
        "rows": rows,
        "may_enter": can_enter(user),
    }
    return render(request, "stats/benchmarks.html", context)


def benchmark_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Add a benchmark (``stats:benchmark_new``, with ``?year=&rate=&scope=`` to prefill) or change one."""
    user = _user(request)
    if not can_enter(user):
        raise PermissionDenied("对标数据由州（市）级以上依法治办录入")
    benchmark = get_object_or_404(Benchmark, pk=pk) if pk is not None else None
    if request.method == "POST":
        form = BenchmarkForm(request.POST, instance=benchmark)
        if form.is_valid():
            data = form.cleaned_data
            try:
                entry = workflow.record_benchmark(
                    benchmark,
                    year=data["year"],
                    rate=data["rate"],
                    scope=data["scope"],
                    value=data["value"],
                    source=data["source"],
                    by=user,
                )
            except workflow.BenchmarkError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"已保存：{entry}")
                return HttpResponseRedirect(reverse("stats:benchmarks") + f"?year={entry.year}")
    else:
        initial = {k: request.GET[k] for k in ("year", "rate", "scope") if request.GET.get(k)}
        initial.setdefault("year", str(timezone.localdate().year - 1))
        form = BenchmarkForm(instance=benchmark, initial=initial if benchmark is None else None)
    context = {
        "nav": "benchmarks",
        "form": form,
        "benchmark": benchmark,
        "events": timeline(benchmark) if benchmark else [],
    }
    return render(request, "stats/benchmark_form.html", context)
