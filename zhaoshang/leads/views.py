"""Desk pages for leads and conflicts; every write calls the service, a refusal is shown and nothing is saved."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhaoshang.accounts.models import Role
from zhaoshang.accounts.permissions import can
from zhaoshang.common.validation import first_message
from zhaoshang.projects.models import Industry, Project
from zhaoshang.units.models import Unit

from . import selectors, services
from .models import Conflict, Lead, Source, Status


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError({"on": [f"日期“{value}”格式不对，应为 YYYY-MM-DD"]}) from None


def _is_city(user: Any) -> bool:
    return user.is_superuser or getattr(user, "role", None) == Role.CITY_ADMIN


@login_required
def lead_index(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    unit_code = request.GET.get("unit") or None
    staff = getattr(user, "role", None) == Role.UNIT_STAFF and not user.is_superuser
    if staff:
        unit_code = user.unit.code if user.unit else None
    status = request.GET.get("status") or None
    if status and status not in Status.values:
        status = None
    leads = selectors.leads_visible_to(user)
    if unit_code:
        leads = leads.filter(unit__code=unit_code)
    if status:
        leads = leads.filter(status=status)
    unit = Unit.objects.filter(code=unit_code).first() if unit_code else None
    ctx = {
        "active": "leads",
        "page_title": f"招商线索 · {unit.short_name if unit else '全市'}",
        "leads": list(leads[:300]),
        "report": selectors.lead_report(unit_id=unit.pk if unit else None),
        "units": Unit.objects.order_by("sort_order", "code"),
        "unit": unit,
        "status": status,
        "statuses": Status.choices,
        "staff": staff,
        "can_add": can(user, "lead.assign") or (staff and can(user, "lead.write", user.unit)),
        "open_conflicts": selectors.conflict_list(state="open", unit_id=unit.pk if unit else None).count(),
    }
    return render(request, "leads/list.html", ctx)


@login_required
def lead_new(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not (can(user, "lead.assign") or can(user, "lead.write", getattr(user, "unit", None))):
        raise PermissionDenied("您没有登记线索的权限")
    errors: list[str] = []
    data = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        try:
            unit = Unit.objects.filter(code=data.get("unit") or "").first()
            industry = None
            if data.get("industry"):
                industry = Industry.objects.filter(code=data["industry"].strip().upper()).first()
                if industry is None:
                    raise ValidationError({"industry": [f"行业代码“{data['industry']}”不存在（GB/T 4754-2017）"]})
            lead = services.lead_create(
                industry=industry,
                company=data.get("company", ""),
                group=data.get("group", ""),
                source=data.get("source", ""),
                source_detail=data.get("source_detail", ""),
                intention=data.get("intention", ""),
                amount=data.get("amount") or None,
                currency=data.get("currency") or "USD",
                rate_to_usd=data.get("rate_to_usd") or None,
                received_on=_date(data.get("received_on")),
                unit=unit,
                actor=user,
            )
        except ValidationError as exc:
            errors.append(first_message(exc))
        else:
            messages.success(request, f"已登记线索 {lead.code}，首次联系时限 {lead.respond_by:%Y年%m月%d日}")
            for c in selectors.conflicts_for_lead(lead).filter(state=Conflict.State.OPEN):
                messages.warning(request, f"发现撞单：{c.subject}（{c.basis}），已提交市局裁定")
            return redirect(reverse("leads:detail", args=[lead.pk]))
    ctx = {
        "active": "leads",
        "page_title": "登记线索",
        "errors": errors,
        "data": data,
        "sources": Source.choices,
        "units": Unit.objects.order_by("sort_order", "code") if _is_city(user) else [],
    }
    return render(request, "leads/new.html", ctx, status=400 if errors else 200)


def _lead(pk: int, user: Any) -> Lead:
    lead = selectors.leads_visible_to(user).filter(pk=pk).first()
    if lead is None:
        raise Http404("线索不存在或不在您的单位")
    return lead


@login_required
def lead_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    lead = _lead(pk, user)
    projects = Project.objects.filter(unit_id=lead.unit_id).order_by("-created_at")[:50] if lead.unit_id else []
    ctx = {
        "active": "leads",
        "page_title": f"线索 {lead.code}",
        "lead": lead,
        "overdue": selectors.is_overdue(lead),
        "conflicts": selectors.conflicts_for_lead(lead),
        "units": Unit.objects.order_by("sort_order", "code"),
        "projects": projects,
        "can_assign": can(user, "lead.assign"),
        "can_write": lead.unit is not None and can(user, "lead.write", lead.unit),
        "history": lead.history.select_related("history_user").order_by("-history_date")[:20],
    }
    return render(request, "leads/detail.html", ctx)


@login_required
@require_POST
def lead_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    lead = _lead(pk, request.user)
    data = request.POST
    try:
        on = _date(data.get("on"))
        if action == "assign":
            unit = Unit.objects.filter(code=data.get("unit") or "").first()
            if unit is None:
                raise ValidationError({"unit": [f"单位“{data.get('unit') or ''}”不存在"]})
            services.lead_assign(lead=lead, unit=unit, on=on, actor=request.user)
            done = f"已分派至{unit.short_name}"
        elif action == "contact":
            services.lead_contact(lead=lead, on=on, note=data.get("note", ""), actor=request.user)
            done = "已登记首次联系"
        elif action == "convert":
            project = Project.objects.filter(code=(data.get("project") or "").strip()).first()
            if project is None:
                raise ValidationError({"project": [f"项目编号“{data.get('project') or ''}”不存在"]})
            services.lead_convert(lead=lead, project=project, on=on, actor=request.user)
            done = f"已转为项目 {project.code}"
        elif action == "abandon":
            services.lead_abandon(lead=lead, reason=data.get("reason", ""), on=on, actor=request.user)
            done = "已放弃"
        else:
            raise Http404("没有这个操作")
    except ValidationError as exc:
        messages.error(request, first_message(exc))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect(reverse("leads:detail", args=[lead.pk]))


@login_required
def conflict_index(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    unit_id = None
    if getattr(user, "role", None) == Role.UNIT_STAFF and not user.is_superuser:
        unit_id = user.unit_id
    conflicts = selectors.conflict_list(unit_id=unit_id)
    ctx = {
        "active": "conflicts",
        "page_title": "撞单",
        "open": [c for c in conflicts if c.state == Conflict.State.OPEN],
        "decided": [c for c in conflicts if c.state == Conflict.State.DECIDED][:200],
        "can_decide": can(user, "conflict.decide"),
        "decisions": Conflict.Decision.choices,
    }
    return render(request, "leads/conflicts.html", ctx)


@login_required
@require_POST
def conflict_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    conflict = Conflict.objects.filter(pk=pk).select_related("unit_a", "unit_b").first()
    if conflict is None:
        raise Http404("撞单不存在")
    data = request.POST
    try:
        decision = data.get("decision", "")
        unit = Unit.objects.filter(pk=data.get("unit") or 0).first() if (data.get("unit") or "").isdigit() else None
        shares = None
        if decision == Conflict.Decision.JOINT:
            shares = [(conflict.unit_a, data.get("share_a", "")), (conflict.unit_b, data.get("share_b", ""))]
        services.conflict_decide(
            conflict=conflict,
            decision=decision,
            reason=data.get("reason", ""),
            unit=unit,
            shares=shares,
            actor=request.user,
        )
    except ValidationError as exc:
        messages.error(request, first_message(exc))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已裁定：{conflict.subject}")
    return redirect(reverse("leads:conflicts") + f"#c{conflict.pk}")
