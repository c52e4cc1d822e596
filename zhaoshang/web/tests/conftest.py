"""Desk fixtures: a small registry with figures worked out by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from zhaoshang.projects import services as ps
from zhaoshang.projects.models import Project
from zhaoshang.race import services as rs
from zhaoshang.race.tests.factories import CompetitionFactory


@pytest.fixture
def figures(as_of, units, users, investor, industry) -> dict[str, Project]:
    """嘉善: a project signed 2019-02 with US$100,000,000 arrived in 2019-03 and US$150,000,000 in 2020-03.

    (and a shareholder loan of US$50,000,000 in 2020-02, which the default caliber leaves out).
    So for 2020-01..2020-03 the city's actual use is 1.50亿美元, a year earlier 1.00亿美元: growth +50.0%.
    A second 嘉善 project is under negotiation with its next follow-up due 2020-11-30 (before the as-of date
    2020-12-31): at risk of losing contact.
    """
    staff = users["staff"]
    signed = ps.project_create(
        unit=units["jiashan"],
        name="生物药扩产项目",
        kind="increase",
        investors=[investor],
        stage="signed",
        stage_on=date(2019, 2, 1),
        total_investment=Decimal("120000000"),
        contract_foreign=Decimal("100000000"),
        industry=industry,
        actor=staff,
    )
    ps.arrival_record(
        project=signed, month=date(2019, 3, 1), amount=Decimal("100000000"), kind="capital_increase", actor=staff
    )
    ps.arrival_record(
        project=signed, month=date(2020, 3, 1), amount=Decimal("150000000"), kind="capital_increase", actor=staff
    )
    # A shareholder loan is not actual use by the default caliber: it must show in no figure.
    ps.arrival_record(
        project=signed, month=date(2020, 2, 1), amount=Decimal("50000000"), kind="shareholder_loan", actor=staff
    )
    talking = ps.project_create(
        unit=units["jiashan"],
        name="创新药生产基地项目",
        kind="new",
        investors=[investor],
        stage_on=date(2020, 10, 10),
        total_investment=Decimal("30000000"),
        contract_foreign=Decimal("18000000"),
        industry=industry,
        actor=staff,
    )
    ps.followup_log(
        project=talking,
        on=date(2020, 11, 1),
        channel="call",
        summary="电话沟通",
        next_on=date(2020, 11, 30),
        actor=staff,
    )
    return {"signed": Project.objects.get(pk=signed.pk), "talking": Project.objects.get(pk=talking.pk)}


@pytest.fixture
def race(figures, units, users):
    """February–March 2020, actual use only (weight 100); targets 嘉善 US$200m, 经开区 US$100m.

    On 2020-02-07 nobody has arrivals yet: both score 0 and share rank 1. On 2020-03-31 嘉善 has US$150m (the
    March capital increase; February's shareholder loan does not count): completion 75%, score 75.00, rank 1;
    经开区 scores 0.00 and drops to rank 2 (↓1).
    """
    admin = users["admin"]
    comp = CompetitionFactory.create(
        slug="spring-2020",
        name="2020年春季招商竞赛",
        start=date(2020, 2, 1),
        end=date(2020, 3, 31),
        targets={
            units["jiashan"]: {"actual_use_usd": Decimal("200000000")},
            units["zone"]: {"actual_use_usd": Decimal("100000000")},
        },
        actor=admin,
    )
    rs.snapshot_publish(competition=comp, on=date(2020, 2, 7), actor=admin)
    rs.snapshot_publish(competition=comp, on=date(2020, 3, 31), actor=admin)
    return comp
