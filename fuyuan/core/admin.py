"""The configuration console (Django's admin, restricted): regions, organisations with their heads rosters, and the
holiday calendar — the reference data the system administrator keeps. Never a case, a dispute, a user or a message.

Why a site of its own and not ``admin.site``: Django's admin shows whatever is registered to any superuser or staff
member, past every app's scoping (SPEC §2: the three administrators never see case contents). This site:
- opens for the system administrator role only — not for ``is_superuser`` or ``is_staff``, which an administrator
  account may not hold anyway (``fuyuan.security.admins``): GB/T 22239-2019 8.1.10.1 a) the system administrator
  works only through a dedicated interface, and its operations are audited;
- holds only the models registered here; other apps' registrations on ``admin.site`` are not served;
- has no user model: accounts, roles and scopes are managed on the administrators' pages (``/security/admins/``),
  where the separation of the three administrators is enforced;
- writes an audit record for every addition, change and deletion, besides Django's own admin log;
- has no log-in page of its own: the product's log-in (lock-out, second factor) is the only door.

It is mounted at ``/admin/`` by ``fuyuan/urls.py`` (``configuration_site.urls``); its name stays ``admin`` so that
``admin:index`` keeps working.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from fuyuan.core.models import CalendarDay, CalendarYear, Organisation, OrganisationHead, Region, Role
from fuyuan.core.signals import calendar_changed


def is_system_administrator(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_authenticated and user.is_active and getattr(user, "role", "") == Role.SYSTEM_ADMIN)


class ConfigurationAdminSite(admin.AdminSite):
    site_header = "府院联动 · 配置数据"
    site_title = "配置数据"
    index_title = "地区、单位、负责人名册与节假日安排"
    enable_nav_sidebar = False

    def has_permission(self, request: HttpRequest) -> bool:
        return is_system_administrator(request)

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        """No second log-in door: people log in on the product's page (password policy, lock-out, second factor);
        here, whoever is logged in without the right is told so."""
        if self.has_permission(request):
            return HttpResponseRedirect(reverse("admin:index", current_app=self.name))
        if request.user.is_authenticated:
            raise PermissionDenied("配置数据仅供系统管理员维护")
        return redirect_to_login(reverse("admin:index", current_app=self.name))

    def password_change(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:  # type: ignore[override]  # a redirect, not a page
        """One page for changing one's password: the identity part's (policy, history, expiry)."""
        return HttpResponseRedirect(reverse("security:password"))


configuration_site = ConfigurationAdminSite(name="admin")


class SystemAdministratorOnly:
    """Rights by role, not by Django's per-model permissions: the system administrator may keep this data."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_system_administrator(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_system_administrator(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_system_administrator(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_system_administrator(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_system_administrator(request)


class ConfigurationAdmin(SystemAdministratorOnly, admin.ModelAdmin):
    """Every change also goes to the audit log (kind 修改), with Django's change message as detail."""

    def _audit(self, request: HttpRequest, obj: models.Model, verb: str, message: Any = "") -> None:
        from fuyuan.audit.log import record
        from fuyuan.audit.models import AuditKind

        summary = f"配置数据：{verb}{obj._meta.verbose_name}「{obj}」"
        record(AuditKind.CHANGE, summary, request=request, target=obj, detail={"admin": verb, "message": message})

    def log_addition(self, request: HttpRequest, obj: models.Model, message: Any) -> Any:
        self._audit(request, obj, "新增", message)
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: models.Model, message: Any) -> Any:
        self._audit(request, obj, "修改", message)
        return super().log_change(request, obj, message)

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        for obj in queryset:
            self._audit(request, obj, "删除")
        return super().log_deletions(request, queryset)


@admin.register(Region, site=configuration_site)
class RegionAdmin(ConfigurationAdmin):
    list_display = ["name", "level", "parent"]
    search_fields = ["name"]


class HeadInline(SystemAdministratorOnly, admin.TabularInline):
    model = OrganisationHead
    extra = 0


@admin.register(Organisation, site=configuration_site)
class OrganisationAdmin(ConfigurationAdmin):
    list_display = ["name", "kind", "region"]
    list_filter = ["kind"]
    search_fields = ["name"]
    inlines = [HeadInline]


class CalendarDayInline(SystemAdministratorOnly, admin.TabularInline):
    model = CalendarDay
    extra = 5


@admin.register(CalendarYear, site=configuration_site)
class CalendarYearAdmin(ConfigurationAdmin):
    """Where the system administrator enters a year's 放假安排 that the chinese-calendar package does not know.

    Each save or deletion sends ``calendar_changed`` once, after the days (the inline) are saved, inside the admin's
    transaction: the stored deadlines of that year move with it. (Model signals would fire once per day row.)"""

    list_display = ["year", "source"]
    inlines = [CalendarDayInline]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        years = {form.instance.year}
        if change and "year" in form.changed_data and form.initial.get("year"):
            years.add(int(form.initial["year"]))
        for year in sorted(years):
            calendar_changed.send(sender=CalendarYear, year=year, by=request.user)

    def delete_model(self, request: HttpRequest, obj: CalendarYear) -> None:
        year = obj.year
        super().delete_model(request, obj)
        calendar_changed.send(sender=CalendarYear, year=year, by=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        with transaction.atomic():
            years = sorted(queryset.values_list("year", flat=True))
            super().delete_queryset(request, queryset)
            for year in years:
                calendar_changed.send(sender=CalendarYear, year=year, by=request.user)
