"""Prints the time of one forecast (as of 2020-06, 2,000 runs, seed fixed, counterfactuals for the top 5 projects) on
the demo and at scale N, and the back-test of 2020 on the demo and on a noisy synthetic registry.

    .venv/bin/python bench/forecast_bench.py [--scale 100] [--noise 0.3 --noise-scale 3 --noise-seed 7]
        [--database-url postgres://postgres@127.0.0.1:5432/zhaoshang_bench]

Nothing here is a test: it prints figures (the README's 预测 section quotes them).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _scratch import p95, scratch_database  # noqa: E402  (bench/ is on the path when a script runs)


def time_forecast(runs: int) -> tuple[float, float, str]:
    """Wall-clock median and p95, and the median CPU time of this process (SQLite runs inside it): on a machine
    shared with other work the wall clock also counts the waits for a core, the CPU time does not."""
    from zhaoshang.forecast.selectors import forecast

    times, cpu = [], []
    f = None
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        f = forecast(date(2020, 6, 1))
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    assert f is not None
    mean = f"{f.city.mean / 100_000_000:.2f}亿"
    return statistics.median(times), p95(times), f"{mean}, CPU {statistics.median(cpu):.2f} s"


def print_backtest(label: str) -> None:
    from zhaoshang.forecast.backtest import backtest

    start = time.perf_counter()
    b = backtest(2020)
    took = time.perf_counter() - start
    print(f"\nback-test 2020 on {label} ({took:.1f} s)")
    for r in b.rows:
        print(
            f"  {r.month:%Y-%m} forecast {r.forecast / 1e8:6.2f} [{r.p10 / 1e8:6.2f}, {r.p90 / 1e8:6.2f}] "
            f"actual {r.actual / 1e8:6.2f} error {r.error_pct:+6.1f}% {'in' if r.covered else 'OUT'}"
        )
    seasonal = b.mape_seasonal
    print(
        f"  MAPE model {b.mape_model:.1f}%  run-rate {b.mape_run_rate:.1f}%  "
        f"seasonal {'—' if seasonal is None else f'{seasonal:.1f}%'}  coverage {b.coverage}/{len(b.rows)}  "
        f"mean width {b.mean_width / 1e8:.2f}亿  interval score {b.mean_interval_score / 1e8:.2f}亿"
    )


def reseed_countries() -> None:
    from zhaoshang.accounts.services import system_actor
    from zhaoshang.projects.countries import COUNTRIES
    from zhaoshang.projects.services import country_upsert

    system = system_actor()
    for code, name, name_en, is_hmt in COUNTRIES:
        country_upsert(code=code, name=name, name_en=name_en, is_hmt=is_hmt, actor=system)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--noise", type=float, default=0.3)
    parser.add_argument("--noise-scale", type=int, default=3)
    parser.add_argument("--noise-seed", type=int, default=7)
    parser.add_argument("--database-url")
    parser.add_argument("--skip-scale", action="store_true", help="only the back-tests")
    args = parser.parse_args()
    engine = scratch_database(args.database_url)
    from django.core.management import call_command

    from zhaoshang.accounts.services import system_actor
    from zhaoshang.demo.builder import build_demo
    from zhaoshang.demo.synth import synthesize
    from zhaoshang.projects.models import CapitalArrival, Project

    start = time.perf_counter()
    build_demo()
    print(f"[{engine}] demo built in {time.perf_counter() - start:.1f} s")
    print_backtest("the demo")
    median, tail, mean = time_forecast(args.runs)
    print(f"\nforecast --as-of 2020-06 on the demo: median {median:.2f} s, p95 {tail:.2f} s ({mean})")
    if not args.skip_scale:
        start = time.perf_counter()
        synthesize(args.scale, actor=system_actor())
        print(f"[{engine}] synthesized ×{args.scale} in {time.perf_counter() - start:.1f} s")
        median, tail, mean = time_forecast(args.runs)
        print(
            f"forecast --as-of 2020-06 at ×{args.scale} ({Project.objects.count()} projects, "
            f"{CapitalArrival.objects.count()} arrivals): median {median:.2f} s, p95 {tail:.2f} s ({mean})"
        )
        call_command("flush", interactive=False, verbosity=0)
        reseed_countries()  # flush empties the countries a data migration seeded
        build_demo()
    synthesize(args.noise_scale, actor=system_actor(), noise=args.noise, seed=args.noise_seed)
    print_backtest(f"synth ×{args.noise_scale} with noise {args.noise} (seed {args.noise_seed})")


if __name__ == "__main__":
    main()
