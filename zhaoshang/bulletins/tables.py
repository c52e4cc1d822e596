"""The bulletin's tables, defined once on the product's one exporter (`zhaoshang.common.exporter`): each yields rows
of raw values; the .docx writes each column's text, the .xlsx goes through the same `render_xlsx` as every other
spreadsheet the product writes.

A column knows its header (with its unit: 万美元, 亿美元, %, 个), how to read a row, how to write the value as text
for the document, and which number format the spreadsheet gives it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from zhaoshang.common.exporter import Column, Table
from zhaoshang.common.money import WAN, YI, fmt_pct, round_half_up

from .selectors import BulletinData


def wan(v: Decimal | None) -> Decimal | None:
    return None if v is None else round_half_up(Decimal(v) / WAN, 2)


def yi(v: Decimal | None) -> Decimal | None:
    return None if v is None else round_half_up(Decimal(v) / YI, 2)


def pct1(v: Decimal | None) -> Decimal | None:
    return None if v is None else round_half_up(Decimal(v), 1)


def _dash(v: Any) -> str:
    return "—" if v is None else str(v)


def _int_text(v: Decimal | None) -> str:
    return "—" if v is None else f"{round_half_up(Decimal(v), 0):,}"


def _yi_text(v: Decimal | None) -> str:
    return "—" if v is None else f"{v:.2f}"


def unit_table(data: BulletinData) -> Table:
    report = data.report
    rows: list[dict[str, Any]] = []
    for r in report.units:
        f = r.figures
        rows.append(
            {
                "name": r.unit.short_name,
                "actual": wan(f.actual_use),
                "yoy": pct1(f.yoy_pct),
                "target": wan(r.target.target),
                "progress": pct1(r.target.progress_pct),
                "time": pct1(r.target.time_progress_pct),
                "rank": r.rank,
                "big": f.over_100m,
                "f500": f.fortune500_projects,
            }
        )
    rows.sort(key=lambda x: (x["rank"] or 99, x["name"]))
    c = report.city
    rows.append(
        {
            "name": f"全市（全省{_rank_short(data)}）",
            "actual": wan(c.actual_use),
            "yoy": pct1(c.yoy_pct),
            "target": wan(report.city_target.target),
            "progress": pct1(report.city_target.progress_pct),
            "time": pct1(report.city_target.time_progress_pct),
            "rank": None,
            "big": c.over_100m,
            "f500": c.fortune500_projects,
        }
    )
    columns = [
        Column("单位", lambda r: r["name"], kind="text", width=13),
        Column("实际使用外资（万美元）", lambda r: r["actual"], text=_int_text, kind="wan", width=14),
        Column("同比（%）", lambda r: r["yoy"], text=lambda v: fmt_pct(v), kind="signed_pct", width=12),
        Column("年度目标（万美元）", lambda r: r["target"], text=_int_text, kind="wan", width=13),
        Column("完成进度（%）", lambda r: r["progress"], text=lambda v: fmt_pct(v, signed=False), kind="pct", width=10),
        Column("时间进度（%）", lambda r: r["time"], text=lambda v: fmt_pct(v, signed=False), kind="pct", width=10),
        Column("排名", lambda r: r["rank"], kind="int", width=6),
        Column("超亿美元项目（个）", lambda r: r["big"], kind="int", width=10),
        Column("世界500强项目（个）", lambda r: r["f500"], kind="int", width=10),
    ]
    return Table("units", f"{data.period.label()}各招商主体利用外资情况", columns, rows, frozen_columns=1)


def _rank_short(data: BulletinData) -> str:
    from .wording import rank_word

    home = data.standing.home
    return rank_word(home.rank if home else None)


def province_table(data: BulletinData) -> Table:
    columns = [
        Column("排名", lambda c: c.rank, kind="int", width=6),
        Column("设区市", lambda c: c.name, kind="text", width=10),
        Column("实际使用外资（亿美元）", lambda c: yi(c.actual_use), text=_yi_text, kind="yi", width=14),
        Column("同比（%）", lambda c: pct1(c.yoy_pct), text=lambda v: fmt_pct(v), kind="signed_pct", width=9),
        Column("超亿美元项目（个）", lambda c: None if c.over_100m is None else int(c.over_100m), kind="int", width=10),
        Column("来源", lambda c: c.source, kind="text", width=22),
    ]
    return Table(
        "province", f"{data.period.label()}全省各设区市实际使用外资", columns, data.standing.cities, frozen_columns=1
    )


def monthly_table(data: BulletinData) -> Table:
    columns = [
        Column("月份", lambda p: f"{p.month.year}年{p.month.month}月", kind="text", width=12),
        Column("实际使用外资（万美元）", lambda p: wan(p.actual_use), text=_int_text, kind="wan", width=14),
        Column("上年同月（万美元）", lambda p: wan(p.actual_use_prev), text=_int_text, kind="wan", width=14),
    ]
    return Table("monthly", f"{data.period.label()}各月实际使用外资", columns, data.monthly, frozen_columns=1)


def notable_table(data: BulletinData) -> Table:
    columns = [
        Column("项目编号", lambda p: p.code, kind="text", width=14),
        Column("项目名称", lambda p: p.name, kind="text", width=30),
        Column("招商主体", lambda p: p.unit, kind="text", width=12),
        Column("外方投资者", lambda p: p.investors, kind="text", width=30),
        Column("国别（地区）", lambda p: p.countries, kind="text", width=12),
        Column("类型", lambda p: p.kind, kind="text", width=8),
        Column("总投资（万美元）", lambda p: wan(p.total_investment_usd), text=_int_text, kind="wan", width=14),
        Column("签约日期", lambda p: p.signed_on.isoformat() if p.signed_on else None, kind="text", width=12),
        Column("世界500强", lambda p: "是" if p.is_fortune500 else "", kind="text", width=10),
        Column("超亿美元", lambda p: "是" if p.is_over_100m else "", kind="text", width=10),
    ]
    return Table("notable", f"{data.month_label}引进的重点项目", columns, data.notable, frozen_columns=1)


def corrections_table(data: BulletinData) -> Table:
    columns = [
        Column("所属月份", lambda c: f"{c.month.year}年{c.month.month}月", kind="text", width=12),
        Column("招商主体", lambda c: c.project.unit.short_name, kind="text", width=12),
        Column("项目", lambda c: c.project.name, kind="text", width=30),
        Column("更正类型", lambda c: c.get_action_display(), kind="text", width=10),
        Column("更正前（万美元）", lambda c: wan(c.amount_before_usd), text=_int_text, kind="wan", width=14),
        Column("更正后（万美元）", lambda c: wan(c.amount_after_usd), text=_int_text, kind="wan", width=14),
        Column("原因", lambda c: c.reason, kind="text", width=30),
        Column("更正人", lambda c: c.recorded_by.display_name if c.recorded_by else "系统", kind="text", width=10),
    ]
    return Table("corrections", "上期通报以来已关账月份的数据更正", columns, data.corrections, frozen_columns=1)
