"""Prints the time and SQL query count of the whole indicator table (stats_report) on the demo and at scale N.

    .venv/bin/python bench/stats_bench.py [--scale 100] [--database-url postgres://postgres@127.0.0.1:5432/zhaoshang_bench]
    .venv/bin/python bench/stats_bench.py --floor [--sizes 1,10,100,1000] [--database-url ...]

--floor prints, at each size (the demo, ×10, ×100; ×1000 when asked), stats_report's time ÷ a hand-written SQL floor
(bench/stats_floor.py) that computes the same per-unit figures and is checked equal to the app's; the two run
alternately, so that the machine's load falls on both alike.

Without --database-url it runs on a fresh SQLite file in a temporary directory. With a PostgreSQL URL the database
is created if missing and emptied first. Nothing here is a test: it prints figures.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _scratch import p95, scratch_database  # noqa: E402  (bench/ is on the path when a script runs)


def measure(runs: int) -> dict[str, tuple[float, float, int]]:
    """Both calibers, alternating run by run so that the machine's load falls on both alike."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from zhaoshang.common.periods import MonthRange
    from zhaoshang.stats.caliber import Caliber
    from zhaoshang.stats.selectors import stats_report

    period = MonthRange.parse("2020-01..2020-09")
    calibers = {p: Caliber.current(p) for p in ("verified", "reported")}
    for caliber in calibers.values():
        stats_report(period, caliber=caliber)  # warm up
    times: dict[str, list[float]] = {p: [] for p in calibers}
    queries: dict[str, int] = {}
    for _ in range(runs):
        for progress, caliber in calibers.items():
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as ctx:
                report = stats_report(period, caliber=caliber)
            times[progress].append(time.perf_counter() - start)
            queries[progress] = len(ctx.captured_queries)
            assert report.city.actual_use > 0
    out = {}
    for progress, values in times.items():
        values.sort()
        out[progress] = (statistics.median(values), p95(values), queries[progress])
    return out


# Indexes the plans ask for, measured here with raw SQL until a migration of zhaoshang/projects may add them (only
# the issue-12 owner adds those for now). Each names the query it serves.
PLANNED_INDEXES = [
    # stage_day_medians: the projects with a stage event in the period (an index range on the date, the project
    # read from the index alone).
    (
        "projects_stageevent_on_project",
        'CREATE INDEX IF NOT EXISTS projects_stageevent_on_project ON projects_projectstageevent ("on", project_id)',
    ),
    # stage_day_medians: each moved project's history in (date, id) order, so the window needs no sort.
    (
        "projects_stageevent_project_on_id",
        "CREATE INDEX IF NOT EXISTS projects_stageevent_project_on_id "
        'ON projects_projectstageevent (project_id, "on", id)',
    ),
    # unit_figures, arrivals: the period's and the year-earlier months' arrivals read from the index alone.
    (
        "projects_arrival_month_cover",
        "CREATE INDEX IF NOT EXISTS projects_arrival_month_cover ON projects_capitalarrival (month) "
        "INCLUDE (project_id, kind, is_financial, amount_usd, verified_amount_usd)",
    ),
    # at_risk (unit_figures, pipeline, the desk): negotiating projects whose next contact date has passed.
    (
        "projects_project_stage_next_follow_up",
        "CREATE INDEX IF NOT EXISTS projects_project_stage_next_follow_up "
        "ON projects_project (stage, next_follow_up_on)",
    ),
]


def create_planned_indexes() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for _name, sql in PLANNED_INDEXES:
            cursor.execute(sql)


def analyze() -> None:
    """Fresh planner statistics after a bulk copy (autovacuum would get there later), for the app and floor alike."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure_floor(runs: int) -> tuple[float, float, int, int]:
    """stats_report and the hand-written floor for 1–9月 2020 (verified caliber), alternating; the floor's figures
    are checked equal to the app's first."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from stats_floor import check_equal, floor_figures

    from zhaoshang.common.periods import MonthRange
    from zhaoshang.stats.caliber import Caliber
    from zhaoshang.stats.selectors import stats_report

    period = MonthRange.parse("2020-01..2020-09")
    caliber = Caliber.current()
    check_equal(stats_report(period, caliber=caliber), floor_figures(period, caliber))
    app: list[float] = []
    floor: list[float] = []
    queries = floor_queries = 0
    for _ in range(runs):
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as ctx:
            stats_report(period, caliber=caliber)
        app.append(time.perf_counter() - start)
        queries = len(ctx.captured_queries)
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as ctx:
            floor_figures(period, caliber)
        floor.append(time.perf_counter() - start)
        floor_queries = len(ctx.captured_queries)
    return statistics.median(app), statistics.median(floor), queries, floor_queries


