"""The job machinery: queue → worker → counters and result; failures, double delivery, the schedule, the clean-up."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from zhaoshang.jobs import schedule
from zhaoshang.jobs.models import Job, JobStatus, ScheduledRun
from zhaoshang.jobs.progress import Progress, jobs_dir, progress_path, track
from zhaoshang.jobs.registry import JobOutcome, job_function
from zhaoshang.jobs.runner import INTERRUPTED, execute_job
from zhaoshang.jobs.schedule import run_due
from zhaoshang.jobs.selectors import job_state
from zhaoshang.jobs.services import job_create, job_enqueue

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
SHANGHAI = ZoneInfo("Asia/Shanghai")
calls: list[int] = []
pytestmark = pytest.mark.django_db


@job_function("tests.count")
def count_job(job: Job, progress: Progress, *, n: int, fail: bool = False, **_: Any) -> JobOutcome:
    calls.append(job.pk)
    seen = 0
    for _i in track(range(n)):
        seen += 1
    if fail:
        raise RuntimeError("坏了")
    return JobOutcome(result={"summary": f"数了 {seen} 个"})


@pytest.fixture(autouse=True)
def data_in_tmp(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    calls.clear()


def test_a_queued_job_waits_for_the_worker_which_records_counters_and_result(settings, users):
    settings.TASKS = DB_TASKS
    job = job_enqueue(job=job_create(kind="tests.count", params={"n": 1234}, label="数数", actor=users["admin"]))
    assert job.status == JobStatus.QUEUED
    assert calls == []
    assert DBTaskResult.objects.get().args_kwargs == {"args": [job.pk], "kwargs": {}}
    assert job.task_id == str(DBTaskResult.objects.get().id)

    call_command("worker", batch=True, no_schedule=True, verbosity=0)

    job.refresh_from_db()
    assert (job.status, job.exit_code, job.result) == (JobStatus.SUCCEEDED, 0, {"summary": "数了 1234 个"})
    assert (job.total, job.checked, job.written) == (1234, 1234, 1234)
    assert job.created_by == users["admin"]
    assert job.started_at
    assert job.finished_at
    assert calls == [job.pk]
    assert not progress_path(job.pk).exists()  # the figures moved to the row
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_a_failing_job_is_recorded_and_the_worker_goes_on(settings):
    settings.TASKS = DB_TASKS
    bad = job_enqueue(job=job_create(kind="tests.count", params={"n": 3, "fail": True}))
    good = job_enqueue(job=job_create(kind="tests.count", params={"n": 2}))
    call_command("worker", batch=True, no_schedule=True, verbosity=0)
    bad.refresh_from_db()
    good.refresh_from_db()
    assert (bad.status, bad.exit_code, bad.errors) == (JobStatus.FAILED, 1, ["任务出错：RuntimeError：坏了"])
    assert bad.checked == 3  # how far it got before failing
    assert (good.status, good.result) == (JobStatus.SUCCEEDED, {"summary": "数了 2 个"})


def test_a_job_delivered_twice_runs_once():
    job = job_create(kind="tests.count", params={"n": 1})
    execute_job(job.pk)
    execute_job(job.pk)
    assert calls == [job.pk]


def test_an_unknown_kind_is_refused_when_submitted():
    with pytest.raises(LookupError, match="没有这种后台任务"):
        job_create(kind="tests.nothing", params={})
    assert not Job.objects.exists()


def test_the_counters_of_a_running_job_come_from_its_progress_file():
    job = job_create(kind="tests.count", params={"n": 10})
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    job.refresh_from_db()
    progress = Progress(job.pk)
    progress.set_total(10)
    progress.set_checked(7)
    progress.set_written(4)
    progress.flush(force=True)
    state = job_state(job)
    assert (state.total, state.checked, state.written, state.percent) == (10, 7, 4, 40)
    assert job_state(Job.objects.get(pk=job.pk)).as_json()["status_label"] == "进行中"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=SHANGHAI)


def test_a_periodic_job_runs_once_a_day_from_its_time_and_is_recorded(monkeypatch):
    # The clean-up alone: other apps add their own periodic jobs (the desk's 08:30 digest), each its own test.
    monkeypatch.setattr(schedule, "SCHEDULE", {"jobs.cleanup": schedule.SCHEDULE["jobs.cleanup"]})
    assert run_due(at(1, 2, 59)) == []  # the clean-up is due from 03:00 Shanghai time
    first = run_due(at(1, 3, 0))
    assert [j.kind for j in first] == ["jobs.cleanup"]
    assert first[0].status == JobStatus.SUCCEEDED
    assert run_due(at(1, 23, 0)) == []
    assert run_due(at(2, 1, 0)) == []
    second = run_due(at(2, 4, 0))
    assert len(second) == 1
    record = ScheduledRun.objects.get(name="jobs.cleanup")
    assert (record.last_run_on, record.last_job) == (date(2026, 3, 2), second[0])
    assert Job.objects.filter(kind="jobs.cleanup").count() == 2


def test_the_worker_in_batch_mode_runs_what_is_due(settings):
    settings.TASKS = DB_TASKS
    call_command("worker", batch=True, verbosity=0)
    assert Job.objects.get(kind="jobs.cleanup").status == JobStatus.SUCCEEDED
    assert ScheduledRun.objects.get(name="jobs.cleanup").last_run_on == timezone.localdate()


def test_the_cleanup_ends_stale_jobs_and_removes_old_ones_with_their_files(settings):
    settings.ZHAOSHANG_JOBS_KEEP_DAYS = 30
    now = timezone.now()
    stale = job_create(kind="tests.count", params={"n": 1})
    Job.objects.filter(pk=stale.pk).update(status=JobStatus.RUNNING, created_at=now - timedelta(hours=25))
    recent = job_create(kind="tests.count", params={"n": 1})
    Job.objects.filter(pk=recent.pk).update(status=JobStatus.RUNNING)
    old = job_create(kind="tests.count", params={"n": 1})
    Job.objects.filter(pk=old.pk).update(status=JobStatus.SUCCEEDED, finished_at=now - timedelta(days=31))
    kept = job_create(kind="tests.count", params={"n": 1})
    Job.objects.filter(pk=kept.pk).update(status=JobStatus.SUCCEEDED, finished_at=now - timedelta(days=29))
    (jobs_dir() / "uploads").mkdir()
    left_behind = jobs_dir() / "uploads" / f"{old.pk}-abc.xlsx"
    left_behind.write_bytes(b"x")
    mine = jobs_dir() / "uploads" / f"{recent.pk}-abc.xlsx"
    mine.write_bytes(b"x")

    cleanup = execute_job(job_create(kind="jobs.cleanup", params={}).pk)

    assert cleanup.result["summary"] == "已清理：1 个中断的任务标为未完成，删除 1 个旧任务、1 个遗留文件"
    stale.refresh_from_db()
    assert (stale.status, stale.errors) == (JobStatus.FAILED, [INTERRUPTED])
    assert Job.objects.get(pk=recent.pk).status == JobStatus.RUNNING
    assert not Job.objects.filter(pk=old.pk).exists()
    assert Job.objects.filter(pk=kept.pk).exists()
    assert not left_behind.exists()
    assert mine.exists()
