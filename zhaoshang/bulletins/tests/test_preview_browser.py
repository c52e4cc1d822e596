"""In chromium on a 390-px phone: the city administrator opens the month's bulletin preview; the conversion runs as a
background job that the page follows without a reload, the pages appear as images no wider than the screen, and the
confirmation to issue is there — with no console error."""

from __future__ import annotations

import shutil
import signal
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections

from zhaoshang.bulletins.models import Bulletin
from zhaoshang.jobs.models import Job
from zhaoshang.projects import services as ps

CHROMIUM = Path("/usr/bin/chromium")
VENDOR = Path(__file__).resolve().parents[2] / "static" / "vendor"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]  # fmt: skip
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium 不存在：请运行 ./run setup"),
    pytest.mark.skipif(not (VENDOR / "htmx.min.js").exists(), reason="前端依赖未安装：请运行 ./run setup"),
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) 未安装：请运行 ./run setup"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def browser(live_server, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()
        connections.close_all()


def test_the_preview_on_a_phone_follows_its_job_and_fits_the_screen(browser, live_server, settings, tmp_path, project,
                                                                       users):  # fmt: skip
    settings.TASKS = DB_TASKS
    settings.DATA_DIR = tmp_path
    ps.project_advance_stage(project=project, to_stage="signed", on=date(2020, 2, 1), actor=users["admin"])
    ps.arrival_record(project=project, month=date(2020, 3, 1), amount=Decimal(5_000_000), kind="paid_in",
                      actor=users["admin"])  # fmt: skip

    page = browser.new_page(viewport={"width": 390, "height": 844})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", "x")
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/bulletins/preview/?period=2020-03")
    assert "正在后台生成预览" in page.locator("#preview-job").inner_text()
    job = Job.objects.get(kind="bulletins.preview")

    previous = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    try:
        call_command("worker", batch=True, no_schedule=True, verbosity=0)  # LibreOffice converts while the page polls
    finally:
        signal.signal(signal.SIGINT, previous[0])
        signal.signal(signal.SIGTERM, previous[1])
    job.refresh_from_db()
    assert job.exit_code == 0, job.errors

    page.wait_for_selector('img[src^="data:image/png;base64,"]', timeout=30_000)  # no reload: htmx swapped it in
    assert page.locator('img[src^="data:image/png;base64,"]').count() >= 3
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    widths = page.eval_on_selector_all('img[src^="data:image/png;base64,"]', "els => els.map(e => e.clientWidth)")
    assert all(0 < w <= 390 for w in widths)
    assert page.locator('input[name="confirm"]').count() == 1
    assert page.get_by_text("签发并关账").count() >= 1
    assert not Bulletin.objects.exists()  # previewing issues nothing
    assert errors == []
