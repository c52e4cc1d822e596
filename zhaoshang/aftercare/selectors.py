"""Reads of the aftercare records: who may see which enterprises, the roster with its filters, the expansion and
retention signals with the numbers behind each, the ranked lists, the requests' board and the dashboard's block.

Signals are computed for many enterprises at once in a fixed number of queries, from what was known on the as-of
date: annual figures filed by then, visits made by then, requests as they stood then."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Avg, Count, Max, Min, Q, QuerySet

from zhaoshang.accounts.models import Role
from zhaoshang.accounts.permissions import can
from zhaoshang.common.clock import today
from zhaoshang.common.periods import MonthRange
from zhaoshang.projects.models import Project, ProjectKind
from zhaoshang.reference.currencies import currency_name
from zhaoshang.reference.models import MonthlyRate
from zhaoshang.stats import indicators as registry
from zhaoshang.stats.caliber import Caliber
from zhaoshang.stats.selectors import city_figures, city_units, unit_figures
from zhaoshang.units.models import Unit

from .models import (
    AnnualFigures,
    Intention,
    RequestStatus,
    RosterEntry,
    ServiceRequest,
    Visit,
)

# ---------------------------------------------------------------- the rules, written once (README: 存量外资企业)

# Reinvestment capacity: undistributed profit at least this share of registered capital (the ZF case).
CAPACITY_RATIO = Decimal("0.5")
# Fast growth: revenue up at least this much on the year before, or employees up at least that much.
REVENUE_GROWTH_PCT = Decimal(20)
EMPLOYEE_GROWTH_PCT = Decimal(15)
# Visits, intentions, unsolved requests and the group's increases count within this window before the as-of date.
WINDOW_DAYS = 365
# An open request overdue for more than this many days is escalated from the unit's head to the city.
CITY_ESCALATION_DAYS = 15
# A visit's next date this close is "due" in 我的待办.
VISIT_DUE_AHEAD_DAYS = 7
TOP_N = 10

EXPANSION, RISK = "expansion", "risk"
SIGNALS: dict[str, tuple[str, str, int]] = {
    # key: (kind, label, weight in the ranking)
    "capacity": (EXPANSION, "利润再投资能力", 3),
    "intention": (EXPANSION, "走访记录扩张意向", 3),
    "growth": (EXPANSION, "营收或用工快速增长", 2),
    "group_increase": (EXPANSION, "所属集团在他处增资", 1),
    "move": (RISK, "走访记录迁出意向", 3),
    "unsolved": (RISK, "诉求未解决", 2),
    "falling": (RISK, "营收与用工双降", 2),
    "no_visit": (RISK, "一年未走访", 1),
}
SIGNAL_LABELS = {k: v[1] for k, v in SIGNALS.items()}


@dataclass(frozen=True)
class Signal:
    key: str
    detail: str  # the numbers behind it, in Chinese
    numbers: dict[str, Any] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return SIGNALS[self.key][0]

    @property
    def label(self) -> str:
        return SIGNALS[self.key][1]

    @property
    def weight(self) -> int:
        return SIGNALS[self.key][2]


# ---------------------------------------------------------------- who sees what


def visible_q(user: Any, prefix: str = "") -> Q | None:
    """The enterprises a user may read: the whole city, their own unit (unit staff), or none (None)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if can(user, "enterprise.read"):
        return Q()
    if user.role == Role.UNIT_STAFF and user.unit_id is not None:
        return Q(**{f"{prefix}enterprise__unit_id": user.unit_id})
    return None


def can_read_entry(user: Any, entry: RosterEntry) -> bool:
    return can(user, "enterprise.read", entry.enterprise.unit)


# ---------------------------------------------------------------- money as reported and in US$


def unit_label(currency: str, scale: int) -> str:
    """万元 (人民币, as annual reports give it), 万美元, 欧元 …"""
    word = "万" if scale == 10_000 else ""
    return f"{word}元" if currency == "CNY" else f"{word}{currency_name(currency)}"


