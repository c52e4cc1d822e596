"""Reads the desk needs beyond the domain selectors: the filtered project list and the monthly trend.

Figures come from zhaoshang.stats.selectors (never recomputed here); this module only picks and shapes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from zhaoshang.common.periods import MonthRange
from zhaoshang.projects.models import Country, Industry, Investor, Project, ProjectKind, ProjectStatus, Stage
from zhaoshang.projects.selectors import projects_at_risk
from zhaoshang.stats import indicators as registry
from zhaoshang.stats.caliber import Caliber
from zhaoshang.stats.selectors import monthly_actual_use, with_arrivals_to_date
from zhaoshang.units.models import Unit


class BadFilter(ValueError):
    """A query parameter the list cannot understand; the view answers 400 with this Chinese message."""


@dataclass
class ProjectFilters:
    unit: Unit | None = None
    stage: str = ""
    status: str = ""
    kind: str = ""
    industry: str = ""
    country: Country | None = None
    fortune500: bool = False
    over_100m: bool = False
    at_risk: bool = False
    q: str = ""
    sort: str = ""

    @property
    def active(self) -> bool:
        return any(
            [
                self.unit,
                self.stage,
                self.status,
                self.kind,
                self.industry,
                self.country,
                self.fortune500,
                self.over_100m,
            ]
        ) or bool(self.at_risk or self.q)


def _flag(params: Any, name: str) -> bool:
    value = (params.get(name) or "").strip().lower()
    if value in ("", "0", "false", "off", "no"):
        return False
    if value in ("1", "true", "on", "yes"):
        return True
    raise BadFilter(f"参数 {name}“{value}”无法识别：应为 1 或留空")


def parse_project_filters(params: Any) -> ProjectFilters:
    """Reads the list's query parameters; an unknown unit, stage, kind, industry or country is refused (400)."""
    f = ProjectFilters()
    if code := (params.get("unit") or "").strip():
        f.unit = Unit.objects.filter(code=code).first()
        if f.unit is None:
            raise BadFilter(f"招商主体“{code}”不存在")
    if stage := (params.get("stage") or "").strip():
        if stage not in Stage.values:
            raise BadFilter(f"阶段“{stage}”不存在")
        f.stage = stage
    if status := (params.get("status") or "").strip():
        if status not in ProjectStatus.values:
            raise BadFilter(f"项目状态“{status}”不存在")
        f.status = status
    if kind := (params.get("kind") or "").strip():
        if kind not in ProjectKind.values:
            raise BadFilter(f"项目类型“{kind}”不存在")
        f.kind = kind
    if industry := (params.get("industry") or "").strip():
        if not Industry.objects.filter(code=industry).exists():
            raise BadFilter(f"行业代码“{industry}”不存在")
        f.industry = industry
    if country := (params.get("country") or "").strip():
        f.country = Country.objects.filter(code=country.upper()).first()
        if f.country is None:
            raise BadFilter(f"国别（地区）代码“{country}”不存在")
    f.fortune500 = _flag(params, "f500")
    f.over_100m = _flag(params, "big")
    f.at_risk = _flag(params, "risk")
    f.q = (params.get("q") or "").strip()[:100]
    sort = (params.get("sort") or "").strip()
    if sort and sort.lstrip("-") not in SORTS:
        raise BadFilter(f"排序“{sort[:20]}”无法识别：应为 {'、'.join(SORTS)} 之一（前加 - 为降序）")
    f.sort = sort
    return f


# The list's sortable columns: the query parameter and the fields it orders by (the code breaks ties).
SORTS = {
    "code": ["code"],
    "name": ["name"],
    "unit": ["unit__sort_order"],
    "stage": ["stage_order"],
    "total": ["total_investment_usd"],
    "contract": ["contract_foreign_usd"],
    "arrived": ["arrived_usd"],
    "signed": ["signed_on"],
    "next": ["next_follow_up_on"],
}


def _ordering(sort: str) -> list[Any]:
    from django.db.models import F

    if not sort:
        return ["-signed_on", "code"]
    desc = sort.startswith("-")
    fields = SORTS[sort.lstrip("-")]
    out: list[Any] = [F(f).desc(nulls_last=True) if desc else F(f).asc(nulls_last=True) for f in fields]
    return [*out, "code"]


