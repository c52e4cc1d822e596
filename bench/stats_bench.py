"""Prints the time and SQL query count of the whole indicator table (stats_report) on the demo and at scale N.

    .venv/bin/python bench/stats_bench.py [--scale 100] [--database-url postgres://postgres@127.0.0.1:5432/zhaoshang_bench]

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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    engine = scratch_database(args.database_url)
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
            synthesize(scale)
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