def main_floor(args: argparse.Namespace) -> None:
    engine = scratch_database(args.database_url, keep=args.keep)
    from zhaoshang.accounts.services import system_actor
    from zhaoshang.demo.builder import build_demo
    from zhaoshang.demo.synth import synthesize
    from zhaoshang.projects.models import CapitalArrival, Project

    start = time.perf_counter()
    if not (args.keep and Project.objects.exists()):
        build_demo()
    print(f"[{engine}] demo built in {time.perf_counter() - start:.1f} s", flush=True)
    rows = []
    have = Project.objects.count() // max(1, Project.objects.exclude(code__contains="-S").count())
    for scale in sorted({int(s) for s in args.sizes.split(",")}):
        if scale < have:
            continue
        if scale > 1:
            start = time.perf_counter()
            synthesize(scale, actor=system_actor())
            print(f"[{engine}] synthesized ×{scale} in {time.perf_counter() - start:.1f} s", flush=True)
        if args.indexes:
            create_planned_indexes()
        analyze()
        app, floor, queries, floor_queries = measure_floor(args.runs)
        label = "demo" if scale == 1 else f"×{scale}"
        rows.append(
            (label, Project.objects.count(), CapitalArrival.objects.count(), app, floor, queries, floor_queries)
        )
        print(f"[{engine}] {label}: app {app * 1000:.1f} ms, floor {floor * 1000:.1f} ms", flush=True)
    print(
        f"\nstats_report(2020-01..2020-09, 认定口径) ÷ hand-written SQL floor on {engine}, "
        f"{args.runs} runs, alternating"
    )
    print(f"{'data':<8}{'projects':>10}{'arrivals':>10}{'app ms':>10}{'floor ms':>10}", end="")
    print(f"{'ratio':>8}{'queries':>9}{'floor q':>9}")
    for label, projects, arrivals, app, floor, queries, floor_queries in rows:
        ratio = app / floor if floor else float("inf")
        print(
            f"{label:<8}{projects:>10}{arrivals:>10}{app * 1000:>10.1f}{floor * 1000:>10.1f}{ratio:>8.2f}"
            f"{queries:>9}{floor_queries:>9}"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--database-url")
    parser.add_argument("--floor", action="store_true", help="print app ÷ a hand-written SQL floor at each size")
    parser.add_argument("--sizes", default="1,10,100", help="with --floor: the scales, e.g. 1,10,100,1000")
    parser.add_argument(
        "--indexes", action="store_true", help="with --floor: create the planned indexes (PLANNED_INDEXES) first"
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="with --floor and PostgreSQL: go on from the data a previous run left (sizes below it are skipped)",
    )
    args = parser.parse_args()
    if args.floor:
        main_floor(args)
        return
    engine = scratch_database(args.database_url)
    from zhaoshang.accounts.services import system_actor
    from zhaoshang.demo.builder import build_demo
    from zhaoshang.demo.synth import synthesize
    from zhaoshang.projects.models import CapitalArrival, Project

    start = time.perf_counter()
    build_demo()
    print(f"[{engine}] demo built in {time.perf_counter() - start:.1f} s")
    rows = []
    for label, scale in (("demo", 1), (f"scale {args.scale}", args.scale)):
        if scale > 1:
            start = time.perf_counter()
            synthesize(scale, actor=system_actor())
            print(f"[{engine}] synthesized ×{scale} in {time.perf_counter() - start:.1f} s")
        for progress, (median, tail, queries) in measure(args.runs).items():
            rows.append(
                (label, progress, Project.objects.count(), CapitalArrival.objects.count(), median, tail, queries)
            )
    print(f"\nstats_report(2020-01..2020-09) on {engine}, {args.runs} runs each, calibers alternating")
    print(f"{'data':<12}{'caliber':<10}{'projects':>10}{'arrivals':>10}{'median ms':>12}{'p95 ms':>10}{'queries':>9}")
    medians = {}
    for label, progress, projects, arrivals, median, tail, queries in rows:
        medians[(label, progress)] = median
        ms = f"{median * 1000:>12.1f}{tail * 1000:>10.1f}"
        print(f"{label:<12}{progress:<10}{projects:>10}{arrivals:>10}{ms}{queries:>9}")
    for label in dict.fromkeys(r[0] for r in rows):
        ratio = medians[(label, "verified")] / medians[(label, "reported")]
        print(f"{label}: verified ÷ reported = {ratio:.2f} (target ≤ 1.10)")


if __name__ == "__main__":
    main()
