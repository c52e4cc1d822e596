"""Every indicator and rule on a small registry whose figures are computed by hand in the comments."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhaoshang.common.models import SiteConfig
from zhaoshang.common.periods import MonthRange
from zhaoshang.projects import services as ps
from zhaoshang.projects.models import Country, Stage
from zhaoshang.stats.caliber import Caliber
from zhaoshang.stats.models import StatsConfig
from zhaoshang.stats.selectors import growth_pct, progress, stats_report
from zhaoshang.stats.serialize import render_table, report_json
from zhaoshang.stats.services import province_figure_set, target_set

Q3 = MonthRange.parse("2020-01..2020-09")
M = Decimal(1_000_000)


@pytest.fixture
def reg(as_of, units, users, places):
    """Two units. Figures in US$ millions unless said.

    嘉善 (jiashan):
      A new, signed 2020-03-10, total 100.00, contract 60; arrivals 2020-04 10, 2020-09 5 (in),
        2020-10 7 (after the period), 2019-09 … none (A is new).
      B capital increase, signed 2020-05-01, total 99.99999999 (just under US$100m), contract 20, arrival 2020-06 EUR
        10,000,000 × 1.14 = 11.40.
      C new, signed 2019-06-01, total 300 (2019: ≥100m), contract 50, arrivals 2019-09 8, 2019-10 9 (outside prev).
      D reinvestment, signed 2020-02-01, total 30, contract 30, arrival 2020-08 reinvested profit 4;
        a shareholder loan 2020-08 3 (out by default).
    经开区 (zone): nothing at all.
    """
    admin, unit = users["admin"], units["jiashan"]
    de = Country.objects.get(code="DE")
    group = ps.investor_create(name="西门子股份公司", name_en="Siemens", country=de, actor=admin)
    sub = ps.investor_create(
        name="西门子（香港）", name_en="Siemens HK", country=Country.objects.get(code="HK"), parent=group, actor=admin
    )
    other = ps.investor_create(name="某外资", name_en="Someone", country=de, actor=admin)

    def project(name, kind, signed, total, contract, investor, currency="USD", rate=1):
        p = ps.project_create(
            unit=unit,
            name=name,
            kind=kind,
            investors=[investor],
            stage=Stage.SIGNED,
            stage_on=signed,
            currency=currency,
            rate_to_usd=rate,
            total_investment=total,
            contract_foreign=contract,
            actor=admin,
        )
        return p

    a = project("A", "new", date(2020, 3, 10), 100 * M, 60 * M, sub)
    b = project("B", "increase", date(2020, 5, 1), Decimal("99999999.99"), 20 * M, other)
    c = project("C", "new", date(2019, 6, 1), 300 * M, 50 * M, group)
    d = project("D", "reinvest", date(2020, 2, 1), 30 * M, 30 * M, other)
    for p, month, amount, kind, extra in [
        (a, date(2020, 4, 1), 10 * M, "paid_in", {}),
        (a, date(2020, 9, 1), 5 * M, "paid_in", {}),
        (a, date(2020, 10, 1), 7 * M, "paid_in", {}),
        (b, date(2020, 6, 1), 10 * M, "capital_increase", {"currency": "EUR", "rate_to_usd": "1.14"}),
        (c, date(2019, 9, 1), 8 * M, "paid_in", {}),
        (c, date(2019, 10, 1), 9 * M, "paid_in", {}),
        (d, date(2020, 8, 1), 4 * M, "reinvested_profit", {}),
        (d, date(2020, 8, 1), 3 * M, "shareholder_loan", {}),
    ]:
        ps.arrival_record(project=p, month=month, amount=amount, kind=kind, actor=admin, **extra)  # type: ignore[arg-type]
    # Fortune Global 500: Siemens on the 2019 list (published 2019-07-22) only.
    ps.fortune500_list_load(
        year=2019, published_on=date(2019, 7, 22), entries=[{"name": "Siemens", "rank": 70}], actor=admin
    )
    ps.fortune500_list_load(
        year=2018, published_on=date(2018, 7, 19), entries=[{"name": "Walmart", "rank": 1}], actor=admin
    )
    return {"a": a, "b": b, "c": c, "d": d}


def unit_json(report, code="330421"):
    return next(u for u in report_json(report)["units"] if u["code"] == code)


@pytest.mark.django_db
def test_actual_use_counts_each_arrival_once_inside_the_bounds(reg):
    u = unit_json(stats_report(Q3))
    # In: A 10 + 5, B 11.40, D 4 (reinvested) = 30.40; A's October 7 and D's loan 3 are out.
    assert u["actual_use_usd"] == "30400000.00"
    # 2019-01..09: C's September 8 only (its October 9 is outside the earlier period).
    assert u["actual_use_prev_usd"] == "8000000.00"
    assert u["yoy_pct"] == 280.0  # 30.4 / 8 − 1 = 2.8
    assert (u["reinvested_profit_usd"], u["reinvested_share_pct"]) == ("4000000.00", 13.2)  # 4 / 30.4 = 13.16%


@pytest.mark.django_db
def test_a_capital_increase_adds_its_amount_but_not_a_project(reg):
    u = unit_json(stats_report(Q3))
    assert u["contract_usd"] == "110000000.00"  # A 60 + B 20 + D 30
    assert u["new_projects"] == 1  # A only: B is an increase and D a reinvestment
    assert u["new_projects_prev"] == 1  # C


@pytest.mark.django_db
def test_projects_over_100m_boundary(reg):
    u = unit_json(stats_report(Q3))
    # A is exactly US$100,000,000 and counts; B at 99,999,999.99 does not; C counts in 2019.
    assert (u["projects_over_100m"], u["projects_over_100m_prev"]) == (1, 1)


@pytest.mark.django_db
def test_fortune500_by_parent_and_by_the_list_in_force(reg):
    u = unit_json(stats_report(Q3))
    # A: investor Siemens HK, parent Siemens, on the 2019 list in force on 2020-03-10 → counts.
    assert (u["fortune500_projects"], u["fortune500_companies"]) == (1, 1)
    # C: Siemens itself, but signed 2019-06-01, when the 2018 list (without Siemens) was in force.
    assert u["fortune500_projects_prev"] == 0
    assert report_json(stats_report(MonthRange.parse("2019")))["city"]["fortune500_projects"] == 0


@pytest.mark.django_db
def test_caliber_switches(reg, users):
    config = StatsConfig.get()
    config.count_shareholder_loans = True
    config.count_reinvested_profit = False
    config.save()
    u = unit_json(stats_report(Q3))
    assert u["actual_use_usd"] == "29400000.00"  # 30.40 − 4 reinvested + 3 loan
    e = ps.project_create(
        unit=reg["a"].unit,
        name="E",
        kind="new",
        investors=list(reg["b"].investors.all()),
        stage=Stage.SIGNED,
        stage_on=date(2020, 9, 20),
        total_investment=5 * M,
        contract_foreign=5 * M,
        actor=users["admin"],
    )
    assert unit_json(stats_report(Q3))["new_projects"] == 2  # A and E, by signing date
    config.project_basis = "registered"
    config.save()
    # A registered when its first arrival came (2020-04); E is signed but not registered.
    assert unit_json(stats_report(Q3))["new_projects"] == 1
    ps.project_advance_stage(project=e, to_stage=Stage.REGISTERED, on=date(2020, 10, 5), actor=users["admin"])
    assert unit_json(stats_report(Q3))["new_projects"] == 1  # registered in October, outside 1–9月
    assert unit_json(stats_report(MonthRange.parse("2020")))["new_projects"] == 2


@pytest.mark.django_db
def test_financial_sector_left_out_of_the_comparable_caliber(reg, users):
    bank_investor = ps.investor_create(
        name="外资银行", name_en="Bank", country=Country.objects.get(code="SG"), actor=users["admin"]
    )
    bank = ps.project_create(
        unit=reg["a"].unit,
        name="银行分行",
        kind="new",
        investors=[bank_investor],
        stage=Stage.SIGNED,
        stage_on=date(2019, 1, 5),
        total_investment=50 * M,
        contract_foreign=50 * M,
        actor=users["admin"],
    )
    ps.arrival_record(
        project=bank, month=date(2019, 3, 1), amount=2 * M, kind="paid_in", is_financial=True, actor=users["admin"]
    )
    ps.arrival_record(
        project=bank, month=date(2020, 3, 1), amount=12 * M, kind="paid_in", is_financial=True, actor=users["admin"]
    )
    full = unit_json(stats_report(Q3))
    assert (full["actual_use_usd"], full["actual_use_prev_usd"]) == ("42400000.00", "10000000.00")
    assert (full["yoy_pct"], full["growth_caliber"]) == (324.0, "full")  # 42.4 / 10
    config = StatsConfig.get()
    config.growth_caliber = "comparable"
    config.save()
    comp = unit_json(stats_report(Q3))
    assert comp["actual_use_usd"] == "42400000.00"  # the figure stays full caliber
    assert (comp["yoy_pct"], comp["growth_caliber"]) == (280.0, "comparable")  # growth on 30.4 / 8
    # MOFCOM moved to the full amount with comparable growth from May 2022, not January.
    assert not Caliber(growth_caliber="auto").growth_on_comparable(MonthRange.parse("2022-01..2022-04"))
    assert Caliber(growth_caliber="auto").growth_on_comparable(MonthRange.parse("2022-01..2022-05"))
    assert not Caliber(growth_caliber="auto").growth_on_comparable(Q3)

    # MOFCOM's published caliber before May 2022: the financial sector is out of the amount itself, so both the
    # figure and its growth are on 30.4 (42.4 − 12) against 8 (10 − 2): +280.0%.
    config.growth_caliber = "full"
    config.financial_caliber = "mofcom_pre_2022_05"
    config.save()
    mofcom = unit_json(stats_report(Q3))
    assert (mofcom["actual_use_usd"], mofcom["actual_use_prev_usd"]) == ("30400000.00", "8000000.00")
    assert mofcom["yoy_pct"] == 280.0
    assert mofcom["reinvested_share_pct"] == 13.2  # 4 / 30.4 = 13.16%


@pytest.mark.django_db
def test_mofcom_pre_2022_caliber_counts_the_financial_sector_from_may_2022(reg, users):
    """A bank's arrivals of April and May 2022: only May's counts on MOFCOM's old caliber, both on the full one."""
    site = SiteConfig.get()
    site.as_of_date = date(2022, 12, 31)
    site.save()
    bank_investor = ps.investor_create(
        name="外资银行乙", name_en="Bank B", country=Country.objects.get(code="SG"), actor=users["admin"]
    )
    bank = ps.project_create(
        unit=reg["a"].unit,
        name="银行支行",
        kind="new",
        investors=[bank_investor],
        stage=Stage.SIGNED,
        stage_on=date(2022, 1, 5),
        total_investment=50 * M,
        contract_foreign=50 * M,
        actor=users["admin"],
    )
    for month, amount in [(date(2022, 4, 1), 6 * M), (date(2022, 5, 1), 7 * M)]:
        ps.arrival_record(
            project=bank, month=month, amount=amount, kind="paid_in", is_financial=True, actor=users["admin"]
        )
    period = MonthRange.parse("2022-04..2022-05")
    assert unit_json(stats_report(period))["actual_use_usd"] == "13000000.00"
    config = StatsConfig.get()
    config.financial_caliber = "mofcom_pre_2022_05"
    config.save()
    assert unit_json(stats_report(period))["actual_use_usd"] == "7000000.00"


