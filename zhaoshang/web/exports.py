"""The project list as rows (one definition of its columns) and as an .xlsx workbook (XlsxWriter)."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import xlsxwriter

from zhaoshang.common.spreadsheet import SAFE_WORKBOOK
from zhaoshang.projects.models import Project
from zhaoshang.projects.selectors import is_at_risk
from zhaoshang.stats.caliber import Caliber


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Project, dict[str, Any]], Any]
    kind: str = "text"  # text, date, usd
    width: int = 12


def _investors(p: Project) -> str:
    return "、".join(i.name for i in p.investors.all())


def _countries(p: Project) -> str:
    return "、".join(dict.fromkeys(i.country.name for i in p.investors.all()))


PROJECT_COLUMNS = [
    Column("项目编号", lambda p, c: p.code, width=14),
    Column("项目名称", lambda p, c: p.name, width=30),
    Column("招商主体", lambda p, c: p.unit.short_name),
    Column("项目类型", lambda p, c: p.get_kind_display()),
    Column("当前阶段", lambda p, c: p.get_stage_display()),
    Column("阶段日期", lambda p, c: p.stage_on, "date"),
    Column("签约日期", lambda p, c: p.signed_on, "date"),
    Column("行业", lambda p, c: str(p.industry) if p.industry else "", width=24),
    Column("外方投资者", lambda p, c: _investors(p), width=30),
    Column("国别（地区）", lambda p, c: _countries(p)),
    Column("总投资（美元）", lambda p, c: p.total_investment_usd, "usd", 18),
    Column("合同外资（美元）", lambda p, c: p.contract_foreign_usd, "usd", 18),
    Column("世界500强", lambda p, c: "是" if getattr(p, "is_f500", False) else ""),
    Column("超亿美元", lambda p, c: "是" if p.total_investment_usd >= c["caliber"].over_100m_usd else ""),
    Column("失联风险", lambda p, c: "是" if is_at_risk(p, on=c["on"]) else ""),
    Column("包抓领导", lambda p, c: p.leader),
]


def project_rows(projects: Iterable[Project], *, on: date, caliber: Caliber) -> Iterator[list[Any]]:
    ctx = {"on": on, "caliber": caliber}
    for p in projects:
        yield [col.value(p, ctx) for col in PROJECT_COLUMNS]


def projects_xlsx(projects: Iterable[Project], *, on: date, caliber: Caliber, title: str) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, SAFE_WORKBOOK)
    sheet = book.add_worksheet("项目清单")
    bold = book.add_format({"bold": True, "bg_color": "#F0F3F7", "border": 1})
    title_fmt = book.add_format({"bold": True, "font_size": 14})
    money = book.add_format({"num_format": "#,##0.00"})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_string(0, 0, title, title_fmt)
    for c, col in enumerate(PROJECT_COLUMNS):
        sheet.write_string(1, c, col.header, bold)
        sheet.set_column(c, c, col.width)
    r = 1
    for r, row in enumerate(project_rows(projects, on=on, caliber=caliber), start=2):
        for c, (col, value) in enumerate(zip(PROJECT_COLUMNS, row, strict=True)):
            if value is None or value == "":
                continue
            if col.kind == "usd":
                # xlsx stores numbers as binary doubles; the cents survive at these magnitudes.
                sheet.write_number(r, c, float(Decimal(value)), money)
            elif col.kind == "date":
                sheet.write_datetime(r, c, value, day)
            else:
                sheet.write_string(r, c, str(value))
    sheet.freeze_panes(2, 2)
    sheet.autofilter(1, 0, max(r, 1), len(PROJECT_COLUMNS) - 1)
    book.close()
    return out.getvalue()