def project_list(filters: ProjectFilters, *, on: date, caliber: Caliber) -> QuerySet[Any]:
    """The filtered projects with everything a row shows fetched up front (a fixed number of queries).

    The 500强, 超亿 and 失联风险 flags, filters and badges are the registry's per-project predicates, so the list
    marks exactly the projects the figures count."""
    qs = registry.with_project_flags(
        Project.objects.select_related("unit", "industry", "enterprise").prefetch_related(
            Prefetch("investors", queryset=Investor.objects.select_related("country"))
        ),
        caliber,
        on=on,
    )
    if filters.unit:
        qs = qs.filter(unit=filters.unit)
    if filters.stage:
        qs = qs.filter(stage=filters.stage)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.industry:
        qs = qs.filter(Q(industry__code__startswith=filters.industry) | Q(industry__section=filters.industry))
    if filters.country:
        qs = qs.filter(investors__country=filters.country)
    if filters.fortune500:
        qs = qs.filter(is_f500=True)
    if filters.over_100m:
        qs = qs.filter(is_over_100m=True)
    if filters.at_risk:
        qs = qs.filter(is_at_risk=True)
    if filters.q:
        q = filters.q
        qs = qs.filter(
            Q(code__icontains=q)
            | Q(name__icontains=q)
            | Q(investors__name__icontains=q)
            | Q(investors__name_en__icontains=q)
            | Q(enterprise__name__icontains=q)
        )
    if filters.country or filters.q:
        qs = qs.distinct()
    qs = with_arrivals_to_date(qs, caliber)
    if filters.sort.lstrip("-") == "stage":
        from django.db.models import Case, IntegerField, Value, When

        from zhaoshang.projects.models import STAGE_ORDER

        order = [When(stage=s, then=Value(i)) for i, s in enumerate(STAGE_ORDER)]
        qs = qs.annotate(stage_order=Case(*order, default=Value(len(STAGE_ORDER)), output_field=IntegerField()))
    return qs.order_by(*_ordering(filters.sort))


def filter_choices() -> dict[str, Any]:
    """The options of the list's filters: units, stages, kinds, industry sections in use, countries in use."""
    sections = Industry.objects.filter(level=Industry.Level.SECTION).order_by("code")
    used_countries = Country.objects.filter(investors__projects__isnull=False).distinct().order_by("code")
    return {
        "units": list(Unit.objects.filter(is_active=True).order_by("sort_order", "code")),
        "stages": Stage.choices,
        "statuses": ProjectStatus.choices,
        "kinds": ProjectKind.choices,
        "industries": list(sections),
        "countries": list(used_countries),
    }


@dataclass
class TrendPoint:
    month: int
    actual_use: Decimal
    actual_use_prev: Decimal


def monthly_trend(period: MonthRange, caliber: Caliber, units: list[Unit]) -> list[TrendPoint]:
    """The city's actual use month by month through the period's last month, and the same months a year before.

    From stats' own monthly series (one grouped query), over the active units as the city's figure is.
    """
    series = monthly_actual_use(period.last.year, period.last.month, caliber, unit_ids=[u.pk for u in units])
    return [TrendPoint(m.month, cur, prev) for m, cur, prev in series]


def at_risk_projects(*, on: date, limit: int = 20) -> tuple[int, list[Project]]:
    qs = projects_at_risk(on=on).select_related("unit", "officer").order_by("next_follow_up_on", "code")
    return qs.count(), list(qs[:limit])


def queue_context(user: Any) -> dict[str, Any]:
    """The count of claims waiting, for the navigation and the dashboard."""
    from zhaoshang.accounts.permissions import can
    from zhaoshang.projects.selectors import claims_for

    if not can(user, "claim.decide") and getattr(user, "unit_id", None) is None:
        return {}
    waiting = claims_for(user, status="pending").count()
    returned = claims_for(user, status="returned").count() if getattr(user, "unit_id", None) else 0
    return {"claims_waiting": waiting, "claims_returned": returned}


@dataclass
class PipelineStage:
    stage: str
    label: str
    projects: int
    contract_usd: Decimal


def unit_pipeline(unit: Unit) -> list[PipelineStage]:
    """A unit's projects by stage with their contracted foreign capital (one grouped query), in stage order."""
    from django.db.models import Count, Sum

    rows = {
        r["stage"]: r
        for r in Project.objects.filter(unit=unit)
        .values("stage")
        .annotate(n=Count("id"), usd=Sum("contract_foreign_usd"))
        .order_by()
    }
    return [
        PipelineStage(
            s.value,
            s.label,
            rows[s]["n"] if s in rows else 0,
            rows[s]["usd"] or Decimal(0) if s in rows else Decimal(0),
        )
        for s in Stage
    ]
