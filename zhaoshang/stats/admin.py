"""Admin for the province's published figures."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ProvinceFigure


@admin.register(ProvinceFigure)
class ProvinceFigureAdmin(SimpleHistoryAdmin):
    list_display = ("region", "first_month", "last_month", "indicator", "value", "yoy_pct", "source")
    list_filter = ("indicator", "last_month", "region")
