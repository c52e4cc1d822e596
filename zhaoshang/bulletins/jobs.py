"""Issuing the month's bulletin as a background job (the page's 签发并关账 button)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from zhaoshang.common.validation import first_message
from zhaoshang.jobs.models import Job
from zhaoshang.jobs.progress import Progress
from zhaoshang.jobs.registry import JobOutcome, job_function

from .services import bulletin_issue


def issued_message(title: str, number: int, month: date) -> str:
    return f"已签发《{title}》（第{number}期），1-{month.month}月数据已关账"


@job_function("bulletins.issue")
def issue_job(job: Job, progress: Progress, *, month: str, actor_id: int | None = None, **_: Any) -> JobOutcome:
    from zhaoshang.accounts.models import User

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    first = date.fromisoformat(month)
    try:
        bulletin = bulletin_issue(month=first, actor=actor)
    except ValidationError as exc:
        return JobOutcome(exit_code=1, errors=[first_message(exc)])
    except PermissionDenied as exc:
        return JobOutcome(exit_code=1, errors=[str(exc)])
    return JobOutcome(
        result={"summary": issued_message(bulletin.title, bulletin.number, first), "bulletin_id": bulletin.pk}
    )
