"""The figures: every indicator of the registry for a period, per unit, for the city and for the province.

Each figure is a SQL aggregate over the registry (a handful of grouped queries whatever the data's size);
`stats_report` puts them together with the targets and the province's published figures. Views, the API, the
command line, documents and pushes all read figures from here.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.expressions import Window
from django.db.models.functions import Lead

from zhaoshang.common.clock import today
from zhaoshang.common.money import round_half_up
from zhaoshang.common.periods import MonthRange, add_months
from zhaoshang.projects.models import (
    ArrivalKind,
    CapitalArrival,
    Fortune500Entry,
    Fortune500List,
    Project,
    ProjectKind,
    ProjectStageEvent,
    Stage,
)
from zhaoshang.units.models import Region, Unit
from zhaoshang.units.selectors import home_city, home_province, province_cities

from .caliber import Caliber
from .models import ProvinceFigure, ProvinceIndicator, Target

ZERO = Decimal(0)
NEW_KINDS = [ProjectKind.NEW, ProjectKind.MNA]
OVER_100M_KINDS = [ProjectKind.NEW, ProjectKind.INCREASE, ProjectKind.REINVEST]


def growth_pct(current: Decimal | None, previous: Decimal | None) -> Decimal | None:
    """Year-on-year growth in %, or None on a zero or missing base (shown as '—', never ∞ or 0%)."""
    if current is None or previous is None or previous <= 0:
        return None
    return (Decimal(current) / Decimal(previous) - 1) * 100


def pct1(value: Decimal | None) -> float | None:
    """A percentage as the bureau writes it: one decimal, rounded half-up."""
    return None if value is None else float(round_half_up(value, 1))


@dataclass
class Figures:
    """One unit's (or the city's) figures for a period and the same months a year earlier."""

    actual_use: Decimal = ZERO
    actual_use_prev: Decimal = ZERO
    comparable: Decimal = ZERO
    comparable_prev: Decimal = ZERO
    reinvested: Decimal = ZERO
    reinvested_prev: Decimal = ZERO
    contract: Decimal = ZERO
    contract_prev: Decimal = ZERO
    new_projects: int = 0
    new_projects_prev: int = 0
    over_100m: int = 0
    over_100m_prev: int = 0
    fortune500_projects: int = 0
    fortune500_projects_prev: int = 0
    fortune500_companies: int = 0
    at_risk: int = 0
    growth_on_comparable: bool = False

    @property
    def yoy_pct(self) -> Decimal | None:
        if self.growth_on_comparable:
            return growth_pct(self.comparable, self.comparable_prev)
        return growth_pct(self.actual_use, self.actual_use_prev)

    @property
    def reinvested_share_pct(self) -> Decimal | None:
        return None if not self.actual_use else self.reinvested / self.actual_use * 100

    @property
    def contract_yoy_pct(self) -> Decimal | None:
        return growth_pct(self.contract, self.contract_prev)

    def add(self, other: Figures) -> None:
        for name in (
            "actual_use",
            "actual_use_prev",
            "comparable",
            "comparable_prev",
            "reinvested",
            "reinvested_prev",
            "contract",
            "contract_prev",
            "new_projects",
            "new_projects_prev",
            "over_100m",
            "over_100m_prev",
            "fortune500_projects",
            "fortune500_projects_prev",
            "at_risk",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))


# ---------------------------------------------------------------------------------------------- Fortune 500


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


# ---------------------------------------------------------------------------------------------- per unit


def unit_figures(period: MonthRange, caliber: Caliber, *, on: date | None = None) -> dict[int, Figures]:
    """Every unit's figures for the period and a year earlier: three grouped queries plus two small ones."""
    prev = period.previous_year()
    out: dict[int, Figures] = defaultdict(Figures)
    comparable = caliber.growth_on_comparable(period)

    in_cur = Q(month__gte=period.first, month__lte=period.last)
    in_prev = Q(month__gte=prev.first, month__lte=prev.last)
    counted = Q(kind__in=caliber.counted_kinds())
    domestic = Q(is_financial=False)
    reinvested = Q(kind=ArrivalKind.REINVESTED_PROFIT)
    arrivals = (
        CapitalArrival.objects.filter(in_cur | in_prev)
        .values("project__unit_id")
        .annotate(
            actual=Sum("amount_usd", filter=in_cur & counted),
            actual_prev=Sum("amount_usd", filter=in_prev & counted),
            comparable=Sum("amount_usd", filter=in_cur & counted & domestic),
            comparable_prev=Sum("amount_usd", filter=in_prev & counted & domestic),
            reinvested=Sum("amount_usd", filter=in_cur & reinvested),
            reinvested_prev=Sum("amount_usd", filter=in_prev & reinvested),
        )
    )
    for arow in arrivals:
        row: dict[str, Any] = dict(arow)
        f = out[row["project__unit_id"]]
        f.actual_use = row["actual"] or ZERO
        f.actual_use_prev = row["actual_prev"] or ZERO
        f.comparable = row["comparable"] or ZERO
        f.comparable_prev = row["comparable_prev"] or ZERO
        f.reinvested = row["reinvested"] or ZERO
        f.reinvested_prev = row["reinvested_prev"] or ZERO

    basis = caliber.basis_field
    p_cur = Q(**{f"{basis}__gte": period.start_date, f"{basis}__lte": period.end_date})
    p_prev = Q(**{f"{basis}__gte": prev.start_date, f"{basis}__lte": prev.end_date})
    new = Q(kind__in=NEW_KINDS)
    big = Q(kind__in=OVER_100M_KINDS, total_investment_usd__gte=caliber.over_100m_usd)
    f500 = Q(pk__in=fortune500_projects().values("pk"))
    projects = (
        Project.objects.filter(p_cur | p_prev)
        .values("unit_id")
        .annotate(
            contract=Sum("contract_foreign_usd", filter=p_cur),
            contract_prev=Sum("contract_foreign_usd", filter=p_prev),
            new=Count("pk", filter=p_cur & new),
            new_prev=Count("pk", filter=p_prev & new),
            big=Count("pk", filter=p_cur & big),
            big_prev=Count("pk", filter=p_prev & big),
            f500=Count("pk", filter=p_cur & f500),
            f500_prev=Count("pk", filter=p_prev & f500),
        )
    )
    for prow in projects:
        row = dict(prow)
        f = out[row["unit_id"]]
        f.contract = row["contract"] or ZERO
        f.contract_prev = row["contract_prev"] or ZERO
        f.new_projects, f.new_projects_prev = row["new"], row["new_prev"]
        f.over_100m, f.over_100m_prev = row["big"], row["big_prev"]
        f.fortune500_projects, f.fortune500_projects_prev = row["f500"], row["f500_prev"]

    companies = fortune500_companies(fortune500_projects().filter(p_cur).values("pk"))
    for unit_id, n in companies.items():
        if unit_id is not None:
            out[unit_id].fortune500_companies = n

    risk_day = on or today()
    at_risk = (
        Project.objects.filter(stage=Stage.NEGOTIATING, next_follow_up_on__lt=risk_day)
        .values("unit_id")
        .annotate(n=Count("pk"))
    )
    for risk in at_risk:
        out[risk["unit_id"]].at_risk = risk["n"]
    for f in out.values():
        f.growth_on_comparable = comparable
    out.default_factory = None  # type: ignore[attr-defined]
    return out


