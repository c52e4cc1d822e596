"""Running a job: here (tests, the immediate backend), or in a child process with memory and time limits.

The worker and the command line both run jobs in a child process, so a job that runs out of memory or time ends
only that process; the parent records it as failed and stays up.
"""

from __future__ import annotations

import contextlib
import logging
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone

from . import progress as job_progress
from .models import Job, JobStatus
from .registry import JobOutcome, function_for

logger = logging.getLogger(__name__)

CRASHED = "任务进程意外结束（可能超出内存或时间限制），未完成；已写入的内容均已撤销"
INTERRUPTED = "任务中断（工作进程已停止），未完成；请重新提交"


def execute_job(job_id: int) -> Job:
    """Run a queued job in this process and record its outcome. A job already started or finished is left alone,
    so a task delivered twice runs the work once."""
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now()
    )
    job = Job.objects.get(pk=job_id)
    if not claimed:
        return job
    progress = job_progress.Progress(job.pk)
    token = job_progress.activate(progress)
    try:
        outcome = function_for(job.kind)(job, progress, **job.params)
    except Exception as exc:  # any failure is the job's outcome, recorded for the page; the worker goes on
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        outcome = JobOutcome(exit_code=1, errors=[f"任务出错：{exc.__class__.__name__}：{exc}"])
    finally:
        job_progress.deactivate(token)
    if not connection.in_atomic_block:
        # A long job may have outlived its connection (a worker's); inside a transaction (a job run in a request,
        # or a test) the connection is the caller's and must stay open.
        close_old_connections()
    _record(job, outcome, progress.as_dict())
    progress.discard()
    return job


def _record(job: Job, outcome: JobOutcome, counters: dict[str, Any]) -> None:
    job.status = JobStatus.SUCCEEDED if outcome.exit_code == 0 else JobStatus.FAILED
    job.exit_code = outcome.exit_code
    job.result = outcome.result
    job.errors = outcome.errors
    job.total = counters["total"]
    job.checked = counters["checked"]
    job.written = counters["written"]
    job.finished_at = timezone.now()
    job.save()


def job_limits() -> tuple[int, int]:
    """(bytes of address space, seconds) a job may use."""
    return settings.ZHAOSHANG_JOB_MEMORY_MB * 1024 * 1024, settings.ZHAOSHANG_JOB_TIME_LIMIT


def die_with_parent() -> None:
    """In a child between fork and exec (Linux): end it when the process that started it dies, so stopping the site
    or the worker never leaves a job writing on its own (its transaction is rolled back)."""
    import ctypes
    import signal

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _limit_child() -> None:  # runs in the child between fork and exec
    die_with_parent()
    memory, seconds = job_limits()
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 5))


def run_in_child(job: Job, *, on_progress: Callable[[dict[str, Any]], None] | None = None) -> Job:
    """Run the job in a new process with the limits, wait for it, and return the recorded job."""
    _, seconds = job_limits()
    env = {**os.environ, "TQDM_DISABLE": "1"}
    env.setdefault("DJANGO_SETTINGS_MODULE", os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.local"))
    cwd = job.params.get("cwd") if isinstance(job.params.get("cwd"), str) else None
    child = subprocess.Popen(  # noqa: S603 - our own interpreter and module; the job id is an integer
        [sys.executable, "-m", "zhaoshang.jobs.child", str(job.pk)],
        env=env,
        cwd=cwd if cwd and os.path.isdir(cwd) else None,
        preexec_fn=_limit_child,
    )
    deadline = time.monotonic() + seconds
    while child.poll() is None:
        if time.monotonic() > deadline:
            child.kill()
            child.wait()
            break
        if on_progress is not None:
            seen = job_progress.read_progress(job.pk)
            if seen:
                on_progress(seen)
        time.sleep(0.25)
    job.refresh_from_db()
    if not job.finished:
        logger.error("job %s: child ended with %s before recording an outcome", job.pk, child.returncode)
        _record(job, JobOutcome(exit_code=1, errors=[CRASHED]), job_progress.read_progress(job.pk) or _zero())
        job_progress.progress_path(job.pk).unlink(missing_ok=True)
    return job


def _zero() -> dict[str, Any]:
    return {"total": None, "checked": 0, "written": 0}


def run_job(job: Job, *, on_progress: Callable[[dict[str, Any]], None] | None = None) -> Job:
    """Run a job now and wait: in a child process with the limits unless settings keep it in this one (tests)."""
    if settings.ZHAOSHANG_JOBS_IN_CHILD:
        return run_in_child(job, on_progress=on_progress)
    return execute_job(job.pk)
