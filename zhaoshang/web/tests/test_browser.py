"""In a real browser (Debian's chromium through Playwright) against pytest-django's live server on the demo.

Unit staff: the dashboard's map and charts are drawn with no console error; the project filters work; a
follow-up and a stage advance go through and the figures and the history change. A leader finds no edit
control. Screenshots of the main pages, desk and phone sized, are saved under test-output/screenshots/.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.db import connections

from zhaoshang.demo.builder import build_demo
from zhaoshang.projects.selectors import projects_at_risk

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
DESK = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
PASSWORD = "zhaoshang2020"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="/usr/bin/chromium 不存在：请运行 ./run setup 安装 Debian 的 chromium"
    ),
    pytest.mark.skipif(
        not (VENDOR / "echarts.min.js").exists(),
        reason="前端依赖未安装：请运行 ./run setup（npm ci 并复制到 static/vendor）",
    ),
]

CHARTS = ["chart-trend", "chart-map", "chart-ranking", "chart-province", "chart-progress"]
# Series per chart: this year's bars and last year's line; one map or bar series elsewhere.
DRAWN = {"chart-trend": 2, "chart-map": 1, "chart-ranking": 1, "chart-province": 1, "chart-progress": 1}


@pytest.fixture
def browser(live_server, monkeypatch):
    """Closed before the live server's data is flushed, so no page still has a request in flight then."""
    # Playwright's sync API keeps an event loop on this thread; the test's own ORM reads are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()
        # While Playwright's loop runs, Django's connections are context-local: the test's own reads used a
        # connection of their own, which must be closed here or it outlives the test database.
        connections.close_all()


@pytest.fixture
def demo(transactional_db):
    build_demo()


class Session:
    """One browser page that records every console error and uncaught exception."""

    def __init__(self, browser, base: str, viewport: dict[str, int]):
        self.base = base
        self.page = browser.new_page(viewport=viewport)
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"{self.page.url}: {e}\n{e.stack}"))

    def login(self, username: str) -> None:
        self.page.goto(f"{self.base}/login/")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", PASSWORD)
        self.page.click("button[type=submit]")
        self.page.wait_for_url(f"{self.base}/")

    def go(self, path: str) -> None:
        self.page.goto(f"{self.base}{path}")
        self.page.wait_for_load_state("networkidle")

    def figure(self, name: str) -> int:
        return int(re.sub(r"\D", "", self.page.text_content(f'[data-figure="{name}"]') or ""))

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def charts_drawn(page) -> dict[str, int]:
    """Series count of each chart's ECharts instance, for the charts that have a canvas."""
    return page.evaluate(
        """(ids) => Object.fromEntries(ids.map((id) => {
            const el = document.getElementById(id);
            const chart = el && echarts.getInstanceByDom(el);
            const canvas = el && el.querySelector('canvas');
            return [id, chart && canvas ? chart.getOption().series.length : 0];
        }))""",
        CHARTS,
    )


