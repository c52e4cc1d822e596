"""The real reference files of ../shared/data: all of China's divisions and the full GB/T 4754-2017 table.

Expected counts are read from the files with the csv module, independently of the importer; the tests skip when
the folder is absent. (The 2019 Fortune Global 500 list is in test_fortune500.py.)
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from zhaoshang.cli import main
from zhaoshang.imports.kinds import load_file
from zhaoshang.projects.models import Industry
from zhaoshang.units.models import Region

DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data"
needs_data = pytest.mark.skipif(not DATA.exists(), reason="../shared/data is not present")


def parents(model: Any, code: str) -> list[str]:
    """The codes above a record, nearest first."""
    out = []
    row = model.objects.get(code=code)
    while row.parent_id is not None:
        row = model.objects.get(pk=row.parent_id)
        out.append(row.code)
    return out


def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@needs_data
def test_the_whole_gbt4754_table(db, capsys):
    path = DATA / "industry" / "gbt4754-2017.csv"
    rows = csv_rows(path)
    by_length = {n: sum(1 for r in rows if len(r["code"]) == n) for n in (1, 2, 3, 4)}
    assert main(["import", "industries", str(path)]) == 0
    assert f"新增 {len(rows)}，更新 0，不变 0" in capsys.readouterr().out
    counts = {
        level: Industry.objects.filter(level=level).count() for level in ("section", "division", "group", "class")
    }
    assert counts == {"section": by_length[1], "division": by_length[2], "group": by_length[3], "class": by_length[4]}
    assert counts["section"] == 20
    assert counts["division"] == 97
    # a group with one class has no row of its own (no 213 above 2130), so the class hangs from its division
    assert parents(Industry, "2130") == ["21", "C"]
    assert parents(Industry, "2761") == ["276", "27", "C"]
    assert Industry.objects.filter(parent__isnull=True).count() == 20
    assert main(["import", "industries", str(path)]) == 0
    assert f"新增 0，更新 0，不变 {len(rows)}" in capsys.readouterr().out


@needs_data
def test_all_of_chinas_divisions(db, capsys):
    files = [DATA / "divisions" / n for n in ("provinces.csv", "cities.csv", "areas.csv")]
    codes = {r["code"].ljust(6, "0"): r["name"] for f in files for r in csv_rows(f)}
    for f in files:
        assert main(["import", "divisions", str(f)]) == 0, capsys.readouterr().err
    assert Region.objects.count() == len(codes)
    assert Region.objects.filter(level="province").count() == len(csv_rows(files[0])) == 31
    jiashan = Region.objects.get(code="330421")
    assert (jiashan.name, jiashan.level, *parents(Region, "330421")) == (
        "嘉善县",
        "county",
        "330400",
        "330000",
    )
    capsys.readouterr()
    result = load_file("divisions", files[2], dry_run=True)
    assert result.count("新增") == result.count("更新") == 0
