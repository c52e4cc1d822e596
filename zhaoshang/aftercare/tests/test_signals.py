"""Signals, escalation, overdue and median days, each recomputed by hand on a small case."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from zhaoshang.aftercare import selectors as sel
from zhaoshang.aftercare import services as ac
from zhaoshang.projects import services as ps
from zhaoshang.projects.models import Country
from zhaoshang.reference.services import rate_set

pytestmark = pytest.mark.django_db


def keys(signals):
    return sorted(s.key for s in signals)


def file(entry, user, year, filed_on, **kw):
    return ac.annual_figures_file(entry=entry, year=year, filed_on=filed_on, actor=user, **kw)


def test_reinvestment_capacity_uses_only_what_was_filed_by_the_as_of_date(entry, users):
    staff = users["staff"]
    # 2018: 1,800 of 4,000 is 45% (below half); 2019, filed on 2020-02-10: 2,600 of 4,000 is 65%.
    file(entry, staff, 2018, date(2019, 4, 1), registered_capital=Decimal(4000), undistributed_profit=Decimal(1800))
    file(entry, staff, 2019, date(2020, 2, 10), registered_capital=Decimal(4000), undistributed_profit=Decimal(2600))
    before = sel.signals_for([entry], on=date(2020, 2, 9))[entry.pk]
    assert "capacity" not in keys(before)
    after = sel.signals_for([entry], on=date(2020, 2, 10))[entry.pk]
    capacity = next(s for s in after if s.key == "capacity")
    assert capacity.numbers["ratio_pct"] == "65.0"  # 2600 / 4000 × 100
    assert "2019年度未分配利润 2,600万元，为注册资本 4,000万元 的 65.0%" in capacity.detail


def test_growth_and_falling_by_hand(entry, users, enterprise):
    staff = users["staff"]
    file(entry, staff, 2018, date(2019, 4, 1), revenue=Decimal(10000), employees=200)
    file(entry, staff, 2019, date(2020, 4, 1), revenue=Decimal(12000), employees=210)
    on = date(2020, 5, 1)
    growth = next(s for s in sel.signals_for([entry], on=on)[entry.pk] if s.key == "growth")
    # revenue 12000 / 10000 − 1 = 20.0% (the threshold); employees 210 / 200 − 1 = 5.0%
    assert (growth.numbers["revenue_growth_pct"], growth.numbers["employee_growth_pct"]) == ("20.0", "5.0")
    file(entry, staff, 2019, date(2020, 4, 1), revenue=Decimal(9000), employees=180)
    found = sel.signals_for([entry], on=on)[entry.pk]
    falling = next(s for s in found if s.key == "falling")
    assert (falling.numbers["revenue_growth_pct"], falling.numbers["employee_growth_pct"]) == ("-10.0", "-10.0")
    assert "growth" not in keys(found)


def test_growth_across_currencies_converts_at_each_years_reference_rate(entry, users):
    staff = users["staff"]
    for month in range(1, 13):
        rate_set(currency="CNY", month=date(2018, month, 1), rate_to_usd=Decimal("0.15"), actor=users["admin"])
        rate_set(currency="CNY", month=date(2019, month, 1), rate_to_usd=Decimal("0.14"), actor=users["admin"])
    # 2018 in 万元: 10,000 × 0.15 = US$1,500万; 2019 in 万美元: 1,800 → growth 1800 / 1500 − 1 = 20.0%
    file(entry, staff, 2018, date(2019, 4, 1), revenue=Decimal(10000))
    file(entry, staff, 2019, date(2020, 4, 1), revenue=Decimal(1800), currency="USD")
    growth = next(s for s in sel.signals_for([entry], on=date(2020, 5, 1))[entry.pk] if s.key == "growth")
    assert growth.numbers["revenue_growth_pct"] == "20.0"
    assert sel.year_rates([("CNY", 2019), ("USD", 2019), ("CNY", 2017)]) == {
        ("CNY", 2019): Decimal("0.14"),
        ("USD", 2019): Decimal(1),
    }


def test_visits_intentions_and_no_visit_in_a_year(entry, users):
    staff = users["staff"]
    assert keys(sel.signals_for([entry], on=date(2020, 6, 1))[entry.pk]) == ["no_visit"]
    ac.visit_log(entry=entry, on=date(2019, 6, 5), met="总经理", learned="正常", intention="move", actor=staff)
    ac.visit_log(entry=entry, on=date(2020, 3, 1), met="总经理", learned="拟增资", intention="expand", actor=staff)
    found = sel.signals_for([entry], on=date(2020, 6, 1))[entry.pk]
    assert keys(found) == ["intention", "move"]  # 2019-06-05 is within 365 days of 2020-06-01
    found = sel.signals_for([entry], on=date(2021, 3, 2))[entry.pk]  # 366 days after the last visit
    assert keys(found) == ["no_visit"]
    assert next(s for s in found if s.key == "no_visit").numbers["days"] == 366


def test_unsolved_requests(entry, users):
    staff = users["staff"]
    r = ac.request_open(
        entry=entry,
        category="land",
        description="用地",
        department="自然资源局",
        received_on=date(2020, 3, 1),
        deadline=date(2020, 3, 31),
        actor=staff,
    )
    ac.visit_log(entry=entry, on=date(2020, 3, 1), met="总经理", learned="正常", actor=staff)
    unsolved = next(s for s in sel.signals_for([entry], on=date(2020, 4, 10))[entry.pk] if s.key == "unsolved")
    assert unsolved.numbers == {"overdue": 1, "longest_overdue_days": 10, "unsolvable": 0}
    ac.request_close(request=r, on=date(2020, 4, 20), answer="已解决", actor=staff)
    assert "unsolved" not in keys(sel.signals_for([entry], on=date(2020, 4, 20))[entry.pk])
    # As it stood on 2020-04-10 it was still open and overdue.
    assert "unsolved" in keys(sel.signals_for([entry], on=date(2020, 4, 10))[entry.pk])


def test_group_capital_increase_elsewhere(entry, users, units, investor, enterprise):
    parent = ps.investor_create(name="母集团", country=Country.objects.get(code="DE"), actor=users["admin"])
    sister = ps.investor_create(
        name="子公司乙", country=Country.objects.get(code="DE"), parent=parent, actor=users["admin"]
    )
    ac.roster_update(entry=entry, group=parent, actor=users["admin"])
    other = ps.enterprise_create(name="经开区乙有限公司", unit=units["zone"], is_new=False, actor=users["admin"])
    ps.project_create(
        unit=units["zone"],
        name="乙增资项目",
        kind="increase",
        investors=[sister],
        enterprise=other,
        stage="signed",
        stage_on=date(2020, 7, 1),
        total_investment=Decimal(30_000_000),
        actor=users["admin"],
    )
    found = next(s for s in sel.signals_for([entry], on=date(2020, 8, 1))[entry.pk] if s.key == "group_increase")
    assert "2020-07-01 在嘉兴经开区签约“乙增资项目”（增资，总投资 3,000 万美元）" in found.detail
    assert "group_increase" not in keys(sel.signals_for([entry], on=date(2020, 6, 30))[entry.pk])


def test_escalation_overdue_and_median_days_by_hand(entry, users):
    staff = users["staff"]

    def opened(received, deadline):
        return ac.request_open(
            entry=entry,
            category="approval",
            description="审批",
            department="行政审批局",
            received_on=received,
            deadline=deadline,
            actor=staff,
        )

    a = opened(date(2020, 1, 1), date(2020, 1, 31))
    ac.request_close(request=a, on=date(2020, 1, 11), answer="已批", actor=staff)  # 10 days
    b = opened(date(2020, 2, 1), date(2020, 2, 15))
    b = ac.request_close(request=b, on=date(2020, 3, 2), answer="已批", actor=staff)  # 30 days, 16 late
    c = opened(date(2020, 3, 1), date(2020, 3, 10))
    ac.request_unsolvable(request=c, on=date(2020, 3, 21), reason="不符合条件", actor=staff)  # 20 days
    d = opened(date(2020, 3, 1), date(2020, 3, 25))  # open: 6 days late on 03-31 → unit head
    e = opened(date(2020, 2, 1), date(2020, 3, 10))  # open: 21 days late on 03-31 → city (> 15)
    f = opened(date(2020, 3, 20), date(2020, 4, 20))  # open, in time
    on = date(2020, 3, 31)
    board = sel.request_board(users["admin"], on=on)
    assert {r.pk for r in board.open} == {d.pk, e.pk, f.pk}
    assert [r.pk for r in board.overdue] == [e.pk, d.pk]  # by deadline
    assert {r.pk for r in board.closed} == {a.pk, b.pk, c.pk}
    assert board.median_days_to_close == 20.0  # median of 10, 30, 20
    assert (board.escalated_to_head, board.escalated_to_city) == (1, 1)
    assert sel.escalation(d, on) == (1, "已提级至单位负责人")
    assert sel.escalation(e, on) == (2, "已提级至市局")
    assert sel.escalation(e, date(2020, 3, 25)) == (1, "已提级至单位负责人")  # 15 days late: not yet the city
    assert sel.days_overdue(b, on) == 16
    assert board.per_unit[0]["median_days_to_close"] == 20.0
    # On 2020-02-20 only a was closed (10 days), b and e were open, b 5 days late.
    early = sel.request_board(users["admin"], on=date(2020, 2, 20))
    assert (len(early.open), len(early.overdue), len(early.closed), early.median_days_to_close) == (2, 1, 1, 10.0)
    # Unit staff of another unit see none of it.
    assert sel.request_board(users["zone_staff"], on=on).open == []


def test_ranked_lists_order_by_weights_then_ratio(entry, users, units, investor):
    staff = users["staff"]
    second = ac.roster_enroll_new(name="嘉善二号有限公司", unit=units["jiashan"], investors=[investor], actor=staff)
    file(entry, staff, 2019, date(2020, 3, 1), registered_capital=Decimal(100), undistributed_profit=Decimal(60))
    file(second, staff, 2019, date(2020, 3, 1), registered_capital=Decimal(100), undistributed_profit=Decimal(90))
    on = date(2020, 6, 1)
    top = sel.ranked(users["admin"], kind="expansion", on=on)
    assert [r.entry.pk for r in top] == [second.pk, entry.pk]  # both 3 points; 90% before 60%
    ac.visit_log(entry=entry, on=date(2020, 5, 1), met="总经理", learned="拟增资", intention="reinvest", actor=staff)
    top = sel.ranked(users["admin"], kind="expansion", on=on)
    assert [(r.entry.pk, r.score) for r in top] == [(entry.pk, 6), (second.pk, 3)]
    risk = sel.ranked(users["admin"], kind="risk", on=on)
    assert [(r.entry.pk, r.score) for r in risk] == [(second.pk, 1)]  # never visited
