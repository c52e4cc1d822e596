"""Jobs across real processes: the command's child process with its limits, and the Redis backend (when Redis
answers on REDIS_URL or 127.0.0.1:6379)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from zhaoshang.jobs.models import Job, JobStatus
from zhaoshang.jobs.services import job_create, job_enqueue

ROOT = Path(__file__).resolve().parents[3]
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/11")


def redis_answers() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except Exception:
        return False


def cli(args: list[str], env: dict[str, str], cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "zhaoshang.cli", *args], cwd=cwd, env=env, text=True, capture_output=True, timeout=300
    )


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: Any) -> tuple[Path, dict[str, str]]:
    """A fresh SQLite database in its own data directory, as a real installation has."""
    path = tmp_path_factory.mktemp("jobs-data")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "ZHAOSHANG_TASKS")}
    env.update(ZHAOSHANG_DATA_DIR=str(path), DJANGO_SETTINGS_MODULE="config.settings.local", DJANGO_DEBUG="0")
    done = cli(["migrate", "-v0"], env)
    assert done.returncode == 0, done.stderr
    return path, env


def test_the_command_runs_the_job_in_a_child_process_and_prints_what_it_printed(data_dir):
    path, env = data_dir
    (path / "d.csv").write_text("代码,名称\n330000,浙江省\n330400,嘉兴市\n", encoding="utf-8")
    done = cli(["import", "divisions", "d.csv"], env, cwd=path)  # a relative path, read in the caller's folder
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "已导入：行政区划（GB/T 2260） 2 行 —— 新增 2，更新 0，不变 0",
        "  第2行 新增：330000 浙江省",
        "  第3行 新增：330400 嘉兴市",
    ]
    empty = cli(["synth", "--scale", "2"], env)
    assert (empty.returncode, empty.stdout, empty.stderr) == (
        2,
        "",
        "错误：项目库为空：请先运行 zhaoshang demo --no-serve\n",
    )
    listing = cli(["job"], env)
    assert "导入行政区划（GB/T 2260）：d.csv  已检查 2，已写入 2" in listing.stdout


def test_a_job_past_its_memory_limit_ends_only_its_child(data_dir):
    _, env = data_dir
    done = cli(["synth", "--scale", "2"], {**env, "ZHAOSHANG_JOB_MEMORY_MB": "40"})
    assert done.returncode == 1
    assert "任务进程意外结束（可能超出内存或时间限制），未完成；已写入的内容均已撤销" in done.stderr
    assert "项目库为空" not in done.stderr  # the child never got to run the command


@pytest.mark.skipif(not redis_answers(), reason=f"Redis does not answer at {REDIS_URL}")
def test_the_redis_backend_carries_a_job_to_an_rq_worker(settings, db):
    from django_rq import get_queue
    from django_tasks_rq import Job as RQJob
    from rq.worker import SimpleWorker

    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    queue = get_queue("default", job_class=RQJob)
    queue.empty()
    job = job_enqueue(job=job_create(kind="jobs.cleanup", params={}))
    assert job.status == JobStatus.QUEUED
    assert queue.count == 1
    SimpleWorker([queue], connection=queue.connection, job_class=RQJob).work(burst=True)  # in this process
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert job.result["summary"].startswith("已清理：")
    assert queue.count == 0


@pytest.mark.skipif(not redis_answers(), reason=f"Redis does not answer at {REDIS_URL}")
def test_zhaoshang_worker_on_redis_runs_a_queued_command(data_dir):
    _, env = data_dir
    rq_env = {**env, "ZHAOSHANG_TASKS": "rq", "REDIS_URL": REDIS_URL}
    queued = cli(["synth", "--scale", "2", "--background"], rq_env)
    assert queued.returncode == 0, queued.stderr
    assert queued.stdout.startswith("已提交后台任务 #")
    number = queued.stdout.split("#", 1)[1].split("（", 1)[0]
    worked = cli(["worker", "--batch", "--no-schedule"], rq_env)
    assert worked.returncode == 0, worked.stderr
    shown = cli(["job", number], rq_env)
    assert shown.returncode == 2
    assert "错误：项目库为空" in shown.stderr
    assert "（未完成）" in shown.stdout


def test_call_command_worker_needs_no_worker_with_the_immediate_backend(db, capsys):
    call_command("worker", batch=True, no_schedule=True)
    assert "无需工作进程" in capsys.readouterr().out
    assert not Job.objects.exists()
