"""我的待办 from the registry: follow-ups due or overdue, stalled projects, claims returned to the user.

A selector: reads only, and only what the user's role may see. Unit staff get their own unit's projects that are
theirs or nobody's; anyone who is a project's responsible officer gets that project's tasks wherever it lies.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import Max, Q, QuerySet
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse

from zhaoshang.common.clock import today
from zhaoshang.common.todo import Task

from .models import Claim, Project, Stage

FOLLOWUP_NOTICE_DAYS = 7  # a follow-up due within a week is listed before it falls due
STALL_DAYS = 60  # the race's default: no stage move and no follow-up for this long is a stalled project
STALL_STAGES_DONE = (Stage.PRODUCTION, Stage.LISTED, Stage.DROPPED)


def _mine(user: Any) -> QuerySet[Project] | None:
    """The projects whose tasks are the user's, or None when the user keeps no projects."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    mine = Q(officer=user)
    unit_id = getattr(user, "unit_id", None)
    if unit_id is not None:
        mine |= Q(unit_id=unit_id, officer__isnull=True)
    return Project.objects.filter(mine)


def _project_url(project: Project) -> str:
    return reverse("web:project", args=[project.code])


def followups_due(user: Any, *, on: date | None = None) -> list[Task]:
    """Projects under negotiation whose next follow-up falls within a week, or has passed (失联风险)."""
    projects = _mine(user)
    if projects is None:
        return []
    on = on or today()
    qs = (
        projects.filter(stage=Stage.NEGOTIATING, next_follow_up_on__lte=on + timedelta(days=FOLLOWUP_NOTICE_DAYS))
        .select_related("unit")
        .order_by("next_follow_up_on", "code")
    )
    out = []
    for p in qs:
        due = p.next_follow_up_on
        overdue = due is not None and due < on
        days = (on - due).days if overdue and due else 0
        out.append(
            Task(
                kind="followup_due",
                kind_label="跟进逾期" if overdue else "跟进到期",
                title=f"跟进 {p.code} {p.name}",
                url=_project_url(p) + "#followup",
                due=due,
                overdue=overdue,
                unit_code=p.unit.code,
                detail=f"计划 {due:%Y-%m-%d} 跟进，已逾期{days}天（失联风险）"
                if overdue
                else f"计划 {due:%Y-%m-%d} 跟进",
            )
        )
    return out


def stalled_projects(user: Any, *, on: date | None = None, stall_days: int = STALL_DAYS) -> list[Task]:
    """Projects not yet in production with no stage move and no follow-up for `stall_days`."""
    projects = _mine(user)
    if projects is None:
        return []
    on = on or today()
    since = on - timedelta(days=stall_days)
    qs = (
        projects.exclude(stage__in=STALL_STAGES_DONE)
        .annotate(last_move=Greatest("stage_on", Coalesce(Max("follow_ups__on"), "stage_on")))
        .filter(last_move__lt=since)
        .select_related("unit")
        .order_by("last_move", "code")
    )
    out = []
    for p in qs:
        last = p.last_move  # type: ignore[attr-defined]
        out.append(
            Task(
                kind="project_stalled",
                kind_label="项目停滞",
                title=f"推进或说明 {p.code} {p.name}",
                url=_project_url(p),
                due=last + timedelta(days=stall_days),
                overdue=True,
                unit_code=p.unit.code,
                detail=(
                    f"自 {last:%Y-%m-%d} 起{(on - last).days}天无阶段推进、无跟进（当前阶段：{p.get_stage_display()}）"
                ),
            )
        )
    return out


def claims_returned(user: Any) -> list[Task]:
    """Claims the city returned: to the unit staff who submitted them, or to their unit's staff."""
    unit_id = getattr(user, "unit_id", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    cond = Q(submitted_by=user)
    if unit_id is not None:
        cond |= Q(project__unit_id=unit_id)
    qs = (
        Claim.objects.filter(cond, status="returned")
        .exclude(arrival__voided_at__isnull=False)
        .select_related("project__unit")
        .order_by("decided_at", "id")
    )
    url = reverse("web:verifications") + "?status=returned"
    return [
        Task(
            kind="claim_returned",
            kind_label="认定退回",
            title=f"修改后重新提交：{c.project.code} {c.project.name}（{c.get_kind_display()}）",
            url=url,
            due=c.decided_at.date() if c.decided_at else None,
            overdue=True,
            unit_code=c.project.unit.code,
            detail=f"退回原因：{c.reason}" if c.reason else "",
        )
        for c in qs
    ]


def claims_to_decide(user: Any) -> list[Task]:
    """One line for those who verify: how many claims wait, the oldest first."""
    from zhaoshang.accounts.permissions import can

    if not can(user, "claim.decide"):
        return []
    waiting = Claim.objects.filter(status="pending").exclude(submitted_by=user)
    count = waiting.count()
    if not count:
        return []
    oldest = waiting.order_by("submitted_at").values_list("submitted_at", flat=True).first()
    return [
        Task(
            kind="claims_pending",
            kind_label="待认定",
            title=f"认定{count}项待认定事项",
            url=reverse("web:verifications") + "?status=pending",
            due=oldest.date() if oldest else None,
            detail=f"最早一项提交于 {oldest:%Y-%m-%d}" if oldest else "",
        )
    ]


def tasks_for(user: Any) -> list[Task]:
    return [*followups_due(user), *stalled_projects(user), *claims_returned(user), *claims_to_decide(user)]
