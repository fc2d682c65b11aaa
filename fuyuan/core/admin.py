"""The system administrator's pages: regions, organisations, heads rosters and users. Never case contents."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from fuyuan.core.models import CalendarDay, CalendarYear, Organisation, OrganisationHead, Region, User


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "parent"]
    search_fields = ["name"]


class HeadInline(admin.TabularInline):
    model = OrganisationHead
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region"]
    list_filter = ["kind"]
    search_fields = ["name"]
    inlines = [HeadInline]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "role", "region", "organisation", "is_head", "is_active"]
    list_filter = ["role", "is_head"]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("角色与范围", {"fields": ("full_name", "role", "region", "organisation", "is_head", "mobile")}),
    )


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    extra = 5


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    """Where the system administrator enters a year's 放假安排 that the chinese-calendar package does not know."""

    list_display = ["year", "source"]
    inlines = [CalendarDayInline]
