"""The desk's frame: login and logout, the dashboard, and the answers for refused or malformed requests."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from zhaoshang.common.money import YI, pct1, round_half_up
from zhaoshang.stats.cache import cached_figure, cached_stats_report, figures_stamp
from zhaoshang.units.models import Unit

from .periods import period_choices, period_from, period_key
from .selectors import BadFilter, at_risk_projects, monthly_trend


def bad_request(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "400.html", {"exception": message}, status=400)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    message = "表单已过期或缺少安全校验（CSRF），请刷新页面后重新提交。"
    return render(request, "403.html", {"exception": message}, status=403)


class ChineseAuthenticationForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码不正确。",
        "inactive": "该账号已停用。",
    }


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    form_class = ChineseAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["failure_limit"] = settings.AXES_FAILURE_LIMIT
        ctx["cooloff"] = settings.AXES_COOLOFF_TIME
        return ctx


class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


def yi_number(value: Decimal | None) -> float | None:
    """A figure in 亿美元 for a chart's axis (charts need numbers; the text beside them uses fmt_yi)."""
    return None if value is None else float(round_half_up(Decimal(value) / YI, 2))


pct_number = pct1


def forecast_panel_url(period: Any) -> str | None:
    """The forecast panel for the dashboard's period: as of its last month when it runs from January (1-N月)."""
    if not apps.is_installed("zhaoshang.forecast"):
        return None
    url = reverse("forecast:panel")
    if period.is_year_to_date and period.last.month < 12:
        url += f"?as_of={period.last:%Y-%m}"
    return url


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    stamp = figures_stamp()  # the business date and the figures' version, read once for every figure below
    as_of = stamp[0]
    try:
        period = period_from(request.GET, as_of)
    except BadFilter as exc:
        return bad_request(request, str(exc))
    scope = (request.GET.get("scope") or "").strip()
    if scope not in ("", "city"):
        return bad_request(request, f"参数 scope“{scope[:20]}”无法识别：应为 city 或留空")
    unit: Unit | None = None
    if code := (request.GET.get("unit") or "").strip():
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            return bad_request(request, f"招商主体“{code[:20]}”不存在")
    elif scope != "city":
        unit = getattr(request.user, "unit", None)
    report = cached_stats_report(period, stamp=stamp)
    if unit is not None:
        return _unit_dashboard(request, unit, report, period)
    region_names = dict(Unit.objects.values_list("pk", "region__name"))
    units = [r.unit for r in report.units]
    trend = cached_figure(
        "monthly_trend",
        lambda: monthly_trend(period, report.caliber, units),
        period.last,
        repr(report.caliber),
        tuple(u.pk for u in units),
        stamp=stamp,
    )
    ranking = sorted(report.units, key=lambda r: (r.rank or 99, r.unit.sort_order))
    counties = [r for r in report.units if not r.unit.is_zone]
    zones = [r for r in report.units if r.unit.is_zone]
    s = report.standing
    charts = {
        "year": period.last.year,
        "trend": {
            "months": [f"{p.month}月" for p in trend],
            "current": [yi_number(p.actual_use) for p in trend],
            "previous": [yi_number(p.actual_use_prev) for p in trend],
        },
        "map": [
            {
                "name": region_names.get(r.unit.pk, r.unit.name),
                "value": yi_number(r.figures.actual_use),
                "unit": r.unit.short_name,
            }
            for r in counties
        ],
        "ranking": [{"name": r.unit.short_name, "value": yi_number(r.figures.actual_use)} for r in ranking],
        "province": [
            {"name": c.name, "value": yi_number(c.actual_use), "home": c.is_home, "rank": c.rank} for c in s.cities
        ],
        "progress": [
            {
                "name": r.unit.short_name,
                "progress": pct_number(r.target.progress_pct),
                "behind": r.target.behind,
            }
            for r in report.units
        ],
        "time_progress": pct_number(report.city_target.time_progress_pct),
    }
    risk_count, risk_list = at_risk_projects(on=report.as_of)
    from zhaoshang.stats.selectors import pending_actual_use

    from .selectors import queue_context

    pending_usd = None
    if report.caliber.verified:
        pending_usd = cached_figure(
            "pending_actual_use",
            lambda: pending_actual_use(period, report.caliber),
            period.first,
            period.last,
            repr(report.caliber),
            stamp=stamp,
        )
    aftercare = None
    if apps.is_installed("zhaoshang.aftercare"):
        from zhaoshang.aftercare.selectors import dashboard_block

        aftercare = dashboard_block(request.user, on=report.as_of)
    return render(
        request,
        "web/dashboard.html",
        {
            "active": "dashboard",
            "page_title": "工作台",
            "report": report,
            "city": report.city,
            "standing": s,
            "ranking": ranking,
            "zones": zones,
            "counties": counties,
            "charts": charts,
            "risk_count": risk_count,
            "risk_list": risk_list,
            "pending_usd": pending_usd,
            "aftercare": aftercare,
            **queue_context(request.user),
            "period": period,
            "period_key": period_key(period),
            "period_choices": period_choices(report.as_of, period),
            "as_of": report.as_of,
            "forecast_panel": forecast_panel_url(period),
            "own_unit": getattr(request.user, "unit", None),
            "keep_scope": scope == "city",
        },
    )


def _unit_dashboard(request: HttpRequest, unit: Unit, report: Any, period: Any) -> HttpResponse:
    """A unit's own landing page: its figures, rank and target, its pipeline by stage, and the user's tasks."""
    from .selectors import unit_pipeline
    from .tasks import remember_count, tasks_for

    row = next((r for r in report.units if r.unit.pk == unit.pk), None)
    tasks = tasks_for(request.user)
    remember_count(request.user, len(tasks))
    pipeline = unit_pipeline(unit)
    return render(
        request,
        "web/unit_dashboard.html",
        {
            "active": "dashboard",
            "page_title": f"{unit.short_name or unit.name}工作台",
            "unit": unit,
            "row": row,
            "units_ranked": len([r for r in report.units if r.rank]),
            "report": report,
            "pipeline": pipeline,
            "pipeline_total": sum(p.projects for p in pipeline),
            "tasks": tasks[:12],
            "task_total": len(tasks),
            "period": period,
            "period_key": period_key(period),
            "period_choices": period_choices(report.as_of, period),
            "as_of": report.as_of,
            "keep_unit": unit.code if request.GET.get("unit") else "",
        },
    )
