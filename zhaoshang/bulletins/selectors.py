"""What a month's bulletin says, gathered from the statistics layer and the registry: one dataclass for every format.

The .docx, the .xlsx, the push messages and the page all read `bulletin_data(month)`; none computes a figure.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone

from zhaoshang.common.periods import MonthRange, month_start
from zhaoshang.projects.models import Fortune500Entry, Project
from zhaoshang.projects.selectors import claims_waiting_in
from zhaoshang.stats import indicators as registry
from zhaoshang.stats.caliber import Caliber
from zhaoshang.stats.selectors import (
    Figures,
    Standing,
    StatsReport,
    fortune500_projects,
    monthly_actual_use,
    province_standing,
    stats_report,
)

from .models import Bulletin, Correction, DocumentSettings

# The bulletin names every notable project of the month up to this many per kind; the .xlsx lists them all.
LISTED_PROJECTS = 20


@dataclass
class NotableProject:
    code: str
    name: str
    unit: str
    investors: str
    countries: str
    total_investment_usd: Decimal
    signed_on: date | None
    kind: str
    is_fortune500: bool
    is_over_100m: bool
    groups: list[str] = field(default_factory=list)


@dataclass
class MonthPoint:
    month: date
    actual_use: Decimal
    actual_use_prev: Decimal


@dataclass
class BulletinData:
    month: date
    period: MonthRange  # 1月 to the bulletin's month
    number: int
    title: str
    city_name: str
    issuer: str
    dated: date | None  # 成文日期: the issue date; None for a draft
    report: StatsReport
    previous_period: MonthRange | None
    previous_standing: Standing | None
    monthly: list[MonthPoint]
    notable: list[NotableProject]
    corrections: list[Correction]
    issued: Bulletin | None = None
    waiting: Any = None  # the period's claims not yet verified (projects.selectors.WaitingClaims)
    race: Any = None  # filled by the race section when the race app is installed
    layout: DocumentSettings = field(default_factory=DocumentSettings)

    @property
    def is_draft(self) -> bool:
        return self.dated is None

    @property
    def doc_number(self) -> str:
        """发文字号 (嘉商务〔2020〕9号) or 期号 (第9期), as the settings write it."""
        return self.layout.doc_number(self.month.year, self.number)

    @property
    def cutoff(self) -> date:
        """The data cut-off: the period's last day (or the as-of date, were it earlier)."""
        return min(self.period.end_date, self.report.as_of)

    @property
    def cutoff_label(self) -> str:
        return f"{self.cutoff.year}年{self.cutoff.month}月{self.cutoff.day}日"

    @property
    def city(self) -> Any:
        return self.report.city

    @property
    def standing(self) -> Standing:
        return self.report.standing

    @property
    def month_label(self) -> str:
        return f"{self.month.year}年{self.month.month}月"


def bulletin_title(city_name: str, period: MonthRange) -> str:
    return f"关于{period.label()}全市利用外资工作情况的通报"


def monthly_series(period: MonthRange, caliber: Caliber) -> list[MonthPoint]:
    """Actual use month by month, this year and a year earlier: stats' own monthly series (the city's units)."""
    series = monthly_actual_use(period.last.year, period.last.month, caliber)
    wanted = set(period.iter_months())
    return [MonthPoint(m, cur, prev) for m, cur, prev in series if m in wanted]


def notable_projects(month: date, caliber: Caliber) -> list[NotableProject]:
    """Projects introduced in the month that are Fortune Global 500 investments or of ≥ US$100m, largest first."""
    one = MonthRange(month_start(month), month_start(month))
    basis = caliber.basis_field
    in_month = Q(**{f"{basis}__gte": one.start_date, f"{basis}__lte": one.end_date})
    f500_ids = set(fortune500_projects().filter(in_month).values_list("pk", flat=True))
    projects = (
        registry.with_project_flags(Project.objects.filter(in_month), caliber)
        .filter(Q(is_over_100m=True) | Q(pk__in=f500_ids))
        .select_related("unit")
        .prefetch_related("investors__country", "investors__parent")
        .order_by("-total_investment_usd", "code")
    )
    listed = set(Fortune500Entry.objects.exclude(investor=None).values_list("investor_id", flat=True))
    out = []
    for p in projects:
        investors = list(p.investors.all())
        groups: list[str] = []
        if p.pk in f500_ids:
            for inv in investors:
                group = inv if inv.pk in listed else inv.parent if inv.parent_id in listed else None
                if group is not None and group.name not in groups:
                    groups.append(group.name)
        out.append(
            NotableProject(
                code=p.code,
                name=p.name,
                unit=p.unit.short_name,
                investors="、".join(i.name for i in investors),
                countries="、".join(dict.fromkeys(i.country.name for i in investors)),
                total_investment_usd=p.total_investment_usd,
                signed_on=getattr(p, basis),
                kind=p.get_kind_display(),
                is_fortune500=p.pk in f500_ids,
                is_over_100m=p.is_over_100m,  # type: ignore[attr-defined]
                groups=groups,
            )
        )
    return out


