"""The jobs app's own periodic job: a daily clean-up of stale and old jobs."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from .models import Job, JobStatus
from .progress import Progress, jobs_dir
from .registry import JobOutcome, job_function
from .runner import INTERRUPTED
from .schedule import periodic

STALE_AFTER = timedelta(hours=24)


@job_function("jobs.cleanup")
def cleanup(job: Job, progress: Progress, **_: Any) -> JobOutcome:
    """Jobs marked running for a day belong to a worker that died: mark them failed. Finished jobs older than
    ZHAOSHANG_JOBS_KEEP_DAYS go, with any upload or progress file left behind by them."""
    now = timezone.now()
    stale = Job.objects.filter(status__in=[JobStatus.RUNNING, JobStatus.QUEUED], created_at__lt=now - STALE_AFTER)
    stale = stale.exclude(pk=job.pk)
    interrupted = stale.update(status=JobStatus.FAILED, exit_code=1, errors=[INTERRUPTED], finished_at=now)
    old = Job.objects.filter(finished_at__lt=now - timedelta(days=settings.ZHAOSHANG_JOBS_KEEP_DAYS))
    removed = old.exclude(pk=job.pk).delete()[1].get("jobs.Job", 0)
    alive = set(Job.objects.values_list("pk", flat=True))
    files = 0
    for path in jobs_dir().rglob("*"):
        head = path.name.split(".", 1)[0].split("-", 1)[0]
        if path.is_file() and head.isdigit() and int(head) not in alive:
            path.unlink(missing_ok=True)
            files += 1
    return JobOutcome(
        result={
            "summary": f"已清理：{interrupted} 个中断的任务标为未完成，删除 {removed} 个旧任务、{files} 个遗留文件",
            "interrupted": interrupted,
            "removed": removed,
            "files": files,
        }
    )


periodic("jobs.cleanup", kind="jobs.cleanup", at=time(3, 0), label="每日清理后台任务")
