"""The command's wait: a tqdm bar on a terminal fed by the job's counters, gone before the command prints."""

from __future__ import annotations

import io
from typing import Any

import pytest

from zhaoshang.jobs import terminal
from zhaoshang.jobs.models import Job
from zhaoshang.jobs.services import job_create

pytestmark = pytest.mark.django_db


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_bar_shows_rows_checked_and_written_on_a_terminal_and_is_removed(settings, monkeypatch):
    settings.ZHAOSHANG_JOBS_IN_CHILD = True
    screen = Terminal()
    monkeypatch.setattr("sys.stderr", screen)

    def fake_run(job: Job, *, on_progress: Any) -> Job:  # the child's counters, as the runner reads them
        on_progress({"total": 200, "checked": 120, "written": 0})
        on_progress({"total": 200, "checked": 200, "written": 150})
        return job

    monkeypatch.setattr(terminal, "run_job", fake_run)
    job = job_create(kind="jobs.cleanup", params={}, label="导入实际到资：a.xlsx")
    assert terminal.run_with_progress_bar(job) == job
    shown = screen.getvalue()
    assert "导入实际到资：a.xlsx" in shown
    assert "已检查 120，已写入 0" in shown
    assert "150/200" in shown
    assert "已检查 200，已写入 150" in shown
    assert shown.endswith("\r")  # leave=False: the bar's line is cleared for what the command prints next


def test_no_bar_when_the_output_is_not_a_terminal(settings, monkeypatch):
    settings.ZHAOSHANG_JOBS_IN_CHILD = True
    pipe = io.StringIO()
    monkeypatch.setattr("sys.stderr", pipe)
    monkeypatch.setattr(terminal, "run_job", lambda job, on_progress: on_progress({"total": 5, "checked": 5}) or job)
    terminal.run_with_progress_bar(job_create(kind="jobs.cleanup", params={}))
    assert pipe.getvalue() == ""
