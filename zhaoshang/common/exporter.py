"""One exporter: a table is a list of columns and an iterable of rows; one renderer writes it as .xlsx or .csv.

Every spreadsheet the product writes (the project list, the chain map, the reconciliation, the bulletin's tables)
goes through `render_xlsx`, so the safety rules hold everywhere: text from users is written as text — never turned
into a formula, a hyperlink or a number — and money cells are numbers whose unit is in the column's header.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

# How each kind of cell is shown in a spreadsheet. Money is a number; its unit lives in the header.
NUMBER_FORMATS = {
    "int": "0",
    "usd": "#,##0.00",
    "wan": "#,##0.00",
    "yi": "0.00",
    "pct": "0.0%",  # a percentage is stored as a fraction (73.7% → 0.737) and shown by its format
    "signed_pct": "+0.0%;-0.0%;0.0%",
    "date": "yyyy-mm-dd",
    "month": "yyyy-mm",
}
PERCENT_KINDS = ("pct", "signed_pct")  # values arrive in per cent (73.7); the cell holds the fraction
# The format a blank form gives a column, so that what a clerk types stays what it was (a code keeps its zeros).
ENTRY_FORMATS = {"text": "@", "date": "yyyy-mm-dd", "month": "yyyy-mm"}
HEADER_COLOUR = "#D9E1F2"
REQUIRED_COLOUR = "#FCE4D6"
# A cell whose text starts with one of these would be read as a formula by a spreadsheet program.
FORMULA_LEAD = ("=", "+", "-", "@", "\t", "\r")
WORKBOOK_OPTIONS = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
ENTRY_ROWS = 10_000
MAX_CELL_COMMENTS = 5_000  # a spreadsheet program slows to a crawl beyond this


@dataclass(frozen=True)
class Column:
    header: str  # states the unit where there is one: 总投资（万美元）, 同比（%）
    value: Callable[[Any], Any]
    kind: str = "text"  # text, int, usd, wan, yi, pct, signed_pct, date, month; auto: as the value's own type
    width: float = 12
    text: Callable[[Any], str] | None = None  # how a document (.docx, a page) writes the value
    comment: str = ""  # a note on the header cell (a blank form's guidance)
    required: bool = False  # the header is drawn in the "required" colour (a blank form)
    validation: Mapping[str, Any] | None = None  # an XlsxWriter data-validation rule for the cells of a blank form

    def as_text(self, v: Any) -> str:
        if self.text is not None:
            return self.text(v)
        return "—" if v is None else str(v)


@dataclass
class Table:
    key: str
    title: str
    columns: Sequence[Column]
    rows: Iterable[Any]
    note: str = ""  # a line under the title: the unit, the caliber, the data's cut-off
    # Optional per-cell fill (e.g. a state's colour): (row, column) -> a background colour (white text on it), or
    # (background, text colour), or None.
    fill: Callable[[Any, Column], str | tuple[str, str] | None] | None = None
    frozen_columns: int = 0
    cell_comment: Callable[[Any, Column], str | None] | None = None  # a note on a data cell (an error's reason)
    header_row: bool = True  # False: the rows are written as they are (a clerk's sheet echoed back)
    entry: bool = False  # a blank form: column formats, validations for ENTRY_ROWS rows, no filter
    hidden: bool = False

    def values(self) -> Iterator[list[Any]]:
        for row in self.rows:
            yield [c.value(row) for c in self.columns]

    def texts(self) -> Iterator[list[str]]:
        for row in self.rows:
            yield [c.as_text(c.value(row)) for c in self.columns]

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def safe_text(value: Any) -> str:
    """Text for a CSV cell that a spreadsheet program opens: a formula-leading cell is prefixed with a quote; a plain
    signed number ("-12.3", as figures arrive in JSON-shaped rows) stays a number."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_LEAD) and not _PLAIN_NUMBER.fullmatch(text) else text


def _number(v: Any) -> float:
    # A spreadsheet cell holds a double; values arrive already rounded to the precision they are shown with.
    return float(v)


def _sheet_name(title: str, used: set[str]) -> str:
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in title).strip("'； ") or "Sheet"
    name, n = clean[:28], 2
    while name in used:
        name, n = f"{clean[:26]}{n}", n + 1
    used.add(name)
    return name


