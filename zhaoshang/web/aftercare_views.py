"""存量企业 pages: the roster with its filters, one enterprise (figures over the years as a chart, visits, requests,
signals) with its write forms, the requests' board of a unit or the city, and the ranked lists of a unit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from zhaoshang.accounts.models import Role
from zhaoshang.accounts.permissions import can
from zhaoshang.aftercare import selectors as sel
from zhaoshang.aftercare import services
from zhaoshang.aftercare.models import (
    EXPANSION_INTENTIONS,
    Intention,
    RequestCategory,
    RequestStatus,
    RosterEntry,
    Satisfaction,
    ServiceRequest,
    Visit,
)
from zhaoshang.common.clock import today
from zhaoshang.projects.models import Country, Industry
from zhaoshang.units.models import Unit

from .forms import DATE_WIDGET, apply_service_error, wan_to_units
from .views import bad_request

PAGE_SIZE = 30


# ---------------------------------------------------------------- forms (shape input; the services check again)


class VisitForm(forms.Form):
    on = forms.DateField(label="走访日期", widget=DATE_WIDGET)
    met = forms.CharField(label="会见对象", max_length=128)
    learned = forms.CharField(label="了解情况", widget=forms.Textarea(attrs={"rows": 3}))
    intention = forms.ChoiceField(label="企业意向", choices=Intention.choices, initial=Intention.NONE)
    intention_note = forms.CharField(label="意向说明", max_length=200, required=False)
    next_on = forms.DateField(label="下次走访日期", widget=DATE_WIDGET, required=False)


class RequestForm(forms.Form):
    category = forms.ChoiceField(label="诉求类别", choices=RequestCategory.choices)
    description = forms.CharField(label="诉求内容", widget=forms.Textarea(attrs={"rows": 3}))
    department = forms.CharField(label="承办部门", max_length=64)
    received_on = forms.DateField(label="受理日期", widget=DATE_WIDGET)
    deadline = forms.DateField(label="办理时限", widget=DATE_WIDGET)


class RosterForm(forms.Form):
    officer = forms.ChoiceField(label="服务专员", choices=(), required=False)
    leader = forms.CharField(label="包联领导", max_length=32, required=False)

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from django.db.models import Q

        from zhaoshang.accounts.models import User

        people = User.objects.filter(
            Q(unit=unit) | Q(unit__isnull=True), is_active=True, role__in=["city_admin", "unit_staff"]
        )
        field = self.fields["officer"]
        field.choices = [("", "（未指定）")] + [  # type: ignore[attr-defined]
            (u.username, u.display_name) for u in people.exclude(username="system").order_by("username")
        ]


class RequestStepForm(forms.Form):
    request_id = forms.IntegerField(widget=forms.HiddenInput)
    on = forms.DateField(label="日期", widget=DATE_WIDGET)
    text = forms.CharField(label="办理结果或无法解决原因", max_length=2000, required=False)
    satisfaction = forms.ChoiceField(
        label="企业满意度", choices=[("", "（未评价）"), *Satisfaction.choices], required=False
    )


class ConvertForm(forms.Form):
    visit_id = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label="项目类型", choices=[("increase", "增资"), ("reinvest", "利润再投资")])
    name = forms.CharField(label="项目名称", max_length=128)
    total_investment = forms.DecimalField(label="总投资（万美元）", min_value=Decimal(0), decimal_places=2)
    on = forms.DateField(label="洽谈日期", widget=DATE_WIDGET)


# ---------------------------------------------------------------- pages


def _filters(request: HttpRequest) -> sel.RosterFilters:
    g = request.GET
    signal = (g.get("signal") or "").strip()
    if signal and signal not in sel.SIGNALS and signal not in (sel.EXPANSION, sel.RISK):
        raise ValueError(f"信号“{signal}”不存在")
    return sel.RosterFilters(
        unit=(g.get("unit") or "").strip(),
        industry=(g.get("industry") or "").strip()[:5],
        country=(g.get("country") or "").strip()[:3],
        signal=signal,
        officer=(g.get("officer") or "").strip()[:150],
        q=(g.get("q") or "").strip()[:64],
    )


def _units_for(user: Any) -> list[Unit]:
    units = Unit.objects.filter(is_active=True).order_by("sort_order", "code")
    if getattr(user, "role", None) == Role.UNIT_STAFF and not user.is_superuser:
        units = units.filter(pk=user.unit_id)
    return list(units)


@login_required
@require_GET
def enterprise_index(request: HttpRequest) -> HttpResponse:
    try:
        filters = _filters(request)
    except ValueError as exc:
        return bad_request(request, str(exc))
    on = today()
    rows = sel.roster_list(request.user, filters, on=on)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    sel.with_signals(list(page.object_list), on=on)
    where = sel.visible_q(request.user)
    officers = (
        []
        if where is None
        else RosterEntry.objects.filter(where)
        .exclude(officer__isnull=True)
        .values_list("officer__username", "officer__full_name")
        .distinct()
        .order_by("officer__username")
    )
    return render(
        request,
        "web/enterprises.html",
        {
            "active": "enterprises",
            "page_title": "存量外资企业",
            "filters": filters,
            "page": page,
            "total": page.paginator.count,
            "units": _units_for(request.user),
            "industries": Industry.objects.filter(level=Industry.Level.DIVISION).order_by("code"),
            "countries": Country.objects.filter(investors__roster_entries__isnull=False).distinct().order_by("code"),
            "officers": list(officers),
            "signals": [(k, v) for k, v in sel.SIGNAL_LABELS.items()],
            "as_of": on,
        },
    )


def _entry(request: HttpRequest, key: str) -> RosterEntry:
    entry = sel.entry_by_key(key)
    if entry is None:
        raise Http404(f"名录中没有企业“{key[:20]}”")
    if not sel.can_read_entry(request.user, entry):
        raise PermissionDenied(f"您不能查看{entry.enterprise.unit.name}的企业")
    return entry


def _blank_forms(entry: RosterEntry, user: Any) -> dict[str, forms.Form]:
    on = today()
    out: dict[str, forms.Form] = {}
    unit = entry.enterprise.unit
    if can(user, "visit.write", unit):
        out["visit"] = VisitForm(initial={"on": on})
    if can(user, "request.write", unit):
        out["request"] = RequestForm(initial={"received_on": on})
    if can(user, "roster.write", unit):
        out["roster"] = RosterForm(
            unit=unit,
            initial={"officer": entry.officer.username if entry.officer else "", "leader": entry.leader},
        )
    return out


def _detail_context(request: HttpRequest, entry: RosterEntry, forms_: dict[str, forms.Form]) -> dict[str, Any]:
    on = today()
    rows, chart = sel.figures_over_years(entry)
    signals = sel.signals_for([entry], on=on)[entry.pk]
    unit = entry.enterprise.unit
    visits = sel.visits_of(entry)
    user: Any = request.user
    can_request = can(user, "request.write", unit)
    can_convert = can(user, "visit.write", unit) and can(user, "project.write", unit)
    return {
        "active": "enterprises",
        "page_title": entry.enterprise.name,
        "entry": entry,
        "key": sel.entry_key(entry),
        "countries": sel.country_names(entry),
        "group": sel.group_name(entry),
        "years": rows,
        "chart": chart,
        "signals": signals,
        "expansion": [s for s in signals if s.kind == sel.EXPANSION],
        "risk": [s for s in signals if s.kind == sel.RISK],
        "projects": sel.enterprise_projects(entry),
        "visits": visits,
        "convertible": {v.pk for v in visits if v.intention in EXPANSION_INTENTIONS and v.project_id is None}
        if can_convert
        else set(),
        "requests": sel.requests_of(entry, on=on),
        "can_request": can_request,
        "forms": forms_,
        "step_form": RequestStepForm(initial={"on": on}),
        "convert_form": ConvertForm(initial={"on": on}),
        "as_of": on,
    }


@login_required
@require_GET
def enterprise_detail(request: HttpRequest, key: str) -> HttpResponse:
    entry = _entry(request, key)
    return render(
        request, "web/enterprise_detail.html", _detail_context(request, entry, _blank_forms(entry, request.user))
    )


ACTIONS = {
    "visit": ("visit.write", VisitForm, "登记走访"),
    "request": ("request.write", RequestForm, "受理诉求"),
    "start": ("request.write", RequestStepForm, "开始办理"),
    "close": ("request.write", RequestStepForm, "办结"),
    "unsolvable": ("request.write", RequestStepForm, "标记无法解决"),
    "convert": ("visit.write", ConvertForm, "意向转为项目"),
    "roster": ("roster.write", RosterForm, "修改服务专员与包联领导"),
}


@login_required
@require_POST
def enterprise_action(request: HttpRequest, key: str, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404("操作不存在")
    entry = _entry(request, key)
    permission, form_class, label = ACTIONS[action]
    if not can(request.user, permission, entry.enterprise.unit):  # type: ignore[arg-type]
        raise PermissionDenied(f"您没有权限对{entry.enterprise.unit.name}的企业执行“{label}”")
    form = form_class(request.POST, unit=entry.enterprise.unit) if action == "roster" else form_class(request.POST)
    done = ""
    if form.is_valid():
        try:
            done = _perform(action, entry, form.cleaned_data, request.user)
        except ValidationError as exc:
            apply_service_error(form, exc, {"answer": "text", "reason": "text", "status": "__all__"})
        else:
            messages.success(request, f"已{label}：{entry.enterprise.name}{done}")
            return redirect(reverse("web:enterprise", args=[sel.entry_key(entry)]))
    forms_ = _blank_forms(entry, request.user)
    ctx = _detail_context(request, entry, forms_)
    if action in forms_:
        forms_[action] = form
    else:
        ctx["failed_step"] = {"action": action, "label": label, "form": form}
    return render(request, "web/enterprise_detail.html", ctx, status=400)


def _request_of(entry: RosterEntry, pk: int) -> ServiceRequest:
    found = ServiceRequest.objects.filter(entry=entry, pk=pk).select_related("entry__enterprise__unit").first()
    if found is None:
        raise ValidationError({"request_id": [f"诉求“{pk}”不是该企业的诉求"]})
    return found


def _perform(action: str, entry: RosterEntry, data: dict[str, Any], actor: Any) -> str:
    if action == "visit":
        services.visit_log(
            entry=entry,
            on=data["on"],
            met=data["met"],
            learned=data["learned"],
            intention=data["intention"],
            intention_note=data.get("intention_note", ""),
            next_on=data.get("next_on"),
            actor=actor,
        )
    elif action == "roster":
        from zhaoshang.accounts.models import User

        officer = User.objects.filter(username=data["officer"]).first() if data.get("officer") else None
        services.roster_update(
            entry=entry, officer=officer, leader=data.get("leader", ""), reason="修改服务专员与包联领导", actor=actor
        )
    elif action == "request":
        services.request_open(
            entry=entry,
            category=data["category"],
            description=data["description"],
            department=data["department"],
            received_on=data["received_on"],
            deadline=data["deadline"],
            actor=actor,
        )
    elif action in ("start", "close", "unsolvable"):
        req = _request_of(entry, data["request_id"])
        on: date = data["on"]
        if action == "start":
            services.request_start(request=req, on=on, actor=actor)
        elif action == "close":
            services.request_close(
                request=req, on=on, answer=data.get("text", ""), satisfaction=data.get("satisfaction", ""), actor=actor
            )
        else:
            services.request_unsolvable(
                request=req, on=on, reason=data.get("text", ""), satisfaction=data.get("satisfaction", ""), actor=actor
            )
    else:
        visit = Visit.objects.filter(entry=entry, pk=data["visit_id"]).select_related("entry__enterprise__unit").first()
        if visit is None:
            raise ValidationError({"visit_id": [f"走访“{data['visit_id']}”不是该企业的走访"]})
        total = wan_to_units(data["total_investment"], "total_investment")
        project = services.intention_convert(
            visit=visit,
            kind=data["kind"],
            name=data["name"],
            on=data["on"],
            total_investment=total,
            contract_foreign=total,
            actor=actor,
        )
        return f"（项目 {project.code}）"
    return ""


def _unit_param(request: HttpRequest) -> Unit | None:
    code = (request.GET.get("unit") or "").strip()
    if not code:
        user = request.user
        if getattr(user, "role", None) == Role.UNIT_STAFF and getattr(user, "unit_id", None):
            return user.unit  # type: ignore[union-attr]
        return None
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise ValueError(f"招商主体代码“{code[:20]}”不存在")
    if not can(request.user, "enterprise.read", unit):  # type: ignore[arg-type]
        raise PermissionDenied(f"您不能查看{unit.name}的企业")
    return unit


@login_required
@require_GET
def request_board(request: HttpRequest) -> HttpResponse:
    try:
        unit = _unit_param(request)
    except ValueError as exc:
        return bad_request(request, str(exc))
    on = today()
    board = sel.request_board(request.user, unit=unit, on=on)
    return render(
        request,
        "web/enterprise_requests.html",
        {
            "active": "enterprises",
            "page_title": f"{unit.name if unit else '全市'}企业诉求",
            "board": board,
            "unit": unit,
            "units": _units_for(request.user),
            "city_days": sel.CITY_ESCALATION_DAYS,
            "statuses": RequestStatus,
            "as_of": on,
        },
    )


@login_required
@require_GET
def signal_board(request: HttpRequest) -> HttpResponse:
    try:
        unit = _unit_param(request)
    except ValueError as exc:
        return bad_request(request, str(exc))
    on = today()
    lists = sel.ranked_lists(request.user, unit=unit, on=on)
    return render(
        request,
        "web/enterprise_signals.html",
        {
            "active": "enterprises",
            "page_title": f"{unit.name if unit else '全市'}存量企业信号",
            "unit": unit,
            "units": _units_for(request.user),
            "expansion": lists[sel.EXPANSION],
            "risk": lists[sel.RISK],
            "board": sel.request_board(request.user, unit=unit, on=on),
            "block": sel.dashboard_block(request.user, on=on) if unit is None else None,
            "year": on.year,
            "as_of": on,
        },
    )
