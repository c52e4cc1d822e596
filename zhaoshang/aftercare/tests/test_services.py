"""The services: each write checks the right, validates, and a refusal names the field and value and writes nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhaoshang.aftercare import services as ac
from zhaoshang.aftercare.models import AnnualFigures, RosterEntry, ServiceRequest, Visit
from zhaoshang.projects.models import Enterprise, Project

pytestmark = pytest.mark.django_db


def test_enrol_once_and_history_names_the_actor(entry, users):
    assert entry.investors.count() == 1
    assert entry.history.first().history_user == users["admin"]
    with pytest.raises(ValidationError, match="已在存量外资企业名录中"):
        ac.roster_enroll(enterprise=entry.enterprise, actor=users["admin"])


def test_enrolling_an_enterprise_unknown_to_the_registry_creates_it_through_projects(as_of, units, users):
    entry = ac.roster_enroll_new(name="嘉善新材料有限公司", unit=units["jiashan"], actor=users["staff"])
    assert entry.enterprise.is_new is False
    assert Enterprise.objects.filter(name="嘉善新材料有限公司").count() == 1


def test_staff_of_another_unit_cannot_enrol_and_nothing_is_written(enterprise, users):
    with pytest.raises(PermissionDenied, match="维护存量外资企业名录与年报数据"):
        ac.roster_enroll(enterprise=enterprise, actor=users["zone_staff"])
    assert RosterEntry.objects.count() == 0


def test_officer_from_another_unit_is_refused(enterprise, users):
    with pytest.raises(ValidationError, match="服务专员“经开区专员”不属于嘉善县"):
        ac.roster_enroll(enterprise=enterprise, officer=users["zone_staff"], actor=users["admin"])


def test_annual_figures_filed_then_corrected(entry, users):
    f = ac.annual_figures_file(
        entry=entry,
        year=2019,
        filed_on=date(2020, 4, 30),
        revenue=Decimal("12345.67"),
        employees=300,
        actor=users["staff"],
    )
    assert (f.currency, f.unit_scale, f.revenue) == ("CNY", 10_000, Decimal("12345.67"))
    f = ac.annual_figures_file(
        entry=entry, year=2019, filed_on=date(2020, 5, 6), revenue=Decimal("12400"), employees=300, actor=users["staff"]
    )
    assert AnnualFigures.objects.count() == 1
    assert f.history.first().history_change_reason == "更正2019年度年报数据"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"year": 2019, "filed_on": date(2019, 12, 31)}, "报送日期“2019-12-31”早于2019年度结束"),
        ({"year": 2019, "filed_on": date(2021, 1, 5)}, "报送日期“2021-01-05”晚于今天（2020-12-31）"),
        ({"year": 1990, "filed_on": date(2020, 1, 5)}, "年度“1990”应在 2000 年至 2020 年之间"),
        ({"year": 2019, "filed_on": date(2020, 1, 5), "revenue": Decimal(-1)}, "营业收入“-1”不能为负数"),
        ({"year": 2019, "filed_on": date(2020, 1, 5), "currency": "RMB1"}, "币种“RMB1”应为三位字母代码"),
        ({"year": 2019, "filed_on": date(2020, 1, 5), "revenue": None}, "至少需要一项数据"),
    ],
)
def test_bad_annual_figures_are_refused_in_chinese(entry, users, kwargs, message):
    kwargs.setdefault("revenue", Decimal(100))
    with pytest.raises(ValidationError) as exc:
        ac.annual_figures_file(entry=entry, actor=users["staff"], **kwargs)
    assert message in str(exc.value)
    assert AnnualFigures.objects.count() == 0


def test_a_loss_may_be_negative(entry, users):
    f = ac.annual_figures_file(
        entry=entry,
        year=2019,
        filed_on=date(2020, 3, 1),
        profit=Decimal(-50),
        undistributed_profit=Decimal(-80),
        actor=users["staff"],
    )
    assert f.profit == Decimal(-50)


def test_visit_rules(entry, users):
    with pytest.raises(ValidationError, match="下次走访日期“2020-05-01”不晚于本次走访日期"):
        ac.visit_log(
            entry=entry,
            on=date(2020, 5, 1),
            met="总经理",
            learned="正常",
            next_on=date(2020, 5, 1),
            actor=users["staff"],
        )
    with pytest.raises(ValidationError, match="企业意向“grow”不存在"):
        ac.visit_log(
            entry=entry, on=date(2020, 5, 1), met="总经理", learned="正常", intention="grow", actor=users["staff"]
        )
    assert Visit.objects.count() == 0
    v = ac.visit_log(entry=entry, on=date(2020, 5, 1), met="总经理", learned="正常", actor=users["staff"])
    assert v.visitor == users["staff"]


def test_request_life_and_its_refusals(entry, users):
    staff = users["staff"]
    with pytest.raises(ValidationError, match="办理时限“2020-04-30”早于受理日期"):
        ac.request_open(
            entry=entry,
            category="land",
            description="用地",
            department="自然资源局",
            received_on=date(2020, 5, 1),
            deadline=date(2020, 4, 30),
            actor=staff,
        )
    r = ac.request_open(
        entry=entry,
        category="land",
        description="扩产用地50亩",
        department="自然资源和规划局",
        received_on=date(2020, 5, 1),
        deadline=date(2020, 6, 30),
        actor=staff,
    )
    assert r.status == "received"
    r = ac.request_start(request=r, on=date(2020, 5, 3), actor=staff)
    assert (r.status, r.started_on) == ("in_progress", date(2020, 5, 3))
    with pytest.raises(ValidationError, match="已在办理中"):
        ac.request_start(request=r, on=date(2020, 5, 4), actor=staff)
    with pytest.raises(ValidationError, match="无法解决原因（空）不能为空"):
        ac.request_unsolvable(request=r, on=date(2020, 6, 1), reason=" ", actor=staff)
    with pytest.raises(ValidationError, match="企业满意度“great”"):
        ac.request_close(request=r, on=date(2020, 6, 1), answer="已供地", satisfaction="great", actor=staff)
    r = ac.request_close(request=r, on=date(2020, 6, 20), answer="已挂牌供地", satisfaction="satisfied", actor=staff)
    assert (r.status, r.closed_on, r.satisfaction) == ("solved", date(2020, 6, 20), "satisfied")
    with pytest.raises(ValidationError, match="已结束"):
        ac.request_unsolvable(request=r, on=date(2020, 6, 21), reason="x", actor=staff)
    reasons = [h.history_change_reason for h in ServiceRequest.history.order_by("history_id")]
    assert reasons == ["受理企业诉求", "开始办理", "办结"]


def test_unsolvable_keeps_the_reason(entry, users):
    r = ac.request_open(
        entry=entry,
        category="energy",
        description="用能指标",
        department="发改局",
        received_on=date(2020, 5, 1),
        deadline=date(2020, 5, 31),
        actor=users["staff"],
    )
    r = ac.request_unsolvable(request=r, on=date(2020, 6, 5), reason="全市能耗总量已满", actor=users["staff"])
    assert (r.status, r.reason) == ("unsolvable", "全市能耗总量已满")


def test_intention_becomes_a_project_in_one_step(entry, users):
    v = ac.visit_log(
        entry=entry,
        on=date(2020, 10, 9),
        met="总经理",
        learned="拟扩产",
        intention="expand",
        intention_note="新增两条产线",
        actor=users["staff"],
    )
    project = ac.intention_convert(
        visit=v,
        kind="increase",
        name="精密机械增资扩产项目",
        on=date(2020, 10, 12),
        total_investment=Decimal(20_000_000),
        contract_foreign=Decimal(20_000_000),
        actor=users["staff"],
    )
    assert (project.kind, project.stage, project.enterprise, project.unit) == (
        "increase",
        "negotiating",
        entry.enterprise,
        entry.enterprise.unit,
    )
    assert list(project.investors.all()) == list(entry.investors.all())
    assert (project.leader, project.officer) == ("县长", users["staff"])
    v.refresh_from_db()
    assert v.project == project
    # Through the same path as every lead: a lead of source 存量企业增资意向, converted to the project.
    from zhaoshang.leads.models import Lead

    lead = Lead.objects.get()
    assert (lead.source, lead.status, lead.project, lead.target_enterprise, lead.unit) == (
        "existing",
        "converted",
        project,
        entry.enterprise,
        entry.enterprise.unit,
    )
    assert lead.received_on == date(2020, 10, 9)
    with pytest.raises(ValidationError, match="已转为项目"):
        ac.intention_convert(visit=v, kind="increase", name="再来", on=date(2020, 10, 12), actor=users["staff"])
    assert Project.objects.count() == 1


def test_no_intention_no_project(entry, users):
    v = ac.visit_log(entry=entry, on=date(2020, 10, 9), met="总经理", learned="正常", actor=users["staff"])
    with pytest.raises(ValidationError, match="不是扩张意向"):
        ac.intention_convert(visit=v, kind="increase", name="x", on=date(2020, 10, 12), actor=users["staff"])
    assert Project.objects.count() == 0
