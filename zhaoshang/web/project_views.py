"""Project pages: the filtered list and its Excel export, the detail page, and the three write forms."""

from __future__ import annotations

from typing import Any, cast

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from zhaoshang.accounts.permissions import can
from zhaoshang.common.clock import today
from zhaoshang.projects import evidence as ev
from zhaoshang.projects import gates, services
from zhaoshang.projects.models import CapitalArrival, Evidence, Project, ProjectStatus, Stage
from zhaoshang.projects.plausibility import check_arrival
from zhaoshang.projects.selectors import project_history
from zhaoshang.reference.currencies import currency_code, currency_name
from zhaoshang.stats import indicators as registry
from zhaoshang.stats.caliber import Caliber

from .exports import projects_xlsx
from .forms import (
    WAN,
    AdvanceStageForm,
    ArrivalCorrectForm,
    ArrivalForm,
    ArrivalVoidForm,
    ConfirmingForm,
    EvidenceForm,
    FollowUpForm,
    NewProjectForm,
    ProjectEditForm,
    StatusForm,
    WithdrawStageForm,
    apply_service_error,
    wan_to_units,
)
from .selectors import BadFilter, filter_choices, parse_project_filters, project_list
from .tasks import forget_count
from .views import bad_request

PAGE_SIZE = 25


@login_required
@require_GET
def project_index(request: HttpRequest) -> HttpResponse:
    try:
        filters = parse_project_filters(request.GET)
    except BadFilter as exc:
        return bad_request(request, str(exc))
    on, caliber = today(), Caliber.current()
    qs = project_list(filters, on=on, caliber=caliber)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"p": p, "at_risk": p.is_at_risk, "big": p.is_over_100m} for p in page.object_list]
    ctx: dict[str, Any] = {
        "active": "projects",
        "page_title": "项目库",
        "filters": filters,
        "page": page,
        "rows": rows,
        "choices": filter_choices(),
        "as_of": on,
        "perms_write_projects": bool(_writable_units(request.user)),
    }
    template = "web/partials/project_table.html" if request.headers.get("HX-Request") else "web/projects.html"
    return render(request, template, ctx)


@login_required
@require_GET
def project_export(request: HttpRequest) -> HttpResponse:
    try:
        filters = parse_project_filters(request.GET)
    except BadFilter as exc:
        return bad_request(request, str(exc))
    on, caliber = today(), Caliber.current()
    body = projects_xlsx(
        project_list(filters, on=on, caliber=caliber),
        on=on,
        caliber=caliber,
        title=f"外资项目清单（截至 {on:%Y年%m月%d日}）",
    )
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="projects-{on:%Y%m%d}.xlsx"'
    return response


def _project(code: str) -> Project:
    project = (
        Project.objects.select_related("unit", "industry", "enterprise", "officer")
        .prefetch_related("investors__country", "focus_industries")
        .filter(code=code)
        .first()
    )
    if project is None:
        raise Http404("项目不存在")
    return project


FORMS = {
    "advance": ("project.write", AdvanceStageForm, "推进阶段"),
    "arrival": ("arrival.write", ArrivalForm, "登记到资"),
    "followup": ("followup.write", FollowUpForm, "登记跟进"),
    "status": ("project.status", StatusForm, "设置项目状态"),
    "evidence": ("evidence.upload", EvidenceForm, "上传证明材料"),
    "correct": ("arrival.write", ArrivalCorrectForm, "更正到资"),
    "void": ("arrival.write", ArrivalVoidForm, "作废到资"),
    "edit": ("project.write", ProjectEditForm, "修改项目"),
    "withdraw": ("project.correct", WithdrawStageForm, "撤回阶段"),
}
# The forms built for a project (the others take only the posted data); those that take files too.
PROJECT_FORMS = {"advance", "correct", "void", "evidence"}
WITH_FILES = {"evidence"}


