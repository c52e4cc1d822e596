"""Admin pages for the intake's kept texts and confirmations (read-only: confirmations are made on the desk)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import IntakeConfirmation, IntakeDocument


@admin.register(IntakeDocument)
class IntakeDocumentAdmin(admin.ModelAdmin):
    list_display = ("title", "uploaded_by", "uploaded_at")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(IntakeConfirmation)
class IntakeConfirmationAdmin(admin.ModelAdmin):
    list_display = ("document", "kind", "summary", "result", "confirmed_by", "confirmed_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
