"""Admin for the province's published figures."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ProvinceFigure, StatsConfig, Target


@admin.register(ProvinceFigure)
class ProvinceFigureAdmin(SimpleHistoryAdmin):
    list_display = ("region", "first_month", "last_month", "indicator", "value", "yoy_pct", "source")
    list_filter = ("indicator", "last_month", "region")


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ("year", "unit", "indicator", "value", "note")
    list_filter = ("year", "indicator", "unit")


@admin.register(StatsConfig)
class StatsConfigAdmin(admin.ModelAdmin):
    list_display = ("__str__", "growth_caliber", "project_basis", "count_reinvested_profit", "count_shareholder_loans")
