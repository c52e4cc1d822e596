"""The `zhaoshang serve` command: the site under gunicorn with the production settings, static files collected, and
the background-job worker beside it."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from gunicorn.app.base import BaseApplication


def default_workers() -> int:
    """gunicorn's rule of thumb: two sync workers per core, plus one (each waits on the database half the time)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return 2 * cores + 1


class Site(BaseApplication):  # type: ignore[misc]
    """gunicorn run from inside the command (no second configuration file): the options below, Django's WSGI app."""

    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from django.core.wsgi import get_wsgi_application

        return get_wsgi_application()


def cmd_serve(args: argparse.Namespace) -> int:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    from .demo import _start_worker, _stop_worker

    workers = args.workers or default_workers()
    if workers < 1:
        print("错误：--workers 必须是正整数", file=sys.stderr)
        return 2
    call_command("collectstatic", interactive=False, verbosity=0)
    print(f"静态文件：已收集到 {settings.STATIC_ROOT}（由 WhiteNoise 提供）")
    connections.close_all()  # each worker process opens its own
    worker = None if args.no_worker else _start_worker()
    print(f"网址：http://{args.bind}/   gunicorn {workers} 个工作进程（按 Ctrl+C 停止）", flush=True)
    options = {
        "bind": args.bind,
        "workers": workers,
        "timeout": args.timeout,
        "graceful_timeout": 30,
        # A worker is replaced now and then, so that no slow leak grows for weeks.
        "max_requests": 2000,
        "max_requests_jitter": 200,
        "accesslog": "-" if args.access_log else None,
        "errorlog": "-",
        "proc_name": "zhaoshang",
    }
    try:
        Site(options).run()
    finally:
        _stop_worker(worker)
    return 0
