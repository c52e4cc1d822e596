"""Hostile names in the chain map .xlsx stay text: no formula, no hyperlink."""

from __future__ import annotations

import io
import zipfile

import openpyxl

from zhaoshang.chains import services as cs
from zhaoshang.chains.models import ChainLink
from zhaoshang.chains.selectors import chain_map
from zhaoshang.chains.serialize import render_xlsx
from zhaoshang.projects.models import Country

HOSTILE = ["http://evil.example/p", '=HYPERLINK("http://evil.example","点击")', "@SUM(1)", "+86 573 8888"]


def test_url_and_formula_looking_target_names_are_written_as_strings(pv, users, as_of):
    link = ChainLink.objects.get(chain=pv, name="组件")
    for name in HOSTILE:
        cs.target_add(link=link, name=name, country=Country.objects.get(code="DE"), actor=users["admin"])
    data = render_xlsx(chain_map(pv))
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        sheets = b"".join(zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/sheet"))
        assert not [n for n in zf.namelist() if n.startswith("xl/worksheets/_rels/")]  # no hyperlink targets
    assert b"<f>" not in sheets
    assert b"<hyperlink" not in sheets
    book = openpyxl.load_workbook(io.BytesIO(data))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value in HOSTILE]
    assert sorted(c.value for c in cells) == sorted(HOSTILE)
    assert {c.data_type for c in cells} == {"s"}
    assert not any(c.hyperlink for c in cells)
