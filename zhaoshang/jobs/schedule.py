"""Periodic jobs: a small table the worker reads every minute; each entry runs at most once a day, recorded."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import Job, ScheduledRun

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Periodic:
    name: str
    kind: str
    at: time  # local time (Asia/Shanghai) from which it is due each day
    label: str = ""
    params: dict[str, Any] = field(default_factory=dict)


SCHEDULE: dict[str, Periodic] = {}


def periodic(name: str, *, kind: str, at: time, label: str = "", params: dict[str, Any] | None = None) -> None:
    """Declare a daily job (called from an app's jobs.py), e.g. the desk's reminders at 08:30."""
    SCHEDULE[name] = Periodic(name, kind, at, label, params or {})


def run_due(now: datetime | None = None) -> list[Job]:
    """Queue every periodic job due now that has not run today. Safe to call from several workers at once: the
    day is claimed by a conditional update, so only one of them queues the job."""
    from .services import job_create, job_enqueue

    local = timezone.localtime(now or timezone.now())
    queued: list[Job] = []
    for entry in SCHEDULE.values():
        if local.time() < entry.at:
            continue
        ScheduledRun.objects.get_or_create(name=entry.name)
        with transaction.atomic():
            claimed = (
                ScheduledRun.objects.filter(name=entry.name)
                .filter(Q(last_run_on__isnull=True) | Q(last_run_on__lt=local.date()))
                .update(last_run_on=local.date())
            )
            if not claimed:
                continue
            job = job_create(kind=entry.kind, params=entry.params, label=entry.label or entry.name)
            ScheduledRun.objects.filter(name=entry.name).update(last_job=job)
        queued.append(job_enqueue(job=job))
        logger.info("periodic %s queued as job %s", entry.name, job.pk)
    return queued