def city_figures(per_unit: dict[int, Figures], units: list[Unit], *, companies: int, comparable: bool) -> Figures:
    """The city is the sum of its units (zones rank on their own, so nothing is counted twice)."""
    city = Figures(growth_on_comparable=comparable)
    for unit in units:
        if unit.pk in per_unit:
            city.add(per_unit[unit.pk])
    city.fortune500_companies = companies
    return city


# ---------------------------------------------------------------------------------------------- pipeline


@dataclass
class Pipeline:
    by_stage: dict[str, int]
    stage_days: dict[str, float | None]
    at_risk: int


def pipeline(period: MonthRange, *, unit: Unit | None = None, on: date | None = None) -> Pipeline:
    """Projects by current stage, median days from each stage to the next within the period, contact risk."""
    projects = Project.objects.all() if unit is None else Project.objects.filter(unit=unit)
    by_stage = {s: 0 for s in Stage.values}
    for row in projects.values("stage").annotate(n=Count("pk")):
        by_stage[row["stage"]] = row["n"]
    events = ProjectStageEvent.objects.filter(project__in=projects.values("pk"))
    order = [F("on").asc(), F("id").asc()]
    transitions = (
        events.annotate(
            next_on=Window(Lead("on"), partition_by=[F("project_id")], order_by=order),
            next_stage=Window(Lead("stage"), partition_by=[F("project_id")], order_by=order),
        )
        .filter(next_on__gte=period.start_date, next_on__lte=period.end_date)
        .exclude(next_stage=Stage.DROPPED)
        .values_list("stage", "on", "next_on")
    )
    # The median is taken in Python over the period's transitions: portable SQL has no median.
    days: dict[str, list[int]] = defaultdict(list)
    for stage, start, end in transitions:
        days[stage].append((end - start).days)
    stage_days = {s: (float(statistics.median(days[s])) if days[s] else None) for s in Stage.values}
    risk_day = on or today()
    at_risk = projects.filter(stage=Stage.NEGOTIATING, next_follow_up_on__lt=risk_day).count()
    return Pipeline(by_stage=by_stage, stage_days=stage_days, at_risk=at_risk)


