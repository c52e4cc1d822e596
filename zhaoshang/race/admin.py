from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Award,
    Competition,
    CompetitionIndicator,
    CompetitionTarget,
    MonthlyEvaluation,
    RedFlag,
    Snail,
    Snapshot,
    UnitPractice,
)


class IndicatorInline(admin.TabularInline):
    model = CompetitionIndicator
    extra = 0


class TargetInline(admin.TabularInline):
    model = CompetitionTarget
    extra = 0


@admin.register(Competition)
class CompetitionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug", "start", "end", "rival"]
    filter_horizontal = ["units"]
    inlines = [IndicatorInline, TargetInline]


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    """Published boards are read-only: a correction is a new version, published from the command or the API."""

    list_display = ["competition", "on", "version", "reason", "created_at", "created_by"]
    list_filter = ["competition"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


class PracticeInline(admin.TabularInline):
    model = UnitPractice
    extra = 0


class AwardInline(admin.TabularInline):
    model = Award
    extra = 0


@admin.register(MonthlyEvaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ["competition", "month", "created_at"]
    readonly_fields = ["data"]
    inlines = [PracticeInline, AwardInline]


@admin.register(RedFlag)
class RedFlagAdmin(SimpleHistoryAdmin):
    list_display = ["competition", "project", "on", "rule", "reason"]
    list_filter = ["competition", "rule"]


@admin.register(Snail)
class SnailAdmin(SimpleHistoryAdmin):
    list_display = ["competition", "kind", "unit", "project", "on", "reason"]
    list_filter = ["competition", "kind"]