def _blank_forms(project: Project, user: Any) -> dict[str, Form]:
    on = today()
    out: dict[str, Form] = {}
    if can(user, "project.write", project.unit) and project.stage not in (Stage.DROPPED, Stage.LISTED):
        out["advance"] = AdvanceStageForm(project=project, initial={"on": on})
    if can(user, "arrival.write", project.unit) and project.signed_on is not None:
        out["arrival"] = ArrivalForm(initial={"month": f"{on:%Y-%m}", "currency": project.currency})
    if can(user, "followup.write", project.unit):
        out["followup"] = FollowUpForm(initial={"on": on})
    if can(user, "project.status", project.unit) and project.stage != Stage.DROPPED:
        out["status"] = StatusForm(initial={"on": on, "status": project.status})
    if can(user, "evidence.upload", project.unit):
        upcoming = gates.next_stage(project)
        out["evidence"] = EvidenceForm(project=project, initial={"target": f"stage:{upcoming}" if upcoming else ""})
    if can(user, "arrival.write", project.unit) and project.arrivals.filter(voided_at__isnull=True).exists():
        out["correct"] = ArrivalCorrectForm(project=project)
        out["void"] = ArrivalVoidForm(project=project)
    if can(user, "project.write", project.unit):
        out["edit"] = ProjectEditForm(project=project, city=can(user, "project.correct"))
    if can(user, "project.correct") and project.stage_events.count() > 1:
        out["withdraw"] = WithdrawStageForm()
    return out


def _checklist(project: Project, user: Any) -> gates.Checklist | None:
    """What the next stage asks, with a link to where each missing item is completed."""
    if gates.next_stage(project) is None:
        return None
    result = gates.checklist(project)
    for item in result.items:
        if item.link == "enterprise":
            if project.enterprise is not None and getattr(user, "is_staff", False):
                item.link = reverse("admin:projects_enterprise_change", args=[project.enterprise.pk])
            else:
                item.link = "#project-facts"
    return result


def _bound_form(action: str, form_class: Any, project: Project, user: Any, data: Any, files: Any = None) -> Form:
    if action in WITH_FILES:
        return form_class(data, files, project=project)
    if action in PROJECT_FORMS:
        return form_class(data, project=project)
    if action == "edit":
        return ProjectEditForm(data, project=project, city=can(user, "project.correct"))
    return form_class(data)


def _detail_context(request: HttpRequest, project: Project, forms: dict[str, Form]) -> dict[str, Any]:
    on = today()
    events = list(project.stage_events.select_related("recorded_by").order_by("on", "id"))
    reached = {e.stage for e in events}
    timeline = [
        {
            "label": s.label,
            "on": next((e.on for e in events if e.stage == s), None),
            "done": s in reached,
            "current": project.stage == s,
        }
        for s in Stage
        if s != Stage.DROPPED or project.stage == Stage.DROPPED
    ]
    show_history = can(request.user, "history.read", project.unit)  # type: ignore[arg-type]
    files = (
        list(project.evidence.select_related("uploaded_by", "arrival").order_by("uploaded_at", "id"))
        if can(request.user, "evidence.read", project.unit)  # type: ignore[arg-type]
        else None
    )
    flags = registry.project_flags(project, Caliber.current(), on=on)
    return {
        "active": "projects",
        "page_title": project.name,
        "project": project,
        **flags,
        "at_risk": flags["is_at_risk"],
        "timeline": timeline,
        "events": events,
        "arrivals": list(project.arrivals.order_by("month", "id")),
        "follow_ups": list(project.follow_ups.select_related("officer").order_by("-on", "-id")),
        "history": project_history(project) if show_history else None,
        "checklist": _checklist(project, request.user),
        "evidence_files": files,
        "status_events": list(project.status_events.select_related("recorded_by").order_by("-on", "-id")),
        "status_normal": project.status == ProjectStatus.NORMAL,
        "forms": forms,
        "can_edit": bool(forms),
        "as_of": on,
        "expectation_url": reverse("forecast:expectation", args=[project.code])
        if apps.is_installed("zhaoshang.forecast")
        else None,
    }


