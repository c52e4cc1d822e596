"""The forecast on a small registry: only the past counts, the pipeline moves it, bad input is refused in Chinese,
and the back-test's numbers come out the same by a second, simpler route."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import numpy as np
import pytest
from django.core.exceptions import ValidationError

from zhaoshang.common.periods import MonthRange
from zhaoshang.forecast.backtest import backtest
from zhaoshang.forecast.selectors import forecast, run
from zhaoshang.forecast.snapshot import registry_at
from zhaoshang.forecast.wording import bulletin_paragraph, render_table
from zhaoshang.projects import services as ps
from zhaoshang.projects.models import CapitalArrival, Stage
from zhaoshang.stats.caliber import Caliber
from zhaoshang.stats.selectors import city_figures, city_units, unit_figures
from zhaoshang.units.services import unit_create

from .conftest import M

pytestmark = pytest.mark.django_db
SIMS = 400


def test_data_after_the_as_of_date_does_not_move_the_forecast(registry, users, units):
    before = forecast(date(2020, 6, 1), sims=SIMS).to_json()
    admin = users["admin"]
    # After the end of June: an arrival in August, a new project in September, a registration in October, and a
    # correction of a contracted amount made today.
    ps.arrival_record(
        project=registry["jiashan-pipe2"], month=date(2020, 8, 1), amount=Decimal(9) * M, kind="paid_in", actor=admin
    )
    ps.project_create(
        unit=units["zone"],
        name="九月新项目",
        kind="new",
        investors=list(registry["zone0"].investors.all()),
        stage_on=date(2020, 9, 10),
        total_investment=Decimal(500) * M,
        contract_foreign=Decimal(400) * M,
        actor=admin,
    )
    ps.project_advance_stage(
        project=registry["zone-pipe1"], to_stage=Stage.REGISTERED, on=date(2020, 10, 1), actor=admin
    )
    ps.project_update(project=registry["jiashan1"], actor=admin, reason="更正合同外资", contract_foreign=Decimal(1) * M)
    after = forecast(date(2020, 6, 1), sims=SIMS).to_json()
    assert after == before


def test_removing_the_second_half_arrivals_lowers_and_widens_the_forecast(registry, units):
    """A registry where 嘉善's arrivals of July–September never came: its forecast at the end of September falls,
    and its range widens — more contracted capital is still unpaid, and the two routes disagree more."""
    full = forecast(date(2020, 9, 1), sims=SIMS)
    CapitalArrival.objects.filter(
        project__unit=units["jiashan"], month__gte=date(2020, 7, 1), month__lte=date(2020, 9, 1)
    ).delete()
    thin = forecast(date(2020, 9, 1), sims=SIMS)

    def jiashan(f):
        return next(u for u in f.units if u.code == "330421").range

    a, b = jiashan(full), jiashan(thin)
    assert b.ytd < a.ytd
    assert b.mean < a.mean
    assert b.p90 - b.p10 > a.p90 - a.p10


def test_bad_as_of_and_unit_without_history_are_refused_in_chinese(registry, places, users):
    with pytest.raises(ValidationError, match="晚于业务日期"):
        forecast(date(2021, 1, 1), sims=SIMS)
    with pytest.raises(ValidationError, match="12月"):
        forecast(date(2020, 12, 1), sims=SIMS)
    with pytest.raises(ValidationError, match="2017年6月底以前项目库中没有任何项目或到资记录"):
        forecast(date(2017, 6, 1), sims=SIMS)
    unit_create(
        code="330424",
        name="海盐县",
        short_name="海盐县",
        kind="county",
        city=places["city"],
        region=places["nanhu"],
        sort_order=9,
        actor=users["admin"],
    )
    with pytest.raises(ValidationError, match=r"海盐县.*没有任何项目或到资记录"):
        forecast(date(2020, 6, 1), unit_code="330424", sims=SIMS)
    with pytest.raises(ValidationError, match="不存在"):
        forecast(date(2020, 6, 1), unit_code="NOPE", sims=SIMS)


def test_backtest_row_by_a_second_route(registry):
    """For the June as-of: the actual, both baselines from the statistics layer's own figures (unit_figures), and the
    model's forecast from the registry rebuilt at June's end directly (not rewound from November)."""
    result = backtest(2020, sims=SIMS)
    row = next(r for r in result.rows if r.month == date(2020, 6, 1))
    caliber = Caliber.current("reported")
    units = city_units()

    def city(period: str) -> float:
        figures = unit_figures(MonthRange.parse(period), caliber)
        return float(city_figures(figures, units, companies=0, comparable=False).actual_use)

    ytd, year, last_ytd, last_year = city("2020-01..2020-06"), city("2020"), city("2019-01..2019-06"), city("2019")
    assert row.actual == pytest.approx(year)
    assert row.run_rate == pytest.approx(ytd / 6 * 12)
    assert row.seasonal == pytest.approx(ytd / (last_ytd / last_year))
    direct = run(date(2020, 6, 1), sims=SIMS, snapshot=registry_at(date(2020, 6, 1), caliber))
    assert row.forecast == pytest.approx(float(direct.city.mean()))
    p10, p90 = np.percentile(direct.city, [10, 90])
    assert (row.p10, row.p90) == pytest.approx((p10, p90))
    data = result.to_json()
    assert set(data) == {"as_of", "mape", "coverage_80"}
    assert set(data["as_of"][0]) == {"month", "forecast", "p10", "p90", "actual", "error_pct"}
    assert set(data["mape"]) == {"model", "run_rate", "seasonal"}
    assert data["coverage_80"] == sum(r.covered for r in result.rows)


def test_backtest_of_an_unfinished_year_is_refused(registry):
    with pytest.raises(ValidationError, match="尚未结束"):
        backtest(2021, sims=SIMS)


def test_table_and_paragraph_never_claim_more_than_the_range(registry):
    f = forecast(date(2020, 6, 1), sims=SIMS)
    text = render_table(f)
    assert "全年预计" in text
    assert "80%区间" in text
    assert "亿美元" in text
    para = bulletin_paragraph(f)
    assert para.startswith("按当前在谈和已签约项目推算，全年实际使用外资预计")
    assert "80%区间" in para
    assert "概率" in para
    for word in ("必将", "一定", "确保", "肯定"):
        assert word not in para
    json.dumps(f.to_json(), ensure_ascii=False)


def test_deciders_carry_counterfactual_sentences(registry):
    f = forecast(date(2020, 6, 1), sims=SIMS)
    assert f.deciders
    top = f.deciders[0]
    assert Decimal(top.expected) >= Decimal(f.deciders[-1].expected)
    if top.scenario:
        assert top.scenario.startswith(f"若{top.code}在7月到资")
        assert "概率由" in top.scenario


def test_unit_forecast_only_that_unit(registry):
    f = forecast(date(2020, 6, 1), unit_code="330421", sims=SIMS)
    assert [u.code for u in f.units] == ["330421"]
    assert f.units[0].target == Decimal(100) * M
    assert 0 <= (f.units[0].p_target or 0) <= 100


def test_seeded_forecast_repeats(registry):
    a = forecast(date(2020, 6, 1), sims=SIMS).to_json()
    b = forecast(date(2020, 6, 1), sims=SIMS).to_json()
    assert a == b
