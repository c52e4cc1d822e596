"""Prints time and peak memory of importing 100,000 arrival rows from .xlsx, read by python-calamine and by openpyxl.

    .venv/bin/python bench/import_bench.py [--rows 100000] [--repeat 3] [--write-sample 2000]

It builds a fresh SQLite database in a temporary directory with 2,000 signed projects, writes an .xlsx of arrival
rows (XlsxWriter), then runs, each in its own child process so their memory does not mix:

  calamine  the import's own reader (zhaoshang.imports.reader.read_table), then header, cells, validation, plan;
  openpyxl  the same file read with openpyxl (read_only, data_only) into the same Table, then the same steps.

"read" is file → rows; "import" is read + header + every cell parsed + every row validated against the registry
+ the plan of changes — everything up to the writes, which are the same services for both routes and are timed
once, on a sample, with --write-sample. Peak memory: Python heap (tracemalloc) and the child's maximum resident
set above what it started with (which also counts calamine's Rust heap); times come from a run without
tracemalloc, which slows Python several-fold. Nothing here is a test: it prints figures.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PROJECTS = 2000
KINDS = ["新设企业实缴资本", "增资"]


def setup_django(data_dir: str, database_url: str | None = None) -> None:
    os.environ["ZHAOSHANG_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)
    if database_url:
        from _scratch import ensure_postgres_database

        ensure_postgres_database(database_url)
        os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    import django

    django.setup()


def build_registry() -> None:
    from datetime import date
    from decimal import Decimal

    from django.core.management import call_command

    from zhaoshang.accounts.services import system_actor
    from zhaoshang.projects.models import Project
    from zhaoshang.stats.services import site_config_update
    from zhaoshang.units.services import region_upsert, unit_create

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    system = system_actor()
    site_config_update(as_of_date=date(2020, 12, 31), actor=system, reason="基准测试")
    prov = region_upsert(code="330000", name="浙江省", level="province", parent=None, actor=system)
    city = region_upsert(code="330400", name="嘉兴市", level="city", parent=prov, actor=system)
    county = region_upsert(code="330421", name="嘉善县", level="county", parent=city, actor=system)
    unit = unit_create(
        code="330421", name="嘉善县", short_name="嘉善县", kind="county", city=city, region=county, actor=system
    )
    Project.objects.bulk_create(
        Project(
            code=f"XM2015-{i:04d}",
            name=f"项目{i}",
            unit=unit,
            kind="new",
            rate_to_usd=1,
            total_investment=Decimal(10**8),
            total_investment_usd=Decimal(10**8),
            contract_foreign=Decimal(10**7),
            contract_foreign_usd=Decimal(10**7),
            stage="signed",
            stage_on=date(2015, 12, 1),
            signed_on=date(2015, 12, 1),
        )
        for i in range(1, PROJECTS + 1)
    )


def write_file(path: Path, rows: int) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("到资")
    ws.write_row(0, 0, ["项目编号", "到资月份", "实际使用外资（万美元）", "币种", "汇率", "到资类型", "金融业", "备注"])
    per_project = -(-rows // PROJECTS)
    for r in range(rows):
        project, k = divmod(r, per_project)
        months, kind = divmod(k, len(KINDS))
        month = 2016 * 12 + months
        ws.write_row(
            r + 1,
            0,
            [
                f"XM2015-{project + 1:04d}",
                f"{month // 12}-{month % 12 + 1:02d}",
                10 + (r * 7919) % 1_000_000 / 100,  # amounts hardly repeat, as in a real file
                "USD",
                1,
                KINDS[kind],
                "否",
                f"第{r + 1}笔",
            ],
        )
    wb.close()


def openpyxl_table(path: Path):
    import openpyxl

    from zhaoshang.imports.reader import Table, _cell

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    ws = wb.worksheets[0]
    rows, numbers = [], []
    for i, row in enumerate(ws.iter_rows(values_only=True), start=1):
        rows.append([_cell(c) for c in row])
        numbers.append(i)
    wb.close()
    return Table(rows, numbers, ws.title, "xlsx")


def route(name: str, path: str, out: mp.Queue, trace: bool) -> None:
    from django.db import connections

    connections.close_all()
    from zhaoshang.accounts.services import system_actor
    from zhaoshang.imports.kinds import load_file
    from zhaoshang.imports.reader import read_table

    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    table = read_table(Path(path)) if name == "calamine" else openpyxl_table(Path(path))
    read_s = time.perf_counter() - start
    result = load_file("arrivals", None, table=table, plan_only=True, actor=system_actor())
    total_s = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] if trace else 0
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out.put((name, read_s, total_s, peak, base_rss, rss, result.count("新增"), len(table.rows)))


def write_sample(path: Path, rows: int) -> float:
    """Write the first `rows` rows through the services (arrival_record, audited), the step both routes share."""
    from zhaoshang.accounts.services import system_actor
    from zhaoshang.imports.kinds import load_file
    from zhaoshang.imports.reader import read_table

    table = read_table(path)
    table.rows, table.numbers = table.rows[: rows + 1], table.numbers[: rows + 1]
    start = time.perf_counter()
    result = load_file("arrivals", None, table=table, accept_warnings=True, actor=system_actor())
    assert result.count("新增") == rows
    return time.perf_counter() - start


def end_to_end(path: str, out: mp.Queue) -> None:
    """The whole import as the command runs it: the file read in its isolated child, every row validated, then all
    written with their history rows in one transaction (the bulk path)."""
    from django.db import connections

    connections.close_all()
    from zhaoshang.accounts.services import system_actor
    from zhaoshang.imports.kinds import load_file
    from zhaoshang.projects.models import CapitalArrival

    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    result = load_file("arrivals", Path(path), accept_warnings=True, actor=system_actor())
    secs = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    reader = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    history = CapitalArrival.history.count()
    out.put((secs, base_rss, own, reader, result.count("新增"), CapitalArrival.objects.count(), history))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--write-sample", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per route (the best is shown)")
    parser.add_argument(
        "--end-to-end",
        action="store_true",
        help="import every row for real (read, validate, write with history) and print time and peak memory",
    )
    parser.add_argument("--database-url", help="with --end-to-end: a PostgreSQL database (created, emptied)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(tmp, args.database_url)
        build_registry()
        path = Path(tmp) / "arrivals.xlsx"
        write_file(path, args.rows)
        print(
            f"文件：{args.rows:,} 行到资，{path.stat().st_size / 1e6:.1f} MB（.xlsx）；项目库 {PROJECTS:,} 个已签约项目"
        )
        ctx = mp.get_context("fork")
        if args.end_to_end:
            from django.conf import settings

            engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
            q: mp.Queue = ctx.Queue()
            proc = ctx.Process(target=end_to_end, args=(str(path), q))
            proc.start()
            secs, base, own, reader, planned, arrivals, history = q.get()
            proc.join()
            print(
                f"[{engine}] end to end: {planned:,} rows imported in {secs:.1f} s ({planned / secs:,.0f} rows/s); "
                f"{arrivals:,} arrivals, {history:,} history rows; peak RSS: importer {own / 1024:.0f} MB "
                f"(started at {base / 1024:.0f} MB), file reader {reader / 1024:.0f} MB (targets: ≤ 60 s, ≤ 500 MB)"
            )
            return
        runs: dict[str, list[tuple]] = {"calamine": [], "openpyxl": []}
        memory = {}

        def child(name: str, trace: bool) -> tuple:
            q: mp.Queue = ctx.Queue()
            p = ctx.Process(target=route, args=(name, str(path), q, trace))
            p.start()
            got = q.get()
            p.join()
            return got

        # Timed without tracemalloc (it slows Python several-fold), alternating the routes so that load from
        # other work on the machine falls on both; then once more each under tracemalloc for the memory figures.
        for _ in range(args.repeat):
            for name in runs:
                runs[name].append(child(name, False))
        for name in runs:
            memory[name] = child(name, True)
        results = {name: min(r, key=lambda x: x[2]) for name, r in runs.items()}
        print(f"best of {args.repeat} runs per route (median import time in brackets)")
        print(
            f"{'route':<10}{'read s':>9}{'import s':>10}{'(median)':>10}{'py heap peak MB':>17}{'RSS growth MB':>15}"
            f"{'rows planned':>14}"
        )
        for name, (_, read_s, total_s, _, base, rss, planned, _) in results.items():
            median = statistics.median(r[2] for r in runs[name])
            peak = memory[name][3]
            print(
                f"{name:<10}{read_s:>9.2f}{total_s:>10.2f}{median:>10.2f}{peak / 2**20:>17.1f}"
                f"{(rss - base) / 1024:>15.0f}{planned:>14,}"
            )
        c, o = results["calamine"], results["openpyxl"]
        print(
            f"calamine is {o[1] / c[1]:.1f}× faster to read and {o[2] / c[2]:.1f}× faster to import (up to the writes)"
        )
        if args.write_sample:
            secs = write_sample(path, args.write_sample)
            print(
                f"writes through the services (both routes alike): {args.write_sample:,} rows in {secs:.2f} s "
                f"({args.write_sample / secs:,.0f} rows/s)"
            )


if __name__ == "__main__":
    main()
