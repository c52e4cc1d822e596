from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import MonthlyRate


@admin.register(MonthlyRate)
class MonthlyRateAdmin(SimpleHistoryAdmin):
    list_display = ("currency", "month", "rate_to_usd", "source")
    list_filter = ("currency",)
