"""Prints the time to produce the month's bulletin (figures, charts, .docx and .xlsx) on the demo and at scale N,
and the time of the page preview (LibreOffice headless → PDF → pdftoppm PNG pages) of the demo's .docx.

    .venv/bin/python bench/bulletin_bench.py [--scale 100] [--runs 3] [--scale-runs 1] [--database-url postgres://…]

`--scale 1` measures the demo only.

Without --database-url it runs on a fresh SQLite file in a temporary directory. With a PostgreSQL URL the database
is created if missing and emptied first. Nothing here is a test: it prints figures.
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

from _scratch import scratch_database  # noqa: E402  (bench/ is on the path when a script runs)


def measure(runs: int, *, warm_up: bool) -> dict[str, float | int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from zhaoshang.bulletins.content import build_outline
    from zhaoshang.bulletins.document import render_docx
    from zhaoshang.bulletins.selectors import bulletin_data
    from zhaoshang.bulletins.services import attach_race
    from zhaoshang.bulletins.workbook import render_xlsx

    month = date(2020, 9, 1)
    if warm_up:  # fonts, imports, matplotlib's caches
        render_docx(build_outline(attach_race(bulletin_data(month))))
    parts: dict[str, list[float]] = {"figures": [], "docx": [], "xlsx": [], "total": []}
    queries = 0
    size = 0
    for _ in range(runs):
        connection.queries_log.clear()  # the log holds 9000 queries; the demo build filled it
        t0 = time.perf_counter()
        with CaptureQueriesContext(connection) as ctx:
            data = attach_race(bulletin_data(month))
        t1 = time.perf_counter()
        docx = render_docx(build_outline(data))
        t2 = time.perf_counter()
        render_xlsx(data)
        t3 = time.perf_counter()
        parts["figures"].append(t1 - t0)
        parts["docx"].append(t2 - t1)
        parts["xlsx"].append(t3 - t2)
        parts["total"].append(t3 - t0)
        queries, size = len(ctx.captured_queries), len(docx)
    out: dict[str, float | int] = {k: statistics.median(v) for k, v in parts.items()}
    out["queries"], out["docx_kb"] = queries, size // 1024
    return out


def measure_preview(runs: int) -> tuple[list[float], int] | str:
    """Seconds per conversion of the demo's September .docx (never from the cache), and the number of pages."""
    from zhaoshang.bulletins.preview import PreviewUnavailable, docx_to_pdf, pdf_pages
    from zhaoshang.bulletins.services import bulletin_build

    docx = bulletin_build(month=date(2020, 9, 1)).docx
    times, pages = [], 0
    for _ in range(runs):
        t0 = time.perf_counter()
        try:
            pages = len(pdf_pages(docx_to_pdf(docx)))
        except PreviewUnavailable as exc:
            return str(exc)
        times.append(time.perf_counter() - t0)
    return times, pages


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3, help="runs on the demo")
    parser.add_argument("--scale-runs", type=int, default=1, help="runs at scale (each takes minutes)")
    parser.add_argument("--database-url")
    args = parser.parse_args()
    engine = scratch_database(args.database_url)
    from zhaoshang.demo.builder import build_demo
    from zhaoshang.demo.synth import synthesize
    from zhaoshang.projects.models import CapitalArrival, Project

    start = time.perf_counter()
    build_demo()
    print(f"[{engine}] demo built in {time.perf_counter() - start:.1f} s")
    preview = measure_preview(args.runs)
    rows = []
    scales = [("demo", 1)] + ([(f"scale {args.scale}", args.scale)] if args.scale > 1 else [])
    for label, scale in scales:
        if scale > 1:
            start = time.perf_counter()
            synthesize(scale)
            print(f"[{engine}] synthesized ×{scale} in {time.perf_counter() - start:.1f} s")
        measured = measure(args.runs if scale == 1 else args.scale_runs, warm_up=scale == 1)
        rows.append((label, Project.objects.count(), CapitalArrival.objects.count(), measured))
    print(f"\nbulletin for 2020-09 on {engine}: median of {args.runs} runs (demo), {args.scale_runs} at scale; ms")
    print(
        f"{'data':<11}{'projects':>9}{'arrivals':>9}{'figures':>9}{'docx':>8}{'xlsx':>8}{'total':>8}{'queries':>8}"
        f"{'docx KB':>8}"
    )
    for label, projects, arrivals, m in rows:
        print(
            f"{label:<11}{projects:>9}{arrivals:>9}{m['figures'] * 1000:>9.0f}{m['docx'] * 1000:>8.0f}"
            f"{m['xlsx'] * 1000:>8.0f}{m['total'] * 1000:>8.0f}{m['queries']:>8}{m['docx_kb']:>8}"
        )
    if isinstance(preview, str):
        print(f"\npreview: not measured ({preview})")
    else:
        times, pages = preview
        print(
            f"\npreview of the demo's 2020-09 .docx (LibreOffice → PDF → {pages} PNG pages): "
            f"median {statistics.median(times):.1f} s of {len(times)} runs "
            f"(min {min(times):.1f} s, max {max(times):.1f} s)"
        )


if __name__ == "__main__":
    main()
