"""存量外资企业 on the demo: ZF's reinvestment signal stands before its 2020 projects, from its 2019 annual figures by
a rule recomputed here by hand; the demo's reinvested profits and capital increases all tie to roster enterprises."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum

from zhaoshang.aftercare.models import AnnualFigures, RosterEntry
from zhaoshang.aftercare.selectors import signals_for
from zhaoshang.common.periods import MonthRange
from zhaoshang.projects.models import CapitalArrival, Enterprise, Project
from zhaoshang.stats import indicators as registry
from zhaoshang.stats.caliber import Caliber
from zhaoshang.stats.selectors import city_figures, city_units, unit_figures

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def test_zf_shows_the_reinvestment_signal_before_its_2020_projects(demo):
    entry = RosterEntry.objects.get(enterprise__name="采埃孚传动系统（嘉兴）有限公司")
    first = Project.objects.filter(enterprise=entry.enterprise).order_by("stage_on").first()
    assert first.kind == "reinvest"
    first_event = first.stage_events.order_by("on").first().on
    assert first_event == date(2020, 3, 18)
    day_before = first_event - timedelta(days=1)
    # By hand: the latest annual figures filed by the day before are 2019's; undistributed profit against
    # registered capital, in the same currency and unit, at least half.
    filed = AnnualFigures.objects.filter(entry=entry, filed_on__lte=day_before).order_by("-year")
    latest = filed.first()
    assert (latest.year, latest.currency, latest.unit_scale) == (2019, "CNY", 10_000)
    ratio = latest.undistributed_profit / latest.registered_capital
    assert ratio >= Decimal("0.5")
    expected_pct = (ratio * 100).quantize(Decimal("0.1"))
    signal = next(s for s in signals_for([entry], on=day_before)[entry.pk] if s.key == "capacity")
    assert signal.numbers["year"] == 2019
    assert Decimal(signal.numbers["ratio_pct"]) == expected_pct
    # A year earlier only the 2018 figures were filed, and the signal read those.
    earlier = next(s for s in signals_for([entry], on=date(2019, 12, 31))[entry.pk] if s.key == "capacity")
    assert earlier.numbers["year"] == 2018


def test_reinvested_profits_and_capital_increases_tie_to_roster_enterprises(demo):
    caliber = Caliber.current()
    period = MonthRange.year_to_month(2020, 9)
    units = city_units()
    per_unit = unit_figures(period, caliber)
    city = city_figures(per_unit, units, companies=0, comparable=caliber.growth_on_comparable(period))
    reinvested = registry.value(city, "reinvested_profit_usd")
    assert reinvested == Decimal("460000000.00")
    # Every arrival of the registry's reinvested-profit figure, and every capital increase, comes from a project
    # whose enterprise is on the roster; summed by roster enterprise they give the figure again.
    where = registry.indicator("reinvested_profit_usd").where(caliber)
    rows = CapitalArrival.objects.filter(
        where, month__gte=period.first, month__lte=period.last, project__unit__in=units
    )
    by_entry: dict[int, Decimal] = defaultdict(Decimal)
    roster = dict(RosterEntry.objects.values_list("enterprise_id", "pk"))
    for enterprise_id, amount in rows.values_list("project__enterprise_id", "amount_usd"):
        assert enterprise_id in roster
        by_entry[roster[enterprise_id]] += amount
    assert sum(by_entry.values()) == reinvested
    increases = Project.objects.filter(kind__in=["increase", "reinvest"])
    assert increases.exists()
    assert not increases.exclude(enterprise__roster__isnull=False).exists()
    capital = CapitalArrival.objects.filter(kind="capital_increase")
    assert capital.aggregate(s=Sum("amount_usd"))["s"] > 0
    assert not capital.exclude(project__enterprise__roster__isnull=False).exists()
    assert RosterEntry.objects.count() == Enterprise.objects.count()


def test_every_roster_enterprise_page_and_the_boards_answer(demo, client):
    from zhaoshang.accounts.models import User

    client.force_login(User.objects.get(username="admin"))
    for url in ["/", "/enterprises/", "/enterprises/requests/", "/enterprises/signals/", "/api/enterprises"]:
        assert client.get(url).status_code == 200, url
    entry = RosterEntry.objects.get(enterprise__name="嘉兴福莱特新能源科技有限公司")
    page = client.get(f"/enterprises/{entry.enterprise.credit_code}/").content.decode()
    assert 'data-signal="growth"' in page
