"""Conflicts (撞单): two units holding one investor, entered in different orders through the desk, the API and an
import; the city's decisions, audited; and a joint project's credit, split by share in the units and counted once
in the city (figures computed by hand below)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from zhaoshang.common.periods import MonthRange
from zhaoshang.imports.kinds import load_file
from zhaoshang.imports.tests.helpers import write_xlsx
from zhaoshang.leads import services
from zhaoshang.leads.models import Conflict, CreditShare
from zhaoshang.leads.tasks import tasks_for
from zhaoshang.projects import services as ps
from zhaoshang.projects.models import Country, Project
from zhaoshang.race.selectors import score_week
from zhaoshang.race.tests.factories import CompetitionFactory
from zhaoshang.stats.caliber import Caliber
from zhaoshang.stats.selectors import city_figures, city_units, credited_unit_figures, stats_report, unit_figures
from zhaoshang.stats.services import target_set

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_desk_project_first_then_api_lead_is_flagged_to_both_units_and_the_city(
    as_of, units, users, investor, industry
):
    staff, zone_staff, admin = users["staff"], users["zone_staff"], users["admin"]
    response = _client(staff).post(
        "/projects/new/",
        {
            "unit": "330421",
            "name": "创新药生产基地项目",
            "kind": "new",
            "investor": investor.pk,
            "stage": "negotiating",
            "stage_on": "2020-11-02",
            "currency": "USD",
            "total_investment": "1000",
            "contract_foreign": "800",
            "money_unit": "万美元",
            "industry": "2761",
        },
    )
    assert response.status_code in (200, 302), response.content.decode()[:500]
    assert Project.objects.filter(unit=units["jiashan"]).exists()
    assert not Conflict.objects.exists()
    response = _client(zone_staff).post(
        "/api/leads",
        json.dumps({"company": "云顶新耀医药科技有限公司", "source": "inbound", "received_on": "2020-12-01"}),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    (conflict,) = Conflict.objects.all()
    assert body["conflicts"] == [conflict.pk]
    assert {conflict.unit_a.code, conflict.unit_b.code} == {"330421", "3304JK"}
    assert conflict.subject == "云顶新耀"
    for user in (staff, zone_staff, admin):
        assert any(t.kind == "lead_conflict" for t in tasks_for(user))


def test_import_project_after_a_lead_is_flagged_and_a_second_scan_adds_nothing(as_of, units, users, industry, tmp_path):
    zone_staff, admin = users["zone_staff"], users["admin"]
    services.lead_create(
        company="东洋株式会社", source="event", received_on=date(2020, 12, 1), industry=industry, actor=zone_staff
    )
    header: list[Any] = [
        "项目名称",
        "招商主体",
        "项目类型",
        "外方投资者",
        "国别（地区）",
        "行业",
        "总投资（万美元）",
        "合同外资（万美元）",
        "阶段",
        "阶段日期",
    ]
    rows = [
        header,
        ["光伏组件项目", "嘉善县", "新设", "东洋株式会社", "日本", "2761", 1000, 800, "洽谈", date(2020, 11, 3)],
    ]
    load_file("projects", write_xlsx(tmp_path, rows), actor=admin)
    (conflict,) = Conflict.objects.all()
    assert conflict.basis.startswith("同一投资方（集团）、同一行业")
    assert services.conflicts_scan(actor=admin) == []


def test_different_industries_of_one_group_are_not_a_conflict(as_of, units, users, project):
    ps.industry_upsert(code="38", name="电气机械和器材制造业", actor=users["admin"])
    other = ps.industry_upsert(code="3825", name="光伏设备及元器件制造", actor=users["admin"])
    services.lead_create(company="云顶新耀", source="news", industry=other, actor=users["zone_staff"])
    assert not Conflict.objects.exists()


def test_a_subsidiary_collides_with_its_group(as_of, units, users, project, investor):
    sub = ps.investor_create(
        name="云顶新耀（香港）投资有限公司",
        country=Country.objects.get(code="HK"),
        parent=investor,
        actor=users["admin"],
    )
    services.lead_create(company=sub.name, investor=sub, source="referral", actor=users["zone_staff"])
    assert Conflict.objects.get().subject == "云顶新耀"


@pytest.fixture
def conflict(as_of, units, users, project) -> Conflict:
    services.lead_create(company="云顶新耀", source="news", received_on=date(2020, 12, 1), actor=users["zone_staff"])
    return Conflict.objects.get()


def test_decisions_are_the_citys_and_audited(conflict, units, users):
    with pytest.raises(PermissionDenied):
        services.conflict_decide(conflict=conflict, decision="not_conflict", reason="x", actor=users["staff"])
    with pytest.raises(ValidationError) as err:
        services.conflict_decide(conflict=conflict, decision="assign", reason="先接触", actor=users["admin"])
    assert "归属单位" in str(err.value)
    decided = services.conflict_decide(
        conflict=conflict, decision="assign", unit=units["jiashan"], reason="嘉善先接触并已洽谈", actor=users["admin"]
    )
    assert (decided.state, decided.decided_unit, decided.decided_by) == ("decided", units["jiashan"], users["admin"])
    last = decided.history.latest()
    assert (last.history_user, last.history_change_reason) == (
        users["admin"],
        "裁定撞单：归属一方（嘉善先接触并已洽谈）",
    )
    with pytest.raises(ValidationError):
        services.conflict_decide(conflict=conflict, decision="not_conflict", reason="重复", actor=users["admin"])


def test_bad_shares_are_refused_and_nothing_is_written(conflict, units, users):
    for shares in ({units["jiashan"]: "0.7", units["zone"]: "0.4"}, {units["jiashan"]: "1"}, {units["jiashan"]: "x"}):
        with pytest.raises(ValidationError):
            services.conflict_decide(
                conflict=conflict, decision="joint", shares=shares, reason="联合", actor=users["admin"]
            )
    conflict.refresh_from_db()
    assert conflict.state == "open"
    assert not CreditShare.objects.exists()


def test_a_joint_project_counts_once_in_the_city_and_by_share_in_the_units(conflict, units, users, project):
    admin = users["admin"]
    jiashan, zone = units["jiashan"], units["zone"]
    signed = ps.project_advance_stage(project=project, to_stage="signed", on=date(2020, 7, 1), actor=admin)
    ps.arrival_record(project=signed, month=date(2020, 7, 1), amount=Decimal(10_000_000), kind="paid_in", actor=admin)
    # A second, ordinary project of 经开区 with US$2,000,000 in August.
    other_inv = ps.investor_create(name="东洋株式会社", country=Country.objects.get(code="JP"), actor=admin)
    own = ps.project_create(
        unit=zone,
        name="经开区自有项目",
        kind="new",
        investors=[other_inv],
        stage="signed",
        stage_on=date(2020, 8, 1),
        total_investment=Decimal(5_000_000),
        contract_foreign=Decimal(5_000_000),
        actor=admin,
    )
    ps.arrival_record(project=own, month=date(2020, 8, 1), amount=Decimal(2_000_000), kind="paid_in", actor=admin)
    services.conflict_decide(
        conflict=conflict, decision="joint", shares={jiashan: "60", zone: "40"}, reason="双方共同招引", actor=admin
    )
    period = MonthRange.year_to_month(2020, 12)
    caliber = Caliber.current()
    stats = unit_figures(period, caliber)
    credited = credited_unit_figures(period, caliber)
    # By hand: 嘉善 10,000,000 whole in the statistics; credited 60% = 6,000,000. 经开区 2,000,000 in the
    # statistics; credited 2,000,000 + 40% × 10,000,000 = 6,000,000. The city: 12,000,000 either way.
    assert (stats[jiashan.pk].actual_use, stats[zone.pk].actual_use) == (Decimal(10_000_000), Decimal(2_000_000))
    assert (credited[jiashan.pk].actual_use, credited[zone.pk].actual_use) == (Decimal(6_000_000), Decimal(6_000_000))
    members = city_units()
    assert city_figures(stats, members, companies=0, comparable=False).actual_use == Decimal(12_000_000)
    assert city_figures(credited, members, companies=0, comparable=False).actual_use == Decimal(12_000_000)
    # Counts go whole to the larger share: the joint project stays 嘉善's new project.
    assert (credited[jiashan.pk].new_projects, credited[zone.pk].new_projects) == (1, 1)
    # Target progress of the units uses the credit; the statistics' unit rows and the city do not split.
    target_set(year=2020, indicator="actual_use_usd", value=Decimal(12_000_000), unit=jiashan, actor=admin)
    target_set(year=2020, indicator="actual_use_usd", value=Decimal(24_000_000), actor=admin)
    report = stats_report(period)
    row = next(r for r in report.units if r.unit.pk == jiashan.pk)
    assert (row.figures.actual_use, row.target.achieved, row.target.progress_pct) == (
        Decimal(10_000_000),
        Decimal(6_000_000),
        Decimal(50),
    )
    assert report.city.actual_use == Decimal(12_000_000)
    assert report.city_target.achieved == Decimal(12_000_000)
    # The race scores the credit.
    comp = CompetitionFactory.create(
        slug="joint",
        start=date(2020, 7, 1),
        end=date(2020, 9, 30),
        targets={jiashan: {"actual_use_usd": Decimal(12_000_000)}, zone: {"actual_use_usd": Decimal(12_000_000)}},
        actor=admin,
    )
    week = score_week(comp, date(2020, 9, 30))
    achieved = {s.code: s.achieved["actual_use_usd"] for s in week.scores}
    assert achieved == {"330421": Decimal(6_000_000), "3304JK": Decimal(6_000_000)}


def test_api_lead_first_then_a_desk_lead_shows_the_conflict_on_the_page(as_of, units, users):
    response = _client(users["zone_staff"]).post(
        "/api/leads",
        json.dumps({"company": "东洋株式会社", "group": "东洋集团", "source": "event"}),
        content_type="application/json",
    )
    assert response.status_code == 201
    page = _client(users["staff"]).post(
        "/leads/new/", {"company": "东洋（中国）投资有限公司", "source": "referral"}, follow=True
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "发现撞单：东洋" in text
    (conflict,) = Conflict.objects.all()
    assert {conflict.unit_a.code, conflict.unit_b.code} == {"330421", "3304JK"}
    assert _client(users["zone_staff"]).get("/api/conflicts").json()[0]["id"] == conflict.pk