@pytest.mark.django_db
def test_a_unit_with_no_data_and_a_zero_base(reg):
    report = stats_report(Q3)
    zone = unit_json(report, "3304JK")
    assert (zone["actual_use_usd"], zone["yoy_pct"], zone["new_projects"], zone["rank"]) == ("0.00", None, 0, 2)
    assert growth_pct(Decimal(5), Decimal(0)) is None
    assert growth_pct(Decimal(0), None) is None
    assert "—" in render_table(report)
    # Jan–Mar 2020 against nothing in Jan–Mar 2019.
    u = unit_json(stats_report(MonthRange.parse("2020Q1")))
    assert (u["actual_use_usd"], u["actual_use_prev_usd"], u["yoy_pct"]) == ("0.00", "0.00", None)


@pytest.mark.django_db
def test_targets_progress_and_time_progress(reg, units, users):
    target_set(
        year=2020, indicator="actual_use_usd", value=Decimal("40533333.33"), unit=units["jiashan"], actor=users["admin"]
    )
    u = unit_json(stats_report(Q3))
    # 30.40 / 40.53333333 = 75.0000% = time progress (9 / 12): exactly on schedule, not behind.
    assert (u["progress_pct"], u["time_progress_pct"], u["behind_schedule"]) == (75.0, 75.0, False)
    p = progress(Decimal(100), Decimal("69.9"), Q3, Decimal(5))
    assert p.behind  # 69.9% < 75% − 5
    assert not progress(Decimal(100), Decimal(70), Q3, Decimal(5)).behind  # exactly on the margin
    with pytest.raises(Exception, match="不能设定任务"):
        target_set(year=2020, indicator="pizza", value=Decimal(1), actor=users["admin"])


