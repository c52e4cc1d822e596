"""Leads: the status flow, the response deadline in working days, escalation and 我的待办, conversion by source."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhaoshang.leads import selectors, services
from zhaoshang.leads.models import Lead, Status
from zhaoshang.leads.tasks import tasks_for

pytestmark = pytest.mark.django_db


def test_working_days_skip_the_weekend():
    assert services.add_working_days(date(2020, 9, 25), 5) == date(2020, 10, 2)  # Friday + 5 = next Friday
    assert services.working_days_between(date(2020, 9, 25), date(2020, 9, 28)) == 1


def test_a_lead_from_news_to_project(as_of, units, users, project):
    admin, staff = users["admin"], users["staff"]
    lead = services.lead_create(
        company="某某新材料有限公司", source="news", received_on=date(2020, 12, 1), actor=admin, amount="3000000"
    )
    assert (lead.status, lead.unit, lead.amount_usd) == (Status.NEW, None, Decimal("3000000.00"))
    lead = services.lead_assign(lead=lead, unit=units["jiashan"], on=date(2020, 12, 2), actor=admin)
    assert (lead.status, lead.respond_by) == (Status.ASSIGNED, date(2020, 12, 9))
    lead = services.lead_contact(lead=lead, on=date(2020, 12, 4), actor=staff)
    assert (lead.status, lead.first_contact_on) == (Status.CONTACTED, date(2020, 12, 4))
    lead = services.lead_convert(lead=lead, project=project, actor=staff)
    assert (lead.status, lead.project) == (Status.CONVERTED, project)
    report = selectors.lead_report()
    (row,) = report.rows
    assert (row.label, row.received, row.converted, row.conversion_pct, row.median_days_to_contact) == (
        "新闻/公告",
        1,
        1,
        100.0,
        2.0,
    )
    assert lead.history.count() == 4  # each step audited


def test_unit_staff_keep_their_own_leads_only(as_of, units, users):
    staff, zone_staff = users["staff"], users["zone_staff"]
    lead = services.lead_create(company="甲公司", source="inbound", received_on=date(2020, 12, 1), actor=staff)
    assert (lead.unit, lead.status) == (units["jiashan"], Status.ASSIGNED)  # staff's own unit, at once
    with pytest.raises(PermissionDenied):
        services.lead_contact(lead=lead, on=date(2020, 12, 2), actor=zone_staff)
    with pytest.raises(PermissionDenied):
        services.lead_assign(lead=lead, unit=units["zone"], actor=staff)
    assert Lead.objects.get(pk=lead.pk).status == Status.ASSIGNED


def test_bad_input_is_refused_in_chinese_and_nothing_is_written(as_of, users):
    with pytest.raises(ValidationError) as err:
        services.lead_create(company="乙公司", source="rumour", actor=users["admin"])
    assert "来源“rumour”不存在" in str(err.value)
    with pytest.raises(ValidationError) as err:
        services.lead_create(company="乙公司", source="news", amount="三亿", actor=users["admin"])
    assert "意向金额“三亿”不是有效的金额" in str(err.value)
    assert not Lead.objects.exists()


def test_an_overdue_lead_shows_in_my_tasks_and_escalates_to_the_city(as_of, units, users):
    admin, staff = users["admin"], users["staff"]
    lead = services.lead_create(company="丙公司", source="event", received_on=date(2020, 12, 1), actor=staff)
    assert lead.respond_by == date(2020, 12, 8)
    (task,) = tasks_for(staff)
    assert (task.kind, task.overdue, task.due) == ("lead_response", True, date(2020, 12, 8))  # today is 12-31
    assert any(t.title == "首次联系线索：丙公司（已逾期上报）" for t in tasks_for(admin))
    assert tasks_for(users["zone_staff"]) == []
    (escalated,) = services.leads_escalate(actor=admin)
    assert escalated.escalated_on == as_of
    services.lead_contact(lead=lead, on=date(2020, 12, 30), actor=staff)
    assert tasks_for(staff) == []


def test_the_response_rule_is_configurable(as_of, units, users):
    lead = services.lead_create(
        company="丁公司", source="referral", received_on=date(2020, 12, 1), actor=users["staff"]
    )
    services.lead_config_set(response_working_days=10, actor=users["admin"])
    lead.refresh_from_db()
    assert lead.respond_by == date(2020, 12, 15)
    with pytest.raises(PermissionDenied):
        services.lead_config_set(response_working_days=3, actor=users["staff"])


def test_abandoning_needs_a_reason(as_of, units, users):
    lead = services.lead_create(company="戊公司", source="other", received_on=date(2020, 12, 1), actor=users["staff"])
    with pytest.raises(ValidationError):
        services.lead_abandon(lead=lead, reason=" ", actor=users["staff"])
    lead = services.lead_abandon(lead=lead, reason="投资方转投他市", actor=users["staff"])
    assert (lead.status, lead.abandon_reason) == (Status.ABANDONED, "投资方转投他市")


def test_the_command_lists_and_assigns(as_of, units, users, capsys):
    from zhaoshang.cli import main

    lead = services.lead_create(company="己公司", source="news", received_on=date(2020, 12, 21), actor=users["admin"])
    assert main(["leads", "list"]) == 0
    assert f"{lead.code}\t己公司\t新闻/公告\t未分派\t新线索" in capsys.readouterr().out
    assert main(["leads", "assign", lead.code, "--unit", "330421", "--user", "js"]) == 1  # unit staff may not
    assert "没有权限" in capsys.readouterr().err
    assert main(["leads", "assign", lead.code, "--unit", "330421", "--user", "admin"]) == 0
    assert "已将线索" in capsys.readouterr().out
    lead.refresh_from_db()
    assert (lead.unit, lead.status, lead.respond_by) == (units["jiashan"], Status.ASSIGNED, date(2021, 1, 7))
