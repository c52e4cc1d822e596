"""The leads, conflicts and intake pages on a 390-px phone: no sideways scrolling, the actions reachable."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.db import connections

from zhaoshang.intake.services import intake_document_create
from zhaoshang.leads import services

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
PHONE: Any = {"width": 390, "height": 844}
SHOTS = Path(__file__).resolve().parents[3] / "test-output" / "screenshots"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium 不存在：请运行 ./run setup"),
]

TEXT = (
    "嘉善县生物医药产业再添新动能\n\n10月，云顶新耀创新药生产基地项目在嘉善开工建设，总投资3亿美元。\n\n"
    "浙江禾芯半导体有限公司与嘉兴经开区洽谈功率器件封装测试项目，意向投资12亿元。"
)


def test_the_pages_fit_a_phone(transactional_db, live_server, monkeypatch, as_of, units, users, project):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    admin = users["admin"]
    lead = services.lead_create(
        company="云顶新耀医药科技有限公司", source="inbound", received_on=date(2020, 12, 1), actor=users["zone_staff"]
    )
    doc = intake_document_create(title="测试新闻", text=TEXT, actor=admin)
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport=PHONE)
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", "admin")
        page.fill("input[name=password]", "x")
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        for name, path in [
            ("leads", "/leads/"),
            ("lead", f"/leads/{lead.pk}/"),
            ("conflicts", "/leads/conflicts/"),
            ("intake", "/intake/"),
            ("intake-document", f"/intake/{doc.pk}/"),
            ("lead-new", "/leads/new/"),
        ]:
            response = page.goto(f"{live_server.url}{path}")
            assert response is not None, path
            assert response.status == 200, path
            page.screenshot(path=str(SHOTS / f"phone-{name}.png"), full_page=True)
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
        page.goto(f"{live_server.url}/intake/{doc.pk}/")
        assert page.locator("mark.f-company").count() >= 2
        assert page.locator("#proposals button[type=submit]").count() >= 2
        browser.close()
    connections.close_all()
