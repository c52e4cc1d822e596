"""我的待办 from the imports: an import of the user's that failed and has not been followed by one that worked."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from zhaoshang.common.todo import Task
from zhaoshang.jobs.models import Job, JobStatus

RECENT_DAYS = 14


def tasks_for(user: Any) -> list[Task]:
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    later_success = Job.objects.filter(
        created_by=user, kind=OuterRef("kind"), status=JobStatus.SUCCEEDED, created_at__gt=OuterRef("created_at")
    )
    failed = (
        Job.objects.filter(created_by=user, kind__startswith="imports.", status=JobStatus.FAILED, created_at__gte=since)
        .exclude(Exists(later_success))
        .order_by("-created_at")[:10]
    )
    out = []
    for job in failed:
        first_error = (job.errors or [""])[0] if isinstance(job.errors, list) else ""
        out.append(
            Task(
                kind="import_failed",
                kind_label="导入失败",
                title=f"处理导入失败：{job.label or job.kind}（任务 #{job.pk}）",
                url=reverse("imports:job", args=[job.pk]),
                due=timezone.localtime(job.created_at).date(),
                overdue=True,
                detail=str(first_error)[:200],
            )
        )
    return out
