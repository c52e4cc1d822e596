"""The forecast on the demo: the issue's targets, measured by the back-test (issue 18)."""

from __future__ import annotations

from datetime import date

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def test_backtest_beats_both_baselines_and_the_range_holds_the_actual(demo):
    from zhaoshang.forecast.backtest import backtest

    b = backtest(2020)
    assert len(b.rows) == 11
    assert b.mape_seasonal is not None
    assert b.mape_model < b.mape_run_rate
    assert b.mape_model < b.mape_seasonal
    assert b.coverage >= 7
    # The actual is the registry's own year (填报口径): 23.74亿 to September and the last quarter's 6.41亿.
    assert round(b.rows[0].actual / 1e8, 2) == 30.15


def test_june_forecast_names_the_deciding_projects(demo):
    from zhaoshang.forecast.selectors import forecast

    f = forecast(date(2020, 6, 1))
    assert f.city.ytd == 1_420_000_000
    assert f.city.p10 <= f.city.mean <= f.city.p90
    assert sum(f.rank_probabilities.values()) == pytest.approx(100, abs=0.2)
    assert f.deciders
    assert f.deciders[0].scenario.startswith(f"若{f.deciders[0].code}在7月到资")


def test_backtest_on_a_noisy_synthetic_registry_keeps_the_model_ahead(demo):
    """Three copies of the demo whose copied arrivals are scaled by log-normal noise (σ 0.3, seed 7): the model stays
    ahead of both baselines (measured: 6.2% against 14.4% and 8.0%). The copies are rolled back with the test."""
    from zhaoshang.accounts.services import system_actor
    from zhaoshang.demo.synth import synthesize
    from zhaoshang.forecast.backtest import backtest

    synthesize(3, actor=system_actor(), noise=0.3, seed=7)
    b = backtest(2020)
    assert b.mape_seasonal is not None
    assert b.mape_model < min(b.mape_run_rate, b.mape_seasonal)
    assert b.coverage >= 7
