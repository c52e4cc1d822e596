"""Admin pages for the registry, in Chinese; edits made here are recorded in the history like any other."""

from typing import Any

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from zhaoshang.accounts.permissions import can
from zhaoshang.common.admin import AuditedAdmin, ThroughServicesOnly

from .models import (
    CapitalArrival,
    Claim,
    Country,
    Enterprise,
    Evidence,
    EvidenceKind,
    FocusIndustry,
    FollowUp,
    Fortune500Entry,
    Fortune500List,
    GateRequirement,
    Industry,
    Investor,
    Project,
    ProjectStageEvent,
    ProjectStatusEvent,
    StageGate,
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


# The lists decide the Fortune Global 500 figure: they change only by importing a list (on the import page or
# `zhaoshang import fortune500`), which records what each reload changed.
@admin.register(Fortune500List)
class Fortune500ListAdmin(ThroughServicesOnly, SimpleHistoryAdmin):
    list_display = ("year", "published_on")


@admin.register(Fortune500Entry)
class Fortune500EntryAdmin(ThroughServicesOnly, SimpleHistoryAdmin):
    list_display = ("listing", "rank", "name", "country", "investor")
    list_filter = ("listing",)
    search_fields = ("name",)
    raw_id_fields = ("investor",)


@admin.register(Investor)
class InvestorAdmin(AuditedAdmin):
    list_display = ("name", "name_en", "country", "parent")
    list_filter = ("country",)
    search_fields = ("name", "name_en")
    raw_id_fields = ("parent",)


@admin.register(Enterprise)
class EnterpriseAdmin(AuditedAdmin):
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


@admin.register(Project)
class ProjectAdmin(AuditedAdmin):
    list_display = ("code", "name", "unit", "kind", "stage", "signed_on", "total_investment_usd")
    list_filter = ("unit", "stage", "kind", "focus_industries")
    search_fields = ("code", "name", "investors__name", "investors__name_en")
    raw_id_fields = ("enterprise", "industry", "officer")
    # Money, kind, unit, stage and investors feed the statistics and move only through the services (which
    # recompute US$ amounts and dates and keep the audit reason); names, people, tags and notes may be corrected here.
    readonly_fields = (
        "investors",
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


# A follow-up's next date is the project's 失联风险 date: logged only through followup_log, which keeps
# the project's next_follow_up_on in step.
@admin.register(FollowUp)
class FollowUpAdmin(ThroughServicesOnly, SimpleHistoryAdmin):
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


# ------------------------------------------------------------------------------------------ stage gates (准入条件)


class GateRequirementForm(forms.ModelForm):
    requirement = forms.ChoiceField(label="要求")
    waived_when = forms.ChoiceField(label="以下情形免于此项", required=False)

    class Meta:
        model = GateRequirement
        fields = ("requirement", "waived_when")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from .gates import REQUIREMENTS, WAIVERS

        super().__init__(*args, **kwargs)
        self.fields["requirement"].choices = [(k, r.label) for k, r in REQUIREMENTS.items()]  # type: ignore[attr-defined]
        waivers = [("", "—（不免除）"), *((k, w.label) for k, w in WAIVERS.items())]
        self.fields["waived_when"].choices = waivers  # type: ignore[attr-defined]


class GateRequirementInline(admin.TabularInline):
    model = GateRequirement
    form = GateRequirementForm
    extra = 1


class StageGateForm(forms.ModelForm):
    evidence_kinds = forms.MultipleChoiceField(
        label="可接受的证明材料", choices=EvidenceKind.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = StageGate
        fields = ("evidence_kinds", "evidence_min", "in_force_from", "note")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("evidence_min") or 0) > 10:
            self.add_error("evidence_min", "份数应为0至10")
        if data.get("evidence_min") and not data.get("evidence_kinds"):
            self.add_error("evidence_kinds", "已要求至少一份证明材料，请勾选可接受的材料类型")
        return data


@admin.register(StageGate)
class StageGateAdmin(SimpleHistoryAdmin):
    """The city administrator edits each stage's gate here; the save goes through `stage_gate_set` (the right,
    the checks, and a history row for the gate and for each requirement changed)."""

    form = StageGateForm
    inlines = [GateRequirementInline]
    list_display = ("__str__", "requirement_list", "evidence_list", "evidence_min", "in_force_from")

    @admin.display(description="要求")
    def requirement_list(self, obj: StageGate) -> str:
        from .gates import REQUIREMENTS

        return "、".join(
            REQUIREMENTS[r.requirement].label if r.requirement in REQUIREMENTS else r.requirement
            for r in obj.requirements.all()
        )

    @admin.display(description="可接受的证明材料")
    def evidence_list(self, obj: StageGate) -> str:
        from .gates import evidence_label

        return evidence_label(obj.evidence_kinds) if obj.evidence_kinds else "—"

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return can(request.user, "stage_gate.write")

    def save_model(self, request: Any, obj: StageGate, form: Any, change: bool) -> None:
        pass  # saved with its requirements in save_related, through the service

    def save_related(self, request: Any, form: Any, formsets: Any, change: bool) -> None:
        from .gates import stage_gate_set

        requirements = []
        for formset in formsets:
            for f in formset.forms:
                data = getattr(f, "cleaned_data", None) or {}
                if data.get("requirement") and not data.get("DELETE"):
                    requirements.append((data["requirement"], data.get("waived_when") or ""))
        stage_gate_set(
            stage=form.instance.stage,
            requirements=requirements,
            evidence_kinds=form.cleaned_data["evidence_kinds"],
            evidence_min=form.cleaned_data["evidence_min"],
            in_force_from=form.cleaned_data["in_force_from"],
            note=form.cleaned_data.get("note", ""),
            actor=request.user,
        )

    def construct_change_message(self, request: Any, form: Any, formsets: Any, add: bool = False) -> Any:
        return "修改准入条件（经服务保存，详见变更记录）"


@admin.register(Evidence)
class EvidenceAdmin(ThroughServicesOnly, SimpleHistoryAdmin):
    """Files are uploaded on the project page or the API (content checked) and downloaded through the desk."""

    list_display = ("project", "kind", "stage", "original_name", "content_type", "size", "uploaded_by", "uploaded_at")
    list_filter = ("kind", "stage")
    search_fields = ("project__code", "original_name")
    exclude = ("file",)


@admin.register(ProjectStatusEvent)
class ProjectStatusEventAdmin(ThroughServicesOnly, SimpleHistoryAdmin):
    list_display = ("project", "status", "on", "reason", "expected_on", "obstacle", "destination", "recorded_by")
    list_filter = ("status", "obstacle")
    search_fields = ("project__code",)
