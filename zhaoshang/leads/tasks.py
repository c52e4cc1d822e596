"""我的待办 for leads: first contacts due or overdue for the unit, escalated leads and open conflicts for the city."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from zhaoshang.accounts.models import Role
from zhaoshang.common.clock import today
from zhaoshang.common.todo import Task

from .models import Conflict, Lead, LeadConfig, Status
from .services import working_days_between


def tasks_for(user: Any) -> list[Task]:
    if user is None or not user.is_authenticated:
        return []
    on = today()
    city = user.is_superuser or getattr(user, "role", None) == Role.CITY_ADMIN
    staff = getattr(user, "role", None) == Role.UNIT_STAFF and user.unit_id is not None
    tasks: list[Task] = []
    waiting = Lead.objects.filter(status__in=[Status.NEW, Status.ASSIGNED]).select_related("unit")
    if staff and not city:
        waiting = waiting.filter(unit_id=user.unit_id)
    elif not city:
        return []
    grace = LeadConfig.get().escalate_after_working_days
    for lead in waiting.order_by("respond_by", "pk")[:200]:
        overdue = lead.respond_by < on
        escalated = overdue and (lead.escalated_on is not None or working_days_between(lead.respond_by, on) > grace)
        if city and not staff and lead.unit_id is not None and not escalated:
            continue  # the city sees what waits for it: unassigned leads and escalations
        title = (
            f"分派线索：{lead.company}"
            if lead.unit_id is None
            else f"首次联系线索：{lead.company}" + ("（已逾期上报）" if escalated and city else "")
        )
        tasks.append(
            Task(
                kind="lead_response",
                kind_label="线索响应",
                title=title,
                url=reverse("leads:detail", args=[lead.pk]),
                due=lead.respond_by,
                overdue=overdue,
                unit_code=lead.unit.code if lead.unit else None,
                detail=f"{lead.code}，{lead.get_source_display()}，收到于{lead.received_on:%Y年%m月%d日}",
            )
        )
    conflicts = Conflict.objects.filter(state=Conflict.State.OPEN).select_related("unit_a", "unit_b")
    if not city:
        conflicts = conflicts.filter(unit_a_id=user.unit_id) | conflicts.filter(unit_b_id=user.unit_id)
    for c in conflicts[:100]:
        tasks.append(
            Task(
                kind="lead_conflict",
                kind_label="撞单",
                title=(f"裁定撞单：{c.subject}" if city else f"撞单待市局裁定：{c.subject}"),
                url=reverse("leads:conflicts") + f"#c{c.pk}",
                due=None,
                overdue=False,
                unit_code=None,
                detail=f"{c.unit_a.short_name} / {c.unit_b.short_name}：{c.basis}",
            )
        )
    return sorted(tasks, key=Task.sort_key)
