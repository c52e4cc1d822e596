"""The forecast for an as-of month: year-end actual use per unit and for the city, its range, the chance of meeting
the target and of each provincial rank, and the projects that decide it.

Two routes to the rest of the year, each simulated with the same seed and number of runs:
- the **pipeline** route (`model.simulate`): every project in the registry at the as-of date, by its stage, its
  learned chance and timing, plus what arrives from outside the pipeline;
- the **calendar** route: the year so far, extended by past years' seasonal shares.
Each run follows one route, the pipeline with weight w, where w is learned from how well each route forecast the
same year-end a year earlier (a back-cast fitted only on data before that date): w = e_c² ÷ (e_p² + e_c²) on the
routes' log errors. When the routes disagree, the range covers both; when they agree, it is narrow.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError

from zhaoshang.common.clock import today
from zhaoshang.common.money import YI, fmt_yi, quantize_cents
from zhaoshang.common.periods import add_months, month_start, year_in_bounds
from zhaoshang.stats.caliber import Caliber
from zhaoshang.stats.models import ProvinceFigure, ProvinceIndicator, Target
from zhaoshang.stats.selectors import city_units
from zhaoshang.units.models import Unit
from zhaoshang.units.selectors import home_city, province_cities, unit_by_code

from .model import DEFAULT_SIMS, SEED, Fitted, Simulation, _project_plan, active_projects, fit, plan, simulate
from .snapshot import Snapshot, from_month_no, month_no, registry_at, rewind

BACKCAST_FLOOR = 0.02  # a route's log error is taken as at least 2%, so one lucky year cannot take all the weight
TOP_PROJECTS = 5  # counterfactuals are computed for this many projects only


def _money(x: float) -> Decimal:
    return quantize_cents(Decimal(str(round(x, 2))))


def parse_as_of(text: str) -> date:
    """'2020-06', '2020-6', '2020年6月' → the first of the month; anything else is refused in Chinese."""
    s = (text or "").strip().replace("年", "-").replace("月", "").replace("/", "-")
    parts = s.split("-")
    try:
        year, month = int(parts[0]), int(parts[1])
        if not (year_in_bounds(year) and 1 <= month <= 12):
            raise ValueError(s)
    except (ValueError, IndexError):
        raise ValidationError({"as_of": [f"预测时点“{text}”无法识别：应写作 2020-06"]}) from None
    return date(year, month, 1)


def check_as_of(as_of: date) -> None:
    """An as-of month must have ended by the business date, and must not be December (nothing left to forecast)."""
    business = today()
    if month_start(as_of) > month_start(business):
        raise ValidationError(
            {"as_of": [f"预测时点“{as_of:%Y-%m}”晚于业务日期 {business:%Y-%m-%d}：只能以已经过去的月份为预测时点"]}
        )
    if as_of.month == 12:
        raise ValidationError({"as_of": [f"预测时点“{as_of:%Y-%m}”为12月：全年已结束，无需预测，请查看统计"]})


# ------------------------------------------------------------------------------------------------ routes


def cumulative_share(fitted: Fitted, as_of_no: int) -> float:
    months = np.arange((as_of_no // 12) * 12, as_of_no + 1) % 12
    return float(fitted.seasonal[months].sum() / 12)


def calendar_draws(ytd: float, fitted: Fitted, sims: int, rng: np.random.Generator, shocks: np.ndarray) -> np.ndarray:
    """The rest of the year by the calendar route, `sims` runs: the year so far ÷ its seasonal share, spread over
    the remaining months by season, each month scaled by the shared shock."""
    a = fitted.as_of_no
    horizon = 11 - a % 12
    share = cumulative_share(fitted, a)
    if horizon <= 0 or share <= 0 or ytd <= 0:
        return np.zeros(sims)
    level = ytd / share / 12
    months = np.array([(a + 1 + j) % 12 for j in range(horizon)])
    monthly = level * fitted.seasonal[months]
    return (monthly[None, :] * shocks).sum(axis=1)


def calendar_expected(ytd: float, fitted: Fitted) -> float:
    a = fitted.as_of_no
    share = cumulative_share(fitted, a)
    if share <= 0 or ytd <= 0:
        return 0.0
    return ytd / share - ytd


def pipeline_expected(snapshot: Snapshot, fitted: Fitted, unit_ids: set[int]) -> float:
    a = fitted.as_of_no
    horizon = 11 - a % 12
    if horizon <= 0:
        return 0.0
    actives = [p for p in active_projects(snapshot) if p.unit_id in unit_ids]
    total = float(plan(actives, fitted, horizon).expected.sum())
    months = [(a + 1 + j) % 12 for j in range(horizon)]
    for u in unit_ids:
        outside = fitted.outside.get(u)
        if outside is not None:
            total += float(outside[months].sum())
    return total


def ytd_of(snapshot: Snapshot, unit_ids: set[int]) -> float:
    a = snapshot.as_of_no
    start = (a // 12) * 12
    return sum(
        float(v)
        for n, per_unit in snapshot.monthly.items()
        if start <= n <= a
        for u, v in per_unit.items()
        if u in unit_ids
    )


@dataclass
class Backcast:
    as_of: date
    pipeline: float
    calendar: float
    actual: float

    def errors(self) -> tuple[float, float]:
        def err(x: float) -> float:
            if x <= 0 or self.actual <= 0:
                return 1.0
            return max(abs(math.log(x / self.actual)), BACKCAST_FLOOR)

        return err(self.pipeline), err(self.calendar)


def backcast(snapshot: Snapshot, unit_ids: set[int]) -> Backcast | None:
    """Both routes' year-end forecast from the same month a year earlier, fitted only on data up to then."""
    a = snapshot.as_of_no
    b = a - 12
    earlier = rewind(snapshot, from_month_no(b))
    if not earlier.projects or not any(n <= b for n in snapshot.monthly):
        return None
    if not any((b // 12) * 12 <= n <= b for n in snapshot.monthly):
        return None
    fitted = fit(earlier)
    ytd = ytd_of(earlier, unit_ids)
    year_end = (b // 12) * 12 + 11
    actual = sum(
        float(v)
        for n, per_unit in snapshot.monthly.items()
        if (b // 12) * 12 <= n <= year_end
        for u, v in per_unit.items()
        if u in unit_ids
    )
    return Backcast(
        as_of=from_month_no(b),
        pipeline=ytd + pipeline_expected(earlier, fitted, unit_ids),
        calendar=ytd + calendar_expected(ytd, fitted),
        actual=actual,
    )


def route_weight(bc: Backcast | None) -> float:
    if bc is None:
        return 0.5
    e_p, e_c = bc.errors()
    return e_c**2 / (e_p**2 + e_c**2)


# ------------------------------------------------------------------------------------------------ the province


@dataclass
class OtherCity:
    code: str
    name: str
    ytd: float
    expected: float
    draws: np.ndarray


def other_cities(as_of: date, fitted: Fitted, sims: int, rng: np.random.Generator) -> list[OtherCity]:
    """Other cities' published 1–N月 figures for the as-of year, extended to December by their own seasonality
    (last year's 1–N月 share of its whole year, when published) or else their run-rate, with the same monthly
    scatter as ours."""
    year = as_of.year
    home = home_city()
    figures = ProvinceFigure.objects.filter(
        indicator=ProvinceIndicator.ACTUAL_USE, first_month__month=1, first_month__year__in=[year - 1, year]
    ).values_list("region__code", "first_month", "last_month", "value")
    cum: dict[str, dict[date, float]] = {}
    for code, first, last, value in figures:
        if first.year != last.year or (last > as_of and last.year == year):
            continue
        cum.setdefault(code, {})[last] = float(value)
    out = []
    sigma = fitted.month_sigma
    for region in province_cities().exclude(pk=home.pk).order_by("code"):
        known = cum.get(region.code, {})
        this_year = [d for d in known if d.year == year]
        if not this_year:
            continue
        last = max(this_year)
        ytd = known[last]
        prev_n = known.get(last.replace(year=year - 1))
        prev_full = known.get(date(year - 1, 12, 1))
        share = prev_n / prev_full if prev_n and prev_full else last.month / 12
        rest = ytd / share - ytd if share > 0 else 0.0
        months_left = 12 - last.month
        level_sigma = sigma / math.sqrt(max(last.month, 1))
        spread = math.sqrt(level_sigma**2 + sigma**2 / max(months_left, 1)) if months_left else 0.0
        draws = ytd + rest * np.exp(spread * rng.standard_normal(sims) - spread**2 / 2)
        out.append(OtherCity(region.code, region.name, ytd, ytd + rest, draws))
    return out


def decisive_rank(ranks: np.ndarray) -> int:
    """The rank the deciding projects are judged against: the next rank up (争) when it is within reach (at least 5%
    of runs), else keeping the most likely one (保)."""
    modal = int(np.bincount(ranks).argmax())
    if modal > 1 and (ranks <= modal - 1).mean() >= 0.05:
        return modal - 1
    return modal


def typical_shortfall(home: np.ndarray, others: list[OtherCity], rank: int) -> float:
    """In the runs that miss `rank`, the median amount the city lacks to reach it, rounded up to US$1m: the size of
    the counterfactual arrival."""
    stack = np.sort(np.stack([c.draws for c in others]), axis=0)[::-1]
    if rank > len(others):
        return 0.0
    needed = stack[rank - 1]
    short = needed - home
    missing = short[short > 0]
    if len(missing) == 0:
        return 0.0
    return float(math.ceil(float(np.median(missing)) / 1_000_000) * 1_000_000)


def rank_draws(home: np.ndarray, others: list[OtherCity]) -> np.ndarray:
    """The home city's competition rank (1 = first) in each run."""
    if not others:
        return np.ones_like(home, dtype=int)
    stack = np.stack([c.draws for c in others])
    return 1 + (stack > home[None, :]).sum(axis=0)


# ------------------------------------------------------------------------------------------------ the forecast


@dataclass
class Range:
    mean: Decimal
    p10: Decimal
    p90: Decimal
    ytd: Decimal

    @classmethod
    def of(cls, draws: np.ndarray, ytd: float) -> Range:
        p10, p90 = np.percentile(draws, [10, 90])
        return cls(_money(float(draws.mean())), _money(float(p10)), _money(float(p90)), _money(ytd))

    def to_json(self) -> dict[str, str]:
        return {"mean": str(self.mean), "p10": str(self.p10), "p90": str(self.p90), "ytd": str(self.ytd)}


@dataclass
class UnitForecast:
    code: str
    name: str
    range: Range
    target: Decimal | None
    p_target: float | None


@dataclass
class Decider:
    code: str
    name: str
    unit: str
    stage: str
    expected: Decimal  # what the pipeline route expects it to bring before December (US$)
    unpaid: Decimal
    scenario: str = ""
    p_before: float | None = None
    p_after: float | None = None
    officer: str = ""  # the responsible officer's expectation, when one is recorded


@dataclass
class Forecast:
    as_of: date
    caliber: str
    sims: int
    seed: int
    weight_pipeline: float
    backcast: Backcast | None
    city: Range
    city_target: Decimal | None
    p_city_target: float | None
    units: list[UnitForecast]
    rank_probabilities: dict[int, float]
    next_rank: int | None
    others: list[dict[str, Any]]
    deciders: list[Decider]
    months: list[dict[str, Any]]
    stages: list[dict[str, Any]]
    unit_code: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def year(self) -> int:
        return self.as_of.year

    def to_json(self) -> dict[str, Any]:
        return {
            "as_of": f"{self.as_of:%Y-%m}",
            "year": self.year,
            "caliber": self.caliber,
            "indicator": "actual_use_usd",
            "sims": self.sims,
            "seed": self.seed,
            "weight_pipeline": round(self.weight_pipeline, 3),
            "backcast": None
            if self.backcast is None
            else {
                "as_of": f"{self.backcast.as_of:%Y-%m}",
                "pipeline": str(_money(self.backcast.pipeline)),
                "calendar": str(_money(self.backcast.calendar)),
                "actual": str(_money(self.backcast.actual)),
            },
            "city": {
                **self.city.to_json(),
                "target": None if self.city_target is None else str(self.city_target),
                "p_target": self.p_city_target,
            },
            "units": [
                {
                    "code": u.code,
                    "name": u.name,
                    **u.range.to_json(),
                    "target": None if u.target is None else str(u.target),
                    "p_target": u.p_target,
                }
                for u in self.units
            ],
            "rank_probabilities": {str(k): v for k, v in sorted(self.rank_probabilities.items())},
            "others": self.others,
            "deciders": [
                {
                    "code": d.code,
                    "name": d.name,
                    "unit": d.unit,
                    "stage": d.stage,
                    "expected": str(d.expected),
                    "unpaid": str(d.unpaid),
                    "scenario": d.scenario,
                    "p_before": d.p_before,
                    "p_after": d.p_after,
                    "officer": d.officer,
                }
                for d in self.deciders
            ],
            "months": self.months,
            "stages": self.stages,
            "notes": self.notes,
        }


def _p(x: float) -> float:
    return round(float(x) * 100, 1)


def _targets(year: int) -> dict[int | None, Decimal]:
    return {t.unit_id: t.value for t in Target.objects.filter(year=year, indicator="actual_use_usd")}


@dataclass
class Run:
    """Everything one forecast computes, before it is summarised (the back-test reads the city draws)."""

    snapshot: Snapshot
    fitted: Fitted
    weight: float
    backcast: Backcast | None
    route: np.ndarray  # True where a run follows the pipeline
    shocks: np.ndarray
    simulation: Simulation
    units: list[Unit]
    unit_draws: dict[int, np.ndarray]
    city: np.ndarray


def run(
    as_of: date,
    *,
    caliber: Caliber | None = None,
    sims: int = DEFAULT_SIMS,
    seed: int = SEED,
    snapshot: Snapshot | None = None,
) -> Run:
    caliber = caliber or Caliber.current("reported")
    units = city_units()
    unit_ids = [u.pk for u in units]
    snapshot = snapshot or registry_at(as_of, caliber, unit_ids=unit_ids)
    fitted = fit(snapshot)
    bc = backcast(snapshot, set(unit_ids))
    weight = route_weight(bc)
    sim = simulate(snapshot, fitted, sims=sims, seed=seed, unit_ids=unit_ids)
    return _combine(snapshot, fitted, bc, weight, sim, units, sims, seed)


def _combine(
    snapshot: Snapshot,
    fitted: Fitted,
    bc: Backcast | None,
    weight: float,
    sim: Simulation,
    units: list[Unit],
    sims: int,
    seed: int,
) -> Run:
    rng = np.random.default_rng(seed + 1)
    route = rng.random(sims) < weight
    a = fitted.as_of_no
    horizon = 11 - a % 12
    sigma = fitted.month_sigma
    months_seen = a % 12 + 1
    level_sigma = sigma / math.sqrt(months_seen)
    level = np.exp(level_sigma * rng.standard_normal(sims) - level_sigma**2 / 2)
    monthly = np.exp(sigma * rng.standard_normal((sims, max(horizon, 1))) - sigma**2 / 2)
    shocks = (level[:, None] * monthly)[:, :horizon]
    unit_draws = {}
    for u in units:
        ytd = sim.unit_ytd.get(u.pk, 0.0)
        cal = ytd + calendar_draws(ytd, fitted, sims, rng, shocks)
        unit_draws[u.pk] = np.where(route, sim.units[u.pk], cal)
    city = sum(unit_draws.values(), np.zeros(sims))
    return Run(snapshot, fitted, weight, bc, route, shocks, sim, units, unit_draws, city)


def forecast(
    as_of: date,
    *,
    unit_code: str | None = None,
    caliber: Caliber | None = None,
    sims: int = DEFAULT_SIMS,
    seed: int = SEED,
    counterfactuals: int = TOP_PROJECTS,
) -> Forecast:
    """The forecast the command, the API, the dashboard and the bulletin show (see the module's note)."""
    check_as_of(as_of)
    caliber = caliber or Caliber.current("reported")
    selected = unit_by_code(unit_code) if unit_code else None
    r = run(as_of, caliber=caliber, sims=sims, seed=seed)
    if not r.snapshot.projects and not r.snapshot.monthly:
        raise ValidationError({"as_of": [f"{as_of:%Y年%-m月}底以前项目库中没有任何项目或到资记录，无法预测"]})
    if selected is not None:
        if selected.pk not in r.unit_draws:
            raise ValidationError({"unit": [f"招商主体“{selected.name}”不参与统计，没有预测"]})
        has_history = any(p.unit_id == selected.pk for p in r.snapshot.projects.values())
        if not has_history:
            raise ValidationError(
                {"unit": [f"招商主体“{selected.name}”在{as_of:%Y年%-m月}底前没有任何项目或到资记录，无法预测"]}
            )
    targets = _targets(as_of.year)
    unit_rows = []
    for u in r.units:
        if selected is not None and u.pk != selected.pk:
            continue
        draws = r.unit_draws[u.pk]
        t = targets.get(u.pk)
        unit_rows.append(
            UnitForecast(
                u.code,
                u.short_name or u.name,
                Range.of(draws, r.simulation.unit_ytd.get(u.pk, 0.0)),
                t,
                None if t is None else _p((draws >= float(t)).mean()),
            )
        )
    rng = np.random.default_rng(seed + 2)
    others = other_cities(as_of, r.fitted, sims, rng)
    ranks = rank_draws(r.city, others)
    rank_p = {int(k): _p((ranks == k).mean()) for k in np.unique(ranks)}
    next_rank = decisive_rank(ranks) if others else None
    city_target = targets.get(None)
    deciders = _deciders(r, others, next_rank, counterfactuals, selected)
    months = []
    a = r.fitted.as_of_no
    ytd_months = {
        n: sum(float(v) for u, v in per_unit.items() if u in r.unit_draws)
        for n, per_unit in r.snapshot.monthly.items()
        if (a // 12) * 12 <= n <= a
    }
    for n in range((a // 12) * 12, a + 1):
        months.append({"month": f"{from_month_no(n):%Y-%m}", "actual": str(_money(ytd_months.get(n, 0.0)))})
    stages = [
        {
            "stage": s.stage,
            "label": {"negotiating": "洽谈", "signed": "签约"}.get(s.stage, s.stage),
            "projects": s.projects,
            "reach_arrival_pct": _p(s.reach_arrival),
            "median_delay_months": s.median_delay_months,
        }
        for s in r.fitted.stages.values()
    ]
    return Forecast(
        as_of=as_of,
        caliber=caliber.progress,
        sims=sims,
        seed=seed,
        weight_pipeline=r.weight,
        backcast=r.backcast,
        city=Range.of(r.city, r.simulation.city_ytd),
        city_target=city_target,
        p_city_target=None if city_target is None else _p((r.city >= float(city_target)).mean()),
        units=unit_rows,
        rank_probabilities=rank_p,
        next_rank=next_rank,
        others=[
            {"code": c.code, "name": c.name, "ytd": str(_money(c.ytd)), "expected": str(_money(c.expected))}
            for c in others
        ],
        deciders=deciders,
        months=months,
        stages=stages,
        unit_code=unit_code,
    )


STAGE_LABELS = {
    "negotiating": "洽谈",
    "signed": "签约",
    "registered": "设立",
    "arriving": "到资",
    "construction": "开工",
    "production": "投产",
    "listed": "上市",
    "dropped": "中止",
}


def _deciders(
    r: Run,
    others: list[OtherCity],
    next_rank: int | None,
    k: int,
    selected: Unit | None,
) -> list[Decider]:
    """Pipeline projects ranked by their contribution to the expected year-end; for the first `k`, what their full
    unpaid capital arriving next month would do to the chance of the next rank (or of the target)."""
    contributions = sorted(((m, pk) for pk, m in r.simulation.project_mean.items() if m > 0), reverse=True)
    by_unit = {u.pk: u for u in r.units}
    out: list[Decider] = []
    a = r.fitted.as_of_no
    if a % 12 == 11:
        return out
    base_ranks = rank_draws(r.city, others)
    gap = typical_shortfall(r.city, others, next_rank) if others and next_rank is not None else 0.0
    for mean, pk in contributions:
        p = r.snapshot.projects[pk]
        if selected is not None and p.unit_id != selected.pk:
            continue
        if len(out) >= max(k, 10):
            break
        unpaid = max(float(p.contract_usd - p.arrived), 0.0)
        # What it would take: the money it is expected to bring anyway plus the typical shortfall, in one month.
        amount_usd = min(unpaid, mean + gap) if gap > 0 else unpaid
        d = Decider(
            code=p.code,
            name=p.name,
            unit=by_unit[p.unit_id].short_name,
            stage=STAGE_LABELS.get(p.stage, p.stage),
            expected=_money(mean),
            unpaid=_money(unpaid),
        )
        if len(out) < k and unpaid > 0 and others and next_rank is not None:
            month = a + 1
            after = rank_draws(counterfactual(r, pk, amount_usd), others)
            d.p_before = _p((base_ranks <= next_rank).mean())
            d.p_after = _p((after <= next_rank).mean())
            verb = "升至" if d.p_after > d.p_before else ("降至" if d.p_after < d.p_before else "仍为")
            amount = fmt_wan_short(amount_usd)
            keep = "保" if next_rank == int(np.bincount(base_ranks).argmax()) else "争"
            word = "一二三四五六七八九十"[next_rank - 1] if next_rank <= 10 else str(next_rank)
            d.scenario = (
                f"若{p.code}在{from_month_no(month).month}月到资{amount}，"
                f"{keep}{word}概率由{d.p_before:.0f}%{verb}{d.p_after:.0f}%"
            )
        out.append(d)
    _attach_expectations(out, r)
    return out


def _attach_expectations(deciders: list[Decider], r: Run) -> None:
    """Beside the model's view, what the responsible officer expects (项目预期), as recorded now."""
    from .models import ProjectExpectation

    codes = {d.code for d in deciders}
    pks = {p.code: p.pk for p in r.snapshot.projects.values() if p.code in codes}
    found = {e.project_id: e for e in ProjectExpectation.objects.filter(project_id__in=pks.values())}
    for d in deciders:
        e = found.get(pks.get(d.code, -1))
        if e is None:
            continue
        bits = []
        for label, month in (
            ("签约", e.expected_signing),
            ("设立", e.expected_registration),
            ("首笔到资", e.expected_first_arrival),
        ):
            if month is not None:
                bits.append(f"{month:%Y年%-m月}{label}")
        if e.likelihood:
            bits.append(f"落地可能性{e.get_likelihood_display()}")
        d.officer = "责任人预计" + "、".join(bits) if bits else ""


def counterfactual(r: Run, pk: int, amount: float) -> np.ndarray:
    """The city's year-end in every run if project `pk` brought exactly `amount` before December instead of what it
    was simulated (pipeline route) or expected (calendar route) to bring; the other runs' numbers stay as they are."""
    own = r.simulation.project_draws.get(pk)
    if own is None:
        own = np.full(len(r.city), r.simulation.project_mean.get(pk, 0.0))
    expected = r.simulation.project_mean.get(pk, 0.0)
    return r.city + np.where(r.route, amount - own, amount - expected)


def fmt_wan_short(usd: float) -> str:
    if usd >= float(YI):
        return fmt_yi(Decimal(str(usd)))
    return f"{Decimal(str(usd / 10000)).quantize(Decimal(1))}万美元"


# ------------------------------------------------------------------------------------------------ cache


def registry_fingerprint() -> str:
    """Changes whenever anything a forecast reads changes: the latest history row and the row count of each table
    (bulk copies leave no history, so counts are part of it), the business date and the caliber."""
    from django.db.models import Count, Max

    from zhaoshang.common.models import SiteConfig
    from zhaoshang.projects.models import CapitalArrival, Project, ProjectStageEvent
    from zhaoshang.stats.models import StatsConfig

    parts: list[str] = []
    from .models import ProjectExpectation

    models = (Project, CapitalArrival, ProjectStageEvent, ProvinceFigure, Target, StatsConfig, SiteConfig)
    for model in (*models, ProjectExpectation):
        hist = model.history.model.objects.aggregate(n=Count("pk"), last=Max("history_date"))  # type: ignore[attr-defined]
        parts.append(f"{model.objects.count()}:{hist['n']}:{hist['last']}")
    return "|".join(parts)


def cached_forecast(as_of: date, *, unit_code: str | None = None) -> Forecast:
    """The forecast, kept in the cache until the registry changes (the dashboard panel and the API read this)."""
    import hashlib

    from django.core.cache import cache

    check_as_of(as_of)
    key = "forecast:" + hashlib.sha256(f"{as_of}|{unit_code}|{registry_fingerprint()}".encode()).hexdigest()
    hit = cache.get(key)
    if isinstance(hit, Forecast):
        return hit
    result = forecast(as_of, unit_code=unit_code)
    cache.set(key, result, timeout=24 * 3600)
    return result


def default_as_of() -> date:
    """The latest month ended by the business date (the month before it unless the date is the month's last day)."""
    import calendar

    business = today()
    if business.day == calendar.monthrange(business.year, business.month)[1]:
        latest = month_start(business)
    else:
        latest = add_months(month_start(business), -1)
    if latest.month == 12:
        latest = add_months(latest, -1)
    return latest


# ------------------------------------------------------------------------------------------------ learned defaults


@dataclass
class Learned:
    """What the registry's history suggests for one project, shown beside the officer's expectations."""

    as_of: date
    stage: str
    p_arrival: float  # % chance of reaching 到资 (within 36 months), given how long it has waited already
    likelihood: str  # 高 / 中 / 低 from that chance (≥ 70%, ≥ 40%, below)
    registration: date | None  # median month of registration, for projects not yet registered
    first_arrival: date | None
    expected_this_year: Decimal | None  # what the pipeline route expects it to bring before December


LIKELY_HIGH = 0.7
LIKELY_MEDIUM = 0.4


def _cached_fit(as_of: date, caliber: Caliber) -> Fitted:
    import hashlib

    from django.core.cache import cache

    key = "forecast-fit:" + hashlib.sha256(f"{as_of}|{caliber.progress}|{registry_fingerprint()}".encode()).hexdigest()
    hit = cache.get(key)
    if isinstance(hit, Fitted):
        return hit
    fitted = fit(registry_at(as_of, caliber, unit_ids=[u.pk for u in city_units()]))
    cache.set(key, fitted, timeout=24 * 3600)
    return fitted


def _first_arrival_after(freq: np.ndarray, elapsed: int, as_of_no: int) -> tuple[float, date | None]:
    """For a registered project without capital `elapsed` months after registration: the chance of a first arrival
    within 36 months of registration, and the median month of it."""
    start = max(elapsed + 1, 0)
    later = freq[start:]
    if len(later) == 0:
        return 0.0, None
    survive = np.cumprod(1 - later)
    chance = float(1 - survive[-1])
    k = int(np.searchsorted(1 - survive, chance / 2)) if chance > 0 else None
    return chance, None if k is None else from_month_no(as_of_no + 1 + k)


def learned_default(project: Any) -> Learned | None:
    """The model's view of one project at the latest ended month; None when the registry has no such project then."""
    from .model import lag_band, registration_matrix

    caliber = Caliber.current("reported")
    as_of = default_as_of()
    snap = registry_at(as_of, caliber, unit_ids=[project.unit_id])
    state = snap.projects.get(project.pk)
    if state is None:
        return None
    fitted = _cached_fit(as_of, caliber)
    a = fitted.as_of_no
    horizon = 11 - a % 12
    expected = float(_project_plan(state, fitted, horizon)[0].sum()) if horizon > 0 else 0.0
    freq = fitted.profile(state.kind).freq[lag_band(np.arange(36))]
    registration = first_arrival = None
    if state.stage == "dropped":
        p_arrival = 0.0
    elif state.arrivals:
        p_arrival = 1.0
    elif state.registered_on is None:
        chances = registration_matrix([state], fitted, 36)[0]
        p_reg = float(chances.sum())
        p_after, _ = _first_arrival_after(freq, -1, a)
        p_arrival = p_reg * p_after
        if p_reg > 0:
            registration = from_month_no(a + 1 + int(np.searchsorted(np.cumsum(chances), p_reg / 2)))
    else:
        p_arrival, first_arrival = _first_arrival_after(freq, a - month_no(state.registered_on), a)
    likelihood = "高" if p_arrival >= LIKELY_HIGH else ("中" if p_arrival >= LIKELY_MEDIUM else "低")
    return Learned(
        as_of=as_of,
        stage=STAGE_LABELS.get(state.stage, state.stage),
        p_arrival=_p(p_arrival),
        likelihood=likelihood,
        registration=registration,
        first_arrival=first_arrival,
        expected_this_year=_money(expected),
    )
