"""The figures: every indicator of the registry for a period, per unit, for the city and for the province.

Each figure is a SQL aggregate over the registry (a handful of grouped queries whatever the data's size);
`stats_report` puts them together with the targets and the province's published figures. Views, the API, the
command line, documents and pushes all read figures from here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum

from zhaoshang.common.clock import today
from zhaoshang.common.money import pct1 as pct1
from zhaoshang.common.periods import MonthRange, add_months
from zhaoshang.common.ranking import competition_ranks
from zhaoshang.projects.models import (
    CapitalArrival,
    Project,
    ProjectStageEvent,
    Stage,
)
from zhaoshang.projects.selectors import at_risk_q
from zhaoshang.units.models import Region, Unit
from zhaoshang.units.selectors import home_city, home_province, province_cities

from . import indicators as registry
from .caliber import Caliber
from .figures import Figures, growth_pct
from .fortune500 import fortune500_groups
from .fortune500 import fortune500_projects as fortune500_projects
from .indicators import Indicator
from .models import ProvinceFigure, ProvinceIndicator, Target

ZERO = Decimal(0)


# ---------------------------------------------------------------------------------------------- per unit


def _grouped(
    rows: QuerySet[Any],
    group: str,
    indicators: list[Indicator],
    caliber: Caliber,
    cur: Q,
    prev: Q,
    built: dict[str, Q] | None = None,
) -> dict[int, dict[str, Any]]:
    """One grouped query: every indicator of one source, this period and a year earlier, per unit (`built`: filters
    the caller has already built from the registry, by key)."""
    annotations: dict[str, Any] = {}
    for ind in indicators:
        if ind.where is None or ind.field is None:
            continue
        where = (built or {}).get(ind.key) or ind.where(caliber)
        if ind.source == registry.Source.PROJECTS:
            where &= caliber.projects_q()
        agg = Sum if ind.measure else Count
        col = caliber.money_column(ind.measure) if ind.measure else "pk"
        annotations[ind.field] = agg(col, filter=cur & where)
        annotations[f"{ind.field}_prev"] = agg(col, filter=prev & where)
    return {row.pop(group): row for row in rows.values(group).annotate(**annotations)}


def unit_figures(
    period: MonthRange, caliber: Caliber, *, on: date | None = None, groups_out: dict[int, set[int]] | None = None
) -> dict[int, Figures]:
    """Every unit's figures for the period and a year earlier, built from the registry's declarations: one grouped
    query over arrivals, one over projects, plus Fortune Global 500 groups and contact risk.

    The Fortune Global 500 predicate is built once (one read of the lists) and serves both the project count and
    the groups; `groups_out`, when given, receives each unit's listed groups so that the city's distinct count is
    their union rather than a second query."""
    prev = period.previous_year()
    out: dict[int, Figures] = defaultdict(Figures)
    comparable = caliber.growth_on_comparable(period)

    in_cur = Q(month__gte=period.first, month__lte=period.last)
    in_prev = Q(month__gte=prev.first, month__lte=prev.last)
    arrivals = CapitalArrival.objects.filter(in_cur | in_prev)
    for unit_id, sums in _grouped(
        arrivals, "project__unit_id", registry.additive(registry.Source.ARRIVALS), caliber, in_cur, in_prev
    ).items():
        f = out[unit_id]
        for name, v in sums.items():
            setattr(f, name, v or ZERO)

    basis = caliber.basis_field
    p_cur = Q(**{f"{basis}__gte": period.start_date, f"{basis}__lte": period.end_date})
    p_prev = Q(**{f"{basis}__gte": prev.start_date, f"{basis}__lte": prev.end_date})
    projects = Project.objects.filter(p_cur | p_prev)
    f500 = registry.project_q("fortune500_projects", caliber)
    for unit_id, sums in _grouped(
        projects,
        "unit_id",
        registry.additive(registry.Source.PROJECTS),
        caliber,
        p_cur,
        p_prev,
        {"fortune500_projects": f500},
    ).items():
        f = out[unit_id]
        for name, v in sums.items():
            setattr(f, name, ZERO if v is None else v)

    groups = fortune500_groups(Project.objects.filter(p_cur, caliber.projects_q(), f500))
    for unit_id, members in groups.items():
        out[unit_id].fortune500_companies = len(members)
    if groups_out is not None:
        groups_out.update(groups)

    at_risk = Project.objects.filter(registry.project_q("at_risk", caliber, on=on)).values("unit_id")
    for risk in at_risk.annotate(n=Count("pk")):
        out[risk["unit_id"]].at_risk = risk["n"]
    for f in out.values():
        f.growth_on_comparable = comparable
    out.default_factory = None  # type: ignore[attr-defined]
    return out


def credited_unit_figures(
    period: MonthRange, caliber: Caliber, *, on: date | None = None, per_unit: dict[int, Figures] | None = None
) -> dict[int, Figures]:
    """The units' figures for the race and the units' target progress: a joint project (联合招引, decided on a
    conflict in zhaoshang.leads) is credited to its units by the decided shares — its money figures split by share,
    its project counts to the unit with the largest share. The statistics (MOFCOM caliber, `unit_figures`) never
    split: the enterprise's unit keeps the whole figure there. The units still add up to the city's total, so each
    figure is counted once in the city."""
    from zhaoshang.leads.selectors import apply_shares, joint_shares

    per_unit = per_unit if per_unit is not None else unit_figures(period, caliber, on=on)
    shares = joint_shares()
    if not shares:
        return per_unit
    prev = period.previous_year()
    in_cur = Q(month__gte=period.first, month__lte=period.last)
    in_prev = Q(month__gte=prev.first, month__lte=prev.last)
    per_project: dict[int, tuple[int, dict[str, Decimal]]] = {}
    owners = dict(Project.objects.filter(pk__in=list(shares)).values_list("pk", "unit_id"))
    arrivals = CapitalArrival.objects.filter(in_cur | in_prev, project_id__in=list(shares))
    money = registry.additive(registry.Source.ARRIVALS)
    for pid, sums in _grouped(arrivals, "project_id", money, caliber, in_cur, in_prev).items():
        per_project[pid] = (owners[pid], {k: v or ZERO for k, v in sums.items()})
    basis = caliber.basis_field
    p_cur = Q(**{f"{basis}__gte": period.start_date, f"{basis}__lte": period.end_date})
    p_prev = Q(**{f"{basis}__gte": prev.start_date, f"{basis}__lte": prev.end_date})
    projects = Project.objects.filter(p_cur | p_prev, pk__in=list(shares))
    counts: dict[int, dict[str, Decimal]] = {}
    for pid, sums in _grouped(
        projects, "pk", registry.additive(registry.Source.PROJECTS), caliber, p_cur, p_prev
    ).items():
        for k, v in sums.items():
            if isinstance(v, int):
                counts.setdefault(pid, {})[k] = Decimal(v)
            else:
                per_project.setdefault(pid, (owners[pid], {}))[1][k] = v or ZERO
    fields = {name for _, values in per_project.values() for name in values}
    moved = apply_shares(
        {u: {n: Decimal(getattr(f, n)) for n in fields} for u, f in per_unit.items()}, per_project, shares
    )
    # Counts go whole to the unit with the largest share (the holding unit on a tie).
    whole = {
        pid: max(split, key=lambda us: (us[1], us[0] == owners[pid]))[0]
        for pid, split in shares.items()
        if pid in counts
    }
    out: dict[int, Figures] = {}
    for unit_id in set(per_unit) | set(moved) | set(whole.values()):
        f = Figures(**vars(per_unit[unit_id])) if unit_id in per_unit else Figures()
        for name, value in moved.get(unit_id, {}).items():
            setattr(f, name, value)
        out[unit_id] = f
    for pid, winner in whole.items():
        owner = owners[pid]
        if winner == owner:
            continue
        for name, n in counts[pid].items():
            setattr(out[owner], name, getattr(out[owner], name) - int(n))
            setattr(out[winner], name, getattr(out[winner], name) + int(n))
    return out


def actual_use_q(caliber: Caliber) -> Q:
    """The arrivals that make 实际使用外资 under a caliber: the registry's filter, for every query that sums them."""
    where = registry.indicator("actual_use_usd").where
    return where(caliber) if where else Q()


