"""The `zhaoshang import` and `zhaoshang reconcile` words of the command line."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path
from typing import Any

from zhaoshang.imports.errors import ImportRefused
from zhaoshang.imports.kinds import KINDS, template_for


def _write_report(refused: ImportRefused, path: str | None, title: str) -> None:
    if not path:
        return
    from zhaoshang.imports.xlsx import error_report

    Path(path).write_bytes(error_report(refused, title=title))
    print(f"错误报告已写入 {path}（出错的单元格已标红）", file=sys.stderr)


def cmd_import(args: argparse.Namespace) -> int:
    if args.kind == "template":
        kind, out = args.file, args.out
        if kind not in KINDS or not out:
            print(f"用法：zhaoshang import template 类型 输出.xlsx（类型：{'、'.join(KINDS)}）", file=sys.stderr)
            return 2
        Path(out).write_bytes(template_for(kind))
        print(f"已生成{KINDS[kind].title}导入模板：{out}")
        return 0
    if args.kind not in KINDS:
        print(f"不支持的导入类型：{args.kind}（可用：{'、'.join(KINDS)}、template）", file=sys.stderr)
        return 2
    if args.kind == "fortune500" and args.year is None:
        print("导入世界500强榜单需要 --year，例如 --year 2019", file=sys.stderr)
        return 2
    from zhaoshang.accounts.selectors import command_operator

    actor = command_operator(args.user, KINDS[args.kind].permission)
    options: dict[str, Any] = {}
    if args.kind == "fortune500":
        options = {
            "year": args.year,
            "published_on": date.fromisoformat(args.published_on) if args.published_on else None,
        }
    if getattr(args, "unit", None):
        options["unit"] = args.unit
    if getattr(args, "accept_warnings", False):
        options["accept_warnings"] = True
    from zhaoshang.imports.jobs import import_params, report_dir
    from zhaoshang.jobs.services import job_create, job_enqueue
    from zhaoshang.jobs.terminal import queued_message, run_with_progress_bar

    params = import_params(
        kind=args.kind,
        path=args.file,
        dry_run=args.dry_run,
        options=options,
        line_limit=50 if not args.dry_run else 500,
        actor_id=actor.pk,
        cwd=os.getcwd(),
    )
    job = job_create(
        kind="imports.import",
        params=params,
        label=f"导入{KINDS[args.kind].title}：{Path(args.file).name}",
        actor=actor,
    )
    if getattr(args, "background", False):
        print(queued_message(job_enqueue(job=job)))
        return 0
    job = run_with_progress_bar(job)
    result = job.result
    if "refused" in result:
        print(result["report_text"], file=sys.stderr)
        if result.get("needs_confirmation"):
            print("核对无误后，加 --accept-warnings 重新导入", file=sys.stderr)
        if args.report:
            Path(args.report).write_bytes((report_dir() / f"{result['report_token']}.xlsx").read_bytes())
            print(f"错误报告已写入 {args.report}（出错的单元格已标红）", file=sys.stderr)
        return 1
    if job.exit_code:
        for message in job.errors:
            print(message, file=sys.stderr)
        return job.exit_code
    print(result["summary"])
    for line in result["lines"]:
        print(f"  {line}")
    return 0


def cmd_reconcile(args: argparse.Namespace) -> int:
    from zhaoshang.accounts.selectors import command_operator
    from zhaoshang.common.periods import MonthRange
    from zhaoshang.imports.reconcile import reconcile

    try:
        period = MonthRange.parse(args.month)
    except ValueError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    if period.months != 1:
        print("核对按单月进行：--month 应为一个月份，如 2020-09", file=sys.stderr)
        return 2
    units = None
    if getattr(args, "units", None):
        from zhaoshang.units.models import Unit

        wanted = [c.strip() for c in args.units.replace("，", ",").split(",") if c.strip()]
        units = list(Unit.objects.filter(code__in=wanted)) + list(Unit.objects.filter(name__in=wanted))
        found = {u.code for u in units} | {u.name for u in units}
        unknown = [w for w in wanted if w not in found]
        if unknown:
            print(f"错误：不是已知的招商主体：{'、'.join(unknown)}", file=sys.stderr)
            return 2
        units = list({u.pk: u for u in units}.values())
    actor = command_operator(args.user, "official.import")
    try:
        result = reconcile(period.first, Path(args.file), source_name=Path(args.file).name, units=units, actor=actor)
    except ImportRefused as exc:
        print(exc.report(), file=sys.stderr)
        _write_report(exc, args.report, "官方月度到资数据")
        return 1
    print(result.text())
    if args.out:
        Path(args.out).write_bytes(result.xlsx())
        print(f"\n核对结果已写入 {args.out}")
    return 0
