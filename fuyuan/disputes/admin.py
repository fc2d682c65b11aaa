from django.contrib import admin

from fuyuan.disputes.models import Conflict, Coordinator


class ConflictInline(admin.TabularInline):
    model = Conflict
    extra = 0


@admin.register(Coordinator)
class CoordinatorAdmin(admin.ModelAdmin):
    list_display = ("name", "title", "organisation", "region", "available", "max_load", "active")
    list_filter = ("active", "available")
    search_fields = ("name", "organisation__name")
    inlines = [ConflictInline]
