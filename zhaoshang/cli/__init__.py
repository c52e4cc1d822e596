"""The `zhaoshang` command: the demo, imports and figures; any other word is passed to Django's manage.py.

The parser is built here; each word's work is in this package's module for its app (cli/demo.py, cli/imports.py,
cli/stats.py, cli/race.py, cli/chains.py, cli/bulletins.py)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import Any

OWN_COMMANDS = {
    "demo",
    "import",
    "reconcile",
    "stats",
    "synth",
    "race",
    "chains",
    "bulletin",
    "push",
    "intake",
    "leads",
}
# Long work: run as a background job — in a child process behind a progress bar, or queued with --background.
# (`import` runs its own structured job, imports.import, which the upload page shares.)
JOB_COMMANDS = {"reconcile", "synth", "bulletin", "push"}
BACKGROUND_HELP = "放入后台任务队列后立即返回（由 zhaoshang worker 执行；用 zhaoshang job 编号 查看结果）"


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()


def cmd_demo(args: argparse.Namespace) -> int:
    from zhaoshang.cli.demo import cmd_demo as run

    return run(args)


def cmd_import(args: argparse.Namespace) -> int:
    from zhaoshang.cli.imports import cmd_import as run

    return run(args)


def cmd_reconcile(args: argparse.Namespace) -> int:
    from zhaoshang.cli.imports import cmd_reconcile as run

    return run(args)


def cmd_stats(args: argparse.Namespace) -> int:
    from zhaoshang.cli.stats import cmd_stats as run

    return run(args)


def cmd_synth(args: argparse.Namespace) -> int:
    from zhaoshang.cli.demo import cmd_synth as run

    return run(args)


def cmd_race(args: argparse.Namespace) -> int:
    from zhaoshang.cli.race import run

    return run(args)


def cmd_intake(args: argparse.Namespace) -> int:
    from zhaoshang.cli.intake import cmd_intake as run

    return run(args)


def cmd_leads(args: argparse.Namespace) -> int:
    from zhaoshang.cli.intake import cmd_leads as run

    return run(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zhaoshang",
        description="招商：外资项目库、统计与通报。其他子命令（migrate、runserver、createsuperuser 等）交给 Django。",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="生成嘉兴 2019–2020 演示数据并启动网站")
    demo.add_argument("--no-serve", action="store_true", help="只生成数据，不启动网站")
    demo.add_argument("--port", type=int, default=8000, help="网站端口（默认 8000）")
    demo.add_argument("--yes", action="store_true", help="确认清空非 SQLite 数据库")
    demo.set_defaults(func=cmd_demo)
    imp = sub.add_parser("import", help="导入数据文件（.xlsx/.xls/.ods/.csv），或生成导入模板")
    imp.add_argument(
        "kind",
        help="数据类型：projects、arrivals、followups、targets、province-figures、fortune500、"
        "industries、divisions、rates；或 template（生成模板）",
    )
    imp.add_argument("file", help="文件路径；生成模板时为数据类型")
    imp.add_argument("out", nargs="?", help="生成模板时：输出的 .xlsx 路径")
    imp.add_argument("--dry-run", action="store_true", help="只检查并列出将要发生的变化，不写入")
    imp.add_argument("--report", help="有错误时把错误报告（错误单元格标红）写入此 .xlsx")
    imp.add_argument("--year", type=int, help="榜单年份（fortune500）")
    imp.add_argument("--published-on", help="榜单发布日期 YYYY-MM-DD（默认当年8月1日）")
    imp.add_argument("--user", help="操作人的用户名（必填，生成模板除外；按此人的权限检查并记入变更记录）")
    imp.add_argument("--background", action="store_true", help=BACKGROUND_HELP)
    imp.add_argument(
        "--unit",
        help="金额单位，用于表头和表头上方都未写单位的金额列：美元、万美元、亿美元、原币万元、万欧元……",
    )
    imp.add_argument(
        "--accept-warnings",
        action="store_true",
        help="已核对“警告”所列情况（汇率偏离、金额异常等），确认导入",
    )
    imp.set_defaults(func=cmd_import)
    rec = sub.add_parser("reconcile", help="导入官方月度到资数据并与项目库核对")
    rec.add_argument("--month", required=True, help="月份，如 2020-09")
    rec.add_argument("file", help="国家外资统计系统导出的文件（企业名称、统一社会信用代码、月份、实际使用外资）")
    rec.add_argument(
        "--units",
        help="与哪些招商主体核对（代码或名称，逗号分隔，如 330421）；不填则按导出文件中的企业推定",
    )
    rec.add_argument("--out", help="把核对结果写入此 .xlsx")
    rec.add_argument("--report", help="有错误时把错误报告写入此 .xlsx")
    rec.add_argument("--user", help="操作人的用户名（必填；按此人的权限检查并记入变更记录）")
    rec.add_argument("--background", action="store_true", help=BACKGROUND_HELP)
    rec.set_defaults(func=cmd_reconcile)
    stats = sub.add_parser("stats", help="按商务部口径统计：各单位、全市、全省")
    stats.add_argument("--period", required=True, help="期间：2020-09、2020-01..2020-09、2020Q3 或 2020")
    stats.add_argument("--unit", help="只看一个招商主体（代码，如 330421）")
    stats.add_argument("--format", choices=["table", "json", "csv"], default="table")
    stats.add_argument(
        "--progress",
        choices=["verified", "reported"],
        default="verified",
        help="口径：verified 认定口径（只计市局已认定的，默认）或 reported 填报口径（计入全部填报）",
    )
    stats.set_defaults(func=cmd_stats)
    synth = sub.add_parser(
        "synth",
        help="基准测试工具：把项目库复制成 N 倍（以系统操作人身份批量写入，不经业务规则、不留变更记录）",
    )
    synth.add_argument("--scale", type=int, required=True, help="倍数，如 100")
    synth.add_argument("--background", action="store_true", help=BACKGROUND_HELP)
    synth.set_defaults(func=cmd_synth)
    race = sub.add_parser("race", help="竞赛：周周比榜单、月月评、红旗项目与蜗牛")
    from zhaoshang.cli.race import add_arguments

    add_arguments(race)
    race.set_defaults(func=cmd_race)
    from zhaoshang.cli.chains import add_parser as add_chains_parser

    add_chains_parser(sub)
    from zhaoshang.cli.bulletins import add_bulletin_parser, add_push_parser

    add_bulletin_parser(sub)
    add_push_parser(sub)
    intake = sub.add_parser(
        "intake", help="从新闻、公告文本（.txt/.html/.docx/.pdf）识别企业、金额、地点、阶段并提出建议"
    )
    intake.add_argument("file", help="文本文件路径")
    intake.add_argument("--dry-run", action="store_true", help="只列出识别结果和建议，不写入")
    intake.add_argument("--user", help="保存文本时的操作人用户名（试运行不需要）")
    intake.set_defaults(func=cmd_intake)
    leads = sub.add_parser("leads", help="招商线索：列表、分派、逾期上报")
    leads.add_argument("action", choices=["list", "assign", "escalate"])
    leads.add_argument("code", nargs="?", help="assign：线索编号，如 XS2020-0001")
    leads.add_argument("--unit", help="list：只看一个单位；assign：分派到的单位代码")
    leads.add_argument("--status", help="list：按状态（new、assigned、contacted、converted、abandoned）")
    leads.add_argument("--limit", type=int, default=200)
    leads.add_argument("--user", help="assign、escalate：操作人用户名")
    leads.set_defaults(func=cmd_leads)
    return parser


def main(argv: list[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    _setup()
    if args_list and args_list[0] not in OWN_COMMANDS and not args_list[0].startswith("-"):
        from django.core.management import execute_from_command_line

        execute_from_command_line(["zhaoshang", *args_list])
        return 0
    args = build_parser().parse_args(args_list)
    if args.command in JOB_COMMANDS:
        from zhaoshang.jobs.progress import current

        if current() is None:  # not already inside the job
            return _run_as_job(args, args_list)
    return _run(args)


def _run(args: argparse.Namespace) -> int:
    from django.core.exceptions import PermissionDenied, ValidationError

    from zhaoshang.common.validation import first_message
    from zhaoshang.imports.errors import ImportRefused

    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except ImportRefused as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    except ValidationError as exc:
        print(f"错误：{first_message(exc)}", file=sys.stderr)
        return 1
    except PermissionDenied as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    except FileNotFoundError as exc:
        print(f"错误：找不到文件 {exc.filename}", file=sys.stderr)
        return 1


def _run_as_job(args: argparse.Namespace, args_list: list[str]) -> int:
    """The command as a job: the same words run by `command_job` in a child process (or the worker), and what it
    printed is printed here, with its exit status."""
    from zhaoshang.jobs.services import job_create, job_enqueue
    from zhaoshang.jobs.terminal import queued_message, run_with_progress_bar

    argv = [word for word in args_list if word != "--background"]
    job = job_create(
        kind="zhaoshang.cli:command_job",
        params={"argv": argv, "cwd": os.getcwd()},
        label="zhaoshang " + " ".join(argv)[:180],
    )
    if getattr(args, "background", False):
        print(queued_message(job_enqueue(job=job)))
        return 0
    job = run_with_progress_bar(job)
    sys.stdout.write(job.result.get("stdout", ""))
    sys.stderr.write(job.result.get("stderr", ""))
    for message in job.errors:
        print(message, file=sys.stderr)
    return 1 if job.exit_code is None else job.exit_code


def command_job(job: Any, progress: Any, *, argv: list[str], **_: Any) -> Any:
    """Job function of the long commands: run the words here, keeping what they print for whoever waits."""
    import io
    from contextlib import redirect_stderr, redirect_stdout

    from zhaoshang.jobs.registry import JobOutcome

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = _run(build_parser().parse_args(argv))
    return JobOutcome(exit_code=code, result={"stdout": out.getvalue(), "stderr": err.getvalue()})
