"""The back-test: forecast a year's end from every month-end as-of (January to November), each fitted only on the
registry as it stood then, and compare with what happened — beside two naive baselines computed in the same run."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError

from zhaoshang.common.clock import today
from zhaoshang.common.periods import year_in_bounds
from zhaoshang.stats.caliber import Caliber
from zhaoshang.stats.selectors import monthly_actual_use

from .model import DEFAULT_SIMS, SEED
from .selectors import _money, run
from .snapshot import registry_at, rewind

ALPHA = 0.2  # the 80% range: interval score of Gneiting & Raftery (2007) with α = 0.2


@dataclass
class Row:
    month: date
    forecast: float
    p10: float
    p90: float
    actual: float
    run_rate: float
    seasonal: float | None

    @property
    def error_pct(self) -> float:
        return (self.forecast - self.actual) / self.actual * 100 if self.actual else 0.0

    @property
    def covered(self) -> bool:
        return self.p10 <= self.actual <= self.p90

    @property
    def width(self) -> float:
        return self.p90 - self.p10

    @property
    def interval_score(self) -> float:
        """Width plus 2/α times how far the actual falls outside: a range cannot win by being wide."""
        below = max(self.p10 - self.actual, 0.0)
        above = max(self.actual - self.p90, 0.0)
        return self.width + 2 / ALPHA * (below + above)


@dataclass
class Backtest:
    year: int
    rows: list[Row]
    caliber: str
    sims: int
    seed: int

    @staticmethod
    def _mape(errors: list[float]) -> float:
        return float(np.mean([abs(e) for e in errors])) if errors else 0.0

    @property
    def mape_model(self) -> float:
        return self._mape([r.error_pct for r in self.rows])

    @property
    def mape_run_rate(self) -> float:
        return self._mape([(r.run_rate - r.actual) / r.actual * 100 for r in self.rows if r.actual])

    @property
    def mape_seasonal(self) -> float | None:
        rows = [r for r in self.rows if r.seasonal is not None and r.actual]
        if len(rows) < len(self.rows):
            return None
        return self._mape([(r.seasonal - r.actual) / r.actual * 100 for r in rows])  # type: ignore[operator]

    @property
    def coverage(self) -> int:
        return sum(r.covered for r in self.rows)

    @property
    def mean_width(self) -> float:
        return float(np.mean([r.width for r in self.rows])) if self.rows else 0.0

    @property
    def mean_interval_score(self) -> float:
        return float(np.mean([r.interval_score for r in self.rows])) if self.rows else 0.0

    def to_json(self) -> dict[str, Any]:
        seasonal = self.mape_seasonal
        return {
            "as_of": [
                {
                    "month": f"{r.month:%Y-%m}",
                    "forecast": str(_money(r.forecast)),
                    "p10": str(_money(r.p10)),
                    "p90": str(_money(r.p90)),
                    "actual": str(_money(r.actual)),
                    "error_pct": round(r.error_pct, 1),
                }
                for r in self.rows
            ],
            "mape": {
                "model": round(self.mape_model, 1),
                "run_rate": round(self.mape_run_rate, 1),
                "seasonal": None if seasonal is None else round(seasonal, 1),
            },
            "coverage_80": self.coverage,
        }

    def summary(self) -> dict[str, Any]:
        """The figures printed under the table (and kept out of the issue's fixed JSON shape)."""
        return {
            "as_of_months": len(self.rows),
            "mean_width_usd": str(_money(self.mean_width)),
            "mean_interval_score_usd": str(_money(self.mean_interval_score)),
            "caliber": self.caliber,
            "sims": self.sims,
            "seed": self.seed,
        }


def baselines(year: int, n: int, caliber: Caliber) -> tuple[float, float | None, float]:
    """(run-rate, last year's seasonal share, actual) for the city, from the registry's monthly figures."""
    series = monthly_actual_use(year, 12, caliber)
    this = [float(v) for _m, v, _prev in series]
    last = [float(prev) for _m, _v, prev in series]
    ytd = sum(this[:n])
    run_rate = ytd / n * 12
    share = sum(last[:n]) / sum(last) if sum(last) > 0 else 0.0
    seasonal = ytd / share if share > 0 else None
    return run_rate, seasonal, sum(this)


def backtest(year: int, *, caliber: Caliber | None = None, sims: int = DEFAULT_SIMS, seed: int = SEED) -> Backtest:
    caliber = caliber or Caliber.current("reported")
    business = today()
    if not year_in_bounds(year):
        raise ValidationError({"year": [f"年份“{year}”不是有效的年份"]})
    if date(year, 12, 31) > business:
        raise ValidationError(
            {"year": [f"{year}年尚未结束（业务日期 {business:%Y-%m-%d}）：回测需要全年的实际数，请选择更早的年份"]}
        )
    from zhaoshang.stats.selectors import city_units

    unit_ids = [u.pk for u in city_units()]
    full = registry_at(date(year, 11, 1), caliber, unit_ids=unit_ids)
    rows = []
    for n in range(1, 12):
        as_of = date(year, n, 1)
        r = run(as_of, caliber=caliber, sims=sims, seed=seed, snapshot=rewind(full, as_of))
        run_rate, seasonal, actual = baselines(year, n, caliber)
        p10, p90 = np.percentile(r.city, [10, 90])
        rows.append(Row(as_of, float(r.city.mean()), float(p10), float(p90), actual, run_rate, seasonal))
    if not any(r.actual for r in rows):
        raise ValidationError({"year": [f"{year}年没有任何实际到资记录，无法回测"]})
    return Backtest(year, rows, caliber.progress, sims, seed)


def cached_backtest(year: int) -> Backtest:
    """The back-test, kept in the cache until the registry changes (the page and the API read this)."""
    import hashlib

    from django.core.cache import cache

    from .selectors import registry_fingerprint

    key = "forecast-backtest:" + hashlib.sha256(f"{year}|{registry_fingerprint()}".encode()).hexdigest()
    hit = cache.get(key)
    if isinstance(hit, Backtest):
        return hit
    result = backtest(year)
    cache.set(key, result, timeout=24 * 3600)
    return result
