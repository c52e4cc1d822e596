"""Running a job from the command line: in a child process, waiting for it behind a progress bar."""

from __future__ import annotations

import sys
from typing import Any

from django.conf import settings

from .models import Job
from .runner import run_job


def run_with_progress_bar(job: Job) -> Job:
    """Run the job now (no worker needed) and wait; a bar on a terminal shows rows checked and written. The bar is
    removed when the job ends, so what the command prints afterwards is exactly what it printed before jobs."""
    from tqdm import tqdm

    shown = settings.ZHAOSHANG_JOBS_IN_CHILD and sys.stderr.isatty()
    bar = tqdm(total=None, desc=job.label or job.kind, unit="行", file=sys.stderr, disable=not shown, leave=False)

    def on_progress(seen: dict[str, Any]) -> None:
        total = seen.get("total")
        if total and bar.total != total:
            bar.total = total
        checked, written = int(seen.get("checked") or 0), int(seen.get("written") or 0)
        bar.n = written or checked
        bar.set_postfix_str(f"已检查 {checked}，已写入 {written}", refresh=True)

    try:
        return run_job(job, on_progress=on_progress)
    finally:
        bar.close()


def queued_message(job: Job) -> str:
    return f"已提交后台任务 #{job.pk}（{job.label or job.kind}）；查看进度和结果：zhaoshang job {job.pk}"
