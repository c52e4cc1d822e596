"""The official figures are kept for reference; they change only by importing a newer export."""

from django.contrib import admin

from .models import OfficialArrival


@admin.register(OfficialArrival)
class OfficialArrivalAdmin(admin.ModelAdmin):
    list_display = ("month", "enterprise_name", "credit_code", "amount_usd", "source")
    list_filter = ("month",)
    search_fields = ("enterprise_name", "credit_code")
    readonly_fields = ("month", "match_key", "enterprise_name", "credit_code", "amount_usd", "tolerance_usd", "source")
