"""Fortune Global 500 membership: which projects count, and the distinct listed groups behind them."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from zhaoshang.projects.models import Fortune500Entry, Fortune500List, Investor, Project


def fortune500_q() -> Q:
    """The predicate on a project: its investor, or that investor's ultimate parent, is on the list in force on the
    project's date.

    The list in force is the latest one published on or before the date of signing (or registration, for a
    project entered at that stage). Lists are few (one a year), so each list's window of days becomes one branch:
    the project's own date picks the branch (an index range on `signed_on`) and an EXISTS over the project's
    investor links asks the list, so a query that has already chosen its projects (a period, a unit) looks up only
    theirs, instead of first listing every member project since the first list.
    """
    lists = list(Fortune500List.objects.order_by("published_on").values_list("pk", "published_on"))
    links = Project.investors.through.objects
    q = Q(pk__in=[])
    for i, (list_id, published_on) in enumerate(lists):
        window = Q(signed_on__gte=published_on)
        if i + 1 < len(lists):
            window &= Q(signed_on__lt=lists[i + 1][1])
        members = Fortune500Entry.objects.filter(listing_id=list_id, investor__isnull=False).values("investor_id")
        # The investors that count under this list (listed, or a subsidiary of a listed group): an uncorrelated
        # set the database builds once and probes per project.
        counted = Investor.objects.filter(Q(pk__in=members) | Q(parent_id__in=members)).values("pk")
        q |= window & Q(Exists(links.filter(project_id=OuterRef("pk"), investor_id__in=counted)))
    return q


def fortune500_projects() -> QuerySet[Project]:
    """The projects that count as Fortune Global 500 investments (`fortune500_q`)."""
    return Project.objects.filter(fortune500_q())


def fortune500_groups(projects: QuerySet[Project, Any]) -> dict[int, set[int]]:
    """The listed groups (investor ids) behind the given projects, per unit: one query over their investor links.

    A project's group is its investor when that investor is on any list, else the investor's ultimate parent when
    that one is."""
    members = set(Fortune500Entry.objects.exclude(investor=None).values_list("investor_id", flat=True))
    per_unit: dict[int, set[int]] = defaultdict(set)
    rows = projects.order_by().values_list("unit_id", "investors__id", "investors__parent_id")
    for unit_id, investor_id, parent_id in rows:
        group = investor_id if investor_id in members else parent_id if parent_id in members else None
        if group is not None:
            per_unit[unit_id].add(group)
    return dict(per_unit)


def fortune500_companies(project_ids: QuerySet[Project, Any]) -> dict[int | None, int]:
    """Distinct listed groups behind the given projects, per unit and (key None) for all of them."""
    groups = fortune500_groups(Project.objects.filter(pk__in=project_ids))
    out: dict[int | None, int] = {k: len(v) for k, v in groups.items()}
    if groups:
        out[None] = len(set().union(*groups.values()))
    return out
