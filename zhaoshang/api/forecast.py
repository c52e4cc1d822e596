"""The forecast through the JSON API: the same JSON as `zhaoshang forecast --format json`, the back-test, and a
project's expectations (read and set)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from zhaoshang.forecast import selectors
from zhaoshang.forecast.backtest import cached_backtest
from zhaoshang.forecast.models import ProjectExpectation
from zhaoshang.forecast.services import expectation_set, parse_likelihood, parse_month
from zhaoshang.projects.models import Project

router = Router(tags=["预测"])


class RangeOut(Schema):
    mean: str
    p10: str
    p90: str
    ytd: str


class CityForecastOut(RangeOut):
    target: str | None
    p_target: float | None


class UnitForecastOut(CityForecastOut):
    code: str
    name: str


class DeciderOut(Schema):
    code: str
    name: str
    unit: str
    stage: str
    expected: str
    unpaid: str
    scenario: str
    p_before: float | None
    p_after: float | None
    officer: str


class BackcastOut(Schema):
    as_of: str
    pipeline: str
    calendar: str
    actual: str


class OtherCityOut(Schema):
    code: str
    name: str
    ytd: str
    expected: str


class MonthOut(Schema):
    month: str
    actual: str


class StageOut(Schema):
    stage: str
    label: str
    projects: int
    reach_arrival_pct: float
    median_delay_months: int | None


class ForecastOut(Schema):
    as_of: str
    year: int
    caliber: str
    indicator: str
    sims: int
    seed: int
    weight_pipeline: float
    backcast: BackcastOut | None
    city: CityForecastOut
    units: list[UnitForecastOut]
    rank_probabilities: dict[str, float]
    others: list[OtherCityOut]
    deciders: list[DeciderOut]
    months: list[MonthOut]
    stages: list[StageOut]
    notes: list[str]


class BacktestRowOut(Schema):
    month: str
    forecast: str
    p10: str
    p90: str
    actual: str
    error_pct: float


class MapeOut(Schema):
    model: float
    run_rate: float
    seasonal: float | None


class BacktestOut(Schema):
    as_of: list[BacktestRowOut]
    mape: MapeOut
    coverage_80: int


class ExpectationOut(Schema):
    project: str
    expected_signing: str | None
    expected_registration: str | None
    expected_first_arrival: str | None
    likelihood: str
    likelihood_label: str
    note: str


class ExpectationIn(Schema):
    expected_signing: str | None = None
    expected_registration: str | None = None
    expected_first_arrival: str | None = None
    likelihood: str | None = None
    note: str = ""
    reason: str = ""


@router.get(
    "/forecast",
    summary="全年实际使用外资预测：预计值、80%区间、完成任务与全省位次的概率、决定全年的项目",
    response=ForecastOut,
)
def forecast(request: HttpRequest, as_of: str | None = None, unit: str | None = None) -> dict[str, Any]:
    month = selectors.parse_as_of(as_of) if as_of else selectors.default_as_of()
    return selectors.cached_forecast(month, unit_code=unit or None).to_json()


@router.get("/forecast/backtest", summary="预测回测：以某年每个月末为预测时点", response=BacktestOut)
def backtest(request: HttpRequest, year: int) -> dict[str, Any]:
    return cached_backtest(year).to_json()


def _expectation_json(project: Project, exp: ProjectExpectation | None) -> dict[str, Any]:
    def month(d: Any) -> str | None:
        return None if d is None else f"{d:%Y-%m}"

    return {
        "project": project.code,
        "expected_signing": month(exp.expected_signing) if exp else None,
        "expected_registration": month(exp.expected_registration) if exp else None,
        "expected_first_arrival": month(exp.expected_first_arrival) if exp else None,
        "likelihood": exp.likelihood if exp else "",
        "likelihood_label": exp.get_likelihood_display() if exp and exp.likelihood else "",
        "note": exp.note if exp else "",
    }


@router.get(
    "/projects/{code}/expectation",
    summary="项目预期（预计签约、设立、首笔到资月份与落地可能性）",
    response=ExpectationOut,
)
def expectation(request: HttpRequest, code: str) -> dict[str, Any]:
    project = get_object_or_404(Project, code=code)
    return _expectation_json(project, ProjectExpectation.objects.filter(project=project).first())


@router.put("/projects/{code}/expectation", summary="填写或修改项目预期", response=ExpectationOut)
def expectation_put(request: HttpRequest, code: str, body: ExpectationIn) -> dict[str, Any]:
    project = get_object_or_404(Project, code=code)
    exp = expectation_set(
        project=project,
        actor=request.user,
        expected_signing=parse_month(body.expected_signing, field="expected_signing"),
        expected_registration=parse_month(body.expected_registration, field="expected_registration"),
        expected_first_arrival=parse_month(body.expected_first_arrival, field="expected_first_arrival"),
        likelihood=parse_likelihood(body.likelihood),
        note=body.note,
        reason=body.reason,
    )
    return _expectation_json(project, exp)
