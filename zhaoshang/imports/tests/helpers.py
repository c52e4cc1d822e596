"""Hand-made files for the import tests."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import xlsxwriter


def xlsx_bytes(
    rows: list[list[Any]], *, merge: str | None = None, formula: tuple[int, int, str] | None = None
) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False})
    ws = wb.add_worksheet("数据")
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None:
                continue
            if hasattr(value, "year") and not isinstance(value, str):
                from datetime import datetime

                ws.write_datetime(r, c, datetime(value.year, value.month, value.day), date_fmt)
            elif isinstance(value, str):
                ws.write_string(r, c, value)
            else:
                ws.write(r, c, value)
    if merge:
        ws.merge_range(merge, rows[0][0] if rows else "")
    if formula:
        ws.write_formula(*formula)
    wb.close()
    return buf.getvalue()


def write_xlsx(tmp_path: Path, rows: list[list[Any]], name: str = "data.xlsx", **kw: Any) -> Path:
    path = tmp_path / name
    path.write_bytes(xlsx_bytes(rows, **kw))
    return path


def write_csv(tmp_path: Path, text: str, name: str = "data.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path