# ---------------------------------------------------------------------------------------------- targets


@dataclass
class Progress:
    target: Decimal | None
    achieved: Decimal
    progress_pct: Decimal | None
    time_progress_pct: Decimal
    behind: bool


def time_progress_pct(period: MonthRange) -> Decimal:
    """Share of the year elapsed at the end of the period's last month, by months (end of June = 50%)."""
    return Decimal(period.last.month) / 12 * 100


def progress(target: Decimal | None, achieved: Decimal, period: MonthRange, margin_pp: Decimal) -> Progress:
    elapsed = time_progress_pct(period)
    if not target:
        return Progress(target, achieved, None, elapsed, False)
    done = Decimal(achieved) / target * 100
    return Progress(target, achieved, done, elapsed, done < elapsed - margin_pp)


TARGET_SOURCES = {
    "actual_use_usd": "actual_use",
    "contract_usd": "contract",
    "new_projects": "new_projects",
    "projects_over_100m": "over_100m",
    "fortune500_projects": "fortune500_projects",
}


def targets_for(year: int) -> dict[tuple[int | None, str], Decimal]:
    return {(t.unit_id, t.indicator): t.value for t in Target.objects.filter(year=year)}


# ---------------------------------------------------------------------------------------------- the province


@dataclass
class CityFigure:
    code: str
    name: str
    actual_use: Decimal | None
    yoy_pct: Decimal | None
    over_100m: Decimal | None
    is_home: bool = False
    source: str = ""
    rank: int | None = None
    rank_yoy: int | None = None
    rank_over_100m: int | None = None


@dataclass
class Standing:
    code: str
    name: str
    actual_use: Decimal | None
    yoy_pct: Decimal | None
    cities: list[CityFigure]
    home: CityFigure | None
    margin_pp: Decimal | None
    ahead: CityFigure | None
    behind: CityFigure | None
    gap_to_ahead: Decimal | None
    gap_to_behind: Decimal | None
    pace_needed_monthly: Decimal | None
    pace_current_monthly: Decimal | None
    ahead_pace_monthly: Decimal | None
    has_province_data: bool = True  # some other city's figure exists for the period: ranks mean something


def _published(period: MonthRange, indicator: str) -> dict[str, tuple[Decimal, Decimal | None, str]]:
    """Published (value, growth, source) per region code for exactly this period, or derived from 1–N月 figures.

    Bulletins publish 1–N月 totals; a range that starts later in the same year is the difference of two of them
    (growth then from the same difference a year earlier, when those figures are there).
    """
    exact = {
        f.region.code: (f.value, f.yoy_pct, f.source)
        for f in ProvinceFigure.objects.filter(
            first_month=period.first, last_month=period.last, indicator=indicator
        ).select_related("region")
    }
    if exact or period.first.month == 1 or period.first.year != period.last.year:
        return exact
    y = period.first.year
    wanted = [
        (date(y, 1, 1), period.last),
        (date(y, 1, 1), add_months(period.first, -1)),
        (date(y - 1, 1, 1), period.last.replace(year=y - 1)),
        (date(y - 1, 1, 1), add_months(period.first, -1).replace(year=y - 1)),
    ]
    q = Q()
    for first, last in wanted:
        q |= Q(first_month=first, last_month=last)
    cum: dict[tuple[str, date, date], Decimal] = {
        (f.region.code, f.first_month, f.last_month): f.value
        for f in ProvinceFigure.objects.filter(q, indicator=indicator).select_related("region")
    }
    out: dict[str, tuple[Decimal, Decimal | None, str]] = {}
    for code in {k[0] for k in cum}:
        to_end, to_start, prev_end, prev_start = (cum.get((code, *w)) for w in wanted)
        if to_end is None or to_start is None:
            continue
        value = to_end - to_start
        prev = prev_end - prev_start if prev_end is not None and prev_start is not None else None
        out[code] = (value, growth_pct(value, prev), "由1-N月累计数推算")
    return out


