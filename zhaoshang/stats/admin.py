"""Admin for targets, the province's published figures and the settings that move every figure."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from zhaoshang.common.admin import ThroughServicesOnly, changed_reason
from zhaoshang.common.models import SiteConfig
from zhaoshang.common.validation import first_message

from .models import ProvinceFigure, StatsConfig, Target
from .services import CALIBER_FIELDS, site_config_update, stats_config_update


# Targets and published figures are set on the targets page, by import or from the command line (target_set and
# province_figure_set check the indicator, the year and the value and keep the reason); here they are read.
@admin.register(ProvinceFigure)
class ProvinceFigureAdmin(ThroughServicesOnly, SimpleHistoryAdmin):
    list_display = ("region", "first_month", "last_month", "indicator", "value", "yoy_pct", "source")
    list_filter = ("indicator", "last_month", "region")


@admin.register(Target)
class TargetAdmin(ThroughServicesOnly, SimpleHistoryAdmin):
    list_display = ("year", "unit", "indicator", "value", "note")
    list_filter = ("year", "indicator", "unit")


class SingletonServiceAdmin(SimpleHistoryAdmin):
    """A settings row changed through its service: the form's values are checked and saved by the service, so the
    history row names the administrator and what changed."""

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):  # type: ignore[no-untyped-def]
        form = super().get_form(request, obj, change=change, **kwargs)
        apply = self.apply

        class ThroughService(form):  # type: ignore[misc,valid-type]
            def clean(self):  # type: ignore[no-untyped-def]
                cleaned = super().clean()
                if not self.errors:
                    from django.db import transaction

                    try:  # checked by the service itself, then rolled back: save_model applies it for real
                        with transaction.atomic():
                            apply(request, self)
                            transaction.set_rollback(True)
                    except ValidationError as exc:
                        raise ValidationError(first_message(exc)) from None
                return cleaned

        return ThroughService

    def apply(self, request, form):  # type: ignore[no-untyped-def]
        raise NotImplementedError

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        self.apply(request, form)
        obj.refresh_from_db()


@admin.register(StatsConfig)
class StatsConfigAdmin(SingletonServiceAdmin):
    list_display = ("__str__", "growth_caliber", "project_basis", "count_reinvested_profit", "count_shareholder_loans")
    fields = CALIBER_FIELDS

    def apply(self, request, form):  # type: ignore[no-untyped-def]
        changes = {name: form.cleaned_data[name] for name in CALIBER_FIELDS if name in form.cleaned_data}
        stats_config_update(actor=request.user, reason=changed_reason(form), **changes)


# The as-of date stands for "today" in every figure that depends on the date, so it is administered here with
# the caliber, through its service.
@admin.register(SiteConfig)
class SiteConfigAdmin(SingletonServiceAdmin):
    list_display = ("__str__", "as_of_date")
    fields = ("as_of_date",)

    def apply(self, request, form):  # type: ignore[no-untyped-def]
        site_config_update(
            as_of_date=form.cleaned_data.get("as_of_date"), actor=request.user, reason=changed_reason(form)
        )
