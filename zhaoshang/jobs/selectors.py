"""Reads of jobs: one job with its live counters, a user's recent jobs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from .models import Job, JobStatus
from .progress import read_progress


@dataclass(frozen=True)
class JobState:
    job: Job
    total: int | None
    checked: int
    written: int

    @property
    def finished(self) -> bool:
        return self.job.finished

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        done = self.written if self.written else self.checked
        return min(100, round(100 * done / self.total))

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.job.pk,
            "kind": self.job.kind,
            "label": self.job.label,
            "status": self.job.status,
            "status_label": self.job.get_status_display(),
            "total": self.total,
            "checked": self.checked,
            "written": self.written,
            "exit_code": self.job.exit_code,
            "result": self.job.result,
            "errors": self.job.errors,
        }


def job_state(job: Job) -> JobState:
    """The job with its counters: from the running job's progress file while it runs, from the row after."""
    if job.status == JobStatus.RUNNING:
        live = read_progress(job.pk) or {}
        return JobState(
            job,
            live.get("total", job.total),
            max(int(live.get("checked") or 0), job.checked),
            max(int(live.get("written") or 0), job.written),
        )
    return JobState(job, job.total, job.checked, job.written)


def jobs_of(user: Any, *, kind_prefix: str = "", limit: int = 20) -> QuerySet[Job]:
    qs = Job.objects.filter(created_by=user)
    if kind_prefix:
        qs = qs.filter(kind__startswith=kind_prefix)
    return qs[:limit]
