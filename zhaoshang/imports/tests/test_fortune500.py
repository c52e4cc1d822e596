"""Loading the Fortune Global 500 list: a small file by hand, the real 2019 list when it is at hand."""

import csv
from datetime import date
from pathlib import Path

import pytest

from zhaoshang.cli import main
from zhaoshang.imports.errors import ImportRefused
from zhaoshang.imports.fortune500 import import_fortune500
from zhaoshang.projects.models import Country, Fortune500Entry, Fortune500List
from zhaoshang.projects.services import investor_create

REAL = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "fortune" / "fortune-global-500-2019.tsv"


def write(tmp_path: Path, text: str, name: str = "f500.tsv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_small_list_loads_and_links_known_investors(db, tmp_path):
    zf = investor_create(
        name="采埃孚股份公司",
        name_en="ZF Friedrichshafen",
        actor=None,
        country=Country.objects.get(code="DE"),
    )
    path = write(
        tmp_path,
        'Rank\tCompany\tRevenues\tCountry\n1\tWalmart\t"$514,405.00 "\tU.S.\n'
        '266\tZF Friedrichshafen\t"$43,427.10 "\tGermany\n',
    )
    assert import_fortune500(path, year=2019) == 2
    listing = Fortune500List.objects.get(year=2019)
    assert listing.published_on == date(2019, 8, 1)
    entry = Fortune500Entry.objects.get(name="ZF Friedrichshafen")
    assert (entry.rank, entry.investor, str(entry.revenue_musd)) == (266, zf, "43427.10")


def test_a_bad_row_refuses_the_whole_file(db, tmp_path):
    path = write(tmp_path, "Rank,Company\n1,Walmart\nfirst,Sinopec Group\n3,\n")
    with pytest.raises(ImportRefused) as exc:
        import_fortune500(path, year=2019)
    report = exc.value.report()
    assert "第3行" in report
    assert "“first”" in report
    assert "第4行" in report
    assert Fortune500List.objects.count() == 0
    assert Fortune500Entry.objects.count() == 0


def test_the_command_reports_errors_and_exits_non_zero(db, tmp_path, capsys):
    path = write(tmp_path, "Rank,Company\n0,Nobody\n")
    assert main(["import", "fortune500", str(path), "--year", "2019"]) == 1
    assert "排名应为1至500的整数" in capsys.readouterr().err
    assert main(["import", "fortune500", str(tmp_path / "missing.tsv"), "--year", "2019"]) == 1
    assert main(["import", "fortune500", str(path)]) == 2


@pytest.mark.skipif(not REAL.exists(), reason="../shared/data is not present")
def test_the_real_2019_list(db, capsys):
    with REAL.open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh, delimiter="\t") if (r["Rank"] or "").strip().isdigit()]
    assert main(["import", "fortune500", str(REAL), "--year", "2019", "--published-on", "2019-07-22"]) == 0
    assert f"新增 {len(rows)}，更新 0，不变 0" in capsys.readouterr().out
    assert Fortune500Entry.objects.filter(listing__year=2019).count() == len(rows) == 500
    first = Fortune500Entry.objects.get(listing__year=2019, rank=1)
    assert (first.name, first.country) == (rows[0]["Company"], rows[0]["Country"])
