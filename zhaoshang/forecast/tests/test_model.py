"""The model's statistics on registries small enough to compute by hand (no database)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import numpy as np
import pytest

from zhaoshang.forecast.model import (
    CREDIBILITY,
    KM_HORIZON,
    _fit_stages,
    fit,
    kaplan_meier,
    lag_band,
    simulate,
)
from zhaoshang.forecast.snapshot import Snapshot, _state, month_no, rewind

M = Decimal(1_000_000)


def state(pk, *, unit=1, kind="new", contract=100, first_on, signed=None, registered=None, dropped=None, arrivals=None):
    events = [("negotiating", first_on)]
    if signed:
        events.append(("signed", signed))
    if registered:
        events.append(("registered", registered))
    if dropped:
        events.append(("dropped", dropped))
    p = _state(pk=pk, code=f"XM-{pk}", name=f"项目{pk}", unit_id=unit, kind=kind, contract=Decimal(contract) * M,
               events=sorted(events, key=lambda e: e[1]))  # fmt: skip
    p.arrivals = {month_no(m): Decimal(v) * M for m, v in (arrivals or {}).items()}
    return p


def snapshot(as_of, projects):
    monthly: dict[int, dict[int, Decimal]] = {}
    for p in projects:
        for n, v in p.arrivals.items():
            monthly.setdefault(n, {}).setdefault(p.unit_id, Decimal(0))
            monthly[n][p.unit_id] += v
    return Snapshot(as_of=as_of, projects={p.pk: p for p in projects}, monthly=monthly)


def test_kaplan_meier_by_hand():
    """Durations 1, 2, 2+, 3, 5+ months (+ = censored): S(1) = 4/5; S(2) = 4/5 × 3/4 (4 at risk, 1 event);
    S(3) = 0.6 × 1/2 (2 at risk: 3 and 5+); flat after, since the last is censored."""
    s = kaplan_meier(np.array([1, 2, 2, 3, 5]), np.array([True, True, False, True, False]), horizon=6)
    assert s.tolist() == pytest.approx([1.0, 0.8, 0.6, 0.3, 0.3, 0.3, 0.3])


def test_kaplan_meier_without_data_never_moves():
    assert kaplan_meier(np.array([], dtype=int), np.array([], dtype=bool)).tolist() == [1.0] * (KM_HORIZON + 1)


def test_arrival_profile_by_hand():
    """Two projects registered in January 2020 with US$100m contracted each. P1 receives 20 in January and 40 in
    February; P2 nothing. As of February (no complete past year, so no seasonality):
    lag 0: 20 ÷ (100 + 100) = 0.1, one of two projects received capital;
    lag 1: 40 ÷ (80 + 100) = 0.2222…, one of two."""
    jan = date(2020, 1, 1)
    projects = [
        state(1, first_on=date(2019, 10, 1), signed=date(2019, 11, 5), registered=date(2020, 1, 10),
              arrivals={jan: 20, date(2020, 2, 1): 40}),
        state(2, first_on=date(2019, 10, 1), signed=date(2019, 11, 5), registered=date(2020, 1, 20)),
    ]  # fmt: skip
    f = fit(snapshot(date(2020, 2, 1), projects))
    assert f.seasonal.tolist() == [1.0] * 12
    assert f.pooled.rate[0] == pytest.approx(0.1)
    assert f.pooled.rate[1] == pytest.approx(40 / 180)
    assert f.pooled.freq[:2].tolist() == [0.5, 0.5]
    assert f.pooled.n[:2].tolist() == [2, 2]
    # One kind only: its own rate, shrunk towards the pooled one, which is the same.
    assert f.by_kind["new"].rate[1] == pytest.approx(40 / 180)


def test_shrinkage_towards_the_pool():
    """A kind with 2 project-months in a band keeps 2 ÷ (2 + 24) of its own rate, the rest is the pooled rate."""
    jan = date(2020, 1, 1)
    projects = [
        state(1, kind="new", registered=date(2020, 1, 5), first_on=date(2019, 12, 1), arrivals={jan: 50}),
        state(2, kind="new", registered=date(2020, 1, 5), first_on=date(2019, 12, 1), arrivals={jan: 50}),
        state(3, kind="increase", registered=date(2020, 1, 5), first_on=date(2019, 12, 1)),
        state(4, kind="increase", registered=date(2020, 1, 5), first_on=date(2019, 12, 1)),
    ]
    f = fit(snapshot(jan, projects))
    pooled = 100 / 400
    w = 2 / (2 + CREDIBILITY)
    assert f.pooled.rate[0] == pytest.approx(pooled)
    assert f.by_kind["increase"].rate[0] == pytest.approx(w * 0 + (1 - w) * pooled)
    assert f.by_kind["new"].rate[0] == pytest.approx(w * 0.5 + (1 - w) * pooled)


def test_stage_delays_by_hand():
    """Signed projects (months from signing to registration): 1, 2, censored at 3 (still signed at the as-of
    month), and a drop (never registers: censored at the as-of month, 4). Survival: S(1) = 3/4, S(2) = 3/4 × 2/3."""
    as_of = date(2020, 6, 1)
    projects = [
        state(1, first_on=date(2020, 1, 1), signed=date(2020, 2, 3), registered=date(2020, 3, 9)),
        state(2, first_on=date(2020, 1, 1), signed=date(2020, 2, 3), registered=date(2020, 4, 9)),
        state(3, first_on=date(2020, 1, 1), signed=date(2020, 3, 3)),
        state(4, first_on=date(2020, 1, 1), signed=date(2020, 2, 3), dropped=date(2020, 3, 1)),
    ]
    fits = _fit_stages(projects, month_no(as_of))
    signed = fits["signed"].survival
    assert signed[:5].tolist() == pytest.approx([1.0, 0.75, 0.5, 0.5, 0.5])
    assert fits["signed"].projects == 4


def test_rewind_forgets_what_came_later():
    p = state(1, first_on=date(2020, 1, 5), signed=date(2020, 3, 1), registered=date(2020, 5, 1),
              arrivals={date(2020, 5, 1): 10, date(2020, 7, 1): 5})  # fmt: skip
    late = state(2, first_on=date(2020, 8, 1))
    earlier = rewind(snapshot(date(2020, 9, 1), [p, late]), date(2020, 4, 1))
    assert list(earlier.projects) == [1]
    q = earlier.projects[1]
    assert (q.stage, q.signed_on, q.registered_on, q.arrivals) == ("signed", date(2020, 3, 1), None, {})
    assert earlier.monthly == {}


def test_monte_carlo_mean_matches_the_analytic_expectation():
    """Seeded: 40 registered projects, 20,000 runs without the city-wide factor. The simulated mean equals the sum of
    the projects' expected paths within 1% (the standard error here is about 0.2%)."""
    projects = []
    for i in range(40):
        reg = date(2019, 1 + i % 12, 10)
        months = [date(2019 + (i % 12 + k) // 12, (i % 12 + k) % 12 + 1, 1) for k in range(0, 18, 1 + i % 4)]
        arrivals = {m: 1 + (i + k) % 3 for k, m in enumerate(months) if m <= date(2020, 6, 1)}
        projects.append(state(i + 1, unit=1 + i % 2, first_on=date(2018, 12, 1), registered=reg, contract=50 + i,
                              arrivals=arrivals))  # fmt: skip
    for i in range(10):
        projects.append(state(100 + i, unit=1, first_on=date(2020, 3, 1), signed=date(2020, 4, 1), contract=80))
    snap = snapshot(date(2020, 6, 1), projects)
    f = fit(snap)
    sim = simulate(snap, f, sims=20_000, seed=7, unit_ids=[1, 2], month_factor=False)
    from zhaoshang.forecast.model import _project_plan, active_projects

    horizon = 6
    analytic = sum(float(_project_plan(p, f, horizon)[0].sum()) for p in active_projects(snap))
    simulated = float(sim.city.mean()) - sim.city_ytd
    assert analytic > 0
    assert simulated == pytest.approx(analytic, rel=0.01)
    # Same seed, same numbers.
    again = simulate(snap, f, sims=20_000, seed=7, unit_ids=[1, 2], month_factor=False)
    assert np.array_equal(sim.city, again.city)


def test_lag_bands():
    assert lag_band(np.array([0, 5, 6, 8, 9, 30])).tolist() == [0, 5, 6, 6, 7, 10]