def year_rates(pairs: Iterable[tuple[str, int]]) -> dict[tuple[str, int], Decimal]:
    """(currency, year) → the year's reference rate to US$: the mean of that year's monthly reference rates (one
    query); US$ is 1; a year with no reference rate is absent, and nothing is converted for it."""
    wanted = {(c, y) for c, y in pairs}
    out: dict[tuple[str, int], Decimal] = {(c, y): Decimal(1) for c, y in wanted if c == "USD"}
    others = {(c, y) for c, y in wanted if c != "USD"}
    if not others:
        return out
    currencies = {c for c, _ in others}
    years = {y for _, y in others}
    rows = (
        MonthlyRate.objects.filter(currency__in=currencies, month__year__in=years)
        .values("currency", "month__year")
        .annotate(mean=Avg("rate_to_usd"))
    )
    for r in rows:
        key = (r["currency"], r["month__year"])
        if key in others and r["mean"] is not None:
            out[key] = Decimal(r["mean"]).quantize(Decimal("0.00000001"), rounding=ROUND_HALF_UP)
    return out


def to_usd(amount: Decimal | None, figures: AnnualFigures, rates: dict[tuple[str, int], Decimal]) -> Decimal | None:
    rate = rates.get((figures.currency, figures.year))
    if amount is None or rate is None:
        return None
    return (Decimal(amount) * figures.unit_scale * rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def pct(part: Decimal, whole: Decimal) -> Decimal:
    return (Decimal(part) / Decimal(whole) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def growth(current: Decimal | None, previous: Decimal | None) -> Decimal | None:
    if current is None or previous is None or previous <= 0:
        return None
    return ((Decimal(current) / Decimal(previous) - 1) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _num(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{Decimal(value).normalize():,f}"


# ---------------------------------------------------------------- signals


def _comparable(a: AnnualFigures, b: AnnualFigures, name: str, rates: dict) -> tuple[Decimal | None, Decimal | None]:
    """The same amount in two years on one footing: as reported when currency and unit agree, else in US$."""
    x, y = getattr(a, name), getattr(b, name)
    if a.currency == b.currency and a.unit_scale == b.unit_scale:
        return x, y
    return to_usd(x, a, rates), to_usd(y, b, rates)


def signals_for(
    entries: QuerySet[RosterEntry] | list[RosterEntry], *, on: date | None = None
) -> dict[int, list[Signal]]:
    """Every enterprise's signals on `on` (default: the business date), in six queries whatever their number."""
    on = on or today()
    since = on - timedelta(days=WINDOW_DAYS)
    # A queryset is filtered on as a subquery (no long list of ids in every query); a list by its ids.
    if isinstance(entries, list):
        ids = [e.pk for e in entries]
        scope: Any = ids
    else:
        ids = list(entries.values_list("pk", flat=True))
        scope = entries.values("pk")
    out: dict[int, list[Signal]] = {pk: [] for pk in ids}
    if not ids:
        return out

    # 1. Annual figures filed by the as-of date: the latest year and the one before it.
    years: dict[int, list[AnnualFigures]] = defaultdict(list)
    for f in AnnualFigures.objects.filter(entry_id__in=scope, filed_on__lte=on).order_by("entry_id", "year"):
        years[f.entry_id].append(f)
    rates = year_rates((f.currency, f.year) for fs in years.values() for f in fs[-2:])
    for pk, fs in years.items():
        latest = fs[-1]
        unit = unit_label(latest.currency, latest.unit_scale)
        cap, und = latest.registered_capital, latest.undistributed_profit
        if cap and cap > 0 and und is not None and und >= cap * CAPACITY_RATIO:
            ratio = pct(und, cap)
            out[pk].append(
                Signal(
                    "capacity",
                    f"{latest.year}年度未分配利润 {_num(und)}{unit}，为注册资本 {_num(cap)}{unit} 的 {ratio}%"
                    f"（门槛≥{int(CAPACITY_RATIO * 100)}%，{latest.filed_on:%Y-%m-%d}报送）",
                    {
                        "year": latest.year,
                        "undistributed_profit": str(und),
                        "registered_capital": str(cap),
                        "ratio_pct": str(ratio),
                        "unit": unit,
                        "filed_on": latest.filed_on.isoformat(),
                    },
                )
            )
        previous = fs[-2] if len(fs) > 1 and fs[-2].year == latest.year - 1 else None
        if previous is None:
            continue
        rev_now, rev_before = _comparable(latest, previous, "revenue", rates)
        rev_growth = growth(rev_now, rev_before)
        emp_growth = growth(
            Decimal(latest.employees) if latest.employees is not None else None,
            Decimal(previous.employees) if previous.employees is not None else None,
        )
        span = f"{latest.year}年度较{previous.year}年度"
        if (rev_growth is not None and rev_growth >= REVENUE_GROWTH_PCT) or (
            emp_growth is not None and emp_growth >= EMPLOYEE_GROWTH_PCT
        ):
            out[pk].append(
                Signal(
                    "growth",
                    f"{span}营业收入{_signed(rev_growth)}，从业人员{_signed(emp_growth)}"
                    f"（门槛：营收≥{REVENUE_GROWTH_PCT}%或用工≥{EMPLOYEE_GROWTH_PCT}%）",
                    {"revenue_growth_pct": _str(rev_growth), "employee_growth_pct": _str(emp_growth)},
                )
            )
        if rev_growth is not None and emp_growth is not None and rev_growth < 0 and emp_growth < 0:
            out[pk].append(
                Signal(
                    "falling",
                    f"{span}营业收入{_signed(rev_growth)}，从业人员{_signed(emp_growth)}"
                    f"（{previous.employees}人→{latest.employees}人）",
                    {"revenue_growth_pct": _str(rev_growth), "employee_growth_pct": _str(emp_growth)},
                )
            )

    # 2. Visits by the as-of date: the last one, and intentions recorded within the window.
    last_visit = dict(
        Visit.objects.filter(entry_id__in=scope, on__lte=on).values_list("entry_id").annotate(last=Max("on"))
    )
    recent = (
        Visit.objects.filter(entry_id__in=scope, on__lte=on, on__gt=since)
        .exclude(intention=Intention.NONE)
        .order_by("entry_id", "-on", "-id")
        .values("entry_id", "on", "intention", "intention_note")
    )
    seen: set[tuple[int, str]] = set()
    for v in recent:
        key = "move" if v["intention"] == Intention.MOVE else "intention"
        if (v["entry_id"], key) in seen:
            continue
        seen.add((v["entry_id"], key))
        note = f"：{v['intention_note']}" if v["intention_note"] else ""
        out[v["entry_id"]].append(
            Signal(
                key,
                f"{v['on']:%Y-%m-%d}走访记录“{Intention(v['intention']).label}”{note}",
                {"visit_on": v["on"].isoformat(), "intention": v["intention"]},
            )
        )
    for pk in ids:
        last = last_visit.get(pk)
        if last is None or last <= since:
            days = (on - last).days if last else None
            detail = f"最近一次走访 {last:%Y-%m-%d}，已 {days} 天" if last else "从未走访"
            out[pk].append(Signal("no_visit", detail, {"last_visit": last.isoformat() if last else None, "days": days}))

    # 3. Requests as they stood on the as-of date: open and overdue, or found unsolvable within the window.
    open_then = Q(received_on__lte=on) & (Q(closed_on__isnull=True) | Q(closed_on__gt=on))
    overdue = dict(
        ServiceRequest.objects.filter(open_then, entry_id__in=scope, deadline__lt=on)
        .values_list("entry_id")
        .annotate(first=Min("deadline"))
    )
    overdue_n = dict(
        ServiceRequest.objects.filter(open_then, entry_id__in=scope, deadline__lt=on)
        .values_list("entry_id")
        .annotate(n=Count("pk"))
    )
    unsolvable = dict(
        ServiceRequest.objects.filter(
            entry_id__in=scope, status=RequestStatus.UNSOLVABLE, closed_on__lte=on, closed_on__gt=since
        )
        .values_list("entry_id")
        .annotate(n=Count("pk"))
    )
    for pk in set(overdue) | set(unsolvable):
        parts = []
        if pk in overdue:
            parts.append(f"逾期未办结 {overdue_n[pk]} 件（最长逾期 {(on - overdue[pk]).days} 天）")
        if pk in unsolvable:
            parts.append(f"一年内无法解决 {unsolvable[pk]} 件")
        out[pk].append(
            Signal(
                "unsolved",
                "；".join(parts),
                {
                    "overdue": overdue_n.get(pk, 0),
                    "longest_overdue_days": (on - overdue[pk]).days if pk in overdue else 0,
                    "unsolvable": unsolvable.get(pk, 0),
                },
            )
        )

    # 4. The group's capital increases and reinvestments elsewhere in the registry within the window.
    for pk, found in _group_increases(scope, on=on, since=since).items():
        out[pk].append(found)
    return out


def _signed(value: Decimal | None) -> str:
    if value is None:
        return "无可比数据"
    return f"增长 {value}%" if value >= 0 else f"下降 {-value}%"


def _str(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def group_ids(entries: list[Any] | QuerySet[RosterEntry]) -> dict[int, set[int]]:
    """Each enterprise's groups: the group recorded on the roster, else its investors' ultimate parents (an investor
    without a parent is its own group)."""
    ids: Any = [e.pk for e in entries] if isinstance(entries, list) else entries.values("pk")
    out: dict[int, set[int]] = defaultdict(set)
    for pk, group in RosterEntry.objects.filter(pk__in=ids, group__isnull=False).values_list("pk", "group_id"):
        out[pk].add(group)
    links = RosterEntry.investors.through.objects.filter(rosterentry_id__in=ids).values_list(
        "rosterentry_id", "investor_id", "investor__parent_id"
    )
    recorded = set(out)
    for pk, investor, parent in links:
        if pk not in recorded:
            out[pk].add(parent or investor)
    return out


def _group_increases(scope: Any, *, on: date, since: date) -> dict[int, Signal]:
    groups = group_ids(RosterEntry.objects.filter(pk__in=scope))
    wanted = {g for gs in groups.values() for g in gs}
    if not wanted:
        return {}
    enterprise_of = dict(RosterEntry.objects.filter(pk__in=scope).values_list("pk", "enterprise_id"))
    rows = (
        Project.investors.through.objects.filter(
            project__kind__in=[ProjectKind.INCREASE, ProjectKind.REINVEST],
            project__signed_on__gt=since,
            project__signed_on__lte=on,
        )
        .filter(Q(investor_id__in=wanted) | Q(investor__parent_id__in=wanted))
        .values(
            "investor_id",
            "investor__parent_id",
            "project__code",
            "project__name",
            "project__signed_on",
            "project__enterprise_id",
            "project__unit__short_name",
            "project__kind",
            "project__total_investment_usd",
        )
        .order_by("-project__signed_on", "project__code")
    )
    by_group: dict[int, list[int]] = defaultdict(list)
    for pk, gs in groups.items():
        for g in gs:
            by_group[g].append(pk)
    out: dict[int, Signal] = {}
    for r in rows:  # latest first: each enterprise keeps the most recent increase of its group
        group = r["investor__parent_id"] or r["investor_id"]
        for pk in by_group.get(group, []):
            if pk in out or r["project__enterprise_id"] == enterprise_of.get(pk):
                continue
            wan = (Decimal(r["project__total_investment_usd"]) / 10_000).quantize(Decimal("1"))
            out[pk] = Signal(
                "group_increase",
                f"同一集团 {r['project__signed_on']:%Y-%m-%d} 在{r['project__unit__short_name']}签约"
                f"“{r['project__name']}”（{ProjectKind(r['project__kind']).label}，总投资 {wan:,} 万美元）",
                {"project": r["project__code"], "signed_on": str(r["project__signed_on"])},
            )
    return out


def score(signals: list[Signal], kind: str) -> int:
    return sum(s.weight for s in signals if s.kind == kind)


# ---------------------------------------------------------------- the roster


@dataclass
class RosterFilters:
    unit: str = ""
    industry: str = ""
    country: str = ""
    signal: str = ""
    officer: str = ""
    q: str = ""


def roster_queryset(user: Any) -> QuerySet[RosterEntry]:
    where = visible_q(user)
    qs = RosterEntry.objects.select_related(
        "enterprise__unit", "enterprise__industry", "officer", "group"
    ).prefetch_related("investors__country")
    return qs.none() if where is None else qs.filter(where)


def roster_list(user: Any, filters: RosterFilters, *, on: date | None = None) -> QuerySet[Any] | list[Any]:
    """The roster a user may see, filtered (by signal too: then every candidate's signals are computed, in a
    constant number of queries). Call `with_signals` on the rows shown."""
    on = on or today()
    qs = roster_queryset(user)
    if filters.unit:
        qs = qs.filter(enterprise__unit__code=filters.unit)
    if filters.industry:
        code = filters.industry.strip().upper()
        qs = qs.filter(
            Q(enterprise__industry__code__startswith=code)
            | Q(enterprise__industry__section=code if len(code) == 1 else "-")
        )
    if filters.country:
        qs = qs.filter(investors__country__code=filters.country.upper()).distinct()
    if filters.officer:
        qs = qs.filter(officer__username=filters.officer)
    if filters.q:
        qs = qs.filter(Q(enterprise__name__icontains=filters.q) | Q(enterprise__credit_code=filters.q.upper()))
    qs = qs.annotate(last_visit=Max("visits__on", filter=Q(visits__on__lte=on)))
    qs = qs.order_by("enterprise__unit__sort_order", "enterprise__name")
    if not filters.signal:
        return qs  # paginated by the caller: only the page shown is read
    rows: list[Any] = list(qs)
    if filters.signal:
        signals = signals_for(qs, on=on)
        if filters.signal in (EXPANSION, RISK):
            rows = [r for r in rows if any(s.kind == filters.signal for s in signals.get(r.pk, []))]
        else:
            rows = [r for r in rows if any(s.key == filters.signal for s in signals.get(r.pk, []))]
        for r in rows:
            r.signals = signals.get(r.pk, [])
    return rows


def with_signals(rows: list[Any], *, on: date | None = None) -> list[Any]:
    """Each row's signals (unless already there) and open requests, in a constant number of queries."""
    on = on or today()
    missing = [r for r in rows if not hasattr(r, "signals")]
    signals = signals_for(missing, on=on) if missing else {}
    open_then = Q(received_on__lte=on) & (Q(closed_on__isnull=True) | Q(closed_on__gt=on))
    open_counts = dict(
        ServiceRequest.objects.filter(open_then, entry_id__in=[r.pk for r in rows])
        .values_list("entry_id")
        .annotate(n=Count("pk"))
    )
    for r in rows:
        if not hasattr(r, "signals"):
            r.signals = signals.get(r.pk, [])
        r.open_requests = open_counts.get(r.pk, 0)
    return rows


def entry_by_key(key: str) -> RosterEntry | None:
    """An enterprise by its credit code, or by its roster number when it has none."""
    qs = RosterEntry.objects.select_related("enterprise__unit", "enterprise__industry", "officer", "group")
    key = (key or "").strip()
    if len(key) == 18:
        return qs.filter(enterprise__credit_code=key.upper()).first()
    if key.isdigit() and len(key) < 12:
        return qs.filter(pk=int(key)).first()
    return None


def entry_key(entry: RosterEntry) -> str:
    return entry.enterprise.credit_code or str(entry.pk)


def country_names(entry: RosterEntry) -> str:
    return "、".join(dict.fromkeys(i.country.name for i in entry.investors.all())) or "—"


def group_name(entry: RosterEntry) -> str:
    if entry.group is not None:
        return entry.group.name
    parents = [i.parent.name if i.parent_id and i.parent else i.name for i in entry.investors.all()]
    return "、".join(dict.fromkeys(parents)) or "—"


# ---------------------------------------------------------------- one enterprise


@dataclass
class YearRow:
    figures: AnnualFigures
    unit: str
    rate: Decimal | None
    usd: dict[str, Decimal | None]


def figures_over_years(entry: RosterEntry) -> tuple[list[YearRow], dict[str, Any]]:
    """Each filed year as reported and in US$ at the year's reference rate, and the chart's series."""
    from .services import MONEY_FIELDS

    figures = list(entry.years.order_by("year"))
    rates = year_rates((f.currency, f.year) for f in figures)
    rows = [
        YearRow(
            f,
            unit_label(f.currency, f.unit_scale),
            rates.get((f.currency, f.year)),
            {name: to_usd(getattr(f, name), f, rates) for name in MONEY_FIELDS},
        )
        for f in figures
    ]
    same = len({(f.currency, f.unit_scale) for f in figures}) <= 1
    unit = rows[0].unit if rows and same else "万美元"

    def point(row: YearRow, name: str) -> float | None:
        if same:
            v = getattr(row.figures, name)
        else:
            usd = row.usd[name]
            v = None if usd is None else usd / 10_000
        return None if v is None else float(Decimal(v).quantize(Decimal("0.01")))

    series = [
        {"name": label, "key": name, "data": [point(r, name) for r in rows]}
        for name, label in MONEY_FIELDS.items()
        if name in ("revenue", "profit", "undistributed_profit", "tax_paid", "export_value", "registered_capital")
    ]
    chart = {
        "years": [str(r.figures.year) for r in rows],
        "unit": unit,
        "series": series,
        "employees": [r.figures.employees for r in rows],
    }
    return rows, chart


def enterprise_projects(entry: RosterEntry) -> list[Project]:
    return list(
        Project.objects.filter(enterprise=entry.enterprise).prefetch_related("arrivals").order_by("signed_on", "code")
    )


# ---------------------------------------------------------------- requests: overdue, escalation, median days


def days_overdue(request: ServiceRequest, on: date) -> int:
    """Days past the deadline: for an open request up to `on`, for a closed one up to its closing (0 when in time)."""
    end = request.closed_on if request.closed_on is not None and request.closed_on <= on else on
    return max((end - request.deadline).days, 0)


def is_open_on(request: ServiceRequest, on: date) -> bool:
    return request.received_on <= on and (request.closed_on is None or request.closed_on > on)


def escalation(request: ServiceRequest, on: date) -> tuple[int, str]:
    """Escalation computed from the dates, not stored: an open request past its deadline goes to the unit's head (1);
    more than CITY_ESCALATION_DAYS past it, to the city bureau (2)."""
    if not is_open_on(request, on):
        return 0, ""
    late = days_overdue(request, on)
    if late == 0:
        return 0, ""
    if late > CITY_ESCALATION_DAYS:
        return 2, "已提级至市局"
    return 1, "已提级至单位负责人"


@dataclass
class RequestBoard:
    unit: Unit | None
    on: date
    open: list[ServiceRequest]
    overdue: list[ServiceRequest]
    closed: list[ServiceRequest]
    median_days_to_close: float | None
    escalated_to_head: int
    escalated_to_city: int
    per_unit: list[dict[str, Any]] = field(default_factory=list)


def _median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def request_board(user: Any, *, unit: Unit | None = None, on: date | None = None) -> RequestBoard:
    """Open, overdue and closed requests (as they stood on `on`) of a unit or of every unit the user sees, with the
    median days from receipt to closing of the closed ones."""
    on = on or today()
    where = visible_q(user, "entry__")
    qs = ServiceRequest.objects.select_related("entry__enterprise__unit").filter(received_on__lte=on)
    qs = qs.none() if where is None else qs.filter(where)
    if unit is not None:
        qs = qs.filter(entry__enterprise__unit=unit)
    rows: list[Any] = list(qs.order_by("deadline", "pk"))
    open_ = [r for r in rows if is_open_on(r, on)]
    overdue = [r for r in open_ if days_overdue(r, on) > 0]
    closed = [r for r in rows if not is_open_on(r, on)]
    for r in rows:
        r.level, r.level_label = escalation(r, on)
        r.late_days = days_overdue(r, on)
        r.days_to_close = (r.closed_on - r.received_on).days if not is_open_on(r, on) and r.closed_on else None
    board = RequestBoard(
        unit=unit,
        on=on,
        open=open_,
        overdue=overdue,
        closed=closed,
        median_days_to_close=_median([r.days_to_close for r in closed if r.days_to_close is not None]),
        escalated_to_head=sum(1 for r in overdue if r.level == 1),
        escalated_to_city=sum(1 for r in overdue if r.level == 2),
    )
    if unit is None:
        by_unit: dict[int, list[Any]] = defaultdict(list)
        for r in rows:
            by_unit[r.entry.enterprise.unit_id].append(r)
        for u in Unit.objects.filter(pk__in=by_unit).order_by("sort_order", "code"):
            rs = by_unit[u.pk]
            c = [r for r in rs if not is_open_on(r, on)]
            board.per_unit.append(
                {
                    "unit": u,
                    "open": sum(1 for r in rs if is_open_on(r, on)),
                    "overdue": sum(1 for r in rs if is_open_on(r, on) and r.late_days > 0),
                    "closed": len(c),
                    "median_days_to_close": _median([r.days_to_close for r in c if r.days_to_close is not None]),
                }
            )
    return board


# ---------------------------------------------------------------- ranked lists


@dataclass
class Ranked:
    entry: RosterEntry
    score: int
    signals: list[Signal]


def ranked_lists(
    user: Any, *, unit: Unit | None = None, on: date | None = None, n: int = TOP_N
) -> dict[str, list[Ranked]]:
    """The ten enterprises most likely to reinvest this year (expansion) and the ten most at risk (risk): by the
    weights of their signals of that kind, then the reinvestment ratio, then name; only those with such a signal.
    One computation of the signals serves both lists."""
    on = on or today()
    qs = roster_queryset(user)
    if unit is not None:
        qs = qs.filter(enterprise__unit=unit)
    signals = signals_for(qs, on=on)
    names = dict(qs.values_list("pk", "enterprise__name"))

    def ratio(mine: list[Signal]) -> Decimal:
        cap = next((s for s in mine if s.key == "capacity"), None)
        return Decimal(cap.numbers["ratio_pct"]) if cap else Decimal(0)

    chosen: dict[str, list[tuple[int, int, list[Signal]]]] = {}
    for kind in (EXPANSION, RISK):
        found = []
        for pk, all_signals in signals.items():
            mine = [s for s in all_signals if s.kind == kind]
            if mine:
                found.append((pk, score(mine, kind), mine))
        found.sort(key=lambda t: (-t[1], -ratio(t[2]), names.get(t[0], "")))
        chosen[kind] = found[:n]
    # Only the enterprises listed are read whole.
    wanted = {pk for rows in chosen.values() for pk, _, _ in rows}
    entries = {e.pk: e for e in qs.filter(pk__in=wanted)}
    return {kind: [Ranked(entries[pk], points, mine) for pk, points, mine in rows] for kind, rows in chosen.items()}


def ranked(user: Any, *, kind: str, unit: Unit | None = None, on: date | None = None, n: int = TOP_N) -> list[Ranked]:
    return ranked_lists(user, unit=unit, on=on, n=n)[kind]


# ---------------------------------------------------------------- the dashboard's block


@dataclass
class DashboardBlock:
    enterprises: int
    visits_this_month: int
    open_requests: int
    overdue_requests: int
    reinvested_this_year: Decimal
    reinvested_last_year: Decimal
    period: MonthRange


def dashboard_block(user: Any, *, on: date | None = None) -> DashboardBlock | None:
    """存量企业: how many, visits this month, open requests; and reinvested profits this year to date against the same
    months last year, read from the statistics registry (indicator reinvested_profit_usd), never re-derived here."""
    on = on or today()
    where = visible_q(user)
    if where is None:
        return None
    entries = RosterEntry.objects.filter(where)
    staff_unit = user.unit if user.role == Role.UNIT_STAFF and user.unit_id else None
    month_first = on.replace(day=1)
    visits = Visit.objects.filter(entry__in=entries, on__gte=month_first, on__lte=on).count()
    open_then = Q(received_on__lte=on) & (Q(closed_on__isnull=True) | Q(closed_on__gt=on))
    requests = ServiceRequest.objects.filter(open_then, entry__in=entries)
    period = MonthRange.year_to_month(on.year, on.month)
    caliber = Caliber.current()
    per_unit = unit_figures(period, caliber, on=on)
    if staff_unit is not None:
        figures = per_unit.get(staff_unit.pk)
    else:
        figures = city_figures(per_unit, city_units(), companies=0, comparable=caliber.growth_on_comparable(period))
    ind = registry.indicator("reinvested_profit_usd")
    this_year = registry.value(figures, ind.key) if figures is not None else Decimal(0)
    last_year = Decimal(getattr(figures, f"{ind.field}_prev")) if figures is not None else Decimal(0)
    return DashboardBlock(
        enterprises=entries.count(),
        visits_this_month=visits,
        open_requests=requests.count(),
        overdue_requests=requests.filter(deadline__lt=on).count(),
        reinvested_this_year=this_year,
        reinvested_last_year=last_year,
        period=period,
    )


def visits_of(entry: RosterEntry) -> list[Visit]:
    return list(entry.visits.select_related("visitor", "project").order_by("-on", "-id"))


def requests_of(entry: RosterEntry, *, on: date | None = None) -> list[Any]:
    on = on or today()
    rows: list[Any] = list(entry.requests.order_by("-received_on", "-id"))
    for r in rows:
        r.level, r.level_label = escalation(r, on)
        r.late_days = days_overdue(r, on)
    return rows