def previous_standing(period: MonthRange, monthly: list[MonthPoint]) -> tuple[MonthRange | None, Standing | None]:
    """The city's standing at the end of the month before (1 to N−1月), for the rank's rise or fall.

    Only the rank by scale is read from it, so the city's figure is the sum of the months before, taken from the
    monthly series (same caliber), rather than a second full computation of every indicator.
    """
    if period.last.month == 1:
        return None, None
    before = MonthRange.year_to_month(period.last.year, period.last.month - 1)
    earlier = [p for p in monthly if p.month <= before.last]
    city = Figures(
        actual_use=sum((p.actual_use for p in earlier), Decimal(0)),
        actual_use_prev=sum((p.actual_use_prev for p in earlier), Decimal(0)),
    )
    return before, province_standing(before, city)


def corrections_for(month: date, issued: Bulletin | None) -> list[Correction]:
    """An issued bulletin lists the corrections it took in; a draft lists those waiting since the last one."""
    qs = Correction.objects.select_related("project__unit", "recorded_by")
    qs = qs.filter(listed_in=issued) if issued is not None else qs.filter(listed_in=None)
    return list(qs.order_by("month", "recorded_at", "id"))


def next_number(month: date) -> int:
    """Bulletins are numbered within the year in the order they are issued."""
    return Bulletin.objects.filter(month__year=month.year, month__lt=month).count() + 1


def issued_bulletin(month: date) -> Bulletin | None:
    return Bulletin.objects.filter(month=month_start(month)).first()


def bulletin_data(month: date, *, caliber: Caliber | None = None) -> BulletinData:
    month = month_start(month)
    caliber = caliber or Caliber.current()
    period = MonthRange.year_to_month(month.year, month.month)
    report = stats_report(period, caliber=caliber)
    issued = issued_bulletin(month)
    monthly = monthly_series(period, caliber)
    before, standing_before = previous_standing(period, monthly)
    city_name = report.city_region.name
    layout = DocumentSettings.current()
    data = BulletinData(
        month=month,
        period=period,
        number=issued.number if issued else next_number(month),
        title=issued.title if issued else bulletin_title(city_name, period),
        city_name=city_name,
        issuer=layout.issuer,
        dated=(issued.issued_on or timezone.localdate(issued.issued_at)) if issued else None,
        report=report,
        previous_period=before,
        previous_standing=standing_before,
        monthly=monthly,
        notable=notable_projects(month, caliber),
        corrections=corrections_for(month, issued),
        issued=issued,
        layout=layout,
    )
    data.waiting = claims_waiting_in(period.start_date, period.end_date)
    return data


def waiting_warning(period: MonthRange, waiting: Any) -> str:
    """The warning given before and on issuing when claims of the period are still unverified ("" when none)."""
    from zhaoshang.common.money import fmt_wan

    if waiting is None or not waiting.count:
        return ""
    parts = []
    if waiting.pending:
        parts.append(f"待认定{waiting.pending}项")
    if waiting.returned:
        parts.append(f"已退回{waiting.returned}项")
    amount = f"，其中到资合计{fmt_wan(waiting.amount_usd)}" if waiting.amount_usd else ""
    return (
        f"注意：{period.label()}尚有{waiting.count}项认定事项未认定（{'、'.join(parts)}{amount}），"
        "本期通报按认定口径不计入这些事项；签发后再认定的，将作为关账后更正列入下一期通报。"
    )


def waiting_warning_for(month: date) -> str:
    """The same warning for the bulletin of `month` (its period: January to that month)."""
    month = month_start(month)
    period = MonthRange.year_to_month(month.year, month.month)
    return waiting_warning(period, claims_waiting_in(period.start_date, period.end_date))


def correction_totals(corrections: list[Correction]) -> dict[date, Decimal]:
    """Net change of actual use per corrected month (after − before)."""
    out: dict[date, Decimal] = defaultdict(Decimal)
    for c in corrections:
        out[c.month] += c.amount_after_usd - (c.amount_before_usd or Decimal(0))
    return dict(out)
