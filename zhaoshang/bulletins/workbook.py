"""The bulletin's tables as an .xlsx (XlsxWriter): one sheet per table, its title with the period and the data
cut-off above a frozen header that states each column's unit; numbers as numbers with formats (a percentage is a
fraction shown with %); printed landscape on A4, one page wide, the header repeated on every page."""

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
    "pct": "0.0%",
    "signed_pct": "+0.0%;-0.0%;0.0%",
}
PERCENT_FORMATS = {"pct", "signed_pct"}
# Characters a sheet name may not hold, and punctuation it should not start or end with.
SHEET_FORBIDDEN = "[]:*?/\\"
SHEET_TRIM = "；;，,。'’‘ "


def _cell_value(v: Any, fmt: str) -> Any:
    if isinstance(v, Decimal):
        if fmt in PERCENT_FORMATS:
            v = v / 100  # 73.7 (%) is stored as 0.737 and shown by the format as 73.7%
        return float(v)  # a spreadsheet cell holds a double; the value is already rounded to its shown precision
    if fmt in PERCENT_FORMATS and isinstance(v, int | float):
        return v / 100
    return v


def sheet_name(text: str) -> str:
    """A valid, tidy sheet name: no forbidden character, no leading or trailing punctuation, at most 28 characters."""
    name = "".join("_" if ch in SHEET_FORBIDDEN else ch for ch in text).strip(SHEET_TRIM)
    return (name or "表")[:28]


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
    subtitle = f"{data.period.label()}；商务部口径；数据截至{data.cutoff_label}"
    for table in tables if tables is not None else all_tables(data):
        base_name = sheet_name(SHEET_NAMES.get(table.key, table.key))
        name, n = base_name, 2
        while name in used:  # a second competition's sheets
            name, n = f"{base_name[:26]}{n}", n + 1
        used.add(name)
        ws = wb.add_worksheet(name)
        ws.write_string(0, 0, table.caption, title_fmt)
        note = f"{table.unit_note}；{subtitle}" if table.unit_note else subtitle
        ws.write_string(1, 0, note, note_fmt)
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
                    ws.write_number(i, j, _cell_value(v, col.fmt), num_fmts[col.fmt])
        ws.freeze_panes(3, 1)
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)  # one page wide, as many pages down as it takes
        ws.repeat_rows(0, 2)  # title, note and header on every printed page
        ws.set_header(f"&C{_header_text(data.title)}")
        ws.set_footer("&C第 &P 页，共 &N 页")
    wb.close()
    return buf.getvalue()


def _header_text(text: str) -> str:
    return text.replace("&", "&&")
