"""The forecast's pages: the dashboard panel (fan chart, range, rank probabilities), the back-test page, and a
project's expectations (shown and edited on the project page)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from zhaoshang.accounts.permissions import can
from zhaoshang.common.clock import today
from zhaoshang.common.validation import first_message
from zhaoshang.projects.models import Project

from . import selectors
from .backtest import cached_backtest
from .models import Likelihood, ProjectExpectation
from .services import expectation_set, parse_likelihood, parse_month
from .wording import bulletin_paragraph


def _yi(value: Any) -> float:
    return round(float(value) / 1e8, 2)


def chart_data(f: selectors.Forecast) -> dict[str, Any]:
    """What the fan chart draws, in 亿美元: the year so far month by month (cumulative), then from the as-of month to
    December the expected path and its 10–90% band."""
    cum = 0.0
    actual = []
    for m in f.months:
        cum += float(m["actual"])
        actual.append(round(cum / 1e8, 2))
    months = [f"{i}月" for i in range(1, 13)]
    n = len(actual)
    mean, p10, p90 = _yi(f.city.mean), _yi(f.city.p10), _yi(f.city.p90)
    last = actual[-1] if actual else 0.0
    steps = 12 - n
    path: list[float | None] = [None] * (n - 1)
    low: list[float | None] = [None] * (n - 1)
    high: list[float | None] = [None] * (n - 1)
    for j in range(0, steps + 1):
        share = j / steps if steps else 1.0
        path.append(round(last + (mean - last) * share, 2))
        low.append(round(last + (p10 - last) * share, 2))
        high.append(round(last + (p90 - last) * share, 2))
    return {
        "months": months,
        "actual": actual + [None] * steps,
        "mean": path,
        "low": low,
        "band": [None if lo is None or hi is None else round(hi - lo, 2) for lo, hi in zip(low, high, strict=True)],
        "target": None if f.city_target is None else _yi(f.city_target),
        "ranks": [{"rank": int(k), "p": v} for k, v in sorted(f.rank_probabilities.items())],
    }


@login_required
def panel(request: HttpRequest) -> HttpResponse:
    """The dashboard's forecast panel (loaded into the dashboard after the page, so the page never waits for it)."""
    unit = request.GET.get("unit") or None
    try:
        as_of = selectors.parse_as_of(request.GET["as_of"]) if request.GET.get("as_of") else selectors.default_as_of()
        f = selectors.cached_forecast(as_of, unit_code=unit)
    except ValidationError as exc:
        return render(request, "forecast/panel.html", {"error": first_message(exc)})
    return render(
        request,
        "forecast/panel.html",
        {"f": f, "chart": chart_data(f), "paragraph": bulletin_paragraph(f), "unit": unit},
    )


@login_required
def backtest_page(request: HttpRequest) -> HttpResponse:
    default_year = today().year - (0 if today().month == 12 and today().day == 31 else 1)
    text = request.GET.get("year") or str(default_year)
    context: dict[str, Any] = {"page_title": "预测回测", "active": "dashboard", "year": text}
    try:
        year = int(text)
        if not 1990 <= year <= 2100:
            raise ValueError(text)
    except ValueError:
        context["error"] = f"年份“{text}”无法识别：应写作 2020"
        return render(request, "forecast/backtest.html", context, status=400)
    try:
        result = cached_backtest(year)
    except ValidationError as exc:
        context["error"] = first_message(exc)
        return render(request, "forecast/backtest.html", context, status=400)
    data = result.to_json()
    rows = [{**row, "covered": r.covered} for row, r in zip(data["as_of"], result.rows, strict=True)]
    context.update({"result": result, "summary": result.summary(), "json": data, "rows": rows})
    return render(request, "forecast/backtest.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def expectation(request: HttpRequest, code: str) -> HttpResponse:
    """A project's expectations beside the learned default; a POST sets them (the project's own right applies)."""
    project = get_object_or_404(Project.objects.select_related("unit"), code=code)
    exp = ProjectExpectation.objects.filter(project=project).first()
    error = ""
    saved = False
    if request.method == "POST":
        if not can(request.user, "project.write", project.unit):  # type: ignore[arg-type]
            raise PermissionDenied(f"您没有权限修改{project.unit.name}的项目预期")
        try:
            exp = expectation_set(
                project=project,
                actor=request.user,
                expected_signing=parse_month(request.POST.get("expected_signing"), field="expected_signing"),
                expected_registration=parse_month(
                    request.POST.get("expected_registration"), field="expected_registration"
                ),
                expected_first_arrival=parse_month(
                    request.POST.get("expected_first_arrival"), field="expected_first_arrival"
                ),
                likelihood=parse_likelihood(request.POST.get("likelihood")),
                note=request.POST.get("note", ""),
            )
            saved = True
        except ValidationError as exc:
            error = first_message(exc)
    return render(
        request,
        "forecast/expectation.html",
        {
            "project": project,
            "exp": exp,
            "learned": selectors.learned_default(project),
            "can_edit": can(request.user, "project.write", project.unit),  # type: ignore[arg-type]
            "likelihoods": Likelihood.choices,
            "error": error,
            "saved": saved,
            "posted": request.POST if error else None,
        },
        status=400 if error else 200,
    )
