"""In chromium: a unit's staff uploads an arrivals file; the page answers with the queued job, and without a reload
follows it (htmx polling) to the result once the worker has run it."""

from __future__ import annotations

import signal
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections

from zhaoshang.jobs.models import Job
from zhaoshang.projects import services as ps
from zhaoshang.projects.models import CapitalArrival

from .helpers import xlsx_bytes

CHROMIUM = Path("/usr/bin/chromium")
VENDOR = Path(__file__).resolve().parents[2] / "static" / "vendor"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]  # fmt: skip
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium 不存在：请运行 ./run setup"),
    pytest.mark.skipif(not (VENDOR / "htmx.min.js").exists(), reason="前端依赖未安装：请运行 ./run setup"),
]


@pytest.fixture(autouse=True)
def countries(transactional_db):
    """A test that ran before this one with committed data (two processes) was emptied by a flush, and a flush also
    empties the countries a data migration seeded: put them back."""
    from zhaoshang.accounts.services import system_actor
    from zhaoshang.projects.countries import COUNTRIES
    from zhaoshang.projects.models import Country

    if not Country.objects.exists():
        system = system_actor()
        for code, name, name_en, is_hmt in COUNTRIES:
            ps.country_upsert(code=code, name=name, name_en=name_en, is_hmt=is_hmt, actor=system)


@pytest.fixture
def browser(live_server, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()
        connections.close_all()


def test_an_upload_is_followed_on_the_page_to_its_result(browser, live_server, settings, tmp_path, project, users):
    settings.TASKS = DB_TASKS
    settings.DATA_DIR = tmp_path
    ps.project_advance_stage(project=project, to_stage="signed", on=date(2020, 2, 1), actor=users["admin"])
    rows = [["XM2020-0001", f"2020-{m:02d}", 1.5 * m, "增资"] for m in range(3, 9)]
    upload = tmp_path / "到资.xlsx"
    upload.write_bytes(xlsx_bytes([["项目编号", "到资月份", "到资金额（万美元）", "到资类型"], *rows]))

    page = browser.new_page(viewport={"width": 390, "height": 844})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "js")
    page.fill("input[name=password]", "x")
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/imports/")
    page.select_option("#kind", "arrivals")
    page.set_input_files("input[name=file]", str(upload))
    page.click("form.box button[type=submit]")

    job = Job.objects.get()
    page.wait_for_url(f"**/imports/jobs/{job.pk}/")
    panel = page.locator(f"#job-{job.pk}")
    assert "排队中" in panel.inner_text()
    assert CapitalArrival.objects.count() == 0

    previous = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    try:
        call_command("worker", batch=True, no_schedule=True, verbosity=0)  # the worker, while the page polls
    finally:
        signal.signal(signal.SIGINT, previous[0])
        signal.signal(signal.SIGTERM, previous[1])

    page.wait_for_selector(f"#job-{job.pk}[data-status=succeeded]", timeout=15_000)  # no reload: htmx swapped it
    text = page.locator(f"#job-{job.pk}").inner_text()
    assert "已导入：实际到资 6 行 —— 新增 6，更新 0，不变 0" in text
    assert "共 6 行，已检查 6 行，已写入 6 行" in text
    assert CapitalArrival.objects.count() == 6
    assert errors == []
    page.reload()
    assert "已导入：实际到资 6 行" in page.locator(f"#job-{job.pk}").inner_text()