@login_required
@require_GET
def project_detail(request: HttpRequest, code: str) -> HttpResponse:
    project = _project(code)
    return render(
        request, "web/project_detail.html", _detail_context(request, project, _blank_forms(project, request.user))
    )


@login_required
@require_POST
def project_action(request: HttpRequest, code: str, action: str) -> HttpResponse:
    if action not in FORMS:
        raise Http404("操作不存在")
    project = _project(code)
    permission, form_class, label = FORMS[action]
    if not can(request.user, permission, project.unit):  # type: ignore[arg-type]
        raise PermissionDenied(f"您没有权限对{project.unit.name}的项目执行“{label}”")
    form: Form = _bound_form(action, form_class, project, request.user, request.POST, request.FILES)
    if form.is_valid():
        try:
            _perform(action, project, form.cleaned_data, request.user)
        except NeedsConfirmation as exc:
            if not isinstance(form, ConfirmingForm):  # only the arrival form's action asks
                raise
            form.ask(exc.warnings)
        except DuplicateArrival as exc:
            cast(ArrivalForm, form).ask_merge(str(exc))
        except ValidationError as exc:
            aliases = {"stage": "to_stage" if action == "advance" else "target", "project": "__all__"}
            aliases.update({"arrival": "target", "claim": "target"})
            apply_service_error(form, exc, aliases)
        else:
            forget_count(request.user)
            messages.success(request, f"已{label}：{project.code} {project.name}")
            url = reverse("web:project", args=[project.code])
            if request.headers.get("HX-Request"):
                response = HttpResponse("")
                response["HX-Redirect"] = url
                return response
            return redirect(url)
    if request.headers.get("HX-Request"):
        return render(request, "web/partials/project_form.html", {"project": project, "name": action, "form": form})
    forms = _blank_forms(project, request.user)
    forms[action] = form
    return render(request, "web/project_detail.html", _detail_context(request, project, forms), status=400)


