"""The bulletin's .xlsx is written by the product's one renderer: Chinese sheet names, units in the headers, numbers
as numbers, the period and cut-off under each title, and a user's text never read as a formula."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from zhaoshang.bulletins.selectors import bulletin_data
from zhaoshang.bulletins.workbook import render_xlsx
from zhaoshang.projects import services as ps


@pytest.mark.django_db
def test_the_bulletin_workbook_states_units_and_keeps_user_text_as_text(project, users):
    ps.project_update(project=project, name='=HYPERLINK("http://x","点我")', actor=users["staff"], reason="测试")
    ps.project_advance_stage(project=project, to_stage="signed", on=date(2020, 3, 2), actor=users["staff"])
    ps.arrival_record(
        project=project, month=date(2020, 3, 1), amount=Decimal("5000000"), kind="paid_in", actor=users["staff"]
    )
    data = bulletin_data(date(2020, 3, 1))
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(data)))
    assert book.sheetnames[:5] == ["各招商主体", "全省各市", "各月", "重点项目", "数据更正"]
    units = book["各招商主体"]
    assert units["A1"].value == "2020年1-3月各招商主体利用外资情况"
    assert units["A2"].value == f"2020年1-3月；商务部口径；数据截至{data.cutoff_label}"
    headers = [c.value for c in units[3]]
    assert headers[:3] == ["单位", "实际使用外资（万美元）", "同比（%）"]
    by_name = {row[0].value: row for row in units.iter_rows(min_row=4)}
    jiashan = by_name["嘉善县"]
    assert jiashan[1].value == 500  # US$5,000,000 = 500万美元, a number
    assert jiashan[1].data_type == "n"
    assert units.freeze_panes == "B4"
    assert units.print_title_rows == "$1:$3"
    notable = book["重点项目"]
    assert [c.value for c in notable[4]][:2] == [project.code, '=HYPERLINK("http://x","点我")']
    for row in notable.iter_rows(min_row=4):
        for cell in row:
            assert cell.data_type != "f"
            assert cell.hyperlink is None
