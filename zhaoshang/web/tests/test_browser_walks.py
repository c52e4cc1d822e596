"""The desk's daily walks in a real browser (Debian's chromium), desk-sized and phone-sized, on a small registry:
register a project with a new investor (Tom Select pickers), correct an arrival with a reason, catch and merge a
duplicate, enter a closed month's correction, see and clear a task, publish a week and confirm a red flag. Every
page on the way is no wider than the screen and logs no console error."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connections
from django.utils import timezone

from zhaoshang.bulletins.models import Bulletin
from zhaoshang.projects.models import CapitalArrival, Correction, MonthClosure, Project
from zhaoshang.race.models import RedFlag, Snapshot

from .test_browser import ARGS, CHROMIUM, DESK, PHONE, SHOTS, VENDOR

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium 不存在：请运行 ./run setup"),
    pytest.mark.skipif(not (VENDOR / "tom-select.min.js").exists(), reason="前端依赖未安装：请运行 ./run setup"),
    pytest.mark.django_db(transaction=True),  # the root conftest puts back the seeded countries after the flush
]


@pytest.fixture
def chromium(live_server, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()
        connections.close_all()


class Walk:
    def __init__(self, browser, base: str, viewport: dict[str, int], username: str):
        self.base, self.viewport = base, viewport
        self.page = browser.new_page(viewport=viewport)
        self.errors: list[str] = []
        self.page.on(
            "console", lambda m: self.errors.append(f"{self.page.url}: {m.text}") if m.type == "error" else None
        )
        self.page.on("pageerror", lambda e: self.errors.append(f"{self.page.url}: {e}"))
        self.page.goto(f"{base}/login/")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", "x")
        self.page.click("button[type=submit]")
        self.page.wait_for_url(f"{base}/")

    def go(self, path: str) -> None:
        self.page.goto(f"{self.base}{path}")
        self.page.wait_for_load_state("networkidle")
        self.fits()

    def fits(self) -> None:
        width = self.page.evaluate("document.documentElement.scrollWidth")
        assert width <= self.page.evaluate("window.innerWidth"), f"{self.page.url} is {width}px wide"

    def pick(self, select_id: str, typed: str, option_text: str) -> None:
        """Type into a Tom Select picker and choose the option the server offers."""
        control = self.page.locator(f"#{select_id}-ts-control")
        control.click()
        control.fill(typed)
        self.page.locator(f"#{select_id}-ts-dropdown .option", has_text=option_text).first.click()

    def submit(self, form: str) -> None:
        self.page.locator(f'form[data-form="{form}"] button[type=submit]').click()
        self.page.wait_for_load_state("networkidle")


def close_month(month: date) -> None:
    bulletin = Bulletin.objects.create(
        month=month, number=1, title=f"{month.month}月通报", issued_at=timezone.now(), docx=b"", xlsx=b""
    )
    MonthClosure.objects.create(month=month, bulletin=bulletin, closed_at=timezone.now())


@pytest.mark.parametrize("viewport", [DESK, PHONE], ids=["desk", "phone"])
def test_unit_staff_daily_walk(chromium, live_server, figures, users, viewport):
    signed, talking = figures["signed"], figures["talking"]
    size = "desk" if viewport is DESK else "phone"
    w = Walk(chromium, live_server.url, viewport, "js")
    w.fits()

    # 我的待办: the overdue follow-up is listed, and logging it clears it.
    w.go("/tasks/")
    assert f"跟进 {talking.code} 创新药生产基地项目" in w.page.text_content("#task-list")
    w.page.screenshot(path=str(SHOTS / f"tasks-{size}.png"), full_page=True)
    w.go(f"/projects/{talking.code}/")
    form = w.page.locator('form[data-form="followup"]')
    form.locator("input[name=on]").fill("2020-12-30")
    form.locator("select[name=channel]").select_option("call")
    form.locator("textarea[name=summary]").fill("电话确认下月到访")
    form.locator("input[name=next_on]").fill("2021-01-15")
    w.submit("followup")
    w.page.wait_for_selector("text=已登记跟进")
    w.go("/tasks/")
    assert f"跟进 {talking.code}" not in w.page.text_content("#task-list")

    # Register a project with a new investor, its country and industry picked by search.
    w.go("/projects/new/")
    w.page.fill("input[name=name]", "精密轴承项目")
    w.page.locator("#new-investor summary").click()
    w.page.fill("input[name=new_investor_name]", "舍弗勒投资（中国）有限公司")
    w.pick("id_new_investor_country", "德国", "德国")
    w.pick("id_industry", "2761", "2761 生物药品制造")
    w.page.fill("input[name=stage_on]", "2020-12-01")
    w.page.fill("input[name=currency]", "USD")
    w.page.fill("input[name=rate_to_usd]", "1")
    w.page.fill("input[name=total_investment]", "3000")
    w.page.fill("input[name=contract_foreign]", "2000")
    w.page.click('form[data-form="new-project"] button[type=submit]')
    w.page.wait_for_load_state("networkidle")
    if w.page.locator("input[name=confirm][type=checkbox]").count():
        w.page.check("input[name=confirm]")
        w.page.click('form[data-form="new-project"] button[type=submit]')
        w.page.wait_for_load_state("networkidle")
    assert w.page.locator(".field-error, .errors").count() == 0, w.page.locator(
        ".field-error, .errors"
    ).all_text_contents()
    w.page.wait_for_selector("text=已登记")
    project = Project.objects.get(name="精密轴承项目")
    assert [i.name for i in project.investors.all()] == ["舍弗勒投资（中国）有限公司"]
    assert Project.objects.filter(pk=project.pk, industry__code="2761").exists()

    # Correct an arrival with a reason: it keeps its number; the history says it in words.
    march = CapitalArrival.objects.get(project=signed, month=date(2020, 3, 1), kind="capital_increase")
    w.go(f"/projects/{signed.code}/")
    form = w.page.locator('form[data-form="correct"]')
    form.locator("select[name=arrival]").select_option(str(march.pk))
    form.locator("input[name=amount]").fill("12000")
    form.locator("input[name=reason]").fill("核对银行回单")
    w.submit("correct")
    w.page.wait_for_selector("text=已更正到资")
    assert "金额（美元）：15000万美元 → 12000万美元" in w.page.text_content("#history")
    assert CapitalArrival.objects.get(pk=march.pk).amount_usd == 120_000_000

    # A second record of the month and type is caught before saving; merged on request.
    form = w.page.locator('form[data-form="arrival"]')
    form.locator("input[name=month]").fill("2020-03")
    form.locator("select[name=kind]").select_option("capital_increase")
    form.locator("input[name=amount]").fill("500")
    w.submit("arrival")
    w.page.wait_for_selector("#form-arrival .field-error")
    assert "本月已登记同类到资 12000.00万美元" in w.page.text_content("#form-arrival")
    assert CapitalArrival.objects.filter(project=signed).count() == 3
    w.page.locator("#form-arrival input[name=merge]").check()
    if (
        w.page.locator("#form-arrival input[name=confirm]").count()
        and w.page.locator("#form-arrival input[name=confirm]").get_attribute("type") == "checkbox"
    ):
        w.page.locator("#form-arrival input[name=confirm]").check()
    w.page.locator("#form-arrival button[type=submit]").click()
    w.page.wait_for_selector("text=已登记到资")
    assert CapitalArrival.objects.get(pk=march.pk).amount_usd == 125_000_000

    # A late entry into a closed month: the reason is asked in the same form, then recorded as a correction.
    close_month(date(2020, 4, 1))
    w.go(f"/projects/{signed.code}/")
    form = w.page.locator('form[data-form="arrival"]')
    form.locator("input[name=month]").fill("2020-04")
    form.locator("select[name=kind]").select_option("capital_increase")
    form.locator("input[name=amount]").fill("300")
    w.submit("arrival")
    w.page.wait_for_selector("#form-arrival .field-error")
    assert "更正原因（空）不能为空" in w.page.text_content("#form-arrival")
    w.page.locator("#form-arrival input[name=reason]").fill("企业补报4月到资")
    if w.page.locator("#form-arrival input[name=confirm][type=checkbox]").count():
        w.page.locator("#form-arrival input[name=confirm]").check()
    w.page.locator("#form-arrival button[type=submit]").click()
    w.page.wait_for_selector("text=已登记到资")
    assert Correction.objects.get().reason == "企业补报4月到资"
    w.page.screenshot(path=str(SHOTS / f"project-corrections-{size}.png"), full_page=True)
    assert w.errors == []


@pytest.mark.parametrize("viewport", [DESK, PHONE], ids=["desk", "phone"])
def test_the_city_admin_publishes_a_week_and_confirms_a_red_flag(chromium, live_server, figures, race, users, viewport):
    size = "desk" if viewport is DESK else "phone"
    w = Walk(chromium, live_server.url, viewport, "admin")
    w.go("/race/?race=spring-2020&date=2020-03-13")
    w.page.locator("#publish button[type=submit]").click()
    w.page.wait_for_selector("text=已发布 2020年3月13日 周比榜单（第1版）")
    assert Snapshot.objects.filter(competition=race, on=date(2020, 3, 13)).count() == 1
    w.fits()
    # Republishing asks its reason in place.
    w.page.locator("#publish input[name=reason]").fill("更正3月到资后重算")
    w.page.locator("#publish button[type=submit]").click()
    w.page.wait_for_selector("text=（第2版）")
    # A red flag by hand, refused without a reason, then confirmed.
    w.go("/race/?race=spring-2020&date=2020-03-31")
    w.page.locator("#proposals details summary").click()
    add = w.page.locator("#proposals form", has=w.page.locator("input[value=add_flag]"))
    add.locator("input[name=project]").fill(figures["signed"].code)
    add.locator("button[type=submit]").click()
    w.page.wait_for_selector("#proposals .errors")
    assert "理由（空）不能为空" in w.page.text_content("#proposals .errors")
    assert not RedFlag.objects.exists()
    add = w.page.locator("#proposals form", has=w.page.locator("input[value=add_flag]"))
    add.locator("input[name=project]").fill(figures["signed"].code)
    add.locator("input[name=reason]").fill("3月到资1.5亿美元，居各单位首位")
    add.locator("button[type=submit]").click()
    w.page.wait_for_selector("text=已确认红旗项目")
    assert RedFlag.objects.get().reason == "3月到资1.5亿美元，居各单位首位"
    # The lagging unit proposed as a snail is confirmed with the rule's reason.
    row = w.page.locator('[data-proposal="snail-3304JK-"]')
    row.locator("button[value=confirm_snail]").click()
    w.page.wait_for_selector("text=已确认蜗牛")
    w.fits()
    w.page.screenshot(path=str(SHOTS / f"race-actions-{size}.png"), full_page=True)
    # The refusal above is a page answered 400 (refusals keep the form and say why), which the browser logs.
    assert [e for e in w.errors if "status of 400" not in e] == []
