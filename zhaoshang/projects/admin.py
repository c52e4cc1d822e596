"""Admin pages for the registry, in Chinese; edits made here are recorded in the history like any other."""

from typing import Any

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    CapitalArrival,
    Claim,
    Country,
    Enterprise,
    FocusIndustry,
    FollowUp,
    Fortune500Entry,
    Fortune500List,
    Industry,
    Investor,
    Project,
    ProjectStageEvent,
    VerificationRule,
)


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "is_hmt")
    search_fields = ("code", "name", "name_en")


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "section")
    list_filter = ("level", "section")
    search_fields = ("code", "name")
    raw_id_fields = ("parent",)


@admin.register(FocusIndustry)
class FocusIndustryAdmin(admin.ModelAdmin):
    list_display = ("slug", "name", "sort_order")


class Fortune500EntryInline(admin.TabularInline):
    model = Fortune500Entry
    extra = 0
    raw_id_fields = ("investor",)
    fields = ("rank", "name", "country", "revenue_musd", "investor")


@admin.register(Fortune500List)
class Fortune500ListAdmin(admin.ModelAdmin):
    list_display = ("year", "published_on")


@admin.register(Fortune500Entry)
class Fortune500EntryAdmin(admin.ModelAdmin):
    list_display = ("listing", "rank", "name", "country", "investor")
    list_filter = ("listing",)
    search_fields = ("name",)
    raw_id_fields = ("investor",)


@admin.register(Investor)
class InvestorAdmin(SimpleHistoryAdmin):
    list_display = ("name", "name_en", "country", "parent")
    list_filter = ("country",)
    search_fields = ("name", "name_en")
    raw_id_fields = ("parent",)


@admin.register(Enterprise)
class EnterpriseAdmin(SimpleHistoryAdmin):
    list_display = ("name", "credit_code", "unit", "industry", "is_new")
    list_filter = ("unit", "is_new")
    search_fields = ("name", "credit_code")
    raw_id_fields = ("industry",)


class StageEventInline(admin.TabularInline):
    model = ProjectStageEvent
    extra = 0
    fields = ("stage", "on", "note", "recorded_by")
    readonly_fields = fields
    can_delete = False


class ArrivalInline(admin.TabularInline):
    model = CapitalArrival
    extra = 0
    fields = ("month", "kind", "currency", "amount", "amount_usd", "is_financial")
    readonly_fields = fields
    can_delete = False


class ThroughServicesOnly:
    """Records whose every write must go through the services (derived US$ amounts and dates, stage order, closed
    months, audit reasons): the admin shows them and their history, and the desk, the API and imports change them."""

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "unit", "kind", "stage", "signed_on", "total_investment_usd")
    list_filter = ("unit", "stage", "kind", "focus_industries")
    search_fields = ("code", "name", "investors__name", "investors__name_en")
    raw_id_fields = ("enterprise", "industry", "investors", "officer")
    # Money, kind, unit and stage feed the statistics and move only through the services (which recompute US$
    # amounts and dates and keep the audit reason); names, people, tags and notes may be corrected here.
    readonly_fields = (
        "unit",
        "kind",
        "currency",
        "rate_to_usd",
        "total_investment",
        "contract_foreign",
        "stage",
        "stage_on",
        "signed_on",
        "registered_on",
        "next_follow_up_on",
        "total_investment_usd",
        "contract_foreign_usd",
    )

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    inlines = [StageEventInline, ArrivalInline]


@admin.register(CapitalArrival)
class CapitalArrivalAdmin(ThroughServicesOnly, SimpleHistoryAdmin):
    list_display = ("project", "month", "kind", "amount_usd", "is_financial")
    list_filter = ("kind", "is_financial", "project__unit")
    date_hierarchy = "month"
    raw_id_fields = ("project",)
    readonly_fields = ("amount_usd",)


@admin.register(FollowUp)
class FollowUpAdmin(SimpleHistoryAdmin):
    list_display = ("project", "on", "channel", "officer", "next_on")
    list_filter = ("channel",)
    raw_id_fields = ("project", "officer")


@admin.register(ProjectStageEvent)
class ProjectStageEventAdmin(ThroughServicesOnly, SimpleHistoryAdmin):
    list_display = ("project", "stage", "on", "recorded_by")
    list_filter = ("stage",)
    raw_id_fields = ("project", "recorded_by")


@admin.register(VerificationRule)
class VerificationRuleAdmin(SimpleHistoryAdmin):
    """The city administrator sets the rules here; the save goes through the service (right, checks, history)."""

    list_display = ("item", "requires_verification", "self_certify_max_usd")
    fields = ("item", "requires_verification", "self_certify_max_usd")

    def save_model(self, request: Any, obj: VerificationRule, form: Any, change: bool) -> None:
        from .verification import verification_rule_set

        verification_rule_set(
            item=obj.item,
            requires_verification=obj.requires_verification,
            self_certify_max_usd=obj.self_certify_max_usd,
            actor=request.user,
        )

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Claim)
class ClaimAdmin(ThroughServicesOnly, SimpleHistoryAdmin):
    """Claims are decided on the desk's 认定 page or through the API; here they are read with their history."""

    list_display = ("project", "kind", "status", "amount_usd", "submitted_by", "submitted_at", "decided_by")
    list_filter = ("status", "kind", "project__unit")
    search_fields = ("project__code", "project__name")
