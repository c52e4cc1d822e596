"""Imports as background jobs: the page answers at once and follows the job; the command runs the same job; a job
run twice changes nothing the second time; `--background` queues it for the worker."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from zhaoshang.cli import main
from zhaoshang.imports.jobs import import_params
from zhaoshang.jobs.models import Job, JobStatus
from zhaoshang.jobs.runner import execute_job
from zhaoshang.jobs.services import job_create
from zhaoshang.projects import services as ps
from zhaoshang.projects.models import CapitalArrival

from .helpers import xlsx_bytes
from .test_reconcile_views import OFFICIAL, september  # noqa: F401 - the fixture is used by name

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
HEADER = ["项目编号", "到资月份", "到资金额（万美元）", "到资类型"]
ROWS: list[list[Any]] = [
    ["XM2020-0001", f"2020-{m:02d}", 1.5 * m, "增资"] for m in range(3, 9)
]  # six months, 4.5–12 万美元


@pytest.fixture(autouse=True)
def data_in_tmp(settings, tmp_path):
    settings.DATA_DIR = tmp_path


@pytest.fixture
def signed(project, users):
    return ps.project_advance_stage(project=project, to_stage="signed", on=date(2020, 2, 1), actor=users["admin"])


def named(data: bytes, name: str) -> io.BytesIO:
    f = io.BytesIO(data)
    f.name = name
    return f


def test_the_page_queues_the_upload_and_answers_before_reading_it(client, settings, signed, users):
    settings.TASKS = DB_TASKS
    client.force_login(users["staff"])
    response = client.post(
        reverse("imports:upload"), {"kind": "arrivals", "file": named(xlsx_bytes([HEADER, *ROWS]), "a.xlsx")}
    )

    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:job", args=[job.pk])
    assert (job.kind, job.status, job.created_by, job.label) == (
        "imports.import",
        "queued",
        users["staff"],
        "导入实际到资：a.xlsx",
    )
    assert CapitalArrival.objects.count() == 0
    page = client.get(response["Location"]).content.decode()
    assert "排队中" in page
    assert "已导入" not in page
    assert "新增" not in page
    assert f'hx-get="{reverse("imports:job_progress", args=[job.pk])}"' in page  # the panel polls

    call_command("worker", batch=True, no_schedule=True, verbosity=0)

    job.refresh_from_db()
    assert (job.status, job.total, job.checked, job.written) == (JobStatus.SUCCEEDED, 6, 6, 6)
    assert CapitalArrival.objects.count() == 6
    assert sum(CapitalArrival.objects.values_list("amount_usd", flat=True)) == Decimal("495000.00")  # 1.5 × 33 万
    panel = client.get(reverse("imports:job_progress", args=[job.pk])).content.decode()
    assert "已导入：实际到资 6 行 —— 新增 6，更新 0，不变 0" in panel
    assert "第2行 新增：XM2020-0001 2020年3月 增资 4.50 万美元 → US$45,000.00" in panel
    assert 'data-count="written">6<' in panel
    assert "hx-trigger" not in panel
    assert not list((settings.DATA_DIR / "jobs" / "uploads").iterdir())  # the upload is gone with its job
    reload = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "已导入：实际到资 6 行" in reload
    listing = client.get(reverse("imports:upload")).content.decode()
    assert f'href="{reverse("imports:job", args=[job.pk])}">#{job.pk}<' in listing
    assert "已完成" in listing


def test_a_job_is_shown_only_to_whoever_submitted_it(client, settings, signed, users):
    settings.TASKS = DB_TASKS
    client.force_login(users["staff"])
    client.post(reverse("imports:upload"), {"kind": "arrivals", "file": named(xlsx_bytes([HEADER, *ROWS]), "a.xlsx")})
    job = Job.objects.get()
    client.force_login(users["zone_staff"])  # staff of another unit
    assert client.get(reverse("imports:job", args=[job.pk])).status_code == 404
    assert client.get(reverse("imports:job_progress", args=[job.pk])).status_code == 404


def test_a_refused_file_shows_every_error_and_the_report_after_the_worker(client, settings, signed, users):
    settings.TASKS = DB_TASKS
    client.force_login(users["staff"])
    bad = xlsx_bytes([HEADER, ["XM2020-0001", "2020-13", "abc", "增资"]])
    response = client.post(reverse("imports:upload"), {"kind": "arrivals", "file": named(bad, "bad.xlsx")})
    call_command("worker", batch=True, no_schedule=True, verbosity=0)
    page = client.get(response["Location"])
    text = page.content.decode()
    assert "文件有 2 处错误，未导入任何数据" in text
    assert "不是存在的月份" in text
    assert "不是有效的数字" in text
    job = Job.objects.get()
    assert (job.status, job.exit_code) == (JobStatus.FAILED, 1)
    report = client.get(reverse("imports:report", args=[job.result["report_token"]]))
    assert report.status_code == 200


def test_the_page_and_the_command_show_the_same_result(client, signed, users, tmp_path, capsys):
    path = tmp_path / "a.xlsx"
    path.write_bytes(xlsx_bytes([HEADER, *ROWS]))
    assert main(["import", "arrivals", str(path), "--dry-run", "--user", "admin"]) == 0
    printed = capsys.readouterr().out.splitlines()
    client.force_login(users["staff"])
    page = client.post(
        reverse("imports:upload"), {"kind": "arrivals", "file": named(path.read_bytes(), "a.xlsx"), "dry_run": "1"}
    )
    shown = page.context["result"]
    assert printed == [shown["summary"], *(f"  {line}" for line in shown["lines"])]
    assert printed[0] == "试导入（未写入任何数据）：实际到资 6 行 —— 新增 6，更新 0，不变 0"
    assert CapitalArrival.objects.count() == 0
    assert [j.status for j in Job.objects.order_by("pk")] == ["succeeded", "succeeded"]


def test_an_import_job_run_twice_changes_nothing_the_second_time(signed, users, tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(xlsx_bytes([HEADER, *ROWS]))
    params = import_params(kind="arrivals", path=str(path), dry_run=False, actor_id=users["staff"].pk)
    first = execute_job(job_create(kind="imports.import", params=params).pk)
    history = CapitalArrival.history.count()
    second = execute_job(job_create(kind="imports.import", params=params).pk)
    assert (first.result["new"], second.result["new"], second.result["unchanged"]) == (6, 0, 6)
    assert second.result["summary"] == "已导入：实际到资 6 行 —— 新增 0，更新 0，不变 6"
    assert (second.total, second.checked, second.written) == (6, 6, 0)
    assert CapitalArrival.objects.count() == 6
    assert CapitalArrival.history.count() == history


def test_the_same_key_with_another_amount_is_an_error_naming_the_record(client, signed, users):
    client.force_login(users["staff"])
    client.post(reverse("imports:upload"), {"kind": "arrivals", "file": named(xlsx_bytes([HEADER, *ROWS]), "a.xlsx")})
    march = CapitalArrival.objects.get(month=date(2020, 3, 1))
    changed: list[list[Any]] = [HEADER, ["XM2020-0001", "2020-03", 4.6, "增资"], *ROWS[1:]]
    response = client.post(
        reverse("imports:upload"), {"kind": "arrivals", "file": named(xlsx_bytes(changed), "b.xlsx")}
    )
    assert response.status_code == 400
    [error] = response.context["errors"]
    assert error["row"] == 2
    assert error["value"] == "4.6"
    assert error["reason"].startswith(f"已有到资记录 #{march.pk}（XM2020-0001 2020年3月 增资 45000.00 USD）")
    assert CapitalArrival.objects.get(pk=march.pk).amount_usd == Decimal("45000.00")


def test_the_command_can_queue_the_import_for_the_worker(settings, signed, tmp_path, capsys):
    settings.TASKS = DB_TASKS
    path = tmp_path / "a.xlsx"
    path.write_bytes(xlsx_bytes([HEADER, *ROWS]))
    assert main(["import", "arrivals", str(path), "--background", "--user", "admin"]) == 0
    job = Job.objects.get()
    assert capsys.readouterr().out == (
        f"已提交后台任务 #{job.pk}（导入实际到资：a.xlsx）；查看进度和结果：zhaoshang job {job.pk}\n"
    )
    assert CapitalArrival.objects.count() == 0
    assert job.status == "queued"
    call_command("worker", batch=True, no_schedule=True, verbosity=0)
    assert CapitalArrival.objects.count() == 6
    call_command("job", job.pk)
    out = capsys.readouterr().out
    assert f"任务 #{job.pk}：导入实际到资：a.xlsx（已完成）" in out
    assert "已检查 6/6 行，已写入 6/6 行" in out
    assert "已导入：实际到资 6 行 —— 新增 6，更新 0，不变 0\n  第2行 新增：XM2020-0001 2020年3月 增资" in out


def test_the_long_commands_run_as_jobs_with_their_messages_and_exit_codes(settings, db, capsys):
    assert main(["synth", "--scale", "2"]) == 2
    assert capsys.readouterr().err == "错误：项目库为空：请先运行 zhaoshang demo --no-serve\n"
    job = Job.objects.get()
    assert (job.kind, job.exit_code, job.params["argv"]) == ("zhaoshang.cli:command_job", 2, ["synth", "--scale", "2"])
    settings.TASKS = DB_TASKS
    assert main(["bulletin", "--period", "2020-13", "--background"]) == 0
    queued = Job.objects.latest("pk")
    assert queued.params["argv"] == ["bulletin", "--period", "2020-13"]
    assert queued.status == "queued"
    call_command("worker", batch=True, no_schedule=True, verbosity=0)
    queued.refresh_from_db()
    assert queued.exit_code == 2
    assert queued.result["stderr"].startswith("错误：")


@pytest.mark.usefixtures("september")
def test_the_reconciliation_page_queues_a_job_and_shows_its_tables(client, settings, users):
    settings.TASKS = DB_TASKS
    client.force_login(users["admin"])
    response = client.post(
        reverse("imports:reconcile"), {"month": "2020-09", "file": named(OFFICIAL.encode("gb18030"), "official.csv")}
    )
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:job", args=[job.pk])
    waiting = client.get(response["Location"]).content.decode()
    assert "排队中" in waiting
    assert "一致 1 家" not in waiting
    assert job.label == "核对2020-09：official.csv"
    call_command("worker", batch=True, no_schedule=True, verbosity=0)
    page = client.get(response["Location"])
    text = page.content.decode()
    assert "一致 1 家，金额不一致 1 家" in text
    assert "丁科技有限公司" in text
    xlsx = client.get(reverse("imports:report", args=[page.context["result_token"]]))
    assert xlsx.status_code == 200
