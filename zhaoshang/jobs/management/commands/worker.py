"""`zhaoshang worker`: the task backend's worker (database or Redis), plus the daily schedule."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, connection

logger = logging.getLogger("zhaoshang.jobs")

SCHEDULE_EVERY = 60.0


def _schedule_loop(stop: threading.Event) -> None:
    from zhaoshang.jobs.schedule import run_due

    while not stop.is_set():
        try:
            run_due()
        except DatabaseError:  # SQLite busy with a long import: try again next minute
            logger.warning("periodic jobs: database busy, will retry", exc_info=True)
        finally:
            connection.close()
        stop.wait(SCHEDULE_EVERY)


class Command(BaseCommand):
    help = "运行后台任务（导入、通报、核对、推送、synth）的工作进程，并按日程启动定时任务"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="做完队列里现有的任务就退出")
        parser.add_argument("--max-tasks", type=int, default=None, help="做完这么多个任务后退出")
        parser.add_argument("--interval", type=float, default=1.0, help="队列空时每隔几秒查看一次（默认 1）")
        parser.add_argument("--no-schedule", action="store_true", help="不启动定时任务")

    def handle(self, *args: Any, **options: Any) -> None:
        backend = settings.TASKS["default"]["BACKEND"]
        stop = threading.Event()
        if not options["no_schedule"]:
            if options["batch"]:
                from zhaoshang.jobs.schedule import run_due

                run_due()
            else:
                threading.Thread(target=_schedule_loop, args=(stop,), daemon=True, name="schedule").start()
        try:
            if backend == "django_tasks_db.DatabaseBackend":
                extra = {"max_tasks": options["max_tasks"]} if options["max_tasks"] else {}
                call_command(
                    "db_worker",
                    batch=options["batch"],
                    interval=options["interval"],
                    reload=False,
                    startup_delay=False,
                    verbosity=options["verbosity"],
                    **extra,
                )
            elif backend == "django_tasks_rq.RQBackend":
                call_command(
                    "rqworker",
                    *settings.TASKS["default"].get("QUEUES", ["default"]),
                    job_class="django_tasks_rq.Job",
                    # No fork per task: our task starts the job's own child process with the limits anyway.
                    worker_class="rq.worker.SimpleWorker",
                    burst=options["batch"],
                    max_jobs=options["max_tasks"],
                    with_scheduler=False,
                )
            else:
                self.stdout.write(f"任务后端 {backend} 在提交时即运行任务，无需工作进程")
                time.sleep(0)
        finally:
            stop.set()
