"""我的待办 from the race: the week's board to publish, and the red flags and snails the rules propose to confirm.

For the city bureau's administrators only (`race.publish`, `race.confirm`); a running competition's latest
comparison day is the one that counts.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from zhaoshang.accounts.permissions import can
from zhaoshang.common.clock import today
from zhaoshang.common.todo import Task

from . import selectors
from .models import Competition, Snapshot


def tasks_for(user: Any) -> list[Task]:
    publisher, confirmer = can(user, "race.publish"), can(user, "race.confirm")
    if not (publisher or confirmer):
        return []
    on = today()
    out: list[Task] = []
    for comp in Competition.objects.filter(start__lte=on).order_by("start", "slug"):
        day = selectors.comparison_day(comp, on)
        if day is None or (on - comp.end).days > 7:
            continue
        url = f"{reverse('web:race')}?race={comp.slug}&date={day.isoformat()}"
        if confirmer:
            flags, snails = selectors.open_proposals(comp, day)
            if flags or snails:
                out.append(
                    Task(
                        kind="race_confirm",
                        kind_label="红旗蜗牛待确认",
                        title=f"确认{comp.name} {day:%-m月%-d日}周比的红旗项目和蜗牛",
                        url=url + "#proposals",
                        due=day,
                        overdue=day < on,
                        detail=f"规则提出红旗项目{len(flags)}个、蜗牛{len(snails)}个，待确认",
                    )
                )
        if publisher and not Snapshot.objects.filter(competition=comp, on=day).exists():
            out.append(
                Task(
                    kind="race_publish",
                    kind_label="周比待发布",
                    title=f"发布{comp.name} {day:%-m月%-d日}周比榜单",
                    url=url + "#publish",
                    due=day,
                    overdue=day < on,
                )
            )
    return out
