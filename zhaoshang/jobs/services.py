"""Writes to jobs: create one, queue it for the worker, or run it here and wait."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .models import Job
from .registry import function_for
from .runner import run_job


def job_create(*, kind: str, params: dict[str, Any], label: str = "", actor: Any = None) -> Job:
    function_for(kind)  # an unknown kind is refused now, not in the worker
    return Job.objects.create(
        kind=kind, params=params, label=label[:200], created_by=actor if getattr(actor, "pk", None) else None
    )


def job_enqueue(*, job: Job) -> Job:
    """Hand the job to the task backend; with the immediate backend it has run when this returns."""
    from .tasks import run_job_task

    result = run_job_task.enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


def job_run_and_wait(*, job: Job, on_progress: Callable[[dict[str, Any]], None] | None = None) -> Job:
    return run_job(job, on_progress=on_progress)
