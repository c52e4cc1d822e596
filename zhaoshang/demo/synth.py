"""Multiplies the registry for benchmarks: `zhaoshang synth --scale N` makes N copies of every project.

The copies are bulk-inserted, bypassing the services and leaving no history: they exist to measure how the
figures scale, not to be worked on. Each copy keeps its original's dates, amounts, stages and follow-ups.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import transaction

from zhaoshang.accounts.permissions import ensure_can
from zhaoshang.freshness.version import figures_changed
from zhaoshang.projects.models import CapitalArrival, Claim, FollowUp, Project, ProjectStageEvent

BATCH = 2000
CENT = Decimal("0.01")


@transaction.atomic
def synthesize(
    scale: int,
    *,
    actor: Any,
    progress: Callable[..., Any] | None = None,
    noise: float = 0.0,
    seed: int = 1,
) -> dict[str, int]:
    """Benchmark tool: run as the system actor (or a city administrator), never on the bureau's real data.

    With `noise` > 0 each copied arrival's amount is multiplied by a log-normal factor exp(noise·z − noise²/2) drawn
    from its own seeded generator (`seed`), so a back-test can be run on a registry that is not the demo's replica."""
    ensure_can(actor, "project.write")
    if scale < 1:
        raise ValueError("倍数必须是正整数")
    originals = list(Project.objects.exclude(code__contains="-S"))
    if not originals:
        raise ValueError("项目库为空：请先运行 zhaoshang demo --no-serve")
    investor_links = list(
        Project.investors.through.objects.filter(project__in=originals).values_list("project_id", "investor_id")
    )
    tag_links = list(
        Project.focus_industries.through.objects.filter(project__in=originals).values_list(
            "project_id", "focusindustry_id"
        )
    )
    events = list(ProjectStageEvent.objects.filter(project__in=originals))
    arrivals = list(CapitalArrival.objects.filter(project__in=originals))
    follow_ups = list(FollowUp.objects.filter(project__in=originals))
    claims = list(Claim.objects.filter(project__in=originals))
    existing = Project.objects.filter(code__contains="-S").count() // len(originals)
    copies = range(existing + 1, scale)
    rng = random.Random(seed)  # noqa: S311  (seeded noise for benchmarks; nothing secret)
    steps = progress(copies, desc="复制项目", unit="份") if progress else copies
    for k in steps:
        clones = []
        for p in originals:
            clone = Project(**{f.attname: getattr(p, f.attname) for f in Project._meta.concrete_fields})
            clone.pk = None
            clone.code = f"{p.code}-S{k}"
            clones.append(clone)
        Project.objects.bulk_create(clones, batch_size=BATCH)
        new_id = {p.pk: c.pk for p, c in zip(originals, clones, strict=True)}
        Project.investors.through.objects.bulk_create(
            [Project.investors.through(project_id=new_id[p], investor_id=i) for p, i in investor_links],
            batch_size=BATCH,
        )
        Project.focus_industries.through.objects.bulk_create(
            [Project.focus_industries.through(project_id=new_id[p], focusindustry_id=t) for p, t in tag_links],
            batch_size=BATCH,
        )
        copied: dict[type, dict[int, int]] = {}
        for model, rows in ((ProjectStageEvent, events), (CapitalArrival, arrivals), (FollowUp, follow_ups)):
            copies_of_rows: list[Any] = []
            for row in rows:
                copy = model(**{f.attname: getattr(row, f.attname) for f in model._meta.concrete_fields})
                copy.pk = None
                copy.project_id = new_id[row.project_id]
                if noise > 0 and isinstance(copy, CapitalArrival):
                    factor = Decimal(str(math.exp(rng.gauss(0.0, noise) - noise * noise / 2)))
                    copy.amount = (copy.amount * factor).quantize(CENT)
                    copy.amount_usd = (copy.amount_usd * factor).quantize(CENT)
                    copy.verified_amount_usd = min(copy.verified_amount_usd, copy.amount_usd)
                copies_of_rows.append(copy)
            model.objects.bulk_create(copies_of_rows, batch_size=BATCH)
            copied[model] = {row.pk: c.pk for row, c in zip(rows, copies_of_rows, strict=True)}
        # Verification state travels with the rows; the claims that wait on them travel too.
        claim_copies: list[Claim] = []
        for claim in claims:
            twin = Claim(**{f.attname: getattr(claim, f.attname) for f in Claim._meta.concrete_fields})
            twin.pk = None
            twin.project_id = new_id[claim.project_id]
            twin.arrival_id = copied[CapitalArrival].get(claim.arrival_id) if claim.arrival_id else None
            twin.stage_event_id = copied[ProjectStageEvent].get(claim.stage_event_id) if claim.stage_event_id else None
            claim_copies.append(twin)
        Claim.objects.bulk_create(claim_copies, batch_size=BATCH)
        figures_changed()  # bulk_create sends no signal: the figures' version is raised here
    return {"projects": Project.objects.count(), "arrivals": CapitalArrival.objects.count()}


@transaction.atomic
def synthesize_roster(scale: int, *, actor: Any) -> dict[str, int]:
    """Benchmark tool: N copies of the aftercare roster — each enterprise (no credit code, named "…-S{k}"), its roster
    entry and investors, annual figures, visits and requests — bulk-inserted with no history."""
    from zhaoshang.aftercare.models import AnnualFigures, RosterEntry, ServiceRequest, Visit
    from zhaoshang.projects.models import Enterprise

    ensure_can(actor, "roster.write")
    originals = list(RosterEntry.objects.exclude(enterprise__name__contains="-S").select_related("enterprise"))
    links = list(
        RosterEntry.investors.through.objects.filter(rosterentry__in=originals).values_list(
            "rosterentry_id", "investor_id"
        )
    )
    children: dict[Any, list[Any]] = {
        model: list(model.objects.filter(entry__in=originals)) for model in (AnnualFigures, Visit, ServiceRequest)
    }
    existing = RosterEntry.objects.filter(enterprise__name__contains="-S").count() // max(len(originals), 1)
    for k in range(existing + 1, scale):
        enterprises = []
        for e in originals:
            twin = Enterprise(**{f.attname: getattr(e.enterprise, f.attname) for f in Enterprise._meta.concrete_fields})
            twin.pk, twin.credit_code, twin.name = None, None, f"{e.enterprise.name}-S{k}"
            enterprises.append(twin)
        Enterprise.objects.bulk_create(enterprises, batch_size=BATCH)
        entries = []
        for e, twin in zip(originals, enterprises, strict=True):
            copy = RosterEntry(**{f.attname: getattr(e, f.attname) for f in RosterEntry._meta.concrete_fields})
            copy.pk, copy.enterprise_id = None, twin.pk
            entries.append(copy)
        RosterEntry.objects.bulk_create(entries, batch_size=BATCH)
        new_id = {e.pk: c.pk for e, c in zip(originals, entries, strict=True)}
        RosterEntry.investors.through.objects.bulk_create(
            [RosterEntry.investors.through(rosterentry_id=new_id[r], investor_id=i) for r, i in links],
            batch_size=BATCH,
        )
        for model, rows in children.items():
            copies: list[Any] = []
            for row in rows:
                copy = model(**{f.attname: getattr(row, f.attname) for f in model._meta.concrete_fields})
                copy.pk, copy.entry_id = None, new_id[row.entry_id]
                if model is Visit:
                    copy.project_id = None
                if model is ServiceRequest:
                    copy.visit_id = None
                copies.append(copy)
            model.objects.bulk_create(copies, batch_size=BATCH)
    return {"roster": RosterEntry.objects.count()}
