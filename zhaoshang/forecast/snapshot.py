"""The registry as it stood at the end of an as-of month, rebuilt from dated history rather than today's rows.

A project exists at the as-of date when one of its stage events is dated on or before it; its stage then is the
furthest stage reached by that date (中止 when a drop is dated by then); its signing and registration dates are the
first events at or beyond 签约 / 设立. Amounts come from the project's history: the latest history row recorded on or
before the as-of date, or — for rows recorded after it (back-filled registries such as the demo) — the first row
recorded, i.e. the amount as first entered, never a later correction. Arrivals are those of months up to the as-of
month, of the kinds the caliber counts (the registry's own filter, `stats.selectors.actual_use_q`), as reported.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from zhaoshang.common.periods import month_start
from zhaoshang.projects.models import STAGE_ORDER, CapitalArrival, Project, ProjectStageEvent, Stage, stage_index
from zhaoshang.stats.caliber import Caliber
from zhaoshang.stats.selectors import actual_use_q

SIGNED_AT = stage_index(Stage.SIGNED)
REGISTERED_AT = stage_index(Stage.REGISTERED)


def month_end(d: date) -> date:
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def month_no(d: date) -> int:
    """Months since year 0: differences of these are month lags."""
    return d.year * 12 + d.month - 1


def from_month_no(n: int) -> date:
    return date(n // 12, n % 12 + 1, 1)


@dataclass
class ProjectState:
    pk: int
    code: str
    name: str
    unit_id: int
    kind: str
    contract_usd: Decimal
    stage: str  # at the as-of date
    stage_on: date
    first_on: date
    signed_on: date | None
    registered_on: date | None
    dropped_on: date | None
    events: list[tuple[str, date]] = field(default_factory=list)
    arrivals: dict[int, Decimal] = field(default_factory=dict)  # month number → US$ (reported), up to the as-of
    # Month numbers of entering 洽谈 (when the project began there) and 签约, kept for the delay estimates.
    negotiating_no: int | None = None
    signed_no: int | None = None

    @property
    def arrived(self) -> Decimal:
        return sum(self.arrivals.values(), Decimal(0))


@dataclass
class Snapshot:
    as_of: date  # first day of the as-of month
    projects: dict[int, ProjectState]
    # month number → unit id → US$: every counted arrival up to the as-of month, whichever project it belongs to
    monthly: dict[int, dict[int, Decimal]]

    @property
    def as_of_no(self) -> int:
        return month_no(self.as_of)


def _amounts_as_of(day: date, ids: set[int]) -> dict[int, Decimal]:
    """Contracted foreign capital (US$) per project as it stood on `day`, from the history table."""
    cutoff = timezone.make_aware(datetime.combine(day, time.max))
    hist = Project.history.model.objects.filter(id__in=ids) if len(ids) < 900 else Project.history.model.objects
    best: dict[int, tuple[bool, datetime, Decimal]] = {}
    for pk, when, amount in hist.values_list("id", "history_date", "contract_foreign_usd").order_by("history_date"):
        before = when <= cutoff
        seen = best.get(pk)
        # Prefer the latest row on or before the cut-off; failing that, the first row ever recorded.
        if seen is None or (before and (not seen[0] or when >= seen[1])):
            best[pk] = (before, when, amount)
    return {pk: v[2] for pk, v in best.items()}


STAGE_RANK = {str(s): i for i, s in enumerate(STAGE_ORDER)}
DROPPED = str(Stage.DROPPED)
NEGOTIATING = str(Stage.NEGOTIATING)


def _state(
    *, pk: int, code: str, name: str, unit_id: int, kind: str, contract: Decimal, events: list[tuple[str, date]]
) -> ProjectState:
    """A project's state from its stage events dated by the as-of date (never empty). One pass: this runs for every
    project of the registry."""
    dropped = signed = registered = None
    best_rank, stage, stage_on = -1, str(Stage.NEGOTIATING), events[0][1]
    for s, on in events:
        if s == DROPPED:
            if dropped is None:
                dropped = on
            continue
        rank = STAGE_RANK[s]
        if rank > best_rank or (rank == best_rank and on > stage_on):
            best_rank, stage, stage_on = rank, s, on
        if rank >= SIGNED_AT and (signed is None or on < signed):
            signed = on
        if rank >= REGISTERED_AT and (registered is None or on < registered):
            registered = on
    return ProjectState(
        pk=pk,
        code=code,
        name=name,
        unit_id=unit_id,
        kind=kind,
        contract_usd=contract,
        stage=DROPPED if dropped else stage,
        stage_on=dropped or stage_on,
        first_on=events[0][1],
        signed_on=signed,
        registered_on=registered,
        dropped_on=dropped,
        events=events,
        negotiating_no=month_no(events[0][1]) if events[0][0] == NEGOTIATING else None,
        signed_no=month_no(signed) if signed else None,
    )


def registry_at(as_of: date, caliber: Caliber, *, unit_ids: list[int] | None = None) -> Snapshot:
    """The registry at the end of the as-of month (see the module's note). Four queries whatever the size."""
    as_of = month_start(as_of)
    day = month_end(as_of)
    events: dict[int, list[tuple[str, date]]] = defaultdict(list)
    ev = ProjectStageEvent.objects.filter(on__lte=day)
    if unit_ids is not None:
        ev = ev.filter(project__unit_id__in=unit_ids)
    for pk, stage, on in ev.values_list("project_id", "stage", "on").order_by("project_id", "on", "id"):
        events[pk].append((stage, on))
    rows = Project.objects.filter(pk__in=ev.values("project_id")).values_list(
        "pk", "code", "name", "unit_id", "kind", "contract_foreign_usd"
    )
    projects: dict[int, ProjectState] = {}
    current = {r[0]: r for r in rows}
    amounts = _amounts_as_of(day, set(current))
    for pk, code, name, unit_id, kind, contract in current.values():
        projects[pk] = _state(
            pk=pk,
            code=code,
            name=name,
            unit_id=unit_id,
            kind=kind,
            contract=amounts.get(pk, contract),
            events=events[pk],
        )
    arrivals = CapitalArrival.objects.filter(actual_use_q(caliber), month__lte=as_of)
    if unit_ids is not None:
        arrivals = arrivals.filter(project__unit_id__in=unit_ids)
    monthly: dict[int, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for pk, unit_id, month, amount in (
        arrivals.values("project_id", "project__unit_id", "month")
        .annotate(total=Sum("amount_usd"))
        .values_list("project_id", "project__unit_id", "month", "total")
    ):
        n = month_no(month)
        monthly[n][unit_id] += amount
        state = projects.get(pk)
        if state is not None:
            state.arrivals[n] = state.arrivals.get(n, Decimal(0)) + amount
    return Snapshot(as_of=as_of, projects=projects, monthly={k: dict(v) for k, v in monthly.items()})


def rewind(snapshot: Snapshot, as_of: date) -> Snapshot:
    """The same registry at an earlier month-end, by dropping what is dated after it (no query): stages, drops and
    arrivals later than the new as-of date are forgotten. Amounts stay as known at the later as-of date."""
    as_of = month_start(as_of)
    day = month_end(as_of)
    limit = month_no(as_of)
    projects: dict[int, ProjectState] = {}
    for pk, p in snapshot.projects.items():
        if p.events[-1][1] <= day and (not p.arrivals or max(p.arrivals) <= limit):
            projects[pk] = p  # nothing of it is dated later: the same state (states are never changed in place)
            continue
        evs = [(s, on) for s, on in p.events if on <= day]
        if not evs:
            continue
        state = _state(
            pk=p.pk, code=p.code, name=p.name, unit_id=p.unit_id, kind=p.kind, contract=p.contract_usd, events=evs
        )
        state.arrivals = {n: v for n, v in p.arrivals.items() if n <= limit}
        projects[pk] = state
    monthly = {n: dict(v) for n, v in snapshot.monthly.items() if n <= limit}
    return Snapshot(as_of=as_of, projects=projects, monthly=monthly)