def _rank(items: list[CityFigure], key: str) -> None:
    """Competition ranking (1, 2, 2, 4) on a figure, highest first; cities without the figure get no rank."""
    have = sorted((c for c in items if getattr(c, key) is not None), key=lambda c: getattr(c, key), reverse=True)
    attr = {"actual_use": "rank", "yoy_pct": "rank_yoy", "over_100m": "rank_over_100m"}[key]
    for c in have:
        better = sum(1 for o in have if getattr(o, key) > getattr(c, key))
        setattr(c, attr, better + 1)


def province_standing(period: MonthRange, city: Figures, *, city_region: Region | None = None) -> Standing:
    """The home city among the province's cities: ranks, margin over the province, gaps and the pace to catch up."""
    home = city_region or home_city()
    province = home_province()
    values = _published(period, ProvinceIndicator.ACTUAL_USE)
    big = _published(period, ProvinceIndicator.PROJECTS_OVER_100M)
    cities: list[CityFigure] = []
    for region in province_cities():
        if region.pk == home.pk:
            cities.append(
                CityFigure(
                    region.code,
                    region.name,
                    city.actual_use,
                    city.yoy_pct,
                    Decimal(city.over_100m),
                    True,
                    "本系统项目库",
                )
            )
            continue
        v = values.get(region.code)
        b = big.get(region.code)
        cities.append(
            CityFigure(
                region.code,
                region.name,
                v[0] if v else None,
                v[1] if v else None,
                b[0] if b else None,
                False,
                v[2] if v else "",
            )
        )
    # A rank among cities none of which has a figure is no rank: "全省第1位" would only mean "alone".
    for key in ("actual_use", "yoy_pct", "over_100m"):
        if any(getattr(c, key) is not None for c in cities if not c.is_home):
            _rank(cities, key)
    has_data = any(c.actual_use is not None for c in cities if not c.is_home)
    cities.sort(key=lambda c: (c.rank is None, c.rank or 0, c.code))
    home_fig = next((c for c in cities if c.is_home), None)

    prov = values.get(province.code)
    prov_value: Decimal | None
    if prov is not None:
        prov_value, prov_yoy = prov[0], prov[1]
    else:  # not published: the sum of the cities, when every city is there
        known = [c.actual_use for c in cities if c.actual_use is not None]
        prov_value = sum(known, ZERO) if len(known) == len(cities) else None
        prov_yoy = None
    margin = None if home_fig is None or home_fig.yoy_pct is None or prov_yoy is None else home_fig.yoy_pct - prov_yoy

    ahead = behind = None
    if home_fig is not None and home_fig.actual_use is not None:
        # The nearest city strictly above and strictly below; a city level with us is neither.
        mine = home_fig.actual_use
        above = [c for c in cities if c.actual_use is not None and c.actual_use > mine]
        below = [c for c in cities if c.actual_use is not None and c.actual_use < mine]
        ahead = min(above, key=lambda c: c.actual_use or ZERO, default=None)
        behind = max(below, key=lambda c: c.actual_use or ZERO, default=None)
    gap_ahead = ahead.actual_use - city.actual_use if ahead and ahead.actual_use is not None else None
    gap_behind = city.actual_use - behind.actual_use if behind and behind.actual_use is not None else None

    # The pace to overtake the city ahead by year-end, if both keep their pace so far this year.
    pace_needed = pace_now = ahead_pace = None
    if period.is_year_to_date:
        months_done = period.last.month
        months_left = 12 - months_done
        pace_now = city.actual_use / months_done
        if ahead is not None and ahead.actual_use is not None:
            ahead_pace = ahead.actual_use / months_done
            if months_left:
                ahead_year_end = ahead.actual_use + ahead_pace * months_left
                pace_needed = (ahead_year_end - city.actual_use) / months_left
    return Standing(
        province.code,
        province.name,
        prov_value,
        prov_yoy,
        cities,
        home_fig,
        margin,
        ahead,
        behind,
        gap_ahead,
        gap_behind,
        pace_needed,
        pace_now,
        ahead_pace,
        has_data,
    )


