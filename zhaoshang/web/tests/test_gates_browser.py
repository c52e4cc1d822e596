"""In chromium, desk and phone sized: the project page lists what the next stage needs, the missing evidence links
to the upload form, an upload goes through (htmx, multipart) and the checklist is then complete."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from zhaoshang.projects import gates
from zhaoshang.projects import services as ps
from zhaoshang.projects.models import Evidence

from .test_browser import ARGS, CHROMIUM, DESK, PHONE, SHOTS, VENDOR

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium 不存在：请运行 ./run setup"),
    pytest.mark.skipif(not (VENDOR / "htmx.min.js").exists(), reason="前端依赖未安装：请运行 ./run setup"),
]


@pytest.fixture(autouse=True)
def countries(transactional_db):
    """A flush by an earlier live-server test empties what the data migrations seeded: the countries (the gates are
    put back by `gates_in_force_from`)."""
    from zhaoshang.accounts.services import system_actor
    from zhaoshang.projects.countries import COUNTRIES
    from zhaoshang.projects.models import Country

    if not Country.objects.exists():
        system = system_actor()
        for code, name, name_en, is_hmt in COUNTRIES:
            ps.country_upsert(code=code, name=name, name_en=name_en, is_hmt=is_hmt, actor=system)


@pytest.fixture
def arriving(transactional_db, project, users):
    """A project at 到资 whose next stage, 开工, still needs its evidence (gates in force from 2020)."""
    gates.gates_in_force_from(actor=users["admin"], on=date(2020, 1, 1))
    staff = users["staff"]
    enterprise = ps.enterprise_create(
        name="云顶（嘉善）医药有限公司",
        unit=project.unit,
        credit_code="91330421MA2B0Y3X7F",
        established_on=date(2020, 4, 1),
        actor=staff,
    )
    ps.project_update(project=project, enterprise=enterprise, reason="企业设立", actor=staff)
    ps.project_advance_stage(project=project, to_stage="signed", on=date(2020, 3, 1), actor=staff)
    ps.project_advance_stage(project=project, to_stage="registered", on=date(2020, 4, 1), actor=staff)
    ps.arrival_record(project=project, month=date(2020, 5, 1), amount=Decimal(8_000_000), kind="paid_in", actor=staff)
    return project


@pytest.fixture
def chromium(live_server, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()
        connections.close_all()


@pytest.mark.parametrize(("size", "viewport"), [("desk", DESK), ("phone", PHONE)])
def test_checklist_and_evidence_upload_on_the_project_page(chromium, live_server, arriving, size, viewport):
    from zhaoshang.common.minipdf import one_page_pdf

    page = chromium.new_page(viewport=viewport)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "js")
    page.fill("input[name=password]", "x")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/projects/{arriving.code}/")

    heading = page.text_content("#checklist h2")
    assert heading == "进入下一阶段（开工）还需："
    missing = page.locator("#checklist li.missing a")
    assert missing.count() == 1
    assert missing.first.text_content() == "“开工”证明材料（施工许可或开工照片）至少1份"
    assert missing.first.get_attribute("href") == "#evidence-upload"
    assert page.locator("#checklist li.met").count() == 1  # the start date, given in the advance form
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    page.screenshot(path=str(SHOTS / f"gates-checklist-{size}.png"), full_page=True)

    missing.first.click()
    form = page.locator("#evidence-upload")
    assert form.is_visible()
    form.locator("select[name=kind]").select_option("construction_permit")
    assert form.locator("select[name=target]").input_value() == "stage:construction"
    form.locator("input[name=file]").set_input_files(
        {"name": "施工许可证.pdf", "mimeType": "application/pdf", "buffer": one_page_pdf("permit")}
    )
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")

    assert page.text_content("#checklist h2") == "进入下一阶段（开工）的条件已满足"
    assert page.locator("#checklist li.missing").count() == 0
    link = page.locator("#evidence a", has_text="施工许可证.pdf")
    assert link.count() == 1
    item = Evidence.objects.get()
    assert (item.kind, item.stage, item.original_name) == ("construction_permit", "construction", "施工许可证.pdf")
    assert link.get_attribute("href") == f"/projects/{arriving.code}/evidence/{item.pk}/"
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    page.screenshot(path=str(SHOTS / f"gates-evidence-{size}.png"), full_page=True)

    # A hostile file is refused in place, in Chinese.
    form = page.locator("#evidence-upload")
    form.locator("input[name=file]").set_input_files(
        {"name": "照片.png", "mimeType": "image/png", "buffer": b"<svg onload='alert(1)'/>"}
    )
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#form-evidence .field-error, #form-evidence .errors")
    assert "是网页或 SVG 等标记文件，不接受" in page.text_content("#form-evidence")
    assert Evidence.objects.count() == 1
    assert errors == [] or all("400" in e for e in errors), errors
    page.close()
