"""Prints what reading a legitimate 100,000-row arrivals file costs inside the limited child process.

    .venv/bin/python bench/isolation_bench.py [--rows 100000] [--memory-mb 1536] [--format xlsx|ods|csv]

Builds the same arrivals file as bench/import_bench.py, then times: the pre-scan alone (check_zip), the reading
in this process (read_table), and the reading through read_isolated with the given RLIMIT_AS — which must succeed
— and prints the child's peak resident memory. Nothing here is a test: it prints figures.
"""

from __future__ import annotations

import argparse
import csv
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--memory-mb", type=int, default=1536)
    parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
    args = parser.parse_args()

    from import_bench import write_file

    from zhaoshang.imports import reader
    from zhaoshang.imports.isolation import ReadLimits, read_isolated

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"arrivals.{args.format}"
        write_file(Path(tmp) / "arrivals.xlsx", args.rows)
        if args.format == "csv":
            table = reader.read_table(Path(tmp) / "arrivals.xlsx")
            with path.open("w", encoding="utf-8", newline="") as fh:
                csv.writer(fh).writerows(table.rows)
        data = path.read_bytes()
        print(f"file: {args.rows:,} rows, {args.format}, {len(data) / 1e6:.1f} MB")
        if args.format == "xlsx":
            t = time.perf_counter()
            reader.check_zip(data, "xlsx")
            print(f"pre-scan (check_zip): {time.perf_counter() - t:.2f} s")
        t = time.perf_counter()
        rows = len(reader.read_table(data).rows)
        print(f"read in this process: {time.perf_counter() - t:.2f} s, {rows:,} rows")
        t = time.perf_counter()
        table = read_isolated(data, "arrivals", ReadLimits(memory_bytes=args.memory_mb * 1024 * 1024, seconds=120))
        elapsed = time.perf_counter() - t
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"read_isolated (RLIMIT_AS {args.memory_mb} MB): {elapsed:.2f} s, {len(table.rows):,} rows")
        print(f"child peak resident memory: {peak:.0f} MB")


if __name__ == "__main__":
    main()
