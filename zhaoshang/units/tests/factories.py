"""Regions (GB/T 2260) and units, made through the services by the system actor."""

from __future__ import annotations

from typing import Any

import factory

from zhaoshang.accounts.services import system_actor
from zhaoshang.common.tests.factories import ServiceFactory
from zhaoshang.units.models import Region, Unit
from zhaoshang.units.services import region_upsert, unit_create


class RegionFactory(ServiceFactory):
    class Meta:
        model = Region

    code = factory.Sequence(lambda n: f"3304{n + 50:02d}")
    name = factory.Sequence(lambda n: f"测试区{n}")
    level = Region.Level.COUNTY
    parent = None
    short_name = ""

    @classmethod
    def service(cls, **kwargs: Any) -> Region:
        return region_upsert(**kwargs, actor=system_actor())


class UnitFactory(ServiceFactory):
    """A unit in a county of `city` (a county is made for it unless `region` is given)."""

    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"33T{n:03d}")
    name = factory.Sequence(lambda n: f"测试招商主体{n}")
    short_name = factory.LazyAttribute(lambda o: o.name)
    kind = Unit.Kind.COUNTY
    city = factory.LazyFunction(lambda: Region.objects.get(code="330400"))
    region = factory.LazyAttribute(lambda o: RegionFactory.create(parent=o.city))
    sort_order = 0

    @classmethod
    def service(cls, **kwargs: Any) -> Unit:
        return unit_create(**kwargs, actor=system_actor())