def render_xlsx(
    tables: Sequence[Table],
    *,
    title: str = "",
    author: str = "",
    sheet_names: dict[str, str] | None = None,
    landscape: bool = True,
    subtitle: str = "",
    page_header: str = "",
) -> bytes:
    """Each table on its own sheet: its title (and note, and the workbook's subtitle: the period, the caliber, the
    cut-off) above a frozen header row, values typed by column kind, print set-up for A4 (landscape, one page wide,
    title, note and header repeated on every page; the page header and "第 N 页，共 M 页" in the footer)."""
    import xlsxwriter

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, WORKBOOK_OPTIONS)
    if title or author:
        book.set_properties({"title": title, "author": author})
    base = {"font_name": "宋体", "font_size": 11, "border": 1, "valign": "vcenter"}
    title_fmt = book.add_format({"font_name": "黑体", "font_size": 14, "bold": True})
    note_fmt = book.add_format({"font_name": "宋体", "font_size": 10, "italic": True})
    header = {"bold": True, "align": "center", "text_wrap": True}
    header_fmt = book.add_format({**base, **header, "bg_color": HEADER_COLOUR})
    required_fmt = book.add_format({**base, **header, "bg_color": REQUIRED_COLOUR})
    text_fmt = book.add_format({**base, "text_wrap": True})
    num_fmts = {k: book.add_format({**base, "num_format": v}) for k, v in NUMBER_FORMATS.items()}
    entry_fmts = {k: book.add_format({"num_format": v}) for k, v in ENTRY_FORMATS.items()}
    fills: dict[tuple[str, str, str], Any] = {}
    used: set[str] = set()
    comments = 0

    def fill_format(kind: str, colour: str | tuple[str, str]) -> Any:
        bg, fg = (colour, "#FFFFFF") if isinstance(colour, str) else colour
        if (kind, bg, fg) not in fills:
            extra = {"num_format": NUMBER_FORMATS[kind]} if kind in NUMBER_FORMATS else {}
            fills[(kind, bg, fg)] = book.add_format({**base, **extra, "bg_color": bg, "font_color": fg})
        return fills[(kind, bg, fg)]

    for table in tables:
        ws = book.add_worksheet(_sheet_name((sheet_names or {}).get(table.key, table.title or table.key), used))
        top = 0
        if table.title:
            ws.write_string(0, 0, table.title, title_fmt)
            top = 1
        note = "；".join(part for part in (table.note, subtitle) if part)
        if note:
            ws.write_string(top, 0, note, note_fmt)
            top += 1
        for j, col in enumerate(table.columns):
            ws.set_column(j, j, col.width, entry_fmts.get(col.kind) if table.entry else None)
            if not table.header_row:
                continue
            ws.write_string(top, j, col.header, required_fmt if col.required else header_fmt)
            if col.comment:
                ws.write_comment(top, j, col.comment, {"x_scale": 2.5, "y_scale": 1.5})
            if table.entry and col.validation:
                ws.data_validation(top + 1, j, top + ENTRY_ROWS, j, dict(col.validation))
        first = top + 1 if table.header_row else top
        if table.header_row:
            ws.set_row(top, 32)
        r = top
        for r, row in enumerate(table.rows, start=first):
            for j, col in enumerate(table.columns):
                v = col.value(row)
                fmt = num_fmts.get(col.kind, text_fmt)
                colour = table.fill(row, col) if table.fill else None
                if colour:
                    fmt = fill_format(col.kind, colour)
                _write(ws, r, j, v, col.kind, fmt, num_fmts["date"] if not colour else fill_format("date", colour))
                if table.cell_comment is not None and comments < MAX_CELL_COMMENTS:
                    remark = table.cell_comment(row, col)
                    if remark:
                        ws.write_comment(r, j, remark, {"x_scale": 2, "y_scale": 1.5})
                        comments += 1
        if table.header_row:
            ws.freeze_panes(top + 1, table.frozen_columns)
        if table.hidden:
            ws.hide()
        if landscape:
            ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)
        if table.header_row:
            ws.repeat_rows(0, top)
        if page_header:
            ws.set_header("&C" + page_header.replace("&", "&&"))
        ws.set_footer("&C第 &P 页，共 &N 页")
        if table.columns and table.header_row and not table.entry:
            ws.autofilter(top, 0, max(r, top), len(table.columns) - 1)
    first_visible = next((i for i, t in enumerate(tables) if not t.hidden), 0)
    if book.worksheets():
        book.worksheets()[first_visible].activate()
    book.close()
    return buf.getvalue()


def _write(ws: Any, r: int, j: int, v: Any, kind: str, fmt: Any, date_fmt: Any) -> None:
    """One cell, by the column's kind; text is always written as text (never a formula, a link or a number)."""
    if v is None or v == "":
        ws.write_blank(r, j, None, fmt)
    elif isinstance(v, bool):
        ws.write_boolean(r, j, v, fmt) if kind == "auto" else ws.write_string(r, j, "是" if v else "否", fmt)
    elif kind in ("date", "month", "auto") and isinstance(v, date):
        when = v if isinstance(v, datetime) else datetime(v.year, v.month, v.day)
        ws.write_datetime(r, j, when, fmt if kind != "auto" else date_fmt)
    elif kind in PERCENT_KINDS:
        ws.write_number(r, j, float(Decimal(str(v)) / 100), fmt)
    elif (kind in NUMBER_FORMATS and kind not in ("date", "month")) or isinstance(v, (int, Decimal, float)):
        ws.write_number(r, j, _number(v), fmt)
    else:
        ws.write_string(r, j, str(v)[:32000], fmt)


def render_csv(table: Table) -> str:
    """The table as CSV: header, then rows; numbers as plain decimals, text guarded against formula injection."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table.headers)
    for values in table.values():
        writer.writerow(
            [
                "" if v is None else (str(v) if isinstance(v, (int, Decimal, float, date)) else safe_text(v))
                for v in values
            ]
        )
    return out.getvalue()
