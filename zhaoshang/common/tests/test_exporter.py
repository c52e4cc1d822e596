"""The one exporter: user text stays text in every cell, money is a number with its unit in the header."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import openpyxl

from zhaoshang.common.exporter import Column, Table, render_csv, render_xlsx

HOSTILE = [
    '=HYPERLINK("http://evil.example","点我")',
    "http://evil.example/p",
    "external:\\\\host\\share\\x.xlsx",
    "@SUM(1)",
    "+86 573 1234 5678",
    "- 备注",
    "mailto:a@b.c",
]


def table() -> Table:
    rows = [{"name": h, "usd": Decimal("1581.50"), "on": date(2020, 9, 30), "n": 3} for h in HOSTILE]
    cols = [
        Column("企业名称", lambda r: r["name"], width=30),
        Column("到资金额（美元）", lambda r: r["usd"], "usd"),
        Column("日期", lambda r: r["on"], "date"),
        Column("家数（个）", lambda r: r["n"], "int"),
    ]
    return Table("t", "标题", cols, rows, note="单位：美元")


def test_hostile_text_stays_text_and_money_is_a_number():
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx([table()], sheet_names={"t": "=坏名字[1]"})))
    ws = book.worksheets[0]
    assert ws.title == "=坏名字_1_"  # no sheet name character Excel forbids
    assert ws["A1"].value == "标题"
    assert ws["A2"].value == "单位：美元"
    assert ws["A3"].value == "企业名称"
    for i, text in enumerate(HOSTILE, start=4):
        cell = ws.cell(row=i, column=1)
        assert cell.value == text
        assert cell.data_type == "s"
        assert cell.hyperlink is None
        assert ws.cell(row=i, column=2).value == 1581.5
        assert ws.cell(row=i, column=2).number_format == "#,##0.00"
        assert ws.cell(row=i, column=4).value == 3
    assert not ws._hyperlinks  # openpyxl keeps a sheet's links here
    # Print set-up: A4 landscape, fit to one page wide, the header row repeated on every page.
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize == 9
    assert ws.print_title_rows == "$1:$3"  # the title and the note with the header


def test_csv_guards_formula_leading_text():
    text = render_csv(table())
    lines = text.splitlines()
    assert lines[0] == "企业名称,到资金额（美元）,日期,家数（个）"
    assert lines[1].startswith("\"'=HYPERLINK(")
    assert "'@SUM(1)" in text
    assert "'+86 573" in text
    assert "'- 备注" in text
    assert ",1581.50,2020-09-30,3" in lines[1]