def unit_staff_work_through_the_desk(browser, live_server):
    haining = list(projects_at_risk().filter(unit__code="330481").order_by("code"))
    assert len(haining) >= 2
    follow, advance = haining[0], haining[1]

    s = Session(browser, live_server.url, DESK)
    s.login("haining")
    s.go("/?scope=city")  # unit staff land on their unit's page; the city's is one click away
    assert charts_drawn(s.page) == DRAWN
    assert s.page.evaluate("echarts.getMap('嘉兴') !== undefined && echarts.getMap('浙江') !== undefined")
    at_risk, new_projects = s.figure("at_risk"), s.figure("new_projects")
    assert at_risk == projects_at_risk().count() == 9
    s.shot("dashboard-desk")

    # Filters: at-risk projects, then only 海宁's, through htmx without a page load.
    s.go("/projects/")
    s.page.check("input[name=risk]")
    s.page.wait_for_function("document.querySelector('#project-count').textContent.includes('共 9 个项目')")
    s.page.select_option("select[name=unit]", "330481")
    s.page.wait_for_function(
        f"document.querySelector('#project-count').textContent.includes('共 {len(haining)} 个项目')"
    )
    assert "risk=1" in s.page.url
    assert "unit=330481" in s.page.url
    s.shot("projects-desk")

    # A follow-up with a next date in the future lifts the project's contact risk.
    s.go(f"/projects/{follow.code}/")
    history_rows = s.page.locator("#history tbody tr").count()
    form = s.page.locator('form[data-form="followup"]')
    form.locator("input[name=on]").fill("2020-12-20")
    form.locator("select[name=channel]").select_option("visit")
    form.locator("textarea[name=summary]").fill("上门拜访，投资方确认明年一季度签约")
    form.locator("input[name=next_on]").fill("2021-01-20")
    form.locator("button[type=submit]").click()
    s.page.wait_for_selector("text=已登记跟进")
    assert "上门拜访，投资方确认明年一季度签约" in s.page.text_content("#follow-ups")
    assert s.page.text_content("#next-follow-up").strip() == "2021-01-20"
    assert s.page.locator("#history tbody tr").count() == history_rows + 2  # the follow-up, the project's next date
    s.shot("project-detail-desk")

    # A stage dated before the current one is refused in place; a valid one advances the project.
    s.go(f"/projects/{advance.code}/")
    form = s.page.locator('form[data-form="advance"]')
    form.locator("select[name=to_stage]").select_option("signed")
    form.locator("input[name=on]").fill("2020-01-02")
    form.locator("button[type=submit]").click()
    s.page.wait_for_selector("#form-advance .errors, #form-advance .field-error")
    assert "早于上一阶段“洽谈”的日期" in s.page.text_content("#form-advance")
    form = s.page.locator('form[data-form="advance"]')
    form.locator("select[name=to_stage]").select_option("signed")
    form.locator("input[name=on]").fill("2020-12-15")
    form.locator("button[type=submit]").click()
    s.page.wait_for_selector("text=已推进阶段")
    assert "签约 2020-12-15" in s.page.text_content("#timeline")
    assert "推进至签约" in s.page.text_content("#history")

    # Two fewer projects at risk at once; the signing is a claim: not counted until the city verifies it.
    s.go("/?scope=city")
    assert s.figure("at_risk") == at_risk - 2
    assert s.figure("new_projects") == new_projects
    assert charts_drawn(s.page) == DRAWN

    # The 认定员 finds the claim in the queue and approves it; then the new project counts.
    checker = Session(browser, live_server.url, DESK)
    checker.login("verifier")
    checker.go(f"/verifications/?unit={advance.unit.code}&kind=stage")
    row = checker.page.locator("#claims tbody tr", has_text=advance.code)
    row.locator("input[name=claim]").check()
    checker.page.fill("input[name=reason]", "签约协议已核")
    checker.page.click("button[value=approve]")
    checker.page.wait_for_selector("text=已认定 1 项")
    s.go("/?scope=city")
    assert s.figure("new_projects") == new_projects + 1
    assert s.errors == []
    assert checker.errors == []

    phone = Session(browser, live_server.url, PHONE)
    phone.login("haining")
    phone.go("/?scope=city")
    assert charts_drawn(phone.page) == DRAWN
    assert phone.page.is_hidden("nav.nav")  # the menu folds away on a phone
    phone.page.click("label.nav-burger")
    assert phone.page.is_visible("nav.nav a[data-nav=projects]")
    width = phone.page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "the page itself must not scroll sideways; wide tables scroll in their box"
    phone.shot("dashboard-phone")
    for path, name in [
        ("/projects/", "projects-phone"),
        (f"/projects/{follow.code}/", "project-detail-phone"),
        ("/verifications/", "verifications-phone"),
    ]:
        phone.go(path)
        assert phone.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
        phone.shot(name)
    assert phone.errors == []


