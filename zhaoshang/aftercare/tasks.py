"""我的待办 from aftercare: visits due or overdue for the enterprises a person serves, and overdue requests escalated
to them (a unit's staff: their unit's overdue requests; the city bureau: those escalated to the city)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Max, OuterRef, Q, Subquery
from django.urls import reverse

from zhaoshang.accounts.models import Role
from zhaoshang.common.clock import today
from zhaoshang.common.todo import Task

from .models import OPEN_STATUSES, RosterEntry, ServiceRequest, Visit
from .selectors import CITY_ESCALATION_DAYS, VISIT_DUE_AHEAD_DAYS, entry_key, escalation, visible_q


def tasks_for(user: Any) -> list[Task]:
    where = visible_q(user)
    if where is None:
        return []
    on = today()
    tasks: list[Task] = []
    # Visits: the next date of each enterprise's latest visit, for the enterprises this person serves (or, for a
    # unit's staff, those of their unit with no officer named).
    mine = Q(officer=user)
    if user.role == Role.UNIT_STAFF and user.unit_id:
        mine |= Q(officer__isnull=True, enterprise__unit_id=user.unit_id)
    latest = Visit.objects.filter(entry=OuterRef("pk")).order_by("-on", "-id")
    entries = (
        RosterEntry.objects.filter(where)
        .filter(mine)
        .select_related("enterprise__unit")
        .annotate(next_on=Subquery(latest.values("next_on")[:1]), last_on=Max("visits__on"))
        .filter(next_on__isnull=False, next_on__lte=on + timedelta(days=VISIT_DUE_AHEAD_DAYS))
    )
    for e in entries:
        overdue = e.next_on < on
        tasks.append(
            Task(
                kind="visit_due",
                kind_label="走访逾期" if overdue else "走访到期",
                title=f"走访{e.enterprise.name}",
                url=reverse("web:enterprise", args=[entry_key(e)]),
                due=e.next_on,
                overdue=overdue,
                unit_code=e.enterprise.unit.code,
                detail=f"上次走访 {e.last_on:%Y-%m-%d}，约定下次 {e.next_on:%Y-%m-%d}"
                + (f"，已逾期 {(on - e.next_on).days} 天" if overdue else ""),
            )
        )
    # Requests past their deadline, to whom they are escalated.
    requests = ServiceRequest.objects.filter(
        entry__in=RosterEntry.objects.filter(where), status__in=OPEN_STATUSES, deadline__lt=on, received_on__lte=on
    ).select_related("entry__enterprise__unit")
    if user.role == Role.UNIT_STAFF:
        requests = requests.filter(entry__enterprise__unit_id=user.unit_id)
    elif user.role == Role.CITY_ADMIN or user.is_superuser:
        requests = requests.filter(deadline__lt=on - timedelta(days=CITY_ESCALATION_DAYS))
    else:
        requests = requests.none()
    for r in requests.order_by("deadline", "pk"):
        _level, label = escalation(r, on)
        late = (on - r.deadline).days
        tasks.append(
            Task(
                kind="request_overdue",
                kind_label="诉求逾期",
                title=f"{r.entry.enterprise.name}：{r.get_category_display()}诉求（{r.department}）",
                url=reverse("web:enterprise", args=[entry_key(r.entry)]) + f"#request-{r.pk}",
                due=r.deadline,
                overdue=True,
                unit_code=r.entry.enterprise.unit.code,
                detail=f"办理时限 {r.deadline:%Y-%m-%d}，已逾期 {late} 天，{label}",
            )
        )
    return sorted(tasks, key=Task.sort_key)
