"""A small registry for the forecast: two units, 2019–2020, built through the registry's services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from zhaoshang.projects import services as ps
from zhaoshang.projects.models import Country, Stage
from zhaoshang.stats.services import province_figure_set, target_set

M = Decimal(1_000_000)


def month(n: int) -> date:
    """Month number n from January 2019 (0 = 2019-01)."""
    return date(2019 + n // 12, n % 12 + 1, 1)


@pytest.fixture
def registry(as_of, units, users, places):
    """Per unit: 6 projects registered in late 2018 or during 2019–2020 that receive capital every few months, 3 in
    the pipeline (negotiating or signed in 2020), 1 dropped. Ningbo publishes 1–N月 figures for 2019 and 2020."""
    admin = users["admin"]
    de = Country.objects.get(code="DE")
    inv = ps.investor_create(name="测试投资方", name_en="Test Investor", country=de, actor=admin)
    made = {}
    for u_i, key in enumerate(("jiashan", "zone")):
        unit = units[key]
        for j in range(6):
            start = date(2018, 9 + j % 3, 3 + j) if j < 3 else month(3 * j + u_i).replace(day=2)
            p = ps.project_create(
                unit=unit,
                name=f"{unit.short_name}项目{j}",
                kind="new" if j % 2 == 0 else "increase",
                investors=[inv],
                stage_on=start,
                total_investment=Decimal(60 + 10 * j) * M,
                contract_foreign=Decimal(40 + 8 * j) * M,
                actor=admin,
            )
            signed = date(start.year + (start.month + 1 > 12), (start.month % 12) + 1, 5)
            p = ps.project_advance_stage(project=p, to_stage=Stage.SIGNED, on=signed, actor=admin)
            reg = date(signed.year + (signed.month + 1 > 12), (signed.month % 12) + 1, 8)
            p = ps.project_advance_stage(project=p, to_stage=Stage.REGISTERED, on=reg, actor=admin)
            first = (reg.year - 2019) * 12 + reg.month - 1
            paid = Decimal(0)
            for n in range(max(first, 0), 24):
                if (n + j + u_i) % (2 + j % 3) != 0:
                    continue
                amount = Decimal(2 + (n * 7 + j * 3 + u_i) % 6) * M
                if paid + amount > p.contract_foreign_usd:
                    break
                ps.arrival_record(project=p, month=month(n), amount=amount, kind="paid_in", actor=admin)
                paid += amount
            made[f"{key}{j}"] = p
        for j in range(3):
            p = ps.project_create(
                unit=unit,
                name=f"{unit.short_name}在谈项目{j}",
                kind="new",
                investors=[inv],
                stage_on=date(2020, 2 + j, 10),
                total_investment=Decimal(80) * M,
                contract_foreign=Decimal(50) * M,
                actor=admin,
            )
            if j > 0:
                p = ps.project_advance_stage(project=p, to_stage=Stage.SIGNED, on=date(2020, 5 + j, 12), actor=admin)
            made[f"{key}-pipe{j}"] = p
        dropped = ps.project_create(
            unit=unit,
            name=f"{unit.short_name}中止项目",
            kind="new",
            investors=[inv],
            stage_on=date(2019, 4, 1),
            total_investment=Decimal(30) * M,
            contract_foreign=Decimal(20) * M,
            actor=admin,
        )
        ps.project_drop(project=dropped, on=date(2019, 9, 1), reason="投资方战略调整", actor=admin)
    ningbo = places["ningbo"]
    for year, monthly in ((2019, 9), (2020, 10)):
        for last in range(1, 13):
            province_figure_set(
                region=ningbo,
                first_month=date(year, 1, 1),
                last_month=date(year, last, 1),
                indicator="actual_use_usd",
                value=Decimal(monthly * last) * M,
                yoy_pct=None,
                actor=admin,
            )
    target_set(year=2020, indicator="actual_use_usd", value=Decimal(200) * M, actor=admin)
    target_set(year=2020, indicator="actual_use_usd", value=Decimal(100) * M, unit=units["jiashan"], actor=admin)
    return made