def pending_actual_use(period: MonthRange, caliber: Caliber) -> Decimal:
    """The city's actual use entered but not yet verified (填报口径 − 认定口径) for the period."""
    from django.db.models import F

    rows = CapitalArrival.objects.filter(
        actual_use_q(caliber),
        month__gte=period.first,
        month__lte=period.last,
        project__unit__in=city_units(),
    )
    return rows.aggregate(s=Sum(F("amount_usd") - F("verified_amount_usd")))["s"] or ZERO


def city_units() -> list[Unit]:
    """The units whose figures make the city's: those that take part in statistics (参与统计, `is_active`)."""
    return list(Unit.objects.filter(is_active=True).order_by("sort_order", "code"))


def city_figures(per_unit: dict[int, Figures], units: list[Unit], *, companies: int, comparable: bool) -> Figures:
    """The city is the sum of its units taking part in statistics (zones rank on their own, so nothing is counted
    twice); a unit outside statistics is outside the city's total everywhere."""
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
    for row in projects.order_by().values("stage").annotate(n=Count("pk")):
        by_stage[row["stage"]] = row["n"]
    medians = stage_day_medians(period, unit_id=None if unit is None else unit.pk)
    stage_days = {s: medians.get(s) for s in Stage.values}
    at_risk = projects.filter(at_risk_q(on=on)).count()
    return Pipeline(by_stage=by_stage, stage_days=stage_days, at_risk=at_risk)


