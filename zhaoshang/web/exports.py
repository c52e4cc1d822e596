"""The project list as a table (one definition of its columns), rendered as .xlsx by the one exporter."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from zhaoshang.common.exporter import Column, Table, render_xlsx
from zhaoshang.projects.models import Project
from zhaoshang.reference.currencies import currency_name
from zhaoshang.stats.caliber import Caliber


def _investors(p: Project) -> str:
    return "、".join(i.name for i in p.investors.all())


def _countries(p: Project) -> str:
    return "、".join(dict.fromkeys(i.country.name for i in p.investors.all()))


WAN = Decimal(10_000)

# Amounts as the convention has them: the original currency in 万 of it (币种 beside), then the US$ derived from it.
# The 500强, 超亿 and 失联风险 columns read the registry's per-project flags (stats.indicators.with_project_flags),
# which the project list annotates: the export marks exactly what the figures count.
PROJECT_COLUMNS = [
    Column("项目编号", lambda p: p.code, width=14),
    Column("项目名称", lambda p: p.name, width=30),
    Column("招商主体", lambda p: p.unit.short_name),
    Column("项目类型", lambda p: p.get_kind_display()),
    Column("当前阶段", lambda p: p.get_stage_display()),
    Column("阶段日期", lambda p: p.stage_on, "date"),
    Column("签约日期", lambda p: p.signed_on, "date"),
    Column("行业", lambda p: str(p.industry) if p.industry else "", width=24),
    Column("外方投资者", _investors, width=30),
    Column("国别（地区）", _countries),
    Column("币种", lambda p: currency_name(p.currency), width=8),
    Column("总投资（原币万元）", lambda p: Decimal(p.total_investment) / WAN, "wan", 16),
    Column("合同外资（原币万元）", lambda p: Decimal(p.contract_foreign) / WAN, "wan", 16),
    Column("总投资（美元）", lambda p: p.total_investment_usd, "usd", 18),
    Column("合同外资（美元）", lambda p: p.contract_foreign_usd, "usd", 18),
    Column("累计到资（美元）", lambda p: getattr(p, "arrived_usd", None), "usd", 18),
    Column("世界500强", lambda p: "是" if getattr(p, "is_f500", False) else ""),
    Column("超亿美元", lambda p: "是" if getattr(p, "is_over_100m", False) else ""),
    Column("失联风险", lambda p: "是" if getattr(p, "is_at_risk", False) else ""),
    Column("包抓领导", lambda p: p.leader),
]


def projects_table(projects: Iterable[Project], *, title: str) -> Table:
    return Table("projects", title, PROJECT_COLUMNS, projects, frozen_columns=2)


def projects_xlsx(projects: Iterable[Project], *, on: date, caliber: Caliber, title: str) -> bytes:
    return render_xlsx([projects_table(projects, title=title)], sheet_names={"projects": "项目清单"})
