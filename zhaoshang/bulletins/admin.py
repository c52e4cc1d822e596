"""Admin: the group robots (configured here), issued bulletins, closed months, corrections and the push log."""

from django.contrib import admin, messages
from simple_history.admin import SimpleHistoryAdmin

from .models import Bulletin, Correction, DocumentSettings, MonthClosure, Robot, RobotSend


@admin.register(Robot)
class RobotAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "weekly", "monthly", "is_active")
    list_filter = ("kind", "is_active")
    fields = ("name", "kind", "webhook", "secret", "keyword", "weekly", "monthly", "is_active")
    actions = ["send_test"]

    @admin.action(description="发送测试消息")
    def send_test(self, request, queryset):  # type: ignore[no-untyped-def]
        from .push.service import client_for

        for robot in queryset:
            result = client_for(robot).send_markdown("测试消息", "### 招商平台测试消息\n\n机器人配置正确。")
            self.message_user(request, str(result), messages.SUCCESS if result.ok else messages.ERROR)


@admin.register(Bulletin)
class BulletinAdmin(SimpleHistoryAdmin):
    list_display = ("title", "month", "number", "issued_at", "issued_by")
    readonly_fields = ("month", "number", "title", "issued_at", "issued_by", "figures")
    exclude = ("docx", "xlsx")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # issued through the bulletin page or `zhaoshang bulletin --issue`


@admin.register(MonthClosure)
class MonthClosureAdmin(admin.ModelAdmin):
    list_display = ("month", "bulletin", "closed_at")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ("month", "action", "project", "amount_before_usd", "amount_after_usd", "reason", "listed_in")
    list_filter = ("month", "action")
    readonly_fields = [f.name for f in Correction._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(RobotSend)
class RobotSendAdmin(admin.ModelAdmin):
    list_display = ("sent_at", "robot_name", "title", "errcode", "result")
    list_filter = ("robot_name",)
    readonly_fields = [f.name for f in RobotSend._meta.fields]


@admin.register(DocumentSettings)
class DocumentSettingsAdmin(SimpleHistoryAdmin):
    list_display = ("masthead", "number_pattern", "issuer", "printer")
    fields = ("masthead", "number_pattern", "issuer", "addressee", "copy_to", "printer")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return not DocumentSettings.objects.exists()  # one row

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
