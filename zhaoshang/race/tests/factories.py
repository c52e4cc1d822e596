"""Competitions with their weights and per-unit targets, made through the race services."""

from __future__ import annotations

from datetime import date
from typing import Any

import factory

from zhaoshang.accounts.services import system_actor
from zhaoshang.common.tests.factories import ServiceFactory
from zhaoshang.race import services
from zhaoshang.race.models import Competition


class CompetitionFactory(ServiceFactory):
    """`targets` maps a unit to {indicator: value}; each is set with `competition_target_set`."""

    class Meta:
        model = Competition

    slug = factory.Sequence(lambda n: f"race-{n}")
    name = factory.Sequence(lambda n: f"测试竞赛{n}")
    start = date(2020, 7, 1)
    end = date(2020, 9, 30)
    units = factory.LazyFunction(list)
    indicators = factory.LazyFunction(lambda: [("actual_use_usd", 100)])
    targets = factory.LazyFunction(dict)
    actor = factory.LazyFunction(system_actor)

    @classmethod
    def service(cls, **kwargs: Any) -> Competition:
        targets = kwargs.pop("targets")
        actor = kwargs["actor"]
        units = list(kwargs.pop("units")) or list(targets)
        comp = services.competition_create(units=units, **kwargs)
        for unit, values in targets.items():
            for indicator, value in values.items():
                services.competition_target_set(
                    competition=comp, unit=unit, indicator=indicator, value=value, actor=actor
                )
        return comp
