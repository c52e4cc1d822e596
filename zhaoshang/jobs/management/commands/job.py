"""`zhaoshang job [ID]`: a queued job's state, progress and result; without ID, the latest jobs."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from zhaoshang.jobs.models import Job
from zhaoshang.jobs.selectors import job_state


class Command(BaseCommand):
    help = "查看后台任务的状态、进度和结果"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("id", nargs="?", type=int, help="任务编号（zhaoshang … --background 给出的编号）")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["id"] is None:
            for job in Job.objects.all()[:20]:
                state = job_state(job)
                self.stdout.write(
                    f"#{job.pk}  {timezone.localtime(job.created_at):%Y-%m-%d %H:%M}  {job.get_status_display()}  "
                    f"{job.label or job.kind}  已检查 {state.checked}，已写入 {state.written}"
                )
            return
        found = Job.objects.filter(pk=options["id"]).first()
        if found is None:
            raise CommandError(f"没有编号为 {options['id']} 的任务")
        job = found
        state = job_state(job)
        total = f"/{state.total}" if state.total else ""
        self.stdout.write(f"任务 #{job.pk}：{job.label or job.kind}（{job.get_status_display()}）")
        self.stdout.write(f"  已检查 {state.checked}{total} 行，已写入 {state.written}{total} 行")
        if job.finished:
            result = job.result
            out, err = result.get("stdout", ""), result.get("stderr", "")
            if "summary" in result and "stdout" not in result:  # a structured job: its summary and changed lines
                out = "\n".join([result["summary"], *(f"  {line}" for line in result.get("lines", []))])
            if "report_text" in result:  # a refused import: every error, as the command prints them
                err = result["report_text"] + "\n"
            if out:
                self.stdout.write(out.rstrip("\n"))
            if err:
                sys.stderr.write(err)
            for message in job.errors:
                sys.stderr.write(message + "\n")
            if job.exit_code:
                sys.exit(job.exit_code)