def _perform(action: str, project: Project, data: dict[str, Any], actor: Any) -> None:
    if action == "advance":
        services.project_advance_stage(
            project=project, to_stage=data["to_stage"], on=data["on"], note=data.get("note", ""), actor=actor
        )
    elif action == "arrival":
        amount = wan_to_units(data["amount"], "amount")
        existing = CapitalArrival.objects.filter(
            project=project, month=data["month"], kind=data["kind"], voided_at__isnull=True
        ).first()
        if existing is not None:
            if not data.get("merge"):
                raise DuplicateArrival(
                    f"本月已登记同类到资 {existing.amount / WAN:.2f}万{currency_name(existing.currency)}"
                    f"（第{existing.pk}号，{existing.month:%Y年%-m月}，{existing.get_kind_display()}），"
                    "是否合并或更正？合并请勾选下方“合并到本月已有的同类记录”后再提交；更正请用“更正到资”"
                )
            if currency_code(data["currency"]) != existing.currency:
                raise ValidationError(
                    {"currency": f"币种与已有记录（{existing.currency}）不同，不能合并；请用“更正到资”"}
                )
            reason = (data.get("reason") or "").strip() or "合并重复登记的同类到资"
            services.arrival_update(arrival=existing, amount=existing.amount + amount, reason=reason, actor=actor)
            return
        check = check_arrival(
            project=project, month=data["month"], amount=amount, currency=data["currency"], rate=data["rate_to_usd"]
        )
        if check.error:
            raise ValidationError({"rate_to_usd": check.error})
        if check.warnings and not data.get("confirm"):
            raise NeedsConfirmation(check.warnings)
        services.arrival_record(
            project=project,
            month=data["month"],
            amount=amount,
            kind=data["kind"],
            currency=check.currency,
            rate_to_usd=check.rate,
            is_financial=data["is_financial"],
            note=data.get("note", ""),
            reason=data.get("reason") or "",
            actor=actor,
        )
    elif action == "status":
        services.project_status_set(
            project=project,
            status=data["status"],
            on=data["on"],
            reason=data.get("reason", ""),
            expected_on=data.get("expected_on"),
            obstacle=data.get("obstacle", ""),
            destination=data.get("destination", ""),
            actor=actor,
        )
    elif action == "evidence":
        target, _, value = data["target"].partition(":")
        arrival = None
        if target == "arrival":
            arrival = CapitalArrival.objects.filter(project=project, pk=int(value) if value.isdigit() else 0).first()
            if arrival is None:
                raise ValidationError({"target": f"到资记录“{value}”不属于本项目"})
        upload = data["file"]
        ev.evidence_upload(
            project=project,
            kind=data["kind"],
            name=upload.name or "",
            stream=upload,
            size=upload.size,
            stage=value if target == "stage" else "",
            arrival=arrival,
            note=data.get("note", ""),
            actor=actor,
        )
    elif action == "correct":
        arrival = CapitalArrival.objects.get(pk=int(data["arrival"]), project=project)
        changes: dict[str, Any] = {}
        if data.get("month"):
            changes["month"] = data["month"]
        if data.get("kind"):
            changes["kind"] = data["kind"]
        if data.get("amount") is not None:
            changes["amount"] = wan_to_units(data["amount"], "amount")
        services.arrival_update(arrival=arrival, reason=data["reason"], actor=actor, **changes)
    elif action == "void":
        arrival = CapitalArrival.objects.get(pk=int(data["arrival"]), project=project)
        services.arrival_void(arrival=arrival, reason=data["reason"], actor=actor)
    elif action == "edit":
        from zhaoshang.units.models import Unit

        edits: dict[str, Any] = {
            "name": data["name"],
            "leader": data.get("leader") or "",
            "total_investment": wan_to_units(data["total_investment"], "total_investment"),
            "contract_foreign": wan_to_units(data["contract_foreign"], "contract_foreign"),
        }
        if data.get("kind"):
            edits["kind"] = data["kind"]
        if data.get("unit"):
            edits["unit"] = Unit.objects.get(code=data["unit"])
        services.project_correct(project=project, reason=data["reason"], actor=actor, **edits)
    elif action == "withdraw":
        event = project.stage_events.order_by("-on", "-id").first()
        if event is None:
            raise ValidationError({"reason": "项目没有阶段记录"})
        services.stage_event_withdraw(event=event, reason=data["reason"], actor=actor)
    else:
        services.followup_log(
            project=project,
            on=data["on"],
            channel=data["channel"],
            summary=data["summary"],
            next_on=data.get("next_on"),
            actor=actor,
        )


class DuplicateArrival(Exception):
    """A second record of the same project, month and type: the form offers to merge or correct."""


class NeedsConfirmation(Exception):
    def __init__(self, warnings: list[str]) -> None:
        super().__init__("；".join(warnings))
        self.warnings = warnings


def _project_money(data: dict[str, Any]) -> tuple[str, Any, Any, Any]:
    """The new project's currency (as clerks write it), its rate checked against the stage month's reference rate,
    and its amounts typed in 万 of that currency; a warning asks before saving."""
    from zhaoshang.common.periods import month_start
    from zhaoshang.reference.currencies import currency_code
    from zhaoshang.reference.selectors import check_rate, reference_rate

    currency = currency_code(data["currency"]) or "USD"
    month = month_start(data["stage_on"])
    rated = check_rate(currency, month, data["rate_to_usd"], reference_rate(currency, month))
    if rated.error or rated.rate is None:
        raise ValidationError({"rate_to_usd": rated.error})
    if rated.warning and not data.get("confirm"):
        raise NeedsConfirmation([rated.warning])
    total = wan_to_units(data["total_investment"], "total_investment")
    contract = wan_to_units(data["contract_foreign"], "contract_foreign")
    return currency, rated.rate, total, contract


def _writable_units(user: Any) -> list[Any]:
    from zhaoshang.units.models import Unit

    return [
        u for u in Unit.objects.filter(is_active=True).order_by("sort_order", "code") if can(user, "project.write", u)
    ]


