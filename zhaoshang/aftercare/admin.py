"""Admin pages for aftercare, in Chinese and read-only: every write goes through the aftercare services (the desk, the
API, the import), which check the right on the enterprise's unit and keep the history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from zhaoshang.common.admin import ThroughServicesOnly

from .models import AnnualFigures, RosterEntry, ServiceRequest, Visit


@admin.register(RosterEntry)
class RosterEntryAdmin(ThroughServicesOnly, SimpleHistoryAdmin):
    list_display = ("enterprise", "officer", "leader", "enrolled_on")
    list_filter = ("enterprise__unit",)
    search_fields = ("enterprise__name", "enterprise__credit_code")
    raw_id_fields = ("enterprise", "officer", "group")


@admin.register(AnnualFigures)
class AnnualFiguresAdmin(ThroughServicesOnly, SimpleHistoryAdmin):
    list_display = ("entry", "year", "filed_on", "currency", "revenue", "undistributed_profit", "employees")
    list_filter = ("year", "currency")
    raw_id_fields = ("entry",)


@admin.register(Visit)
class VisitAdmin(ThroughServicesOnly, SimpleHistoryAdmin):
    list_display = ("entry", "on", "visitor", "intention", "next_on")
    list_filter = ("intention",)
    raw_id_fields = ("entry", "visitor", "project")


@admin.register(ServiceRequest)
class ServiceRequestAdmin(ThroughServicesOnly, SimpleHistoryAdmin):
    list_display = ("entry", "category", "department", "received_on", "deadline", "status")
    list_filter = ("status", "category")
    raw_id_fields = ("entry", "visit")