# ---------------------------------------------------------------------------------------------- the report


@dataclass
class UnitRow:
    unit: Unit
    figures: Figures
    target: Progress
    rank: int | None = None


@dataclass
class StatsReport:
    period: MonthRange
    caliber: Caliber
    city_region: Region
    city: Figures
    city_target: Progress
    units: list[UnitRow]
    standing: Standing
    pipeline: Pipeline
    as_of: date
    extra: dict[str, object] = field(default_factory=dict)


def stats_report(period: MonthRange, *, unit_code: str | None = None, caliber: Caliber | None = None) -> StatsReport:
    """All figures for a period: units (or one unit), the city, the province, targets and pipeline."""
    caliber = caliber or Caliber.current()
    as_of = today()
    units = list(Unit.objects.filter(is_active=True).order_by("sort_order", "code"))
    per_unit = unit_figures(period, caliber, on=as_of)
    comparable = caliber.growth_on_comparable(period)
    companies = fortune500_companies(
        fortune500_projects()
        .filter(**{f"{caliber.basis_field}__gte": period.start_date, f"{caliber.basis_field}__lte": period.end_date})
        .values("pk")
    ).get(None, 0)
    city = city_figures(per_unit, units, companies=companies, comparable=comparable)

    ytd = MonthRange.year_to_month(period.last.year, period.last.month)
    ytd_units = per_unit if period == ytd else unit_figures(ytd, caliber, on=as_of)
    ytd_city = city if period == ytd else city_figures(ytd_units, units, companies=0, comparable=comparable)
    targets = targets_for(period.last.year)
    margin = caliber.behind_margin_pp

    rows = []
    for unit in units:
        f = per_unit.get(unit.pk) or Figures(growth_on_comparable=comparable)
        achieved = (ytd_units.get(unit.pk) or Figures()).actual_use
        rows.append(UnitRow(unit, f, progress(targets.get((unit.pk, "actual_use_usd")), achieved, ytd, margin)))
    for row in rows:
        row.rank = 1 + sum(1 for o in rows if o.figures.actual_use > row.figures.actual_use)
    city_target = progress(targets.get((None, "actual_use_usd")), ytd_city.actual_use, ytd, margin)

    selected = None
    if unit_code:
        from zhaoshang.units.selectors import unit_by_code

        selected = unit_by_code(unit_code)
        rows = [r for r in rows if r.unit.pk == selected.pk]
    city_region = home_city()
    return StatsReport(
        period=period,
        caliber=caliber,
        city_region=city_region,
        city=city,
        city_target=city_target,
        units=rows,
        standing=province_standing(period, city, city_region=city_region),
        pipeline=pipeline(period, unit=selected, on=as_of),
        as_of=as_of,
    )


# ---------------------------------------------------------------------------------------------- monthly series


def monthly_actual_use(
    year: int, last_month: int, caliber: Caliber, *, unit_ids: list[int] | None = None
) -> list[tuple[date, Decimal, Decimal]]:
    """Actual use month by month, January to `last_month` of `year`, beside the same month a year earlier.

    The same sum as `unit_figures`' actual use (the caliber's counted arrival kinds, month in range), grouped by
    month in one query; restricted to the given units (the active ones make the city's figure).
    """
    months = MonthRange.year_to_month(year, last_month)
    prev = months.previous_year()
    rows = CapitalArrival.objects.filter(
        Q(month__gte=months.first, month__lte=months.last) | Q(month__gte=prev.first, month__lte=prev.last),
        kind__in=caliber.counted_kinds(),
    )
    if unit_ids is not None:
        rows = rows.filter(project__unit_id__in=unit_ids)
    sums = {r["month"]: r["total"] for r in rows.values("month").annotate(total=Sum("amount_usd"))}
    return [(m, sums.get(m) or ZERO, sums.get(date(m.year - 1, m.month, 1)) or ZERO) for m in months.iter_months()]
