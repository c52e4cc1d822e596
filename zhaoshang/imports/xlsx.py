"""Workbooks we hand back (XlsxWriter): the error report with bad cells marked, and the blank import templates."""

from __future__ import annotations

import io
import re
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import xlsxwriter

from .errors import ImportRefused
from .fields import Field
from .reader import Table, col_letters

REPORT_MAX_ROWS = 200_000


def _write_cell(ws: Any, r: int, c: int, value: Any, fmt: Any = None, date_fmt: Any = None) -> None:
    """Write a value as data, never as a formula: a string starting with '=' stays a string."""
    if value is None:
        ws.write_blank(r, c, None, fmt)
    elif isinstance(value, bool):
        ws.write_boolean(r, c, value, fmt)
    elif isinstance(value, (int, float)):
        ws.write_number(r, c, value, fmt)
    elif isinstance(value, (date, datetime)):
        ws.write_datetime(
            r,
            c,
            value if isinstance(value, datetime) else datetime(value.year, value.month, value.day),
            date_fmt or fmt,
        )
    else:
        ws.write_string(r, c, str(value)[:32000], fmt)


def error_report(refused: ImportRefused, *, title: str = "") -> bytes:
    """The file as read, with each bad cell filled red and commented, and a sheet listing every error."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    bold = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    bad = wb.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006", "border": 1})
    bad_date = wb.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006", "border": 1, "num_format": "yyyy-mm-dd"})
    bad_row = wb.add_format({"bg_color": "#FFEB9C"})
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})

    summary = wb.add_worksheet("错误清单")
    summary.write_string(0, 0, f"{title}{refused.summary}", wb.add_format({"bold": True, "font_size": 12}))
    for c, h in enumerate(["行", "列", "单元格", "值", "原因"]):
        summary.write_string(2, c, h, bold)
    listed = [(e, e.reason) for e in refused.errors] + [(w, f"警告：{w.reason}") for w in refused.warnings]
    for i, (e, reason) in enumerate(listed, start=3):
        summary.write_number(i, 0, e.row)
        summary.write_string(i, 1, e.column)
        summary.write_string(i, 2, f"{col_letters(e.col)}{e.row}" if e.col is not None else "")
        summary.write_string(i, 3, e.value)
        summary.write_string(i, 4, reason, wrap)
    summary.set_column(0, 0, 6)
    summary.set_column(1, 2, 14)
    summary.set_column(3, 3, 24)
    summary.set_column(4, 4, 60)
    summary.freeze_panes(3, 0)

    table: Table | None = refused.table
    if table is not None and table.rows:
        ws = wb.add_worksheet("原表（错误已标红）")
        by_cell: dict[tuple[int, int], list[str]] = defaultdict(list)
        rows_with_errors: set[int] = set()
        for e in refused.errors:
            if e.col is not None:
                by_cell[(e.row, e.col)].append(e.reason)
            else:
                rows_with_errors.add(e.row)
        width = max((len(r) for r in table.rows[:1000]), default=1)
        comments = 0
        for r, (cells, number) in enumerate(zip(table.rows[:REPORT_MAX_ROWS], table.numbers, strict=False)):
            for c, value in enumerate(cells):
                reasons = by_cell.get((number, c))
                if reasons:
                    _write_cell(ws, r, c, value, bad, bad_date)
                    if comments < 5000:
                        ws.write_comment(r, c, "；".join(reasons), {"x_scale": 2, "y_scale": 1.5})
                        comments += 1
                else:
                    _write_cell(ws, r, c, value, None, date_fmt)
            if number in rows_with_errors:
                ws.set_row(r, None, bad_row)
        ws.set_column(0, max(width - 1, 0), 16)
    wb.close()
    return buf.getvalue()


def template(fields: list[Field], *, title: str, options: dict[str, list[str]] | None = None) -> bytes:
    """A blank template: Chinese headers (required ones marked *), a note on each, drop-down lists, a guide sheet."""
    options = options or {}
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "vcenter"})
    head_req = wb.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1, "text_wrap": True, "valign": "vcenter"})
    as_text = wb.add_format({"num_format": "@"})
    as_date = wb.add_format({"num_format": "yyyy-mm-dd"})
    as_month = wb.add_format({"num_format": "yyyy-mm"})
    ws = wb.add_worksheet(re.sub(r"[\[\]:*?/\\]", "-", title)[:31])
    lists = wb.add_worksheet("选项")
    guide = wb.add_worksheet("填写说明")
    guide.write_string(0, 0, f"{title}导入模板：填写说明", wb.add_format({"bold": True, "font_size": 14}))
    guide.write_string(
        1,
        0,
        "标 * 的列必填。整个文件只要有一行出错，就不会导入任何数据，并给出错误报告。重复导入同一文件不会产生重复记录。",
    )
    for c, h in enumerate(["列", "必填", "格式", "说明", "可选值"]):
        guide.write_string(3, c, h, head)
    list_col = 0
    for c, f in enumerate(fields):
        label = f"*{f.label}" if f.required else f.label
        ws.write_string(0, c, label, head_req if f.required else head)
        kind_word = {
            "money": "金额",
            "date": "日期",
            "month": "月份",
            "int": "整数",
            "decimal": "数字",
            "pct": "百分数",
            "bool": "是/否",
        }.get(f.kind, "文本")
        note = "；".join(x for x in (("必填" if f.required else "选填"), kind_word, f.note) if x)
        ws.write_comment(0, c, note, {"x_scale": 2.5, "y_scale": 1.5})
        fmt = {"date": as_date, "month": as_month}.get(f.kind, as_text if f.kind == "text" else None)
        ws.set_column(c, c, max(12, len(label) * 2 + 2), fmt)
        values = list(options.get(f.key) or f.choices)
        if values:
            lists.write_string(0, list_col, f.label)
            for i, v in enumerate(values, start=1):
                lists.write_string(i, list_col, v)
            letter = col_letters(list_col)
            ws.data_validation(
                1,
                c,
                10_000,
                c,
                {
                    "validate": "list",
                    "source": f"=选项!${letter}$2:${letter}${len(values) + 1}",
                    "ignore_blank": True,
                    "error_type": "warning" if not f.choices else "stop",
                    "error_title": "不在可选值中",
                    "error_message": f"请从下拉列表中选择{f.label}",
                },
            )
            list_col += 1
        elif f.kind in ("date", "month"):
            ws.data_validation(
                1,
                c,
                10_000,
                c,
                {
                    "validate": "date",
                    "criteria": "between",
                    "minimum": datetime(2000, 1, 1),
                    "maximum": datetime(2100, 12, 31),
                    "error_title": "月份无效" if f.kind == "month" else "日期无效",
                    "error_message": (
                        f"{f.label}应为月份，如 2020-09（可填该月的任意一天）"
                        if f.kind == "month"
                        else f"{f.label}应为日期，如 2020-09-15"
                    ),
                },
            )
        elif f.kind in ("money", "decimal") and f.key not in ("yoy_pct",):
            ws.data_validation(
                1,
                c,
                10_000,
                c,
                {
                    "validate": "decimal",
                    "criteria": ">" if f.positive else ">=",
                    "value": 0,
                    "error_title": "数值无效",
                    "error_message": f"{f.label}应为{'大于0' if f.positive else '不小于0'}的数字",
                },
            )
        guide.write_string(4 + c, 0, f.label)
        guide.write_string(4 + c, 1, "是" if f.required else "")
        guide.write_string(4 + c, 2, kind_word)
        guide.write_string(4 + c, 3, f.note)
        guide.write_string(4 + c, 4, "、".join(values[:20]) + ("……" if len(values) > 20 else ""))
    guide.set_column(0, 0, 20)
    guide.set_column(3, 3, 60)
    guide.set_column(4, 4, 50)
    ws.freeze_panes(1, 0)
    ws.set_row(0, 32)
    lists.hide()
    ws.activate()
    wb.close()
    return buf.getvalue()


def rows_workbook(sheets: list[tuple[str, list[str], list[list[Any]]]], *, title: str = "") -> bytes:
    """A plain workbook of titled tables (the reconciliation), through the one exporter."""
    from zhaoshang.common.exporter import Column, render_xlsx
    from zhaoshang.common.exporter import Table as Sheet

    def column(i: int, header: str, rows: list[list[Any]]) -> Column:
        money = any(isinstance(r[i], Decimal) for r in rows if i < len(r))

        def value(r: list[Any], i: int = i) -> Any:
            return r[i] if i < len(r) else None

        return Column(header, value, "usd" if money else "text", 18)

    tables = [
        Sheet(f"s{n}", "", [column(i, h, rows) for i, h in enumerate(headers)], rows)
        for n, (_name, headers, rows) in enumerate(sheets)
    ]
    return render_xlsx(tables, title=title, sheet_names={f"s{n}": name[:31] for n, (name, _h, _r) in enumerate(sheets)})
