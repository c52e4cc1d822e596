"""How far a running job got, told from inside the job and read by pages and commands in other processes.

The counters go to a small file beside the uploads, not to the database: an import writes all its rows in one
transaction, and on SQLite nothing else can write while it runs, so progress written to a table would show up
only when the job is over. The file is replaced atomically; the runner copies the last figures to the `Job` row.
"""

from __future__ import annotations

import contextvars
import json
import os
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings

T = TypeVar("T")

FLUSH_SECONDS = 0.3


def jobs_dir() -> Path:
    path = Path(settings.DATA_DIR) / "jobs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def progress_path(job_id: int) -> Path:
    return jobs_dir() / f"{job_id}.progress.json"


class Progress:
    """Counters of one job: total rows, rows checked, rows written (absolute values, never decreasing)."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.total: int | None = None
        self.checked = 0
        self.written = 0
        self._flushed_at = 0.0

    def set_total(self, total: int) -> None:
        self.total = total
        self.flush(force=True)

    def set_checked(self, checked: int) -> None:
        self.checked = max(self.checked, checked)
        self.flush()

    def set_written(self, written: int) -> None:
        self.written = max(self.written, written)
        self.flush()

    def as_dict(self) -> dict[str, int | None]:
        return {"total": self.total, "checked": self.checked, "written": self.written}

    def flush(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._flushed_at < FLUSH_SECONDS:
            return
        self._flushed_at = now
        path = progress_path(self.job_id)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(self.as_dict()))
        os.replace(tmp, path)

    def discard(self) -> None:
        progress_path(self.job_id).unlink(missing_ok=True)


def read_progress(job_id: int) -> dict[str, Any] | None:
    try:
        data = json.loads(progress_path(job_id).read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


_current: contextvars.ContextVar[Progress | None] = contextvars.ContextVar("zhaoshang_job_progress", default=None)


def current() -> Progress | None:
    """The progress of the job this code runs in, or None outside a job."""
    return _current.get()


def activate(progress: Progress | None) -> contextvars.Token[Progress | None]:
    return _current.set(progress)


def deactivate(token: contextvars.Token[Progress | None]) -> None:
    _current.reset(token)


def track(iterable: Iterable[T], *, total: int | None = None, **tqdm_kwargs: Any) -> Iterator[T]:
    """A progress bar on the terminal outside a job; inside a job, the job's counters (steps done of total)."""
    progress = current()
    if progress is None:
        from tqdm import tqdm

        yield from tqdm(iterable, total=total, file=sys.stderr, **tqdm_kwargs)
        return
    if total is None and hasattr(iterable, "__len__"):
        total = len(iterable)  # type: ignore[arg-type]
    if total is not None:
        progress.set_total(total)
    for done, item in enumerate(iterable, start=1):
        yield item
        progress.set_checked(done)
        progress.set_written(done)
