"""Writing cells that people open in Excel or WPS: values only, never a formula or a link made from text.

Every .xlsx writer opens its workbook with SAFE_WORKBOOK (XlsxWriter otherwise turns "=…" into a formula and
"http://…" into a live hyperlink) and writes text with `write_string`; a .csv cell that would start a formula in
a spreadsheet (= + - @, a tab or a carriage return first) gets a leading apostrophe, the usual mark for "text".
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

SAFE_WORKBOOK: dict[str, Any] = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?")


def write_cell(ws: Any, row: int, col: int, value: Any, fmt: Any = None) -> None:
    """One cell by its Python type: text always as a string, whatever it starts with."""
    if value is None or value == "":
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, fmt)
    elif isinstance(value, (int, float, Decimal)):
        ws.write_number(row, col, float(value), fmt)
    elif isinstance(value, (date, datetime)):
        ws.write_datetime(row, col, value, fmt)
    else:
        ws.write_string(row, col, str(value), fmt)


def write_cells(ws: Any, row: int, col: int, values: list[Any], fmt: Any = None) -> None:
    for j, value in enumerate(values):
        write_cell(ws, row, col + j, value, fmt)


def csv_cell(value: Any) -> str:
    """A CSV field that a spreadsheet reads back as the same text: formula-leading text behind an apostrophe;
    numbers (-12.3, +5) stay numbers."""
    if value is None:
        return ""
    s = str(value)
    if s[:1] in ("=", "+", "-", "@", "\t", "\r") and not _NUMBER.fullmatch(s):
        return "'" + s
    return s