def a_leader_reads_everything_and_finds_no_edit_control(browser, live_server):
    project = projects_at_risk().order_by("code").first()
    assert project is not None
    s = Session(browser, live_server.url, DESK)
    s.login("mayor")
    s.go("/")
    assert charts_drawn(s.page) == DRAWN
    assert s.page.locator("[data-nav=admin]").count() == 0
    s.go(f"/projects/{project.code}/")
    assert s.page.locator("form[data-form]").count() == 0
    assert s.page.locator("#history").count() == 0  # leaders do not read the change history
    assert s.page.locator("button:not(.logout button)").count() == 0 or not any(
        t.strip() == "提交" for t in s.page.locator("button").all_text_contents()
    )
    s.go("/targets/")
    assert s.page.locator("#target-form").count() == 0
    s.shot("targets-desk")
    s.go("/race/")
    assert (
        s.page.evaluate("echarts.getInstanceByDom(document.getElementById('chart-race')).getOption().series.length")
        == 9
    )
    assert s.page.locator("#race-board tbody tr").count() == 9
    s.shot("race-desk")
    phone = Session(browser, live_server.url, PHONE)
    phone.login("mayor")
    for path, name in [("/targets/", "targets-phone"), ("/race/", "race-phone")]:
        phone.go(path)
        assert phone.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
        phone.shot(name)
    assert s.errors == []
    assert phone.errors == []
    if os.environ.get("CI"):
        assert sorted(p.name for p in SHOTS.glob("*.png"))


# Every main page of the desk, for the roles that see it: on a phone no wider than the screen, no console error.
MAIN_PAGES = {
    "haining": [
        "/",
        "/?scope=city",
        "/tasks/",
        "/tasks/reminders/",
        "/projects/",
        "/projects/?sort=-arrived",
        "/projects/new/",
        "/race/",
        "/targets/",
        "/verifications/",
        "/chains/",
        "/imports/",
    ],
    "admin": ["/", "/tasks/", "/race/", "/audit/", "/bulletins/", "/projects/new/", "/chains/"],
    "mayor": ["/", "/projects/", "/race/", "/targets/", "/chains/"],
    "auditor": ["/audit/", "/audit/?model=projects.project", "/projects/"],
}


def every_main_page_fits_the_screen_without_console_errors(browser, live_server, viewport):
    from zhaoshang.chains.models import Chain

    project = projects_at_risk().order_by("code").first()
    assert project is not None
    chain = Chain.objects.order_by("slug").first()
    assert chain is not None
    extra = [f"/projects/{project.code}/", f"/chains/{chain.slug}/"]
    for username, paths in MAIN_PAGES.items():
        s = Session(browser, live_server.url, viewport)
        s.login(username)
        for path in [*paths, *extra]:
            s.go(path)
            sizes = s.page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert sizes[0] <= sizes[1], f"{username} {path}: {sizes[0]}px on a {sizes[1]}px screen"
        # The chain map is drawn at the screen's width on a phone, the panel below it.
        s.go(f"/chains/{chain.slug}/")
        box = s.page.locator("#chain-chart").bounding_box()
        assert box is not None
        assert box["width"] > 0.8 * min(viewport["width"], 1280) * (0.6 if viewport is DESK else 1)
        if viewport is PHONE:
            panel = s.page.locator("#link-panel").bounding_box()
            assert panel is not None
            assert panel["y"] >= box["y"] + box["height"]
            s.shot(f"chain-{username}-phone")
        assert s.errors == [], (username, s.errors)
        s.page.close()


def test_the_desk_on_the_demo_in_a_browser(browser, live_server, demo):
    """The walks share one build of the demo (it takes minutes, and a live server's data is flushed after each test):
    a leader reads everything first, then every main page for every role at both sizes, then unit staff work through
    the desk (their writes come last, so the readers see the demo as built)."""
    a_leader_reads_everything_and_finds_no_edit_control(browser, live_server)
    for viewport in (PHONE, DESK):
        every_main_page_fits_the_screen_without_console_errors(browser, live_server, viewport)
    unit_staff_work_through_the_desk(browser, live_server)
