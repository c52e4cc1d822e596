"""The race's figures: scores and ranks, the rival, and the rules that propose red flags and snails.

Every figure comes from the statistics layer (zhaoshang.stats.selectors.unit_figures) over a window of days:
projects count by their signing (or registration) date inside the window, arrivals by every month the window
touches, since arrivals are recorded by month.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Exists, Max, OuterRef, Q, Subquery, Sum

from zhaoshang.common.clock import today
from zhaoshang.common.money import pct1, round_half_up
from zhaoshang.common.periods import DayWindow, MonthRange, add_months, last_ended_month, month_start
from zhaoshang.common.ranking import competition_ranks
from zhaoshang.projects.models import (
    STAGE_ORDER,
    CapitalArrival,
    FollowUp,
    MonthClosure,
    Project,
    ProjectStageEvent,
    Stage,
)
from zhaoshang.stats import indicators as registry
from zhaoshang.stats.caliber import Caliber
from zhaoshang.stats.models import ProvinceFigure, ProvinceIndicator
from zhaoshang.stats.selectors import (
    Figures,
    actual_use_q,
    city_figures,
    city_units,
    credited_unit_figures,
    monthly_actual_use,
    unit_figures,
)
from zhaoshang.units.models import Unit

from .board import (
    Board,
    BoardArrivals,
    BoardCity,
    BoardCompetition,
    BoardDormant,
    BoardFlag,
    BoardIndicator,
    BoardRival,
    BoardSnail,
    BoardUnit,
    BoardVersion,
    BoardWeek,
    UnitFigure,
    money_text,
)
from .models import Competition, ProposalDecline, RaceIndicator, RedFlag, Snail, Snapshot

ZERO = Decimal(0)
HUNDRED = Decimal(100)
# Stages that count as "reaching a stage" for the red-flag rules (negotiation and dropping do not).
ADVANCE_STAGES = STAGE_ORDER[1:]
# A project no longer needs pushing once it produces, is listed or is dropped.
SETTLED_STAGES = [Stage.PRODUCTION, Stage.LISTED, Stage.DROPPED]


def achieved(fig: Figures, indicator: str) -> Decimal:
    return registry.value(fig, RaceIndicator(indicator).value)


# ---------------------------------------------------------------------------------------------- scoring


@dataclass
class UnitScore:
    code: str
    name: str
    achieved: dict[str, Decimal]
    targets: dict[str, Decimal | None]
    completion: dict[str, Decimal | None] = field(default_factory=dict)
    score: Decimal = ZERO
    rank: int = 0
    rank_change: int | None = None


def score_units(
    units: list[UnitScore], weights: list[tuple[str, Decimal]], cap: Decimal, previous_ranks: dict[str, int]
) -> list[UnitScore]:
    """Score and rank the units; the rule is written out in the README.

    completion = achieved ÷ target (none when the target is missing or zero: the indicator then scores 0);
    score = Σ weight × min(completion, cap) ÷ Σ weights × 100, rounded half-up to 2 decimals;
    ranked by score, ties broken by the uncapped completion of each indicator in the competition's order;
    units equal on all of these share the rank (1, 2, 2, 4).
    """
    total_weight = sum((w for _, w in weights), ZERO)
    for u in units:
        points = ZERO
        for key, weight in weights:
            target = u.targets.get(key)
            c = u.achieved.get(key, ZERO) / target if target else None
            u.completion[key] = c
            if c is not None:
                points += weight * min(c, cap)
        u.score = round_half_up(points / total_weight * HUNDRED, 2) if total_weight else ZERO

    def order_key(u: UnitScore) -> tuple[Decimal, ...]:
        rest = [Decimal(-1) if u.completion[k] is None else Decimal(str(u.completion[k])) for k, _ in weights]
        return (u.score, *rest)

    for u, rank in zip(units, competition_ranks(units, order_key), strict=True):
        u.rank = rank
    for u in units:
        prev = previous_ranks.get(u.code)
        u.rank_change = None if prev is None else prev - u.rank
    units.sort(key=lambda u: (u.rank, u.code))
    return units


def time_progress_pct(comp: Competition, on: date) -> Decimal:
    days = (comp.end - comp.start).days + 1
    done = min(max((on - comp.start).days + 1, 0), days)
    return Decimal(done) / Decimal(days) * HUNDRED


def clip(comp: Competition, on: date | None) -> date:
    day = on or today()
    return min(max(day, comp.start), comp.end)


def closed_through(day: date) -> date | None:
    """The last month of `day`'s year closed by an issued bulletin on or before `day`, if the year has one: once the
    bureau closes months, weekly figures count arrivals of closed months only (what the units may still correct is
    left out of the race)."""
    return (
        MonthClosure.objects.filter(month__year=last_ended_month(day).year, closed_at__date__lte=day)
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )


def arrivals_through(comp: Competition, day: date) -> date:
    """The last month whose arrivals a board on `day` counts."""
    if not comp.arrivals_ended_months_only:
        return month_start(day)
    ended = last_ended_month(day)
    closed = closed_through(day)
    return ended if closed is None else min(ended, closed)


def race_window(comp: Competition, start: date, day: date) -> DayWindow:
    """Days `start` to `day` for projects; for arrivals the months ended by `day` (the competition's default) — and,
    once months are closed, the closed ones only — or every month touched when the competition counts unfinished
    months."""
    if comp.arrivals_ended_months_only:
        return DayWindow.ended_months(start, day, through=arrivals_through(comp, day))
    return DayWindow.between(start, day)


# ---------------------------------------------------------------------------------------------- proposals


@dataclass
class Proposal:
    rule: str
    project: Project | None
    unit: Unit
    reason: str
    sort: Decimal = ZERO


def _participants(comp: Competition) -> list[Unit]:
    return list(comp.units.order_by("sort_order", "code"))


def propose_red_flags(comp: Competition, start: date, end: date, caliber: Caliber | None = None) -> list[Proposal]:
    """Projects the rules put forward for [start, end], leaving out those already flagged in this competition."""
    caliber = caliber or Caliber.current()
    rules = comp.red_flag_rules or {}
    units = _participants(comp)
    flagged = set(RedFlag.objects.filter(competition=comp).values_list("project_id", flat=True))
    base = Project.objects.filter(unit__in=units).exclude(pk__in=flagged).select_related("unit")
    out: dict[int, Proposal] = {}
    # A red flag needs a verified stage (认定口径) unless the reported caliber is asked for.
    verified = Q(verification="approved") if caliber.verified else Q()

    def reached(qs: Any, rule: str) -> None:
        events = (
            ProjectStageEvent.objects.filter(
                verified, project__in=qs, on__gte=start, on__lte=end, stage__in=ADVANCE_STAGES
            ).select_related("project", "project__unit")
        ).order_by("on", "project__code", "stage")
        for ev in events:
            if ev.project_id not in out:
                stage = Stage(ev.stage).label
                yi = round_half_up(ev.project.total_investment_usd / Decimal(100_000_000), 2)
                what = "世界500强企业投资" if rule == "fortune500_stage" else f"总投资{yi}亿美元"
                out[ev.project_id] = Proposal(rule, ev.project, ev.project.unit, f"{what}，{ev.on:%-m月%-d日}{stage}")

    if rules.get("fortune500_stage"):
        reached(base.filter(registry.project_q("fortune500_projects", caliber)), "fortune500_stage")
    if rules.get("over_100m_stage"):
        big = base.filter(registry.project_q("projects_over_100m", caliber))
        reached(big, "over_100m_stage")
    fast_days = int(rules.get("fast_progress_days") or 0)
    if fast_days:
        first_on = ProjectStageEvent.objects.filter(project=OuterRef("project")).order_by("on").values("on")[:1]
        starts = (
            ProjectStageEvent.objects.filter(
                verified, project__in=base, stage=Stage.CONSTRUCTION, on__gte=start, on__lte=end
            )
            .annotate(first_on=Subquery(first_on))
            .select_related("project", "project__unit")
            .order_by("on", "project__code")
        )
        for ev in starts:
            took = (ev.on - ev.first_on).days
            if took <= fast_days and ev.project_id not in out:
                out[ev.project_id] = Proposal(
                    "fast_progress",
                    ev.project,
                    ev.project.unit,
                    f"从首次登记到开工仅用{took}天（{ev.on:%-m月%-d日}开工）",
                )
    top = int(rules.get("largest_arrivals") or 0)
    if top:
        for p, reason in _largest_arrivals(comp, base, start, end, top, caliber):
            if p.pk not in out:
                out[p.pk] = Proposal("largest_arrivals", p, p.unit, reason)
    chosen = _within_monthly_cap(comp, list(out.values()), end)
    return sorted(chosen, key=lambda p: (p.unit.sort_order, p.project.code if p.project else ""))


# Which rule's proposals come first when the month's cap leaves room for only some.
RULE_PRIORITY = {"fortune500_stage": 0, "over_100m_stage": 1, "largest_arrivals": 2, "fast_progress": 3}


def _within_monthly_cap(comp: Competition, proposals: list[Proposal], end: date) -> list[Proposal]:
    """At most `red_flags_per_month` red flags a calendar month: those confirmed already count against it."""
    first = month_start(end)
    taken = RedFlag.objects.filter(competition=comp, on__gte=first, on__lte=end).count()
    room = max(comp.red_flags_per_month - taken, 0)
    ranked = sorted(proposals, key=lambda p: (RULE_PRIORITY.get(p.rule, 9), p.project.code if p.project else ""))
    return ranked[:room]


def _largest_arrivals(
    comp: Competition, base: Any, start: date, end: date, top: int, caliber: Caliber
) -> list[tuple[Project, str]]:
    """The projects with the largest arrivals, each with its own reason (its month, amount and rank).

    Counting ended months only, a month is judged once, in the week its last day falls in, among all the race's
    projects (a project flagged already keeps its place in the ranking; the next one is named by its own rank).
    Counting every month touched, the week's months are judged among the projects not yet flagged.
    """
    counted = actual_use_q(caliber)
    units = _participants(comp)
    out: list[tuple[Project, str]] = []
    if comp.arrivals_ended_months_only:
        # A month's largest arrivals are judged once, in the week its last day falls in (closed or not yet).
        window = DayWindow.ended_months(comp.start, end)
        months = [m for m in window.iter_months() if m >= month_start(start) and last_ended_month(end) >= m]
        months = [m for m in months if start <= add_months(m, 1) - timedelta(days=1) <= end]
        allowed = set(base.values_list("pk", flat=True))
        for m in months:
            rows = list(
                CapitalArrival.objects.filter(project__unit__in=units, month=m)
                .filter(counted)
                .values("project_id")
                .annotate(total=Sum(caliber.money_column("amount_usd")))
                .order_by("-total", "project_id")[:top]
            )
            projects = Project.objects.select_related("unit").in_bulk([r["project_id"] for r in rows])
            for rank, r in enumerate(rows, start=1):
                if r["project_id"] in allowed:
                    yi = round_half_up(r["total"] / Decimal(100_000_000), 2)
                    place = "居首位" if rank == 1 else f"居第{rank}位"
                    out.append((projects[r["project_id"]], f"{m.month}月到资{yi}亿美元，在参赛单位各项目中{place}"))
        return out
    window = DayWindow.between(start, end)
    rows = list(
        CapitalArrival.objects.filter(project__in=base, month__gte=window.first, month__lte=window.last)
        .filter(counted)
        .values("project_id")
        .annotate(total=Sum(caliber.money_column("amount_usd")))
        .order_by("-total", "project_id")[:top]
    )
    projects = Project.objects.select_related("unit").in_bulk([r["project_id"] for r in rows])
    for r in rows:
        yi = round_half_up(r["total"] / Decimal(100_000_000), 2)
        out.append((projects[r["project_id"]], f"期内到资{yi}亿美元，在尚未获评红旗的项目中最多"))
    return out


def propose_snails(comp: Competition, on: date, scores: list[UnitScore]) -> list[Proposal]:
    """Units whose task progress (their score) lags time progress by more than the margin, and stalled projects:
    the longest-stalled first, at most `stalled_per_unit` a unit and `stalled_max` in all. Projects idle beyond
    `dormant_days` are not named weekly: `dormant_projects` lists them for their unit to stop or explain."""
    units = {u.code: u for u in _participants(comp)}
    tp = time_progress_pct(comp, on)
    out: list[Proposal] = []
    for s in scores:
        gap = tp - s.score
        if gap > comp.snail_margin_pp:
            out.append(
                Proposal(
                    "unit_lag",
                    None,
                    units[s.code],
                    f"任务进度{round_half_up(s.score, 1)}%，低于时间进度{round_half_up(gap, 1)}个百分点"
                    f"（时间进度{round_half_up(tp, 1)}%）",
                    sort=-gap,
                )
            )
    per_unit: dict[int, int] = {}
    stalled: list[Proposal] = []
    for p, last in _stalled(comp, on, units.values()):
        idle = (on - last).days
        if idle > comp.dormant_days:
            continue
        if per_unit.get(p.unit_id, 0) >= comp.stalled_per_unit or len(stalled) >= comp.stalled_max:
            continue
        per_unit[p.unit_id] = per_unit.get(p.unit_id, 0) + 1
        since = f"{last.year}年{last.month}月{last.day}日" if last.year != on.year else f"{last.month}月{last.day}日"
        stalled.append(
            Proposal("project_stalled", p, p.unit, f"自{since}以来{idle}天无阶段推进、无跟进", sort=Decimal(-idle))
        )
    return out + sorted(stalled, key=lambda p: (p.unit.sort_order, p.sort, p.project.code if p.project else ""))


def _stalled(comp: Competition, on: date, units: Any) -> list[tuple[Project, date]]:
    """Projects not settled with neither a stage event nor a follow-up for `stall_days`, longest idle first."""
    since = on - timedelta(days=comp.stall_days)
    last_stage = ProjectStageEvent.objects.filter(project=OuterRef("pk"), on__lte=on).values("project")
    last_follow = FollowUp.objects.filter(project=OuterRef("pk"), on__lte=on).values("project")
    stalled = (
        Project.objects.filter(unit__in=list(units))
        .exclude(Exists(ProjectStageEvent.objects.filter(project=OuterRef("pk"), stage__in=SETTLED_STAGES, on__lte=on)))
        .annotate(
            last_stage=Subquery(last_stage.annotate(m=Max("on")).values("m")[:1]),
            last_follow=Subquery(last_follow.annotate(m=Max("on")).values("m")[:1]),
        )
        .filter(last_stage__lt=since)
        .filter(Q(last_follow__lt=since) | Q(last_follow=None))
        .select_related("unit")
    )
    rows = []
    for p in stalled:
        last = max(d for d in (p.last_stage, p.last_follow) if d is not None)  # type: ignore[attr-defined]
        rows.append((p, last))
    return sorted(rows, key=lambda r: (r[1], r[0].code))


def dormant_projects(comp: Competition, on: date) -> list[BoardDormant]:
    """Per unit, the projects idle beyond `dormant_days`: offered to the unit to stop (中止) or give their status."""
    counts: dict[int, int] = {}
    names: dict[int, Unit] = {}
    for p, last in _stalled(comp, on, _participants(comp)):
        if (on - last).days > comp.dormant_days:
            counts[p.unit_id] = counts.get(p.unit_id, 0) + 1
            names[p.unit_id] = p.unit
    return [
        BoardDormant(names[k].code, names[k].short_name, n)
        for k, n in sorted(counts.items(), key=lambda kv: names[kv[0]].sort_order)
    ]


# ---------------------------------------------------------------------------------------------- the board


def _pct(ratio: Decimal | None) -> float | None:
    return None if ratio is None else pct1(ratio * HUNDRED)


def _rival(comp: Competition, on: date, caliber: Caliber) -> BoardRival | None:
    """The city against the rival on 1–N月 actual use: the latest month the rival has published up to `on` (with
    ended months only, up to the last month ended by `on`)."""
    if comp.rival is None:
        return None
    jan = date(on.year, 1, 1)
    latest = arrivals_through(comp, on)
    fig = (
        ProvinceFigure.objects.filter(
            region=comp.rival,
            indicator=ProvinceIndicator.ACTUAL_USE,
            first_month=jan,
            last_month__lte=latest,
        )
        .order_by("-last_month")
        .first()
    )
    if fig is None:
        return BoardRival(comp.rival.code, comp.rival.name)
    period = MonthRange(jan, fig.last_month)
    city = sum((cur for _, cur, _ in monthly_actual_use(on.year, fig.last_month.month, caliber)), ZERO)
    return BoardRival(
        comp.rival.code,
        comp.rival.name,
        months=str(period),
        label=period.label(),
        actual_use_usd=fig.value,
        city_actual_use_usd=city,
        lead_usd=city - fig.value,
        source=fig.source,
    )


def _flag(f: RedFlag | Proposal, *, on: date | None = None, week_start: date | None = None) -> BoardFlag:
    p = f.project
    if p is None:  # a red flag always names a project; a proposal without one is a snail's
        raise ValueError("红旗项目必须对应一个项目")
    day = f.on if isinstance(f, RedFlag) else on
    return BoardFlag(
        p.code,
        p.name,
        p.unit.code,
        p.unit.short_name,
        day,
        f.rule,
        f.reason,
        bool(week_start and day and day >= week_start),
    )


def _snail(s: Snail | Proposal, on: date) -> BoardSnail:
    p = s.project
    return BoardSnail(
        "project" if p is not None else "unit",
        s.unit.code,
        s.unit.short_name,
        p.code if p else None,
        p.name if p else None,
        s.on if isinstance(s, Snail) else on,
        s.rule,
        s.reason,
    )


def previous_snapshot(comp: Competition, on: date) -> Snapshot | None:
    """The latest version of the last published board before `on`."""
    return Snapshot.objects.filter(competition=comp, on__lt=on).order_by("-on", "-version").first()


@dataclass
class ScoredWeek:
    """The race scored on a day: its figures, the scores, and the week since the last published board."""

    day: date
    weights: list[tuple[str, Decimal]]
    figures: dict[int, Figures]
    scores: list[UnitScore]
    previous: Snapshot | None
    week_start: date
    window: DayWindow


def score_week(comp: Competition, on: date | None = None, *, caliber: Caliber | None = None) -> ScoredWeek:
    caliber = caliber or Caliber.current()
    day = clip(comp, on)
    weights = [(ci.indicator, ci.weight) for ci in comp.indicators.all()]
    targets: dict[tuple[int, str], Decimal] = {(t.unit_id, t.indicator): t.value for t in comp.targets.all()}
    window = race_window(comp, comp.start, day)
    # The race credits a joint project (联合招引) to its units by the decided shares; the city's total is unchanged.
    figures = credited_unit_figures(window, caliber, on=day)
    prev = previous_snapshot(comp, day)
    prev_ranks = Board.from_json(prev.data).ranks() if prev else {}
    rows = [
        UnitScore(
            u.code,
            u.short_name,
            {k: achieved(figures.get(u.pk, Figures()), k) for k, _ in weights},
            {k: targets.get((u.pk, k)) for k, _ in weights},
        )
        for u in _participants(comp)
    ]
    scores = score_units(rows, weights, comp.score_cap, prev_ranks)
    # The week runs from the day after the last published board (or the race's start) to the day.
    week_start = prev.on + timedelta(days=1) if prev else comp.start
    return ScoredWeek(day, weights, figures, scores, prev, week_start, window)


def week_proposals(
    comp: Competition, on: date, *, caliber: Caliber | None = None
) -> tuple[list[Proposal], list[Proposal]]:
    """What the rules propose for the week ending `on`: red flags, then snails."""
    caliber = caliber or Caliber.current()
    week = score_week(comp, on, caliber=caliber)
    return (
        propose_red_flags(comp, week.week_start, week.day, caliber),
        propose_snails(comp, week.day, week.scores),
    )


def compute_board(comp: Competition, on: date | None = None, *, caliber: Caliber | None = None) -> Board:
    """The board as it stands on `on` (clipped to the race), computed from the data now in the database."""
    caliber = caliber or Caliber.current()
    week = score_week(comp, on, caliber=caliber)
    day, weights, figures, scores, prev, week_start = (
        week.day,
        week.weights,
        week.figures,
        week.scores,
        week.previous,
        week.week_start,
    )
    ytd_window = race_window(comp, date(day.year, 1, 1), day)
    ytd = unit_figures(ytd_window, caliber, on=day)
    flags = RedFlag.objects.filter(competition=comp, on__lte=day).select_related("project", "project__unit")
    snails = Snail.objects.filter(competition=comp, on__gte=week_start, on__lte=day).select_related("unit", "project")
    confirmed_snails = {(s.unit_id, s.project_id) for s in snails}
    snail_props = [
        p
        for p in propose_snails(comp, day, scores)
        if (p.unit.pk, p.project.pk if p.project else None) not in confirmed_snails
    ]
    labels = dict(RaceIndicator.choices)
    # The city's totals are the statistics' city: the units taking part in statistics, whoever races.
    members = city_units()
    city_race = city_figures(figures, members, companies=0, comparable=False)
    city_ytd = city_figures(ytd, members, companies=0, comparable=False)
    return Board(
        competition=BoardCompetition(
            comp.slug,
            comp.name,
            comp.start,
            comp.end,
            "score = Σ 权重 × min(完成率, 封顶) ÷ Σ 权重 × 100",
            float(comp.score_cap),
        ),
        date=day,
        week=BoardWeek(week_start, day),
        time_progress_pct=pct1(time_progress_pct(comp, day)),
        previous_date=prev.on if prev else None,
        indicators=[BoardIndicator(k, labels[k], float(w)) for k, w in weights],
        units=[
            BoardUnit(
                s.code,
                s.name,
                float(s.score),
                s.rank,
                s.rank_change,
                {k: UnitFigure(s.achieved[k], s.targets[k], _pct(s.completion[k])) for k, _ in weights},
            )
            for s in scores
        ],
        city=BoardCity(
            city_race.actual_use,
            city_ytd.actual_use,
            city_race.over_100m,
            city_ytd.over_100m,
            city_race.fortune500_projects,
            city_ytd.fortune500_projects,
        ),
        rival=_rival(comp, day, caliber),
        red_flags=[_flag(f, week_start=week_start) for f in flags],
        snails=[_snail(s, day) for s in snails],
        proposed_red_flags=[_flag(p, on=day) for p in propose_red_flags(comp, week_start, day, caliber)],
        proposed_snails=[_snail(p, day) for p in snail_props],
        arrivals=_arrivals(week.window, ytd_window),
        dormant_projects=dormant_projects(comp, day),
    )


def _arrivals(race: DayWindow, ytd: DayWindow) -> BoardArrivals:
    """Which months of arrivals the board's money figures hold (arrivals are recorded by month)."""
    return BoardArrivals(
        race_months=f"{race.first:%Y-%m}..{race.last:%Y-%m}" if race.has_arrival_months else None,
        ytd_months=f"{ytd.first:%Y-%m}..{ytd.last:%Y-%m}" if ytd.has_arrival_months else None,
        through=f"{race.last:%Y-%m}" if race.has_arrival_months else None,
        label=race.arrivals_label(),
    )


def snapshot_dates(comp: Competition) -> list[date]:
    """Every weekly comparison day of the race on its set weekday, and the last day."""
    days = []
    d = comp.start + timedelta(days=(comp.snapshot_weekday - comp.start.weekday()) % 7)
    while d <= comp.end:
        days.append(d)
        d += timedelta(days=7)
    if not days or days[-1] != comp.end:
        days.append(comp.end)
    return days


def versions(comp: Competition, on: date) -> list[BoardVersion]:
    return [
        BoardVersion(
            s.version,
            s.reason,
            s.created_at.isoformat(timespec="seconds"),
            s.created_by.display_name if s.created_by else "系统",
        )
        for s in Snapshot.objects.filter(competition=comp, on=on).select_related("created_by").order_by("version")
    ]


def board(comp: Competition, on: date | None = None, *, version: int | None = None) -> Board:
    """The published board for the day (its latest version, or the one asked for); else the live computation."""
    day = clip(comp, on)
    snaps = Snapshot.objects.filter(competition=comp, on=day)
    snap = (snaps.filter(version=version) if version else snaps.order_by("-version")).first()
    if snap is None and version:
        from django.core.exceptions import ValidationError

        raise ValidationError({"version": [f"{day.isoformat()} 没有第{version}版榜单"]})
    if snap is None:
        live = compute_board(comp, day)
        live.versions = versions(comp, day)
        return live
    stored = Board.from_json(snap.data)
    stored.published, stored.version, stored.reason = True, snap.version, snap.reason
    stored.versions = versions(comp, day)
    return stored


def history(comp: Competition) -> list[dict[str, Any]]:
    """Each published week: date, versions and every unit's rank, for the board's history of weeks."""
    out: dict[date, dict[str, Any]] = {}
    for s in Snapshot.objects.filter(competition=comp).order_by("on", "version"):
        b = Board.from_json(s.data)
        out[s.on] = {
            "date": s.on.isoformat(),
            "version": s.version,
            "ranks": b.ranks(),
            "scores": b.scores(),
            "lead_usd": money_text(b.rival.lead_usd) if b.rival else None,
        }
    return list(out.values())


def competition_by_slug(slug: str) -> Competition:
    from django.core.exceptions import ValidationError

    comp = Competition.objects.filter(slug=slug).select_related("rival").first()
    if comp is None:
        known = "、".join(Competition.objects.values_list("slug", flat=True)) or "（尚无竞赛）"
        raise ValidationError(f"竞赛“{slug}”不存在；已有：{known}")
    return comp


def comparison_day(comp: Competition, on: date) -> date | None:
    """The latest weekly comparison day of the race up to `on` (its weekday, or its last day), None before it."""
    day = min(on, comp.end)
    if day < comp.start:
        return None
    if day == comp.end:
        return day
    back = (day.weekday() - comp.snapshot_weekday) % 7
    found = day - timedelta(days=back)
    return found if found >= comp.start else None


def open_proposals(comp: Competition, on: date) -> tuple[list[Proposal], list[Proposal]]:
    """The week's proposals not yet confirmed: red flags (already without confirmed ones) and snails of the day
    that have not been confirmed for that unit and project."""
    flags, snails = week_proposals(comp, on)
    declined_flags = set(
        ProposalDecline.objects.filter(competition=comp, kind="red_flag").values_list("project_id", flat=True)
    )
    done = set(Snail.objects.filter(competition=comp, on=on).values_list("unit_id", "project_id"))
    done |= set(
        ProposalDecline.objects.filter(competition=comp, kind="snail", on=on).values_list("unit_id", "project_id")
    )
    return (
        [f for f in flags if f.project is None or f.project.pk not in declined_flags],
        [s for s in snails if (s.unit.pk, s.project.pk if s.project else None) not in done],
    )
