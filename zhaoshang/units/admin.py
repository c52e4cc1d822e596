"""Admin for divisions and units."""

from django.contrib import admin

from zhaoshang.common.admin import AuditedAdmin

from .models import Region, Unit


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")
    raw_id_fields = ("parent",)


# 参与统计 (is_active) decides whether a unit counts in the city's figures: each edit is signed with a reason.
@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    list_display = ("code", "name", "short_name", "kind", "region", "sort_order", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name")