def stage_day_medians(period: MonthRange, *, unit_id: int | None = None) -> dict[str, float]:
    """Per stage, the median days from reaching it to reaching the next recorded stage (not 中止), over the
    transitions whose next stage was reached within the period: one query, the median taken by the database.

    Only the projects with a stage event in the period can have such a transition, so only their histories are
    windowed; each history is ordered by date and id (the same order as the desk's), never by the project's own
    ordering. PostgreSQL takes the median with `percentile_cont(0.5)`; SQLite, which has no median, by numbering
    each stage's transitions and averaging the middle one or two (the same value, as a float).
    """
    events = ProjectStageEvent._meta.db_table
    projects = Project._meta.db_table
    qn = connection.ops.quote_name
    on_col, id_col, stage_col, project_col = qn("on"), qn("id"), qn("stage"), qn("project_id")
    unit_join, params = "", list[Any]()
    if unit_id is not None:
        unit_join = f"JOIN {qn(projects)} p ON p.{id_col} = m.{project_col} AND p.{qn('unit_id')} = %s"
        params.append(unit_id)
    moved = (
        f"SELECT DISTINCT m.{project_col} FROM {qn(events)} m {unit_join} WHERE m.{on_col} >= %s AND m.{on_col} <= %s"  # noqa: S608 (quoted identifiers only)
    )
    params += [period.start_date, period.end_date]
    vendor = connection.vendor
    if vendor == "postgresql":
        days = f"e.next_on - e.{on_col}"
    else:
        days = f"CAST(julianday(e.next_on) - julianday(e.{on_col}) AS INTEGER)"
    transitions = (
        f"SELECT e.{stage_col} AS stage, {days} AS days FROM ("  # noqa: S608 (quoted identifiers only)
        f"SELECT ev.{stage_col}, ev.{on_col}, "
        f"LEAD(ev.{on_col}) OVER w AS next_on, LEAD(ev.{stage_col}) OVER w AS next_stage "
        f"FROM {qn(events)} ev WHERE ev.{project_col} IN ({moved}) "
        f"WINDOW w AS (PARTITION BY ev.{project_col} ORDER BY ev.{on_col}, ev.{id_col})"
        f") e WHERE e.next_on >= %s AND e.next_on <= %s AND e.next_stage <> %s"
    )
    params += [period.start_date, period.end_date, Stage.DROPPED.value]
    if vendor == "postgresql":
        sql = f"SELECT stage, percentile_cont(0.5) WITHIN GROUP (ORDER BY days) FROM ({transitions}) t GROUP BY stage"  # noqa: S608 (quoted identifiers only)
    else:
        sql = (
            f"SELECT stage, AVG(days) FROM (SELECT stage, days, "  # noqa: S608 (quoted identifiers only)
            f"ROW_NUMBER() OVER (PARTITION BY stage ORDER BY days) AS rn, COUNT(*) OVER (PARTITION BY stage) AS n "
            f"FROM ({transitions}) t) r WHERE rn IN ((n + 1) / 2, (n + 2) / 2) GROUP BY stage"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {stage: float(median) for stage, median in cursor.fetchall()}


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
    have = [c for c in items if getattr(c, key) is not None]
    attr = {"actual_use": "rank", "yoy_pct": "rank_yoy", "over_100m": "rank_over_100m"}[key]
    for c, rank in zip(have, competition_ranks(have, lambda c: getattr(c, key)), strict=True):
        setattr(c, attr, rank)


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
    units = city_units()
    groups: dict[int, set[int]] = {}
    per_unit = unit_figures(period, caliber, on=as_of, groups_out=groups)
    comparable = caliber.growth_on_comparable(period)
    # The city's distinct listed groups: the union of its units' (a group investing in two counties counts once).
    companies = len(set().union(*(groups.get(u.pk, set()) for u in units)))
    city = city_figures(per_unit, units, companies=companies, comparable=comparable)

    ytd = MonthRange.year_to_month(period.last.year, period.last.month)
    ytd_units = per_unit if period == ytd else unit_figures(ytd, caliber, on=as_of)
    ytd_city = city if period == ytd else city_figures(ytd_units, units, companies=0, comparable=comparable)
    # A unit's target progress credits joint projects by their shares; the city's counts each figure once.
    ytd_credited = credited_unit_figures(ytd, caliber, on=as_of, per_unit=ytd_units)
    targets = targets_for(period.last.year)
    margin = caliber.behind_margin_pp

    rows = []
    for unit in units:
        f = per_unit.get(unit.pk) or Figures(growth_on_comparable=comparable)
        achieved = (ytd_credited.get(unit.pk) or Figures()).actual_use
        rows.append(UnitRow(unit, f, progress(targets.get((unit.pk, "actual_use_usd")), achieved, ytd, margin)))
    for row, rank in zip(rows, competition_ranks(rows, lambda r: r.figures.actual_use), strict=True):
        row.rank = rank
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
    month in one query; restricted to the given units, by default the city's (those taking part in statistics).
    """
    months = MonthRange.year_to_month(year, last_month)
    prev = months.previous_year()
    rows = CapitalArrival.objects.filter(
        Q(month__gte=months.first, month__lte=months.last) | Q(month__gte=prev.first, month__lte=prev.last),
    ).filter(actual_use_q(caliber))
    if unit_ids is None:
        unit_ids = [u.pk for u in city_units()]
    rows = rows.filter(project__unit_id__in=unit_ids)
    column = caliber.money_column("amount_usd")
    sums = {r["month"]: r["total"] for r in rows.values("month").annotate(total=Sum(column))}
    return [(m, sums.get(m) or ZERO, sums.get(date(m.year - 1, m.month, 1)) or ZERO) for m in months.iter_months()]


def with_arrivals_to_date(qs: QuerySet[Any], caliber: Caliber) -> QuerySet[Any]:
    """Annotate `arrived_usd`: each project's actual use to date under the caliber (累计到资), the same arrivals and
    column as every actual-use figure, summed in one subquery."""
    from django.db.models import DecimalField, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    column = caliber.money_column("amount_usd")
    sums = (
        CapitalArrival.objects.filter(project=OuterRef("pk"))
        .filter(actual_use_q(caliber))
        .order_by()
        .values("project")
        .annotate(s=Sum(column))
        .values("s")
    )
    money = DecimalField(max_digits=18, decimal_places=2)
    return qs.annotate(arrived_usd=Coalesce(Subquery(sums, output_field=money), ZERO, output_field=money))
