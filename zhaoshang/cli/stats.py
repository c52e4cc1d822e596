"""The `zhaoshang stats` command: the MOFCOM-caliber figures as a table, JSON or CSV."""

from __future__ import annotations

import argparse
import sys


def cmd_stats(args: argparse.Namespace) -> int:
    import csv
    import json

    from zhaoshang.common.clock import today
    from zhaoshang.common.periods import MonthRange
    from zhaoshang.stats.selectors import stats_report
    from zhaoshang.stats.serialize import csv_rows, render_table, report_json

    try:
        period = MonthRange.parse(args.period)
        period.refuse_after(today())
    except ValueError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    from zhaoshang.stats.caliber import Caliber

    caliber = Caliber.current(getattr(args, "progress", "verified"))
    report = stats_report(period, unit_code=args.unit, caliber=caliber)
    if args.format == "json":
        print(json.dumps(report_json(report), ensure_ascii=False, indent=2))
    elif args.format == "csv":
        csv.writer(sys.stdout).writerows(csv_rows(report))
    else:
        print(render_table(report))
    return 0
