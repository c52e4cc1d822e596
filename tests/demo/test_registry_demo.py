"""On the demo: the desk's 超亿 flag marks exactly what 超亿美元项目 counts, and the race's city total is the
statistics' city total for the same months."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from zhaoshang.common.periods import MonthRange
from zhaoshang.race.models import Competition
from zhaoshang.race.selectors import compute_board
from zhaoshang.stats.caliber import Caliber
from zhaoshang.stats.selectors import stats_report
from zhaoshang.web.selectors import parse_project_filters, project_list

pytestmark = [pytest.mark.slow, pytest.mark.django_db]
Q3 = MonthRange.parse("2020-01..2020-09")


def test_desk_over_100m_filter_counts_the_figure(demo):
    caliber = Caliber.current()
    flagged = project_list(parse_project_filters({"big": "1"}), on=date(2020, 12, 31), caliber=caliber)
    in_q3 = flagged.filter(signed_on__gte=Q3.start_date, signed_on__lte=Q3.end_date, unit__is_active=True)
    assert in_q3.count() == stats_report(Q3).city.over_100m == 46
    both_years = MonthRange.parse("2019-01..2020-12")
    in_both = flagged.filter(signed_on__gte=both_years.start_date, signed_on__lte=both_years.end_date)
    assert in_both.filter(unit__is_active=True).count() == stats_report(both_years).city.over_100m


def test_race_city_total_equals_stats_city_total(demo):
    comp = Competition.objects.order_by("start").first()
    assert comp is not None
    board = compute_board(comp, comp.end).to_json()
    months = MonthRange(date(comp.start.year, comp.start.month, 1), date(comp.end.year, comp.end.month, 1))
    city = stats_report(months).city
    assert Decimal(board["city"]["actual_use_race_usd"]) == city.actual_use
    ytd = stats_report(MonthRange.year_to_month(comp.end.year, comp.end.month)).city
    assert Decimal(board["city"]["actual_use_ytd_usd"]) == ytd.actual_use
