"""The `zhaoshang forecast` command: the year-end forecast for an as-of month, and its back-test."""

from __future__ import annotations

import argparse
import json
from typing import Any

from zhaoshang.common.money import fmt_yi


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "forecast", help="预测：全年实际使用外资的预计值、80%区间、完成任务与全省位次的概率；backtest 回测"
    )
    p.add_argument(
        "what",
        nargs="?",
        choices=["backtest", "import"],
        help="backtest：以某年每个月末为预测时点回测；import 文件：导入项目预期（项目编号、预计签约月份、预计设立月份、"
        "预计首笔到资月份、落地可能性、说明）",
    )
    p.add_argument("file", nargs="?", help="import 时：.xlsx/.xls/.ods/.csv 文件")
    p.add_argument("--user", help="import 时：操作人的用户名（按此人的权限检查并记入变更记录）")
    p.add_argument("--dry-run", action="store_true", help="import 时：只检查，不写入")
    p.add_argument("--as-of", help="预测时点（月份），如 2020-06：只用当月底以前的数据")
    p.add_argument("--unit", help="只看一个招商主体（代码，如 330421）")
    p.add_argument("--year", type=int, help="回测年份，如 2020")
    p.add_argument("--sims", type=int, default=None, help="模拟次数（默认 2000）")
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.set_defaults(func=cmd_forecast)


def _yi(value: Any) -> str:
    from decimal import Decimal

    return fmt_yi(Decimal(value))


def cmd_forecast(args: argparse.Namespace) -> int:
    import sys

    from django.core.exceptions import ValidationError

    from zhaoshang.forecast.model import DEFAULT_SIMS

    sims = args.sims or DEFAULT_SIMS
    if sims < 100 or sims > 100_000:
        raise ValidationError({"sims": [f"模拟次数“{sims}”应在100至100000之间"]})
    if args.what == "import":
        return _import(args)
    if args.what == "backtest":
        if args.year is None:
            print("错误：回测需要 --year，如 --year 2020", file=sys.stderr)
            return 2
        from zhaoshang.forecast.backtest import backtest

        tested = backtest(args.year, sims=sims)
        if args.format == "json":
            print(json.dumps(tested.to_json(), ensure_ascii=False, indent=2))
        else:
            print(render_backtest(tested))
        return 0
    if not args.as_of:
        print("错误：请用 --as-of 指定预测时点，如 --as-of 2020-06", file=sys.stderr)
        return 2
    from zhaoshang.forecast.selectors import forecast, parse_as_of

    result = forecast(parse_as_of(args.as_of), unit_code=args.unit, sims=sims)
    if args.format == "json":
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        from zhaoshang.forecast.wording import render_table

        print(render_table(result))
    return 0


def render_backtest(result: Any) -> str:
    lines = [
        f"{result.year}年全年实际使用外资回测（{'填报口径' if result.caliber == 'reported' else '认定口径'}，"
        f"每个时点模拟{result.sims}次，种子{result.seed}）",
        f"{'预测时点':<8}{'预测':>12}{'P10':>12}{'P90':>12}{'实际':>12}{'误差':>8}  区间含实际",
    ]
    for r in result.rows:
        lines.append(
            f"{r.month:%Y-%m}    {r.forecast / 1e8:>10.2f}亿{r.p10 / 1e8:>10.2f}亿{r.p90 / 1e8:>10.2f}亿"
            f"{r.actual / 1e8:>10.2f}亿{r.error_pct:>+7.1f}%  {'是' if r.covered else '否'}"
        )
    seasonal = result.mape_seasonal
    lines += [
        "",
        f"平均绝对百分比误差（MAPE）：模型 {result.mape_model:.1f}%；"
        f"基准一 按1-N月平均推算 {result.mape_run_rate:.1f}%；"
        f"基准二 按上年同期占全年比重推算 {'—' if seasonal is None else f'{seasonal:.1f}%'}",
        f"80%区间含实际：{result.coverage}/{len(result.rows)}；区间平均宽度 {result.mean_width / 1e8:.2f}亿美元；"
        f"平均区间得分 {result.mean_interval_score / 1e8:.2f}亿美元（宽度加上落在区间外的距离×10，越小越好）",
    ]
    return "\n".join(lines)


def _import(args: argparse.Namespace) -> int:
    import sys
    from pathlib import Path

    from zhaoshang.accounts.selectors import command_operator
    from zhaoshang.forecast.importer import import_expectations

    if not args.file:
        print("错误：请指明要导入的文件，如 zhaoshang forecast import 项目预期.xlsx --user 用户名", file=sys.stderr)
        return 2
    actor = command_operator(args.user, "project.write")
    path = Path(args.file)
    if not path.exists():
        raise FileNotFoundError(2, "not found", str(path))
    result = import_expectations(path, actor=actor, dry_run=args.dry_run)
    if result.errors:
        print(f"未导入（{len(result.errors)}处错误，所有行均未写入）：", file=sys.stderr)
        for line in result.errors:
            print(f"  {line}", file=sys.stderr)
        return 1
    verb = "将导入" if args.dry_run else "已导入"
    print(f"{verb}{len(result.changed)}个项目的预期（共{result.rows}行）")
    return 0
