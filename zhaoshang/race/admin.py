"""Admin for competitions: weights and targets move every score, so they are changed through the services."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from zhaoshang.common.admin import AuditedAdmin, changed_reason

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


class WeightForm(forms.ModelForm):
    def clean_weight(self):  # type: ignore[no-untyped-def]
        weight = self.cleaned_data["weight"]
        if weight is None or weight <= 0:
            raise ValidationError(f"权重“{weight}”必须大于0")
        return weight


class IndicatorInline(admin.TabularInline):
    """Which indicators a competition has is fixed when it is created; their weights may be adjusted."""

    model = CompetitionIndicator
    form = WeightForm
    extra = 0
    fields = ("indicator", "weight", "order")
    readonly_fields = ("indicator", "order")
    can_delete = False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


class TargetForm(forms.ModelForm):
    def clean_value(self):  # type: ignore[no-untyped-def]
        value = self.cleaned_data["value"]
        if value is None or value < 0:
            raise ValidationError(f"竞赛目标“{value}”不能为负数")
        return value

    def clean(self):  # type: ignore[no-untyped-def]
        cleaned = super().clean() or {}
        unit, indicator = cleaned.get("unit"), cleaned.get("indicator")
        if self.instance.pk and {"unit", "indicator"} & set(self.changed_data):
            raise ValidationError("已有目标的单位和指标不能修改；请新增一行")
        competition = getattr(self.instance, "competition", None) if self.instance.competition_id else None
        if competition is not None and unit is not None and indicator:
            if not competition.units.filter(pk=unit.pk).exists():
                raise ValidationError(f"单位“{unit.name}”未参加“{competition.name}”")
            if not competition.indicators.filter(indicator=indicator).exists():
                raise ValidationError(f"指标“{indicator}”不是“{competition.name}”的竞赛指标")
        return cleaned


class TargetInline(admin.TabularInline):
    model = CompetitionTarget
    form = TargetForm
    extra = 0
    can_delete = False


@admin.register(Competition)
class CompetitionAdmin(AuditedAdmin):
    list_display = ["name", "slug", "start", "end", "rival"]
    filter_horizontal = ["units"]
    inlines = [IndicatorInline, TargetInline]

    def save_formset(self, request, form, formset, change):  # type: ignore[no-untyped-def]
        from . import services

        if formset.model not in (CompetitionIndicator, CompetitionTarget):
            return super().save_formset(request, form, formset, change)
        competition = form.instance
        formset.save(commit=False)  # fills new_objects / changed_objects for the admin's log; saved below
        for sub in formset.forms:
            if not sub.has_changed() or not sub.cleaned_data:
                continue
            if formset.model is CompetitionIndicator and sub.instance.pk and "weight" in sub.changed_data:
                services.competition_weight_set(
                    competition=competition,
                    indicator=sub.instance.indicator,
                    weight=sub.cleaned_data["weight"],
                    actor=request.user,
                    reason=changed_reason(sub),
                )
            elif formset.model is CompetitionTarget:
                services.competition_target_set(
                    competition=competition,
                    unit=sub.cleaned_data["unit"],
                    indicator=sub.cleaned_data["indicator"],
                    value=sub.cleaned_data["value"],
                    actor=request.user,
                )


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
