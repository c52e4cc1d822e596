"""The bulletin's tables as an .xlsx (XlsxWriter): one sheet per table, title and unit above a frozen header."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import xlsxwriter

from zhaoshang.common.exporter import WORKBOOK_OPTIONS

from .race_section import race_tables
from .selectors import BulletinData
from .tables import Table, corrections_table, monthly_table, notable_table, province_table, unit_table


def all_tables(data: BulletinData) -> list[Table]:
    tables = [unit_table(data), province_table(data), monthly_table(data), notable_table(data)]
    tables.append(corrections_table(data))
    if data.race is not None:
        tables += race_tables(data.race)
    return tables


SHEET_NAMES = {
    "units": "各招商主体",
    "province": "全省各市",
    "monthly": "各月",
    "notable": "重点项目",
    "corrections": "数据更正",
    "race": "竞赛榜单",
    "red_flags": "红旗项目",
    "snails": "蜗牛",
}
NUMBER_FORMATS = {
    "int": "0",
    "wan": "#,##0.00",
    "yi": "0.00",
    "pct": '0.0"%"',
    "signed_pct": '+0.0"%";-0.0"%";0.0"%"',
}


def _cell_value(v: Any) -> Any:
    if isinstance(v, Decimal):
        return float(v)  # a spreadsheet cell holds a double; the value is already rounded to its shown precision
    return v


def render_xlsx(data: BulletinData, tables: list[Table] | None = None) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, WORKBOOK_OPTIONS)
    wb.set_properties({"title": data.title, "author": data.issuer})
    base = {"font_name": "宋体", "font_size": 11, "border": 1, "valign": "vcenter"}
    title_fmt = wb.add_format({"font_name": "黑体", "font_size": 14, "bold": True})
    note_fmt = wb.add_format({"font_name": "宋体", "font_size": 10, "italic": True})
    header_fmt = wb.add_format({**base, "bold": True, "bg_color": "#D9E1F2", "align": "center", "text_wrap": True})
    text_fmt = wb.add_format(base)
    num_fmts = {k: wb.add_format({**base, "num_format": v}) for k, v in NUMBER_FORMATS.items()}
    used: set[str] = set()
    for table in tables if tables is not None else all_tables(data):
        name = SHEET_NAMES.get(table.key, table.key)[:28]
        n = 2
        while name in used:  # a second competition's sheets
            name, n = f"{SHEET_NAMES.get(table.key, table.key)[:28]}{n}", n + 1
        used.add(name)
        ws = wb.add_worksheet(name)
        ws.write_string(0, 0, table.caption, title_fmt)
        ws.write_string(1, 0, f"{table.unit_note}；商务部口径；数据截至{data.report.as_of:%Y-%m-%d}", note_fmt)
        for j, col in enumerate(table.columns):
            ws.write_string(2, j, col.header, header_fmt)
            ws.set_column(j, j, col.width)
        ws.set_row(2, 32)
        for i, values in enumerate(table.values(), start=3):
            for j, (col, v) in enumerate(zip(table.columns, values, strict=True)):
                if v is None or v == "":
                    ws.write_blank(i, j, None, text_fmt)
                elif col.fmt == "text":
                    ws.write_string(i, j, str(v), text_fmt)
                else:
                    ws.write_number(i, j, _cell_value(v), num_fmts[col.fmt])
        ws.freeze_panes(3, 1)
    wb.close()
    return buf.getvalue()
