"""The demo's race: the 2020 100-day race with a published board every week, the rules' red flags and snails
confirmed as the bureau would, and a monthly evaluation with practices written from each unit's own records."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from zhaoshang.common.periods import add_months
from zhaoshang.projects.models import FollowUp, ProjectStageEvent, Stage
from zhaoshang.race import selectors, services
from zhaoshang.units.models import Region, Unit

WAN = Decimal(10_000)


def build_race(*, facts: Any, admin: Any, progress: Callable[..., Any] | None = None) -> int:
    race = facts.RACE
    units = {u.code: u for u in Unit.objects.filter(code__in=facts.RACE_TARGETS)}
    comp = services.competition_create(
        slug=race["slug"],
        name=race["name"],
        start=race["start"],
        end=race["end"],
        units=[units[c] for c in facts.RACE_TARGETS],
        indicators=race["indicators"],
        rival=Region.objects.get(code=race["rival"]),
        actor=admin,
    )
    keys = [k for k, _ in race["indicators"]]
    for code, values in facts.RACE_TARGETS.items():
        for key, value in zip(keys, values, strict=True):
            amount = Decimal(value) * WAN if key == "actual_use_usd" else Decimal(value)
            services.competition_target_set(
                competition=comp, unit=units[code], indicator=key, value=amount, actor=admin
            )
    days = selectors.snapshot_dates(comp)
    months: list[date] = []
    steps = progress(days, desc="竞赛周比", unit="周") if progress else days
    for day in steps:
        services.proposals_confirm(competition=comp, on=day, actor=admin, project_snails=3)
        services.snapshot_publish(competition=comp, on=day, actor=admin)
        month = day.replace(day=1)
        if month not in months:
            months.append(month)
    for month in months:
        services.evaluation_publish(
            competition=comp, month=month, actor=admin, practices=practices(units, month, comp.start)
        )
    return len(days)


def practices(units: dict[str, Unit], month: date, start: date) -> dict[str, str]:
    """Each unit's report for the month, as a unit writes it: how it kept in touch with investors (from its
    follow-up records) and which projects it moved on (from their stage events), without tallies of contacts."""
    out = {}
    first = max(month, start)
    end = add_months(month, 1)
    labels = dict(FollowUp.Channel.choices)
    for code, unit in units.items():
        rows = FollowUp.objects.filter(project__unit=unit, on__gte=first, on__lt=end)
        by_channel = Counter(rows.values_list("channel", flat=True))
        ways = [labels[k].replace("（线上）", "") for k, _ in by_channel.most_common(2)]
        events = (
            ProjectStageEvent.objects.filter(
                project__unit=unit, on__gte=first, on__lt=end, stage__in=[Stage.SIGNED, Stage.CONSTRUCTION]
            )
            .select_related("project")
            .order_by("-project__total_investment_usd", "on")[:2]
        )
        moved = [f"{e.project.name}{Stage(e.stage).label}" for e in events]
        parts = []
        if ways:
            parts.append(f"采取{'、'.join(ways)}等方式与在谈外商保持对接")
        if moved:
            parts.append(f"推动{'、'.join(moved)}")
        if parts:
            out[code] = "，".join(parts) + "。"
    return out
