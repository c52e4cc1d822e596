"""Reads for leads and conflicts: lists by unit, conversion by source, time to first contact, and the credit shares
of joint projects that the race and the units' target progress use."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet

from zhaoshang.accounts.models import Role
from zhaoshang.common.clock import today

from .models import OPEN_STATUSES, Conflict, CreditShare, Lead, Source, Status
from .services import working_days_between


def lead_list(*, unit_code: str | None = None, status: str | None = None, source: str | None = None) -> QuerySet[Lead]:
    qs = Lead.objects.select_related("unit", "officer", "project", "investor")
    if unit_code:
        qs = qs.filter(unit__code=unit_code)
    if status:
        qs = qs.filter(status=status)
    if source:
        qs = qs.filter(source=source)
    return qs


def leads_visible_to(user: Any) -> QuerySet[Lead]:
    """Unit staff see their unit's leads; every other role sees the city's."""
    qs = lead_list()
    if getattr(user, "role", None) == Role.UNIT_STAFF and not user.is_superuser:
        return qs.filter(unit_id=user.unit_id)
    return qs


def is_overdue(lead: Lead, on: date | None = None) -> bool:
    return lead.status in (Status.NEW, Status.ASSIGNED) and lead.respond_by < (on or today())


@dataclass
class SourceRow:
    source: str
    label: str
    received: int
    converted: int
    abandoned: int
    open: int
    conversion_pct: float | None  # converted ÷ closed (converted + abandoned)
    median_days_to_contact: float | None  # working days from assignment (or receipt) to first contact


@dataclass
class LeadReport:
    rows: list[SourceRow]
    total: SourceRow
    overdue: int


def _row(source: str, label: str, leads: list[Lead]) -> SourceRow:
    converted = sum(1 for x in leads if x.status == Status.CONVERTED)
    abandoned = sum(1 for x in leads if x.status == Status.ABANDONED)
    days = [
        working_days_between(x.assigned_on or x.received_on, x.first_contact_on)
        for x in leads
        if x.first_contact_on is not None
    ]
    closed = converted + abandoned
    return SourceRow(
        source,
        label,
        len(leads),
        converted,
        abandoned,
        sum(1 for x in leads if x.status in OPEN_STATUSES),
        round(converted / closed * 100, 1) if closed else None,
        float(statistics.median(days)) if days else None,
    )


def lead_report(
    *, unit_id: int | None = None, first: date | None = None, last: date | None = None, on: date | None = None
) -> LeadReport:
    """Conversion by source and time to first contact, for a unit or the city, over leads received in [first, last]."""
    qs = Lead.objects.all()
    if unit_id is not None:
        qs = qs.filter(unit_id=unit_id)
    if first is not None:
        qs = qs.filter(received_on__gte=first)
    if last is not None:
        qs = qs.filter(received_on__lte=last)
    leads = list(qs.only("source", "status", "received_on", "assigned_on", "first_contact_on", "respond_by"))
    by_source: dict[str, list[Lead]] = defaultdict(list)
    for x in leads:
        by_source[x.source].append(x)
    rows = [_row(s, label, by_source[s]) for s, label in Source.choices if by_source.get(s)]
    on = on or today()
    return LeadReport(rows, _row("", "合计", leads), sum(1 for x in leads if is_overdue(x, on)))


def lead_counts_by_status(*, unit_id: int | None = None) -> dict[str, int]:
    qs = Lead.objects.all() if unit_id is None else Lead.objects.filter(unit_id=unit_id)
    counts = {s: 0 for s in Status.values}
    for row in qs.values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return counts


# ---------------------------------------------------------------------------------------------- conflicts


def conflict_list(*, state: str | None = None, unit_id: int | None = None) -> QuerySet[Conflict]:
    qs = Conflict.objects.select_related(
        "unit_a", "unit_b", "lead_a", "lead_b", "project_a", "project_b", "decided_unit", "decided_by"
    ).prefetch_related("shares", "shares__unit")
    if state:
        qs = qs.filter(state=state)
    if unit_id is not None:
        qs = qs.filter(Q(unit_a_id=unit_id) | Q(unit_b_id=unit_id))
    return qs


def conflicts_for_lead(lead: Lead) -> QuerySet[Conflict]:
    return conflict_list().filter(Q(lead_a=lead) | Q(lead_b=lead))


def conflicts_for_project(project_id: int) -> QuerySet[Conflict]:
    return conflict_list().filter(Q(project_a_id=project_id) | Q(project_b_id=project_id))


# ---------------------------------------------------------------------------------------------- credit shares


def joint_shares() -> dict[int, list[tuple[int, Decimal]]]:
    """Per joint project, each unit's share of its credit (decided joint conflicts whose project exists)."""
    out: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    for project_id, unit_id, share in CreditShare.objects.filter(
        project__isnull=False, conflict__decision=Conflict.Decision.JOINT
    ).values_list("project_id", "unit_id", "share"):
        out[project_id].append((unit_id, share))
    return dict(out)


def apply_shares(
    per_unit: dict[int, dict[str, Decimal]],
    per_project: dict[int, tuple[int, dict[str, Decimal]]],
    shares: dict[int, list[tuple[int, Decimal]]],
) -> dict[int, dict[str, Decimal]]:
    """Move each joint project's figures from the unit that holds it to the units by their shares.

    `per_unit` is {unit: {figure: value}} with each project counted whole in its own unit; `per_project` is
    {project: (its unit, {figure: value})} for the joint projects. The result adds up to the same city total: a
    project's figures leave its unit once and come back split by shares that sum to 1."""
    out = {u: dict(v) for u, v in per_unit.items()}
    for project_id, (owner, values) in per_project.items():
        split = shares.get(project_id)
        if not split:
            continue
        for name, value in values.items():
            if not value:
                continue
            out.setdefault(owner, {})
            out[owner][name] = out[owner].get(name, Decimal(0)) - Decimal(value)
            for unit_id, share in split:
                out.setdefault(unit_id, {})
                out[unit_id][name] = out[unit_id].get(name, Decimal(0)) + Decimal(value) * share
    return out
