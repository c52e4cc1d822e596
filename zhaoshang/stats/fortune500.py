"""Fortune Global 500 membership: which projects count, and the distinct listed groups behind them."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Q, QuerySet

from zhaoshang.projects.models import Fortune500Entry, Fortune500List, Project


def fortune500_projects() -> QuerySet[Project]:
    """Projects whose investor, or its ultimate parent, is on the list in force on the project's date.

    The list in force is the latest one published on or before the date of signing (or registration, for a
    project entered at that stage). Lists are few (one a year), so each list's window of days becomes one branch
    of a single filter over the project–investor links; the database answers it with index lookups instead of
    re-reading the list for every project.
    """
    lists = list(Fortune500List.objects.order_by("published_on").values_list("pk", "published_on"))
    q = Q(pk__in=[])
    for i, (list_id, published_on) in enumerate(lists):
        window = Q(signed_on__gte=published_on)
        if i + 1 < len(lists):
            window &= Q(signed_on__lt=lists[i + 1][1])
        members = Fortune500Entry.objects.filter(listing_id=list_id, investor__isnull=False).values("investor_id")
        q |= window & (Q(investors__in=members) | Q(investors__parent__in=members))
    return Project.objects.filter(pk__in=Project.objects.filter(q).values("pk"))


def fortune500_companies(project_ids: QuerySet[Project, Any]) -> dict[int | None, int]:
    """Distinct listed groups behind the given projects, per unit and (key None) for all of them."""
    members = set(Fortune500Entry.objects.exclude(investor=None).values_list("investor_id", flat=True))
    per_unit: dict[int | None, set[int]] = defaultdict(set)
    rows = Project.objects.filter(pk__in=project_ids).values_list("unit_id", "investors__id", "investors__parent_id")
    for unit_id, investor_id, parent_id in rows:
        group = investor_id if investor_id in members else parent_id if parent_id in members else None
        if group is not None:
            per_unit[unit_id].add(group)
            per_unit[None].add(group)
    return {k: len(v) for k, v in per_unit.items()}
