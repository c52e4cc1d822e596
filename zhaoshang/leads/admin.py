"""Admin pages for leads, in Chinese. The response rule is edited here; leads and conflicts are read here and
written on the desk (through the services), so the admin shows them read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from .models import Conflict, CreditShare, Lead, LeadConfig


@admin.register(LeadConfig)
class LeadConfigAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "response_working_days", "escalate_after_working_days")


class ReadOnly(SimpleHistoryAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Lead)
class LeadAdmin(ReadOnly):
    list_display = ("code", "company", "source", "unit", "status", "received_on", "respond_by", "first_contact_on")
    list_filter = ("status", "source", "unit")
    search_fields = ("code", "company", "group")


@admin.register(Conflict)
class ConflictAdmin(ReadOnly):
    list_display = ("subject", "unit_a", "unit_b", "state", "decision", "decided_by", "decided_at")
    list_filter = ("state", "decision")


@admin.register(CreditShare)
class CreditShareAdmin(ReadOnly):
    list_display = ("conflict", "project", "unit", "share")
