"""The indicator registry: each figure declared once — key, label, unit, definition and the SQL it is computed from.

An additive indicator names its source (capital arrivals, or projects counted on their signing/registration date),
the column it sums (or none, to count projects) and the filter that selects its rows for a caliber. `unit_figures`
builds its grouped queries from these declarations, the targets and the race read figures by key through
`value()`, and the desk's filter, badge and export ask for the per-project predicate (`project_q`) of the same
entry, so a project marked 超亿美元 on the list is exactly one counted in 超亿美元项目. The README's table of
definitions is generated from this list (a test checks that it is).

Adding an indicator is one declaration here (plus its test); the query, the JSON, the targets and the table follow.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When

from zhaoshang.projects.models import OVER_100M_KINDS, ArrivalKind, Project, ProjectKind
from zhaoshang.projects.selectors import at_risk_q

from .caliber import Caliber
from .fortune500 import fortune500_q

if TYPE_CHECKING:
    from .figures import Figures


class Source:
    ARRIVALS = "arrivals"  # capital arrivals whose month falls in the period
    PROJECTS = "projects"  # projects introduced (first signed, or registered) in the period
    CURRENT = "current"  # the state of projects on the business date, whatever the period
    DERIVED = "derived"  # a formula over other indicators
    PIPELINE = "pipeline"  # stage history


class Unit:
    USD = "usd"
    COUNT = "count"
    PCT = "pct"
    DAYS = "days"


NEW_KINDS = [ProjectKind.NEW, ProjectKind.MNA]


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    unit: str
    definition: str
    source: str
    # The attribute of `Figures` that holds the value (and `<field>_prev` the same months a year earlier).
    field: str | None = None
    # Summed column for money; None counts rows (projects).
    measure: str | None = None
    # Which rows the figure takes under a caliber (the period window is added by the query).
    where: Callable[[Caliber], Q] | None = None
    derive: Callable[[Figures], Decimal | None] | None = None
    targetable: bool = False
    # Published by the province's bulletins for every city (ProvinceFigure uses the same key).
    published: bool = False

    @property
    def is_money(self) -> bool:
        return self.unit == Unit.USD

    @property
    def additive(self) -> bool:
        return self.source in (Source.ARRIVALS, Source.PROJECTS)


def _actual_use(c: Caliber) -> Q:
    return Q(kind__in=c.counted_kinds()) & c.financial_q()


def _comparable(c: Caliber) -> Q:
    return Q(kind__in=c.counted_kinds(), is_financial=False)


def _over_100m(c: Caliber) -> Q:
    return Q(kind__in=OVER_100M_KINDS, total_investment_usd__gte=c.over_100m_usd)


def _fortune500(c: Caliber) -> Q:
    return fortune500_q()


def _yoy(f: Figures) -> Decimal | None:
    return f.yoy_pct


def _share(f: Figures) -> Decimal | None:
    return f.reinvested_share_pct


INDICATORS: list[Indicator] = [
    Indicator(
        "actual_use_usd",
        "实际使用外资",
        Unit.USD,
        "Sum of capital arrivals whose month falls in the period, in US$: paid-in capital of new enterprises, capital "
        "increases, M&A consideration and other arrivals; reinvested profits when `count_reinvested_profit` is on "
        "(default on); shareholder loans when `count_shareholder_loans` is on (default off). Full caliber: "
        "financial-sector arrivals (banking, securities, insurance) included; with `financial_caliber` "
        "`mofcom_pre_2022_05` they are left out of the months before May 2022, as MOFCOM published them then.",
        Source.ARRIVALS,
        field="actual_use",
        measure="amount_usd",
        where=_actual_use,
        targetable=True,
        published=True,
    ),
    Indicator(
        "actual_use_comparable_usd",
        "实际使用外资（可比口径）",
        Unit.USD,
        "Actual use without the financial sector (banking, securities, insurance): the base of growth on the "
        "comparable caliber.",
        Source.ARRIVALS,
        field="comparable",
        measure="amount_usd",
        where=_comparable,
    ),
    Indicator(
        "yoy_pct",
        "实际使用外资同比增长",
        Unit.PCT,
        "(this period ÷ the same months a year earlier − 1) × 100, rounded half-up to one decimal. On the comparable "
        "caliber (financial sector left out of both sides) when `growth_caliber` is `comparable`, or `auto` and the "
        "period ends in May 2022 or later; otherwise on the full caliber. '—' (null) when the earlier figure is zero "
        "or missing.",
        Source.DERIVED,
        derive=_yoy,
    ),
    Indicator(
        "reinvested_profit_usd",
        "外商利润再投资",
        Unit.USD,
        "Sum of arrivals of type 利润再投资 in the period. Its share is reinvested ÷ actual use × 100.",
        Source.ARRIVALS,
        field="reinvested",
        measure="amount_usd",
        where=lambda c: Q(kind=ArrivalKind.REINVESTED_PROFIT),
    ),
    Indicator(
        "reinvested_share_pct",
        "利润再投资占比",
        Unit.PCT,
        "Reinvested profits ÷ actual use × 100, rounded half-up to one decimal; '—' when actual use is zero.",
        Source.DERIVED,
        derive=_share,
    ),
    Indicator(
        "contract_usd",
        "合同外资",
        Unit.USD,
        "Sum of the contracted foreign capital (US$) of projects introduced in the period — counted on the date of "
        "first signing, or of registration when `project_basis` is `registered`. A capital increase contributes its "
        "amount like any project.",
        Source.PROJECTS,
        field="contract",
        measure="contract_foreign_usd",
        where=lambda c: Q(),
        targetable=True,
        published=True,
    ),
    Indicator(
        "new_projects",
        "新设外资项目",
        Unit.COUNT,
        "Projects of kind 新设 or 并购 introduced in the period (a project counts once, on its first signing or its "
        "registration as configured). Capital increases and profit reinvestments add their amounts, not a project.",
        Source.PROJECTS,
        field="new_projects",
        where=lambda c: Q(kind__in=NEW_KINDS),
        targetable=True,
        published=True,
    ),
    Indicator(
        "projects_over_100m",
        "超亿美元项目",
        Unit.COUNT,
        "Projects of kind 新设, 增资 or 利润再投资 (a capital increase funded by profits) introduced in the period "
        "whose total investment is at least `over_100m_threshold_usd` (default US$100,000,000). The desk's 超亿 "
        "badge, filter and export use the same predicate.",
        Source.PROJECTS,
        field="over_100m",
        where=_over_100m,
        targetable=True,
        published=True,
    ),
    Indicator(
        "fortune500_projects",
        "世界500强投资项目",
        Unit.COUNT,
        "Projects introduced in the period one of whose investors, or that investor's ultimate parent, is on the "
        "Fortune Global 500 list in force on the project's date: the latest list published on or before it.",
        Source.PROJECTS,
        field="fortune500_projects",
        where=_fortune500,
        targetable=True,
        published=True,
    ),
    Indicator(
        "fortune500_companies",
        "世界500强企业（家）",
        Unit.COUNT,
        "Distinct Fortune Global 500 companies behind those projects (the listed group, whether it invests directly "
        "or through a subsidiary).",
        Source.PROJECTS,
        field="fortune500_companies",
    ),
    Indicator(
        "at_risk",
        "失联风险项目",
        Unit.COUNT,
        "Projects now under negotiation whose latest follow-up's next date is before today (the business date).",
        Source.CURRENT,
        field="at_risk",
    ),
    Indicator(
        "stage_days",
        "阶段推进天数（中位数）",
        Unit.DAYS,
        "For each stage, the median number of days from reaching it to reaching the next recorded stage, over the "
        "projects that reached the next stage within the period.",
        Source.PIPELINE,
    ),
]

BY_KEY = {i.key: i for i in INDICATORS}

# Indicators on which an annual target can be set (and on which a race can score).
TARGETABLE = [i.key for i in INDICATORS if i.targetable]
MONEY_KEYS = frozenset(i.key for i in INDICATORS if i.is_money)


def indicator(key: str) -> Indicator:
    try:
        return BY_KEY[key]
    except KeyError:
        raise KeyError(f"unknown indicator {key!r}") from None


def additive(source: str) -> list[Indicator]:
    """The additive indicators read from one source that a grouped query computes (those with a filter)."""
    return [i for i in INDICATORS if i.source == source and i.where is not None]


def value(figures: Figures, key: str) -> Decimal:
    """An indicator's value out of a unit's (or the city's) figures, by key; counts as Decimal."""
    ind = indicator(key)
    if ind.derive is not None:
        v = ind.derive(figures)
        return Decimal(0) if v is None else Decimal(v)
    if ind.field is None:
        raise KeyError(f"indicator {key!r} has no single value")
    return Decimal(getattr(figures, ind.field))


# ---------------------------------------------------------------------------------------------- per project


PROJECT_FLAGS = {
    "projects_over_100m": "is_over_100m",
    "fortune500_projects": "is_f500",
    "at_risk": "is_at_risk",
}


def project_q(key: str, caliber: Caliber, *, on: date | None = None) -> Q:
    """The predicate that makes one project count in a per-project indicator (no period window)."""
    if key == "at_risk":
        return at_risk_q(on=on)
    ind = indicator(key)
    if ind.source != Source.PROJECTS or ind.where is None:
        raise KeyError(f"indicator {key!r} is not counted per project")
    return ind.where(caliber)


def with_project_flags(qs: QuerySet[Project], caliber: Caliber, *, on: date | None = None) -> QuerySet[Any]:
    """Annotate `is_over_100m`, `is_f500` and `is_at_risk` from the registry's predicates, for badges and exports."""
    return qs.annotate(
        **{
            name: Case(
                When(project_q(key, caliber, on=on), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
            for key, name in PROJECT_FLAGS.items()
        }
    )


def project_flags(project: Project, caliber: Caliber, *, on: date | None = None) -> dict[str, bool]:
    """The same flags for one project (one query)."""
    row = with_project_flags(Project.objects.filter(pk=project.pk), caliber, on=on).values(*PROJECT_FLAGS.values())
    found = row.first() or {}
    return {name: bool(found.get(name)) for name in PROJECT_FLAGS.values()}


def definitions_markdown() -> str:
    rows = ["| key | 指标 | unit | definition |", "| --- | --- | --- | --- |"]
    rows += [f"| `{i.key}` | {i.label} | {i.unit} | {i.definition} |" for i in INDICATORS]
    return "\n".join(rows)
