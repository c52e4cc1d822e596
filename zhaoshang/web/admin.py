"""The desk's records in the admin: the robot of each unit's daily digest, users' reminder settings, the log."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import DigestRobot, DigestSend, ReminderSetting


@admin.register(DigestRobot)
class DigestRobotAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "robot", "is_active"]


@admin.register(ReminderSetting)
class ReminderSettingAdmin(SimpleHistoryAdmin):
    list_display = ["user", "daily_digest", "kinds"]


@admin.register(DigestSend)
class DigestSendAdmin(admin.ModelAdmin):
    list_display = ["on", "unit", "tasks", "ok", "result"]
    list_filter = ["ok", "unit"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
