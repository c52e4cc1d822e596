"""Prints the time and SQL query count of the chain map (every chain's chain_map) and of the PV chain's suggestions
on the demo, then with the projects multiplied N times (zhaoshang synth) and the enterprises N times (copies here).

    .venv/bin/python bench/chains_bench.py [--scale 20] [--database-url postgres://postgres@127.0.0.1:5432/zhaoshang_bench]

Without --database-url it runs on a fresh SQLite file in a temporary directory. Nothing here is a test.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _scratch import scratch_database  # noqa: E402  (bench/ is on the path when a script runs)


def timed(fn, runs: int) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fn()  # warm up
    times = []
    for _ in range(runs):
        connection.queries_log.clear()  # the log keeps 9000 entries; a full one would hide new queries
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as ctx:
            fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), len(ctx.captured_queries)


def copy_enterprises(scale: int) -> None:
    from zhaoshang.projects.models import Enterprise

    originals = list(Enterprise.objects.exclude(name__contains="（副本"))
    for k in range(1, scale):
        Enterprise.objects.bulk_create(
            [
                Enterprise(name=f"{e.name}（副本{k}）", unit_id=e.unit_id, industry_id=e.industry_id, is_new=e.is_new)
                for e in originals
            ],
            batch_size=2000,
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=20)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    engine = scratch_database(args.database_url)
    from django.db import transaction

    from zhaoshang.accounts.services import system_actor
    from zhaoshang.chains.models import Chain
    from zhaoshang.chains.selectors import chain_map
    from zhaoshang.chains.services import chain_suggest
    from zhaoshang.demo.builder import build_demo
    from zhaoshang.demo.synth import synthesize
    from zhaoshang.projects.models import Enterprise, Project

    build_demo()
    chains = list(Chain.objects.all())
    pv = Chain.objects.get(slug="pv")

    def all_maps() -> None:
        for chain in chains:
            chain_map(chain)

    def suggest_pv() -> None:
        with transaction.atomic():
            chain_suggest(chain=pv, actor=system_actor())

    rows = []
    for label, scale in (("demo", 1), (f"scale {args.scale}", args.scale)):
        if scale > 1:
            synthesize(scale, actor=system_actor())
            copy_enterprises(scale)
        map_s, map_q = timed(all_maps, args.runs)
        sug_s, sug_q = timed(suggest_pv, args.runs)
        rows.append((label, Project.objects.count(), Enterprise.objects.count(), map_s, map_q, sug_s, sug_q))
    print(f"\n{len(chains)} chains on {engine}, median of {args.runs} runs")
    print(
        f"{'data':<10}{'projects':>10}{'enterprises':>13}{'all maps ms':>13}{'queries':>9}"
        f"{'pv suggest ms':>15}{'queries':>9}"
    )
    for label, projects, enterprises, map_s, map_q, sug_s, sug_q in rows:
        print(
            f"{label:<10}{projects:>10}{enterprises:>13}{map_s * 1000:>13.0f}{map_q:>9}{sug_s * 1000:>15.0f}{sug_q:>9}"
        )


if __name__ == "__main__":
    main()
