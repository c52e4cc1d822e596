"""Admin pages for the chain map, in Chinese; edits here are recorded in the history like any other."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from .models import Chain, ChainConfig, ChainLeader, ChainLink, ChainPilot, LinkEnterprise, Platform, TargetCompany
from .services import placement_add, placement_confirm, placement_reject


@admin.register(ChainConfig)
class ChainConfigAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "strong_min_enterprises", "strong_min_investment_usd", "leader_max_industry_rank")


class ChainLinkInline(admin.TabularInline):
    model = ChainLink
    extra = 0
    fields = ("position", "name", "keywords", "note")
    show_change_link = True


class ChainLeaderInline(admin.TabularInline):
    model = ChainLeader
    extra = 0
    fields = ("role", "unit", "platform", "title", "name")


@admin.register(Chain)
class ChainAdmin(SimpleHistoryAdmin):
    list_display = (
        "slug",
        "name",
        "focus_industry",
        "strong_min_enterprises",
        "strong_min_investment_usd",
        "sort_order",
    )
    search_fields = ("slug", "name")
    inlines = [ChainLinkInline, ChainLeaderInline]


class TargetInline(admin.TabularInline):
    model = TargetCompany
    extra = 0
    fields = ("name", "name_en", "country", "fortune500_rank", "industry_rank", "investor", "note")
    raw_id_fields = ("investor",)


class PlacementInline(admin.TabularInline):
    model = LinkEnterprise
    extra = 0
    fields = ("enterprise", "status", "score", "reason")
    raw_id_fields = ("enterprise",)


@admin.register(ChainLink)
class ChainLinkAdmin(SimpleHistoryAdmin):
    list_display = ("chain", "position", "name", "keywords")
    list_filter = ("chain",)
    search_fields = ("name", "keywords")
    filter_horizontal = ("upstream",)
    raw_id_fields = ("industries",)
    inlines = [PlacementInline, TargetInline]


@admin.register(LinkEnterprise)
class LinkEnterpriseAdmin(SimpleHistoryAdmin):
    list_display = ("link", "enterprise", "status", "score", "reason", "decided_by", "decided_at")
    list_filter = ("status", "link__chain")
    search_fields = ("enterprise__name", "link__name")
    raw_id_fields = ("enterprise",)
    readonly_fields = ("score", "reason", "decided_by", "decided_at")

    def save_model(self, request: HttpRequest, obj: LinkEnterprise, form: Any, change: bool) -> None:
        """A decision made here goes through the same service as on the map: rights checked, decider recorded."""
        status = obj.status
        if not change:  # placing an enterprise by hand is itself a confirmation
            placed = placement_add(link=obj.link, enterprise=obj.enterprise, actor=request.user)
            if status == LinkEnterprise.Status.REJECTED:
                placed = placement_reject(placement=placed, actor=request.user, reason="管理页面否决")
            obj.pk = placed.pk
            obj.refresh_from_db()
        elif "status" in form.changed_data and status == LinkEnterprise.Status.CONFIRMED:
            placement_confirm(placement=obj, actor=request.user)
        elif "status" in form.changed_data and status == LinkEnterprise.Status.REJECTED:
            placement_reject(placement=obj, actor=request.user, reason="管理页面否决")
        else:
            super().save_model(request, obj, form, change)


@admin.register(TargetCompany)
class TargetCompanyAdmin(SimpleHistoryAdmin):
    list_display = ("name", "link", "country", "fortune500_rank", "industry_rank", "investor")
    list_filter = ("link__chain", "country")
    search_fields = ("name", "name_en")
    raw_id_fields = ("investor",)


class PilotInline(admin.TabularInline):
    model = ChainPilot
    extra = 0


@admin.register(Platform)
class PlatformAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "unit", "in_provincial_integration")
    list_filter = ("kind", "in_provincial_integration")
    filter_horizontal = ("partner_countries", "chains")
    inlines = [PilotInline]


@admin.register(ChainPilot)
class ChainPilotAdmin(SimpleHistoryAdmin):
    list_display = ("platform", "chain", "level", "year")
    list_filter = ("level",)


@admin.register(ChainLeader)
class ChainLeaderAdmin(SimpleHistoryAdmin):
    list_display = ("chain", "role", "unit", "platform", "title", "name")
    list_filter = ("chain", "role")
