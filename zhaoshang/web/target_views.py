"""The targets page: each unit's annual targets and progress; the city administrator sets them here."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from zhaoshang.accounts.permissions import can
from zhaoshang.common.clock import today
from zhaoshang.common.periods import MonthRange, year_in_bounds
from zhaoshang.stats.cache import cached_stats_report
from zhaoshang.stats.indicators import BY_KEY, TARGETABLE
from zhaoshang.stats.indicators import value as registry_value
from zhaoshang.stats.selectors import Figures, progress, targets_for
from zhaoshang.stats.services import target_set

from .forms import MONEY_TARGETS, TargetForm, apply_service_error
from .views import bad_request


def _year(request: HttpRequest, default: int) -> int:
    text = (request.GET.get("year") or "").strip()
    if not text:
        return default
    if not text.isdigit() or not year_in_bounds(int(text)):
        raise ValueError(f"年度“{text[:20]}”无法识别：应为 2020 这样的年份")
    return int(text)


@login_required
def targets(request: HttpRequest) -> HttpResponse:
    as_of = today()
    try:
        year = _year(request, as_of.year)
    except ValueError as exc:
        return bad_request(request, str(exc))
    may_set = can(request.user, "target.write")  # type: ignore[arg-type]
    form = TargetForm(initial={"year": year, "indicator": "actual_use_usd"}) if may_set else None
    status = 200
    if request.method == "POST":
        if not may_set:
            raise PermissionDenied("只有市局管理员可以设定任务")
        form = TargetForm(request.POST)
        if form.is_valid():
            try:
                target_set(
                    year=form.cleaned_data["year"],
                    indicator=form.cleaned_data["indicator"],
                    value=form.target_value(),
                    unit=form.target_unit(),
                    note=form.cleaned_data.get("note", ""),
                    actor=request.user,
                )
            except ValidationError as exc:
                apply_service_error(form, exc)
            else:
                messages.success(request, "任务已保存")
                return redirect(f"{reverse('web:targets')}?year={form.cleaned_data['year']}")
        status = 400
    elif request.method != "GET":
        return HttpResponse(status=405)

    # Progress to date: through the as-of month in the current year, the whole year for a past one.
    last_month = as_of.month if year == as_of.year else 12
    period = MonthRange.year_to_month(year, last_month)
    report = cached_stats_report(period)
    table = targets_for(year)
    margin = report.caliber.behind_margin_pp

    def cells(unit_id: int | None, figures: Figures) -> list[dict[str, Any]]:
        out = []
        for key in TARGETABLE:
            achieved = registry_value(figures, key)
            p = progress(table.get((unit_id, key)), achieved, period, margin)
            out.append({"key": key, "money": key in MONEY_TARGETS, "p": p})
        return out

    rows = [
        {"name": r.unit.short_name, "code": r.unit.code, "cells": cells(r.unit.pk, r.figures)} for r in report.units
    ]
    rows.append({"name": f"{report.city_region.name}（全市）", "code": "", "cells": cells(None, report.city)})
    return render(
        request,
        "web/targets.html",
        {
            "active": "targets",
            "page_title": "目标任务",
            "year": year,
            "years": list(range(as_of.year, as_of.year - 3, -1)),
            "period": period,
            "indicators": [BY_KEY[k].label for k in TARGETABLE],
            "rows": rows,
            "time_progress": report.city_target.time_progress_pct,
            "form": form,
            "may_set": may_set,
            "as_of": as_of,
        },
        status=status,
    )
