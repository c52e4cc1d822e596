"""Admin for divisions and units."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Region, Unit


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")
    raw_id_fields = ("parent",)


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "short_name", "kind", "region", "sort_order", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name")
