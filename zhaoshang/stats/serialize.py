"""The report as plain data (JSON, CSV rows) and as a table for people, from one definition of its columns."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from zhaoshang.common.exporter import Column, safe_text
from zhaoshang.common.money import fmt_pct, fmt_pp, fmt_yi, round_half_up
from zhaoshang.projects.models import Stage

from .selectors import CityFigure, Figures, Progress, StatsReport, pct1


def money(value: Decimal | None) -> str | None:
    """US$ as a decimal string with cents, e.g. "2374000000.00"."""
    return None if value is None else f"{Decimal(value).quantize(Decimal('0.01'))}"


def figures_json(f: Figures) -> dict[str, Any]:
    return {
        "actual_use_usd": money(f.actual_use),
        "actual_use_prev_usd": money(f.actual_use_prev),
        "yoy_pct": pct1(f.yoy_pct),
        "growth_caliber": "comparable" if f.growth_on_comparable else "full",
        "actual_use_comparable_usd": money(f.comparable),
        "reinvested_profit_usd": money(f.reinvested),
        "reinvested_share_pct": pct1(f.reinvested_share_pct),
        "contract_usd": money(f.contract),
        "contract_prev_usd": money(f.contract_prev),
        "contract_yoy_pct": pct1(f.contract_yoy_pct),
        "new_projects": f.new_projects,
        "new_projects_prev": f.new_projects_prev,
        "projects_over_100m": f.over_100m,
        "projects_over_100m_prev": f.over_100m_prev,
        "fortune500_projects": f.fortune500_projects,
        "fortune500_projects_prev": f.fortune500_projects_prev,
        "fortune500_companies": f.fortune500_companies,
        "at_risk_projects": f.at_risk,
    }


def progress_json(p: Progress) -> dict[str, Any]:
    return {
        "target_usd": money(p.target),
        "progress_pct": pct1(p.progress_pct),
        "time_progress_pct": pct1(p.time_progress_pct),
        "behind_schedule": p.behind,
    }


def city_json(c: CityFigure) -> dict[str, Any]:
    return {
        "code": c.code,
        "name": c.name,
        "actual_use_usd": money(c.actual_use),
        "yoy_pct": pct1(c.yoy_pct),
        "rank": c.rank,
        "rank_yoy": c.rank_yoy,
        "projects_over_100m": None if c.over_100m is None else int(c.over_100m),
        "rank_over_100m": c.rank_over_100m,
        "source": c.source,
    }


def report_json(report: StatsReport) -> dict[str, Any]:
    s = report.standing
    city = {
        "code": report.city_region.code,
        "name": report.city_region.name,
        **figures_json(report.city),
        **progress_json(report.city_target),
        "province_rank": s.home.rank if s.home else None,
        "has_province_data": s.has_province_data,
        "province_rank_yoy": s.home.rank_yoy if s.home else None,
        "province_rank_over_100m": s.home.rank_over_100m if s.home else None,
        "province_avg_yoy_pct": pct1(s.yoy_pct),
        "yoy_vs_province_pp": pct1(s.margin_pp),
        "city_ahead": s.ahead.name if s.ahead else None,
        "gap_to_ahead_usd": money(s.gap_to_ahead),
        "city_behind": s.behind.name if s.behind else None,
        "gap_to_behind_usd": money(s.gap_to_behind),
        "pace_current_monthly_usd": money(s.pace_current_monthly),
        "pace_ahead_monthly_usd": money(s.ahead_pace_monthly),
        "pace_needed_monthly_usd": money(s.pace_needed_monthly),
    }
    units = [
        {
            "code": r.unit.code,
            "name": r.unit.name,
            "short_name": r.unit.short_name,
            "rank": r.rank,
            **figures_json(r.figures),
            **progress_json(r.target),
        }
        for r in report.units
    ]
    p = report.pipeline
    return {
        "period": {
            "first": f"{report.period.first:%Y-%m}",
            "last": f"{report.period.last:%Y-%m}",
            "label": report.period.label(),
        },
        "as_of": report.as_of.isoformat(),
        "caliber": report.caliber.describe(),
        "city": city,
        "units": units,
        "province": {
            "code": s.code,
            "name": s.name,
            "actual_use_usd": money(s.actual_use),
            "yoy_pct": pct1(s.yoy_pct),
            "cities": [city_json(c) for c in s.cities],
        },
        "pipeline": {
            "by_stage": {Stage(k).label: v for k, v in p.by_stage.items()},
            "median_days_to_next_stage": {Stage(k).label: v for k, v in p.stage_days.items() if v is not None},
            "at_risk_projects": p.at_risk,
        },
    }


def _yi(v: Decimal | None) -> str:
    return "—" if v is None else str(round_half_up(Decimal(v) / 100_000_000, 2))


UNIT_COLUMNS = [
    Column("单位", lambda r: r["name"], text=str),
    Column("实际使用外资（亿美元）", lambda r: r["actual_use"], text=_yi),
    Column("上年同期（亿美元）", lambda r: r["actual_use_prev"], text=_yi),
    Column("同比", lambda r: r["yoy"], text=fmt_pct),
    Column("利润再投资（亿美元）", lambda r: r["reinvested"], text=_yi),
    Column("合同外资（亿美元）", lambda r: r["contract"], text=_yi),
    Column("新设项目（个）", lambda r: r["new"], text=str),
    Column("超亿美元项目（个）", lambda r: r["big"], text=str),
    Column("世界500强项目（个）", lambda r: r["f500"], text=str),
    Column("任务完成", lambda r: r["progress"], text=lambda v: fmt_pct(v, signed=False)),
    Column("排名", lambda r: r["rank"], text=lambda v: "—" if v is None else str(v)),
]


def table_rows(report: StatsReport) -> Iterator[dict[str, Any]]:
    """One row per unit and a last one for the city: the rows every table format renders."""

    def row(name: str, f: Figures, progress: Progress, rank: int | None) -> dict[str, Any]:
        return {
            "name": name,
            "actual_use": f.actual_use,
            "actual_use_prev": f.actual_use_prev,
            "yoy": f.yoy_pct,
            "reinvested": f.reinvested,
            "contract": f.contract,
            "new": f.new_projects,
            "big": f.over_100m,
            "f500": f.fortune500_projects,
            "progress": progress.progress_pct,
            "rank": rank,
        }

    for r in report.units:
        yield row(r.unit.short_name, r.figures, r.target, r.rank)
    s = report.standing
    yield row(
        f"{report.city_region.name}（全省第{s.home.rank}）"
        if s.home and s.home.rank
        else f"{report.city_region.name}（{'全省第—' if s.has_province_data else '暂无全省数据'}）",
        report.city,
        report.city_target,
        None,
    )


def render_table(report: StatsReport) -> str:
    rows = [[c.as_text(c.value(r)) for c in UNIT_COLUMNS] for r in table_rows(report)]
    headers = [c.header for c in UNIT_COLUMNS]
    widths = [max(_width(h), *(_width(r[i]) for r in rows)) for i, h in enumerate(headers)]
    lines = [f"{report.period.label()} 利用外资情况（截至 {report.as_of:%Y-%m-%d}）"]
    lines.append("  ".join(_pad(h, w) for h, w in zip(headers, widths, strict=True)))
    lines += ["  ".join(_pad(v, w) for v, w in zip(r, widths, strict=True)) for r in rows]
    s = report.standing
    if s.home:
        lines.append("")
        lines.append(
            f"全市实际使用外资 {fmt_yi(report.city.actual_use)}，同比 {fmt_pct(report.city.yoy_pct)}，"
            + (f"规模居全省第{s.home.rank or '—'}位；" if s.has_province_data else "暂无全省数据；")
            + f"全省同比 {fmt_pct(s.yoy_pct)}，"
            f"高于全省 {fmt_pp(s.margin_pp)}；超亿美元项目 {report.city.over_100m} 个，"
            f"居全省第{s.home.rank_over_100m or '—'}位；世界500强投资项目 {report.city.fortune500_projects} 个。"
        )
    return "\n".join(lines)


def csv_rows(report: StatsReport) -> Iterator[list[str]]:
    data = report_json(report)
    keys = [
        "code",
        "name",
        *[k for k in figures_json(report.city)],
        "target_usd",
        "progress_pct",
        "time_progress_pct",
        "behind_schedule",
    ]
    yield ["level", *keys]
    for u in data["units"]:
        yield ["unit", *[_csv(u.get(k)) for k in keys]]
    yield ["city", *[_csv(data["city"].get(k)) for k in keys]]
    for c in data["province"]["cities"]:
        yield ["province_city", *[_csv(c.get(k)) for k in keys]]


def _csv(v: Any) -> str:
    return safe_text(v)


def _width(s: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in s)


def _pad(s: str, width: int) -> str:
    return s + " " * (width - _width(s))
