"""Issuing on the page as a background job: the button queues it, the worker issues, the page lists the outcome."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from zhaoshang.bulletins.models import Bulletin, MonthClosure
from zhaoshang.jobs.models import Job
from zhaoshang.projects import services as ps

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
TITLE = "关于2020年1-3月全市利用外资工作情况的通报"


@pytest.fixture
def march(project, users, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    ps.project_advance_stage(project=project, to_stage="signed", on=date(2020, 2, 1), actor=users["staff"])
    ps.arrival_record(
        project=project, month=date(2020, 3, 1), amount=Decimal("5000000"), kind="paid_in", actor=users["staff"]
    )


@pytest.mark.django_db
def test_the_issue_button_queues_a_job_the_worker_issues_it_and_the_page_shows_it(march, users, client, settings):
    settings.TASKS = DB_TASKS
    client.force_login(users["admin"])
    page = client.post("/bulletins/issue/", {"period": "2020-03", "confirm": "1"}, follow=True).content.decode()
    job = Job.objects.get()
    assert f"已提交签发任务 #{job.pk}" in page
    assert "排队中" in page
    assert 'hx-trigger="every 2s"' in page
    assert not Bulletin.objects.exists()
    assert not MonthClosure.objects.exists()

    call_command("worker", batch=True, no_schedule=True, verbosity=0)

    bulletin = Bulletin.objects.get()
    assert (bulletin.title, bulletin.number, bulletin.issued_by) == (TITLE, 1, users["admin"])
    job.refresh_from_db()
    assert job.result == {"summary": f"已签发《{TITLE}》（第1期），1-3月数据已关账", "bulletin_id": bulletin.pk}
    index = client.get("/bulletins/").content.decode()
    assert f"已签发《{TITLE}》（第1期），1-3月数据已关账" in index
    assert "hx-trigger" not in index

    client.post("/bulletins/issue/", {"period": "2020-03", "confirm": "1"})
    call_command("worker", batch=True, no_schedule=True, verbosity=0)
    again = Job.objects.latest("pk")
    assert again.status == "failed"
    assert again.errors[0].startswith("通报月份“2020-03”的通报已于")
    assert "的通报已于" in client.get("/bulletins/").content.decode()
    assert Bulletin.objects.count() == 1


@pytest.mark.django_db
def test_a_leader_cannot_queue_an_issue(march, users, client):
    client.force_login(users["leader"])
    assert client.post("/bulletins/issue/", {"period": "2020-03", "confirm": "1"}).status_code == 403
    assert not Job.objects.exists()