@pytest.mark.django_db
def test_province_standing_ranks_gaps_and_pace(reg, places, users):
    admin = users["admin"]
    from zhaoshang.units.services import region_upsert

    hz = region_upsert(code="330100", name="杭州市", level="city", parent=places["province"], actor=admin)
    jan, sep = date(2020, 1, 1), date(2020, 9, 1)
    province_figure_set(
        region=hz,
        first_month=jan,
        last_month=sep,
        indicator="actual_use_usd",
        value=90 * M,
        yoy_pct=Decimal("10.0"),
        actor=admin,
    )
    province_figure_set(
        region=places["ningbo"],
        first_month=jan,
        last_month=sep,
        indicator="actual_use_usd",
        value=Decimal("30400000"),
        yoy_pct=Decimal("5.0"),
        actor=admin,
    )
    province_figure_set(
        region=places["province"],
        first_month=jan,
        last_month=sep,
        indicator="actual_use_usd",
        value=Decimal("150800000"),
        yoy_pct=Decimal("9.3"),
        actor=admin,
    )
    city = report_json(stats_report(Q3))["city"]
    # Jiaxing 30.40 ties Ningbo 30.40 behind Hangzhou 90: both second (competition ranking).
    assert city["province_rank"] == 2
    assert city["city_ahead"] == "杭州市"
    assert city["gap_to_ahead_usd"] == "59600000.00"
    assert city["yoy_vs_province_pp"] == 270.7  # 280.0 − 9.3
    # Hangzhou's pace 90 / 9 = 10 a month → 120 at year-end; Jiaxing needs (120 − 30.4) / 3 = 29.8666… a month.
    assert city["pace_needed_monthly_usd"] == "29866666.67"
    assert city["pace_current_monthly_usd"] == "3377777.78"  # 30.4 / 9
    assert city["province_rank_over_100m"] is None or city["province_rank_over_100m"] == 1


