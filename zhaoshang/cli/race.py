"""`zhaoshang race …`: publish a week's board, read a board, confirm proposals, publish the month's evaluation."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{text}”应写成 YYYY-MM-DD，如 2020-09-25") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="race_command", required=True)
    snap = sub.add_parser("snapshot", help="发布某日的周比榜单（已发布的日期再次发布须 --reason，生成新版本）")
    snap.add_argument("--competition", required=True, help="竞赛代号，如 fdi-100-days-2020")
    snap.add_argument("--date", type=_date, required=True, help="周比日期 YYYY-MM-DD")
    snap.add_argument("--reason", default="", help="重算原因（更正数据后重算时必填）")
    snap.add_argument("--confirm", action="store_true", help="先确认规则提出的红旗项目与蜗牛，再发布")
    snap.add_argument("--format", choices=["table", "json"], default="table")
    board = sub.add_parser("board", help="查看榜单（已发布取最新版本，否则实时计算）")
    board.add_argument("--competition", required=True)
    board.add_argument("--date", type=_date, help="日期，默认今天（限于竞赛期间）")
    board.add_argument("--version", type=int, help="查看已发布榜单的某一版")
    board.add_argument("--format", choices=["table", "json"], default="table")
    ev = sub.add_parser("evaluate", help="发布月度评比（月月评）")
    ev.add_argument("--competition", required=True)
    ev.add_argument("--month", required=True, help="月份 YYYY-MM")
    sub.add_parser("list", help="列出竞赛")


def run(args: argparse.Namespace) -> int:
    from zhaoshang.common.periods import MonthRange
    from zhaoshang.race import selectors, services
    from zhaoshang.race.models import Competition
    from zhaoshang.race.serialize import render_board

    if args.race_command == "list":
        for c in Competition.objects.all():
            print(f"{c.slug:<24} {c.name}  {c.start} 至 {c.end}  {c.units.count()}个单位")
        return 0
    comp = selectors.competition_by_slug(args.competition)
    if args.race_command == "snapshot":
        if args.confirm:
            flags, snails = services.proposals_confirm(competition=comp, on=args.date, actor=None, project_snails=3)
            print(f"已确认红旗项目{flags}个、蜗牛{snails}个")
        snap = services.snapshot_publish(competition=comp, on=args.date, actor=None, reason=args.reason)
        data = selectors.board(comp, snap.on, version=snap.version)
        print(json.dumps(data.to_json(), ensure_ascii=False, indent=2) if args.format == "json" else render_board(data))
        return 0
    if args.race_command == "board":
        data = selectors.board(comp, args.date, version=args.version)
        print(json.dumps(data.to_json(), ensure_ascii=False, indent=2) if args.format == "json" else render_board(data))
        return 0
    if args.race_command == "evaluate":
        try:
            month = MonthRange.parse(args.month)
        except ValueError as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return 2
        ev = services.evaluation_publish(competition=comp, month=month.first, actor=None)
        awards = "；".join(f"{a.unit.short_name} {a.title}（{a.reason}）" for a in ev.awards.select_related("unit"))
        print(f"已发布 {month.label()} 月度评比。奖项：{awards or '无'}")
        return 0
    return 2
