"""Workbooks we hand back: the error report with bad cells marked, and the blank import templates — written by the
product's one spreadsheet renderer (`zhaoshang.common.exporter`), so a clerk's text is never turned into a formula."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from zhaoshang.common.exporter import Column, render_xlsx
from zhaoshang.common.exporter import Table as Sheet
from zhaoshang.common.periods import FIRST_YEAR, LAST_YEAR

from .errors import ImportRefused
from .fields import Field
from .reader import Table, col_letters

REPORT_MAX_ROWS = 200_000
BAD_CELL = ("#FFC7CE", "#9C0006")
BAD_ROW = ("#FFEB9C", "#000000")
GUIDE_NOTE = (
    "标 * 的列必填。整个文件只要有一行出错，就不会导入任何数据，并给出错误报告。重复导入同一文件不会产生重复记录。"
)
KIND_WORDS = {
    "money": "金额",
    "date": "日期",
    "month": "月份",
    "int": "整数",
    "decimal": "数字",
    "pct": "百分数",
    "bool": "是/否",
}


def _item(i: int) -> Callable[[Sequence[Any]], Any]:
    def read(row: Sequence[Any]) -> Any:
        return row[i] if i < len(row) else None

    return read


def _echoed_cell(i: int) -> Callable[[tuple[Sequence[Any], int]], Any]:
    item = _item(i)
    return lambda x: item(x[0])


def _nth_of(values: list[str]) -> Callable[[int], Any]:
    return lambda n: values[n] if n < len(values) else None


def error_report(refused: ImportRefused, *, title: str = "") -> bytes:
    """The file as read, with each bad cell filled red and commented, and a sheet listing every error."""
    listed = [(e, e.reason) for e in refused.errors] + [(w, f"警告：{w.reason}") for w in refused.warnings]
    listing = Sheet(
        "errors",
        f"{title}{refused.summary}",
        [
            Column("行", lambda x: x[0].row, "int", 6),
            Column("列", lambda x: x[0].column, "text", 14),
            Column(
                "单元格", lambda x: f"{col_letters(x[0].col)}{x[0].row}" if x[0].col is not None else "", "text", 14
            ),
            Column("值", lambda x: x[0].value, "text", 24),
            Column("原因", lambda x: x[1], "text", 60),
        ],
        listed,
        note="整个文件未导入任何数据；请按下列各处改正后重新导入。",
    )
    tables = [listing]
    table: Table | None = refused.table
    if table is not None and table.rows:
        by_cell: dict[tuple[int, int], list[str]] = defaultdict(list)
        rows_with_errors: set[int] = set()
        for e in refused.errors:
            if e.col is not None:
                by_cell[(e.row, e.col)].append(e.reason)
            else:
                rows_with_errors.add(e.row)
        width = max((len(r) for r in table.rows[:1000]), default=1)
        echoed = list(zip(table.rows[:REPORT_MAX_ROWS], table.numbers, strict=False))

        columns = [Column(col_letters(i), _echoed_cell(i), "auto", 16) for i in range(width)]
        index = {id(c): i for i, c in enumerate(columns)}

        def fill(x: tuple[list[Any], int], col: Column) -> tuple[str, str] | None:
            if (x[1], index[id(col)]) in by_cell:
                return BAD_CELL
            return BAD_ROW if x[1] in rows_with_errors else None

        def remark(x: tuple[list[Any], int], col: Column) -> str | None:
            reasons = by_cell.get((x[1], index[id(col)]))
            return "；".join(reasons) if reasons else None

        tables.append(Sheet("original", "", columns, echoed, fill=fill, cell_comment=remark, header_row=False))
    return render_xlsx(tables, sheet_names={"errors": "错误清单", "original": "原表（错误已标红）"}, landscape=False)


def template(fields: list[Field], *, title: str, options: dict[str, list[str]] | None = None) -> bytes:
    """A blank template: Chinese headers (required ones marked *), a note on each, drop-down lists, a guide sheet."""
    options = options or {}
    lists: list[tuple[str, list[str]]] = []
    columns: list[Column] = []
    guide_rows: list[list[str]] = []
    for f in fields:
        label = f"*{f.label}" if f.required else f.label
        kind_word = KIND_WORDS.get(f.kind, "文本")
        values = list(options.get(f.key) or f.choices)
        rule: dict[str, Any] | None = None
        if values:
            letter = col_letters(len(lists))
            lists.append((f.label, values))
            rule = {
                "validate": "list",
                "source": f"=选项!${letter}$2:${letter}${len(values) + 1}",
                "ignore_blank": True,
                "error_type": "warning" if not f.choices else "stop",
                "error_title": "不在可选值中",
                "error_message": f"请从下拉列表中选择{f.label}",
            }
        elif f.kind in ("date", "month"):
            rule = {
                "validate": "date",
                "criteria": "between",
                "minimum": datetime(FIRST_YEAR, 1, 1),
                "maximum": datetime(LAST_YEAR, 12, 31),
                "error_title": "月份无效" if f.kind == "month" else "日期无效",
                "error_message": (
                    f"{f.label}应为月份，如 2020-09（可填该月的任意一天）"
                    if f.kind == "month"
                    else f"{f.label}应为日期，如 2020-09-15"
                ),
            }
        elif f.kind in ("money", "decimal") and f.key not in ("yoy_pct",):
            rule = {
                "validate": "decimal",
                "criteria": ">" if f.positive else ">=",
                "value": 0,
                "error_title": "数值无效",
                "error_message": f"{f.label}应为{'大于0' if f.positive else '不小于0'}的数字",
            }
        columns.append(
            Column(
                label,
                lambda _row: None,
                f.kind if f.kind in ("date", "month", "text") else "auto",
                max(12, len(label) * 2 + 2),
                comment="；".join(x for x in (("必填" if f.required else "选填"), kind_word, f.note) if x),
                required=f.required,
                validation=rule,
            )
        )
        guide_rows.append(
            [
                f.label,
                "是" if f.required else "",
                kind_word,
                f.note,
                "、".join(values[:20]) + ("……" if len(values) > 20 else ""),
            ]
        )
    longest = max((len(v) for _label, v in lists), default=0)
    option_columns = [Column(label, _nth_of(v), "text", 16) for label, v in lists]
    guide = [
        Column(h, _item(j), "text", w)
        for j, (h, w) in enumerate([("列", 20), ("必填", 6), ("格式", 10), ("说明", 60), ("可选值", 50)])
    ]
    tables = [
        Sheet("form", "", columns, [], entry=True),
        Sheet("lists", "", option_columns, range(longest), hidden=True),
        Sheet(
            "guide",
            f"{title}导入模板：填写说明",
            guide,
            guide_rows,
            note=GUIDE_NOTE,
        ),
    ]
    names = {"form": re.sub(r"[\[\]:*?/\\]", "-", title)[:28], "lists": "选项", "guide": "填写说明"}
    return render_xlsx(tables, sheet_names=names, landscape=False)


def rows_workbook(sheets: list[tuple[str, list[str], list[list[Any]]]], *, title: str = "") -> bytes:
    """A plain workbook of titled tables (the reconciliation), through the one exporter."""

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