@login_required
def project_new(request: HttpRequest) -> HttpResponse:
    """Register a project through project_create, with a new investor or enterprise registered in the same step
    when none fits (investor_create, enterprise_create: the admin's checks); a refusal is shown beside the field it
    names and nothing is saved, not even the new investor."""
    from zhaoshang.projects.models import Industry
    from zhaoshang.units.models import Unit

    units = _writable_units(request.user)
    if not units:
        raise PermissionDenied("您没有登记项目的权限")
    form = NewProjectForm(request.POST or None, units=units)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            unit = Unit.objects.get(code=data["unit"])
            industry = None
            if data["industry"]:
                industry = Industry.objects.filter(code=data["industry"].strip()).first()
                if industry is None:
                    form.add_error("industry", f"行业代码“{data['industry']}”不存在（GB/T 4754-2017）")
            investor_plan = _investor_plan(form, data)
            enterprise_plan = _enterprise_plan(form, data, unit)
            money = None
            if not form.errors:
                try:
                    money = _project_money(data)
                except NeedsConfirmation as exc:
                    form.ask(exc.warnings)
                except ValidationError as exc:
                    apply_service_error(form, exc)
            if money is not None and not form.errors:
                currency, rate, total, contract = money
                try:
                    with transaction.atomic():
                        investor = investor_plan(request.user)
                        enterprise = enterprise_plan(request.user, industry)
                        project = services.project_create(
                            unit=unit,
                            name=data["name"],
                            kind=data["kind"],
                            investors=[investor],
                            enterprise=enterprise,
                            stage=data["stage"],
                            stage_on=data["stage_on"],
                            currency=currency,
                            rate_to_usd=rate,
                            total_investment=total,
                            contract_foreign=contract,
                            industry=industry,
                            leader=data["leader"],
                            note=data["note"],
                            actor=request.user,
                        )
                except _Refused as exc:
                    apply_service_error(form, exc.error, exc.aliases)
                except ValidationError as exc:
                    apply_service_error(form, exc)
                else:
                    forget_count(request.user)
                    messages.success(request, f"已登记：{project.code} {project.name}")
                    from zhaoshang.leads.services import conflicts_scan

                    for conflict in conflicts_scan(actor=request.user):
                        messages.warning(request, f"发现撞单：{conflict.subject}（{conflict.basis}），已提交市局裁定")
                    return redirect(reverse("web:project", args=[project.code]))
    ctx = {"active": "projects", "page_title": "登记新项目", "form": form}
    return render(request, "web/project_new.html", ctx, status=status)


# Sent with every evidence file: never sniffed, never rendered as a page, never able to run anything.
EVIDENCE_CSP = "default-src 'none'; sandbox; frame-ancestors 'none'"


class _Refused(Exception):
    """A service's refusal for the new investor or enterprise, with its fields renamed to the form's."""

    def __init__(self, error: ValidationError, aliases: dict[str, str]) -> None:
        super().__init__(str(error))
        self.error, self.aliases = error, aliases


def _investor_plan(form: NewProjectForm, data: dict[str, Any]) -> Any:
    """How the project gets its investor: the one picked, or a new one (checked now for similar names, created
    with the project). Problems are put on the form."""
    from zhaoshang.projects.models import Country, Investor
    from zhaoshang.projects.selectors import investors_like

    picked = (data.get("investor") or "").strip()
    new_name = (data.get("new_investor_name") or "").strip()
    if picked:
        investor = Investor.objects.filter(pk=int(picked)).first() if picked.isdigit() else None
        if investor is None:
            form.add_error("investor", f"外方投资者“{picked[:20]}”不存在")
        return lambda actor: investor
    if not new_name:
        form.add_error("investor", "请选择外方投资者，或在下方登记新的投资者")
        return lambda actor: None
    code = (data.get("new_investor_country") or "").strip().upper()
    country = Country.objects.filter(code=code).first() if code else None
    if country is None:
        form.add_error(
            "new_investor_country", f"国别（地区）“{code}”不存在" if code else "请选择新投资者的国别（地区）"
        )
    similar = investors_like(new_name, data.get("new_investor_name_en") or "")
    if similar and not data.get("new_investor_confirmed"):
        names = "、".join(f"{i.name}（{i.country.name}）" for i in similar[:5])
        form.add_error(
            "new_investor_name",
            f"已有名称相近的投资者：{names}。如为同一投资者，请在上方选择；确为新的投资者，请勾选“已核对相近名称”后再提交",
        )

    def create(actor: Any) -> Any:
        if country is None:  # refused above; the form's errors keep this from running
            return None
        try:
            return services.investor_create(
                name=new_name, name_en=data.get("new_investor_name_en") or "", country=country, actor=actor
            )
        except ValidationError as exc:
            raise _Refused(exc, {"name": "new_investor_name", "name_en": "new_investor_name_en"}) from None

    return create


