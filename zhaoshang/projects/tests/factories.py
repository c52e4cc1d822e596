"""Investors, enterprises and projects, made through the registry's services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import factory

from zhaoshang.accounts.services import system_actor
from zhaoshang.common.tests.factories import ServiceFactory
from zhaoshang.projects import services as ps
from zhaoshang.projects.models import Country, Enterprise, Investor, Project


class InvestorFactory(ServiceFactory):
    class Meta:
        model = Investor

    name = factory.Sequence(lambda n: f"外资{n}")
    name_en = factory.Sequence(lambda n: f"Investor {n}")
    country = factory.LazyFunction(lambda: Country.objects.get(code="DE"))
    parent = None
    actor = factory.LazyFunction(system_actor)

    @classmethod
    def service(cls, **kwargs: Any) -> Investor:
        return ps.investor_create(**kwargs)


class EnterpriseFactory(ServiceFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"测试外资企业{n}有限公司")
    unit = None  # required: the unit whose enterprise it is
    actor = factory.LazyFunction(system_actor)

    @classmethod
    def service(cls, **kwargs: Any) -> Enterprise:
        return ps.enterprise_create(**kwargs)


class ProjectFactory(ServiceFactory):
    """A new-establishment project of `unit`, negotiating from `stage_on`, one investor, US$ amounts."""

    class Meta:
        model = Project

    unit = None  # required
    name = factory.Sequence(lambda n: f"测试项目{n}")
    kind = "new"
    investors = factory.LazyFunction(lambda: [InvestorFactory.create()])
    stage_on = date(2020, 1, 10)
    total_investment = Decimal("30000000")
    contract_foreign = Decimal("10000000")
    actor = factory.LazyFunction(system_actor)

    @classmethod
    def service(cls, **kwargs: Any) -> Project:
        return ps.project_create(**kwargs)