@pytest.mark.django_db
def test_a_quarter_is_derived_from_cumulative_bulletins(reg, places, users):
    admin = users["admin"]
    for first, last, value in [
        (date(2020, 1, 1), date(2020, 9, 1), 30),
        (date(2020, 1, 1), date(2020, 6, 1), 18),
        (date(2019, 1, 1), date(2019, 9, 1), 25),
        (date(2019, 1, 1), date(2019, 6, 1), 16),
    ]:
        province_figure_set(
            region=places["ningbo"],
            first_month=first,
            last_month=last,
            indicator="actual_use_usd",
            value=value * M,
            yoy_pct=None,
            actor=admin,
        )
    cities = report_json(stats_report(MonthRange.parse("2020Q3")))["province"]["cities"]
    ningbo = next(c for c in cities if c["code"] == "330200")
    # Q3 2020 = 30 − 18 = 12; Q3 2019 = 25 − 16 = 9 → +33.3%
    assert (ningbo["actual_use_usd"], ningbo["yoy_pct"]) == ("12000000.00", 33.3)


@pytest.mark.django_db
def test_query_count_does_not_grow_with_the_data(reg, users):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            stats_report(Q3)
        return len(ctx.captured_queries)

    count()  # the first run creates the caliber settings row
    before = count()
    for i in range(5):
        p = ps.project_create(
            unit=reg["a"].unit,
            name=f"新增{i}",
            kind="new",
            investors=list(reg["a"].investors.all()),
            stage=Stage.SIGNED,
            stage_on=date(2020, 2, 1),
            total_investment=M,
            contract_foreign=M,
            actor=users["admin"],
        )
        ps.arrival_record(project=p, month=date(2020, 3, 1), amount=M, kind="paid_in", actor=users["admin"])
    assert count() == before


@pytest.mark.django_db
def test_no_provincial_rank_without_the_other_cities_figures(reg, places, users):
    # Only the province's own total is published for the period: Jiaxing is alone, so it is not "第1位 / 首位".
    province_figure_set(
        region=places["province"],
        first_month=date(2020, 1, 1),
        last_month=date(2020, 9, 1),
        indicator="actual_use_usd",
        value=Decimal("150800000"),
        yoy_pct=Decimal("9.3"),
        actor=users["admin"],
    )
    report = stats_report(Q3)
    assert report.standing.has_province_data is False
    assert report.standing.home is not None
    assert report.standing.home.rank is None
    city = report_json(report)["city"]
    assert (city["province_rank"], city["has_province_data"]) == (None, False)
    assert "暂无全省数据" in render_table(report)
