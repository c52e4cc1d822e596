"""In chromium (Playwright), desk (1366 px) and phone (390 px): the enterprise page draws its figures chart with no
console error and lists its signals; a request goes 受理 → 办理中 → 已办结 through the page's own forms."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connections

from zhaoshang.aftercare import services as ac
from zhaoshang.aftercare.models import ServiceRequest

CHROMIUM = Path("/usr/bin/chromium")
VENDOR = Path(__file__).resolve().parents[2] / "static" / "vendor"
SHOTS = Path(__file__).resolve().parents[3] / "test-output" / "screenshots"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SIZES = {"desk": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="/usr/bin/chromium 不存在：请运行 ./run setup 安装 Debian 的 chromium"
    ),
    pytest.mark.skipif(
        not (VENDOR / "echarts.min.js").exists(),
        reason="前端依赖未安装：请运行 ./run setup（npm ci 并复制到 static/vendor）",
    ),
]


@pytest.fixture
def browser(live_server, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()
        connections.close_all()


@pytest.fixture
def countries(transactional_db):
    """A transactional test's flush also empties the countries a data migration seeded: put them back first."""
    from tests.demo.conftest import reseed_countries

    reseed_countries()


@pytest.fixture
def world(countries, as_of, entry, users):
    staff = users["staff"]
    for year, filed, rev, und, emp in (
        (2018, date(2019, 4, 1), 10000, 1500, 200),
        (2019, date(2020, 4, 1), 13000, 2600, 240),
    ):
        ac.annual_figures_file(
            entry=entry,
            year=year,
            filed_on=filed,
            registered_capital=Decimal(4000),
            revenue=Decimal(rev),
            profit=Decimal(900),
            undistributed_profit=Decimal(und),
            employees=emp,
            actor=staff,
        )
    return entry


def login(page, base, username):
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "x")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


@pytest.mark.parametrize("size", ["desk", "phone"])
def test_enterprise_page_and_a_request_life(browser, live_server, world, size):
    base = live_server.url
    page = browser.new_page(viewport=SIZES[size])
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    login(page, base, "js")
    url = f"{base}/enterprises/{world.enterprise.credit_code}/"
    page.goto(url)
    page.wait_for_selector("#chart-figures[data-ready='1'] canvas")
    series = page.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('chart-figures')).getOption().series.length"
    )
    assert series == 7  # six amounts and the employees line
    assert page.locator("[data-signal='capacity']").count() == 1
    assert page.evaluate("() => document.documentElement.scrollWidth") <= SIZES[size]["width"] + 1
    page.screenshot(path=str(SHOTS / f"aftercare-enterprise-{size}.png"), full_page=True)

    # 受理: the request form on the page.
    form = page.locator("form[data-form='request']")
    form.locator("select[name=category]").select_option("land")
    form.locator("textarea[name=description]").fill("扩产用地50亩")
    form.locator("input[name=department]").fill("自然资源和规划局")
    form.locator("input[name=received_on]").fill("2020-12-01")
    form.locator("input[name=deadline]").fill("2020-12-20")
    form.locator("button[type=submit]").click()
    page.wait_for_url(url)
    row = page.locator("tr[data-request]").first
    assert row.locator("[data-status]").get_attribute("data-status") == "received"
    assert "逾期 11 天" in row.inner_text()  # 2020-12-20 → 2020-12-31

    # 办理中, then 已办结 with the enterprise's satisfaction.
    row.locator("summary").click()
    row.locator("form[data-form='start'] button").click()
    page.wait_for_url(url)
    row = page.locator("tr[data-request]").first
    assert row.locator("[data-status]").get_attribute("data-status") == "in_progress"
    row.locator("summary").click()
    close = row.locator("form[data-form='close']")
    close.locator("textarea[name=text]").fill("已挂牌供地")
    close.locator("select[name=satisfaction]").select_option("satisfied")
    close.locator("button").click()
    page.wait_for_url(url)
    row = page.locator("tr[data-request]").first
    assert row.locator("[data-status]").get_attribute("data-status") == "solved"
    assert "满意" in row.inner_text()
    page.goto(f"{base}/enterprises/requests/")
    assert page.text_content("[data-figure='closed']").strip() == "1 件"
    page.screenshot(path=str(SHOTS / f"aftercare-requests-{size}.png"), full_page=True)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= SIZES[size]["width"] + 1
    assert ServiceRequest.objects.get().status == "solved"
    assert errors == []
    page.close()
