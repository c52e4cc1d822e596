"""Issuing the month's bulletin, and its page preview, as background jobs (the bulletin page's buttons)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from zhaoshang.common.validation import first_message
from zhaoshang.jobs.models import Job
from zhaoshang.jobs.progress import Progress
from zhaoshang.jobs.registry import JobOutcome, job_function

from .preview import PreviewUnavailable, preview_of
from .selectors import waiting_warning_for
from .services import bulletin_build, bulletin_issue


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
    summary = issued_message(bulletin.title, bulletin.number, first)
    warning = waiting_warning_for(first)
    result: dict[str, Any] = {"summary": summary, "bulletin_id": bulletin.pk}
    if warning:
        result.update(summary=f"{summary}。{warning}", warnings=[warning])
    return JobOutcome(result=result)


@job_function("bulletins.preview")
def preview_job(job: Job, progress: Progress, *, month: str, **_: Any) -> JobOutcome:
    """Build the month's draft and convert it to PDF and page images (LibreOffice starts slowly: seconds)."""
    first = date.fromisoformat(month)
    files = bulletin_build(month=first)
    try:
        preview = preview_of(files.docx)
    except PreviewUnavailable as exc:
        return JobOutcome(exit_code=1, errors=[str(exc)])
    return JobOutcome(result={"summary": f"预览已生成：{len(preview.pages)}页", "pages": len(preview.pages)})
