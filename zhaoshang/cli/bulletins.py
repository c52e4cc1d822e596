"""The `zhaoshang bulletin` and `zhaoshang push` commands (the parsers live here; cli/__init__.py hooks them in)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

BACKGROUND_HELP = "放入后台任务队列后立即返回（由 zhaoshang worker 执行；用 zhaoshang job 编号 查看结果）"


def _month(text: str):  # type: ignore[no-untyped-def]
    from zhaoshang.common.periods import MonthRange

    period = MonthRange.parse(text)
    if period.months != 1:
        raise ValueError(f"通报按月出具：--period 应为某一月份，如 2020-09，而不是“{text}”")
    return period.first


def add_bulletin_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("bulletin", help="生成月度通报（.docx，GB/T 9704 格式）和附表（.xlsx）")
    p.add_argument("--period", required=True, help="通报月份，如 2020-09（内容为当年1月至该月累计）")
    p.add_argument("--out", default=".", help="输出目录（默认当前目录）")
    p.add_argument("--issue", action="store_true", help="签发：冻结本期文件并关账1月至该月的数据")
    p.add_argument("--user", help="签发人的用户名（--issue 时必填；按此人的权限检查并记入变更记录）")
    p.add_argument("--background", action="store_true", help=BACKGROUND_HELP)
    p.set_defaults(func=cmd_bulletin)


def add_push_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("push", help="向钉钉、企业微信群机器人推送竞赛周报或月度通报")
    kinds = p.add_subparsers(dest="kind", required=True)
    monthly = kinds.add_parser("monthly", help="月度通报要点")
    monthly.add_argument("--period", required=True, help="通报月份，如 2020-09")
    _robot_flags(monthly)
    monthly.set_defaults(func=cmd_push_monthly)
    add_weekly_parser(kinds, _robot_flags)


def _robot_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--dingtalk-webhook", help="钉钉机器人 Webhook 地址（不填则推送到后台配置的全部机器人）")
    p.add_argument("--dingtalk-secret", help="钉钉机器人加签密钥（SEC 开头）")
    p.add_argument("--wecom-webhook", help="企业微信群机器人 Webhook 地址")
    p.add_argument("--dry-run", action="store_true", help="只打印消息，不发送")
    p.add_argument("--user", help="操作人的用户名（发送时必填；--dry-run 时可省略）")
    p.add_argument("--background", action="store_true", help=BACKGROUND_HELP)


def cmd_bulletin(args: argparse.Namespace) -> int:
    from zhaoshang.accounts.selectors import command_operator
    from zhaoshang.bulletins.services import bulletin_build, bulletin_issue

    try:
        month = _month(args.period)
    except ValueError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    actor = command_operator(args.user, "bulletin.issue") if args.issue else None
    if args.issue:
        from zhaoshang.bulletins.selectors import waiting_warning_for

        if warning := waiting_warning_for(month):
            print(warning, file=sys.stderr)
        bulletin = bulletin_issue(month=month, actor=actor)
        print(
            f"已签发：{bulletin.title}（第{bulletin.number}期），{bulletin.month.year}年1-{bulletin.month.month}月已关账"
        )
    files = bulletin_build(month=month)
    docx_path = out / f"{files.stem}.docx"
    xlsx_path = out / f"{files.stem}.xlsx"
    docx_path.write_bytes(files.docx)
    xlsx_path.write_bytes(files.xlsx)
    state = "已签发" if files.data.issued else "草稿（未签发）"
    print(f"{files.data.title}（{state}）")
    print(f"  {docx_path}")
    print(f"  {xlsx_path}")
    return 0


def send_or_print(args: argparse.Namespace, purpose: str, title: str, text: str) -> int:
    from zhaoshang.accounts.selectors import command_operator
    from zhaoshang.bulletins.push.service import command_line_targets, configured_targets, push

    if args.dry_run:
        print(f"【{title}】")
        print(text)
        return 0
    if args.dingtalk_secret and not args.dingtalk_webhook:
        print("错误：给了 --dingtalk-secret 却没有 --dingtalk-webhook", file=sys.stderr)
        return 2
    targets = command_line_targets(
        dingtalk_webhook=args.dingtalk_webhook, dingtalk_secret=args.dingtalk_secret, wecom_webhook=args.wecom_webhook
    )
    if not targets:
        targets = configured_targets(purpose)
    if not targets:
        print(
            "错误：没有可推送的机器人：请在后台“群机器人”中配置，或用 --dingtalk-webhook / --wecom-webhook 指定",
            file=sys.stderr,
        )
        return 2
    actor = command_operator(args.user, "push.send")
    results = push(targets, title, text, actor=actor, log=print)
    return 0 if all(r.ok for r in results) else 1


def cmd_push_monthly(args: argparse.Namespace) -> int:
    from zhaoshang.bulletins.messages import monthly_markdown
    from zhaoshang.bulletins.selectors import bulletin_data

    try:
        month = _month(args.period)
    except ValueError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    title, text = monthly_markdown(bulletin_data(month))
    return send_or_print(args, "monthly", title, text)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{text}”应写成 YYYY-MM-DD，如 2020-09-25") from None


def add_weekly_parser(
    kinds: argparse._SubParsersAction, robot_flags: Callable[[argparse.ArgumentParser], None]
) -> None:
    weekly = kinds.add_parser("weekly", help="竞赛周比榜单")
    weekly.add_argument("--competition", required=True, help="竞赛代号，如 fdi-100-days-2020")
    weekly.add_argument("--date", type=_date, help="周比日期 YYYY-MM-DD（默认今天，限于竞赛期间）")
    robot_flags(weekly)
    weekly.set_defaults(func=cmd_push_weekly)


def cmd_push_weekly(args: argparse.Namespace) -> int:
    from zhaoshang.bulletins.race_section import weekly_markdown
    from zhaoshang.race import selectors as race_selectors

    comp = race_selectors.competition_by_slug(args.competition)
    board = race_selectors.board(comp, args.date)
    if args.date is not None and board.date != args.date:
        print(f"错误：{args.date} 不在竞赛期间（{comp.start} 至 {comp.end}）", file=sys.stderr)
        return 2
    title, text = weekly_markdown(board)
    return send_or_print(args, "weekly", title, text)
