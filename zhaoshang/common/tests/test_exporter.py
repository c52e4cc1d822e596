"""The one exporter: user text stays text in every cell, money is a number with its unit in the header."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

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


def _echoed(i: int) -> Callable[[Any], Any]:
    return lambda x: x[0][i]


def test_a_blank_form_an_echoed_sheet_and_a_hidden_list_all_go_through_the_one_renderer():
    rows = [(["编号", "=1+1", date(2020, 9, 1), 12.5, True], 1), (["XM1", "http://x", None, "abc", False], 2)]
    echoed = Table(
        "echo",
        "",
        [Column(f"c{i}", _echoed(i), "auto") for i in range(5)],
        rows,
        fill=lambda x, col: ("#FFC7CE", "#9C0006") if (x[1], col.header) == (2, "c3") else None,
        cell_comment=lambda x, col: "不是有效的数字" if (x[1], col.header) == (2, "c3") else None,
        header_row=False,
    )
    form = Table(
        "form",
        "",
        [
            Column(
                "*到资月份",
                lambda r: None,
                "month",
                comment="必填；月份",
                required=True,
                validation={"validate": "date", "criteria": ">", "value": date(2000, 1, 1)},
            ),
            Column("项目编号", lambda r: None, "text", comment="选填；文本"),
        ],
        [],
        entry=True,
    )
    hidden = Table("lists", "", [Column("类型", lambda r: r, "text")], ["新设", "增资"], hidden=True)
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx([form, hidden, echoed], sheet_names={"lists": "选项"})))
    ws_form, ws_lists, ws_echo = book.worksheets
    assert [c.value for c in ws_form[1]] == ["*到资月份", "项目编号"]
    assert ws_form["A1"].comment.text == "必填；月份"
    assert ws_form["A1"].fill.fgColor.rgb.endswith("FCE4D6")
    assert ws_form["B1"].fill.fgColor.rgb.endswith("D9E1F2")
    (rule,) = ws_form.data_validations.dataValidation
    assert str(rule.sqref) == "A2:A10001"
    assert ws_form.column_dimensions["B"].number_format == "@"  # a code typed later keeps its leading zeros
    assert ws_lists.sheet_state == "hidden"
    assert [c.value for c in ws_lists["A"]] == ["类型", "新设", "增资"]
    # The echoed sheet is the rows as they were, typed by value, text never a formula or a link.
    assert [c.value for c in ws_echo[1]] == ["编号", "=1+1", ws_echo["C1"].value, 12.5, True]
    assert ws_echo["B1"].data_type == "s"
    assert ws_echo["C1"].is_date
    assert ws_echo["B2"].hyperlink is None
    assert ws_echo["D2"].value == "abc"
    assert ws_echo["D2"].fill.fgColor.rgb.endswith("FFC7CE")
    assert ws_echo["D2"].comment.text == "不是有效的数字"
    assert ws_echo["D1"].comment is None
    assert book.active.title == ws_form.title


def test_a_percentage_is_a_fraction_shown_as_a_percentage():
    t = Table("p", "", [Column("同比（%）", lambda r: r, "signed_pct"), Column("进度（%）", lambda r: r, "pct")], [])
    t.rows = [Decimal("73.7"), Decimal("-7.1")]
    ws = openpyxl.load_workbook(io.BytesIO(render_xlsx([t]))).active
    assert [ws["A2"].value, ws["A3"].value] == [0.737, -0.071]
    assert ws["A2"].number_format == "+0.0%;-0.0%;0.0%"
    assert ws["B2"].number_format == "0.0%"
