"""The import as a background job: the upload page and `zhaoshang import` run this same function.

The job reads the saved file, validates and writes it (all or nothing, as always), and leaves in the `Job` what
both the page and the command show: the summary and the changed lines, or every error and the error report.
"""

from __future__ import annotations

import logging
import secrets
import time
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError

from zhaoshang.common.validation import first_message
from zhaoshang.jobs.models import Job
from zhaoshang.jobs.progress import Progress, jobs_dir
from zhaoshang.jobs.registry import JobOutcome, job_function

from .errors import ImportRefused
from .isolation import read_isolated
from .kinds import KINDS, load_file
from .reader import Table

logger = logging.getLogger(__name__)

UNFORESEEN = "文件无法处理：未导入任何数据。请使用导入模板重新整理后再试，或联系管理员"
SHOWN_ERRORS = 500


def read_upload(source: Any) -> Table:
    """Every import job reads through here: in a child process with its memory and time limits
    (imports.isolation.read_isolated); a child that dies is refused as 「文件无法安全读取」."""
    return read_isolated(source)


def report_dir() -> Path:
    path = Path(settings.DATA_DIR) / "import-reports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def keep_report(data: bytes) -> str:
    """Store a generated workbook under a random token; reports older than a day are removed."""
    folder = report_dir()
    for old in folder.glob("*.xlsx"):
        if old.stat().st_mtime < time.time() - 86400:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(16)
    (folder / f"{token}.xlsx").write_bytes(data)
    return token


def save_upload(job: Job, data: bytes, name: str = "") -> Path:
    """Keep an uploaded file for its job (named by the job, so the daily clean-up finds leftovers)."""
    folder = jobs_dir() / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    suffix = Path(name).suffix.lower()[:8] if name else ""
    path = folder / f"{job.pk}-{secrets.token_hex(8)}{suffix if suffix.isascii() else ''}"
    path.write_bytes(data)
    return path


def import_params(
    *,
    kind: str,
    path: str,
    dry_run: bool,
    options: dict[str, Any] | None = None,
    line_limit: int = 300,
    actor_id: int | None = None,
    cwd: str = "",
    delete_after: bool = False,
) -> dict[str, Any]:
    plain = {k: v.isoformat() if isinstance(v, date) else v for k, v in (options or {}).items()}
    return {
        "kind": kind,
        "path": path,
        "dry_run": dry_run,
        "options": plain,
        "line_limit": line_limit,
        "actor_id": actor_id,
        "cwd": cwd,
        "delete_after": delete_after,
    }


def _options(kind: str, options: dict[str, Any]) -> dict[str, Any]:
    if kind == "fortune500" and isinstance(options.get("published_on"), str):
        return {**options, "published_on": date.fromisoformat(options["published_on"])}
    return options


@job_function("imports.import")
def import_job(
    job: Job,
    progress: Progress,
    *,
    kind: str,
    path: str,
    dry_run: bool = False,
    options: dict[str, Any] | None = None,
    line_limit: int = 300,
    actor_id: int | None = None,
    delete_after: bool = False,
    **_: Any,
) -> JobOutcome:
    from zhaoshang.accounts.models import User

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    try:
        result = load_file(
            kind, Path(path), actor=actor, dry_run=dry_run, reader=read_upload, **_options(kind, options or {})
        )
    except ImportRefused as exc:
        from .xlsx import error_report

        return JobOutcome(exit_code=1, result=_refused(exc, error_report(exc, title=KINDS[kind].title)))
    except PermissionDenied as exc:
        return JobOutcome(exit_code=1, result={"denied": str(exc)}, errors=[f"错误：{exc}"])
    except ValidationError as exc:
        return JobOutcome(exit_code=1, result={"problem": first_message(exc)}, errors=[f"错误：{first_message(exc)}"])
    except FileNotFoundError as exc:
        return JobOutcome(exit_code=1, errors=[f"错误：找不到文件 {exc.filename}"])
    except Exception:  # a file nobody foresaw still gets an answer in Chinese, and the worker goes on
        logger.exception("import job %s of %s failed", job.pk, kind)
        return JobOutcome(exit_code=1, result={"problem": UNFORESEEN}, errors=[UNFORESEEN])
    finally:
        if delete_after:
            Path(path).unlink(missing_ok=True)
    return JobOutcome(
        result={
            "summary": result.summary(),
            "lines": result.lines(limit=line_limit),
            "rows": result.rows,
            "new": result.count("新增"),
            "updated": result.count("更新"),
            "unchanged": result.count("不变"),
            "dry_run": result.dry_run,
        }
    )


RECONCILE_UNFORESEEN = "文件无法处理：未导入任何数据。请按模板整理后再试，或联系管理员"


def _amount(value: Any) -> str | None:
    return None if value is None else str(value)


@job_function("imports.reconcile")
def reconcile_job(
    job: Job,
    progress: Progress,
    *,
    month: str,
    path: str,
    source_name: str = "",
    actor_id: int | None = None,
    delete_after: bool = False,
    units: list[str] | None = None,
    **_: Any,
) -> JobOutcome:
    """Import the month's official figures and compare them with the registry (the reconciliation page): with the
    units chosen, else those the export's enterprises belong to."""
    from zhaoshang.accounts.models import User

    from .reconcile import reconcile

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    try:
        from zhaoshang.units.models import Unit

        chosen = list(Unit.objects.filter(code__in=units)) if units else None
        result = reconcile(
            date.fromisoformat(month),
            Path(path),
            actor=actor,
            source_name=source_name,
            reader=read_upload,
            units=chosen or None,
        )
    except ImportRefused as exc:
        from .xlsx import error_report

        return JobOutcome(exit_code=1, result=_refused(exc, error_report(exc, title="官方月度到资数据")))
    except PermissionDenied as exc:
        return JobOutcome(exit_code=1, result={"denied": str(exc)}, errors=[f"错误：{exc}"])
    except Exception:
        logger.exception("reconciliation job %s failed", job.pk)
        return JobOutcome(exit_code=1, result={"problem": RECONCILE_UNFORESEEN}, errors=[RECONCILE_UNFORESEEN])
    finally:
        if delete_after:
            Path(path).unlink(missing_ok=True)
    return JobOutcome(
        result={
            "summary": result.summary(),
            "sections": [
                [
                    title,
                    [
                        {
                            "name": x.name,
                            "credit_code": x.credit_code,
                            "official": _amount(x.official),
                            "ours": _amount(x.ours),
                            "diff": _amount(x.diff),
                            "projects": x.projects,
                        }
                        for x in lines
                    ],
                ]
                for title, lines in result.sections()
            ],
            "text": result.text(),
            "result_token": keep_report(result.xlsx()),
        }
    )


def _refused(exc: ImportRefused, report: bytes) -> dict[str, Any]:
    return {
        "refused": {
            "summary": exc.summary,
            "needs_confirmation": exc.needs_confirmation,
            "warning_lines": exc.warning_lines()[:SHOWN_ERRORS],
            "notes": list(exc.notes)[:SHOWN_ERRORS],
            "count": len(exc.errors),
            "errors": [
                {"row": e.row, "column": e.column, "value": e.value, "reason": e.reason}
                for e in exc.errors[:SHOWN_ERRORS]
            ],
        },
        "report_text": exc.report(),
        "report_token": keep_report(report),
        "needs_confirmation": exc.needs_confirmation,
    }
