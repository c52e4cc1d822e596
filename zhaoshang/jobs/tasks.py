"""The one queue task: run a `Job` of ours by id. The backend (database, Redis, immediate) comes from TASKS."""

from __future__ import annotations

from django_tasks import task


@task()
def run_job_task(job_id: int) -> int | None:
    from .models import Job
    from .runner import run_job

    job = Job.objects.filter(pk=job_id).first()
    if job is None:  # removed by the clean-up before a worker reached it
        return None
    return run_job(job).exit_code
