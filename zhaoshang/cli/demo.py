"""The `zhaoshang demo` and `zhaoshang synth` commands: build the demo and serve it; copy the registry N times."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path


def cmd_demo(args: argparse.Namespace) -> int:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections
    from tqdm import tqdm

    from zhaoshang.demo.builder import build_demo
    from zhaoshang.demo.facts import DEMO_PASSWORD, DEMO_USERS

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        path = Path(db["NAME"])
        path.parent.mkdir(parents=True, exist_ok=True)
        connections.close_all()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        print(f"演示数据库：{path}")
        call_command("migrate", verbosity=0)
    else:
        if not args.yes:
            print("演示会清空 DATABASE_URL 指向的数据库中的全部数据；确认请加 --yes", file=sys.stderr)
            return 2
        call_command("migrate", verbosity=0)
        call_command("flush", interactive=False, verbosity=0)
    counts = build_demo(progress=lambda it, **kw: tqdm(it, file=sys.stderr, **kw))
    print(f"已生成：{counts['units']} 个招商主体，{counts['projects']} 个项目，{counts['investors']} 个外方投资者")
    print(f"登录账号（密码均为 {DEMO_PASSWORD}）：")
    for username, full_name, _role, _unit in DEMO_USERS:
        print(f"  {username:<10} {full_name}")
    if args.no_serve:
        return 0
    print(f"网址：http://127.0.0.1:{args.port}/   （按 Ctrl+C 停止）")
    worker = _start_worker()
    try:
        call_command("runserver", f"127.0.0.1:{args.port}", use_reloader=False)
    finally:
        _stop_worker(worker)
    return 0


def _start_worker() -> subprocess.Popen[bytes] | None:
    """The background-job worker beside the demo site (imports uploaded on the page run in it)."""
    from django.conf import settings

    from zhaoshang.jobs.runner import die_with_parent

    if str(settings.TASKS["default"]["BACKEND"]).endswith("ImmediateBackend"):
        return None
    print("后台任务：已启动工作进程（zhaoshang worker），随网站一起停止")
    return subprocess.Popen(
        [sys.executable, "-m", "zhaoshang.cli", "worker", "--verbosity", "0"], preexec_fn=die_with_parent
    )


def _stop_worker(worker: subprocess.Popen[bytes] | None) -> None:
    if worker is None or worker.poll() is not None:
        return
    worker.terminate()
    try:
        worker.wait(timeout=10)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


def cmd_synth(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from zhaoshang.accounts.services import system_actor
    from zhaoshang.demo.synth import synthesize
    from zhaoshang.jobs.progress import current, track

    # In a job the steps move the job's counters (shown by the waiting command's bar or the page); else a bar here.
    bar = (lambda it, **kw: track(it, **kw)) if current() is not None else None
    try:
        counts = synthesize(
            args.scale,
            actor=system_actor(),
            progress=bar or (lambda it, **kw: tqdm(it, file=sys.stderr, **kw)),
            noise=getattr(args, "noise", 0.0) or 0.0,
            seed=getattr(args, "seed", 1) or 1,
        )
    except ValueError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    print(f"项目库现有 {counts['projects']} 个项目、{counts['arrivals']} 笔到资（演示数据的 {args.scale} 倍）")
    return 0
