"""A small photovoltaic chain in 嘉善 with known enterprises and projects, for exact state and order checks."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from zhaoshang.chains import services as cs
from zhaoshang.chains.models import Chain
from zhaoshang.projects import services as ps
from zhaoshang.projects.models import Country, Enterprise


@pytest.fixture
def pv_industries(system):
    for code, name in [
        ("C", "制造业"),
        ("30", "非金属矿物制品业"),
        ("3042", "特种玻璃制造"),
        ("38", "电气机械和器材制造业"),
        ("3824", "电力电子元器件制造"),
        ("3825", "光伏设备及元器件制造"),
        ("3841", "锂离子电池制造"),
        ("27", "医药制造业"),
        ("2761", "生物药品制造"),
    ]:
        ps.industry_upsert(code=code, name=name, actor=system)


@pytest.fixture
def pv(pv_industries, users) -> Chain:
    admin = users["admin"]
    chain = cs.chain_upsert(slug="pv", name="光伏", actor=admin)
    modules = cs.link_upsert(
        chain=chain, name="组件", position=1, industry_codes=["3825"], keywords="光伏组件、组件", actor=admin
    )
    glass = cs.link_upsert(
        chain=chain, name="光伏玻璃", position=2, industry_codes=["3042"], keywords="光伏玻璃", actor=admin
    )
    cs.link_upsert(
        chain=chain,
        name="逆变器",
        position=3,
        industry_codes=["38"],
        keywords="逆变器",
        upstream=[modules, glass],
        actor=admin,
    )
    return chain


def make_enterprise(name: str, unit, industry_code: str | None, actor) -> Enterprise:
    from zhaoshang.projects.models import Industry

    return ps.enterprise_create(
        name=name,
        unit=unit,
        industry=Industry.objects.get(code=industry_code) if industry_code else None,
        is_new=False,
        actor=actor,
    )


def make_project(enterprise: Enterprise, name: str, total: str, actor, *, investor=None, signed: bool = True):
    if investor is None:
        investor = ps.investor_create(name=f"{name}投资方", country=Country.objects.get(code="HK"), actor=actor)
    return ps.project_create(
        unit=enterprise.unit,
        name=name,
        kind="increase",
        investors=[investor],
        stage="signed" if signed else "negotiating",
        stage_on=date(2020, 5, 1),
        total_investment=Decimal(total),
        contract_foreign=Decimal(total),
        enterprise=enterprise,
        actor=actor,
    )