def _enterprise_plan(form: NewProjectForm, data: dict[str, Any], unit: Any) -> Any:
    """The enterprise picked (of the project's unit), a new one (credit code checked by GB 32100 and similar names
    shown now, created with the project), or none."""
    from zhaoshang.projects.models import Enterprise
    from zhaoshang.projects.selectors import enterprises_like

    picked = (data.get("enterprise") or "").strip()
    new_name = (data.get("new_enterprise_name") or "").strip()
    if picked:
        enterprise = Enterprise.objects.filter(pk=int(picked)).first() if picked.isdigit() else None
        if enterprise is None:
            form.add_error("enterprise", f"外资企业“{picked[:20]}”不存在")
        return lambda actor, industry: enterprise
    if not new_name:
        return lambda actor, industry: None
    code = None
    try:
        code = services.clean_credit_code(data.get("new_enterprise_credit_code"))
    except ValidationError as exc:
        apply_service_error(form, exc, {"credit_code": "new_enterprise_credit_code"})
    similar = enterprises_like(new_name, code)
    if similar and not data.get("new_enterprise_confirmed"):
        names = "、".join(
            f"{e.name}（{e.unit.name}{'，' + e.credit_code if e.credit_code else ''}）" for e in similar[:5]
        )
        form.add_error(
            "new_enterprise_name",
            f"已有名称或信用代码相同的企业：{names}。如为同一企业，请在上方选择；确为新的企业，请勾选“已核对相近名称”后再提交",
        )

    def create(actor: Any, industry: Any) -> Any:
        try:
            return services.enterprise_create(
                name=new_name, credit_code=code, unit=unit, industry=industry, actor=actor
            )
        except ValidationError as exc:
            raise _Refused(exc, {"name": "new_enterprise_name", "credit_code": "new_enterprise_credit_code"}) from None

    return create


@login_required
@require_GET
def evidence_download(request: HttpRequest, code: str, pk: int) -> HttpResponseBase:
    """A project's evidence file, after the right is checked; logged; always an attachment."""
    from urllib.parse import quote

    from django.http import FileResponse

    item = Evidence.objects.select_related("project__unit").filter(pk=pk, project__code=code).first()
    if item is None:
        raise Http404("材料不存在")
    try:
        handle = ev.evidence_open(evidence=item, actor=request.user)
    except FileNotFoundError:
        raise Http404("材料文件已不在存储中") from None
    response = FileResponse(handle, content_type=item.content_type)
    response["Content-Disposition"] = (
        f"attachment; filename=\"evidence-{item.pk}\"; filename*=UTF-8''{quote(item.original_name)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = EVIDENCE_CSP
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


@login_required
@require_GET
def pick(request: HttpRequest, kind: str) -> JsonResponse:
    """Options for a picker as the user types: [{"value": …, "text": …}], at most 20."""
    from zhaoshang.projects.selectors import pick as pick_options

    unit_id = None
    if kind == "enterprises" and (code := (request.GET.get("unit") or "").strip()):
        from zhaoshang.units.models import Unit

        unit_id = Unit.objects.filter(code=code).values_list("pk", flat=True).first()
    try:
        options = pick_options(kind, request.GET.get("q", ""), unit_id=unit_id)
    except ValueError as exc:
        return JsonResponse({"detail": str(exc)}, status=404)
    return JsonResponse({"options": options})
