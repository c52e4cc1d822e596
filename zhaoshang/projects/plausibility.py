"""Plausibility of an arrival as entered: the checks that raise a warning (never a refusal) wherever one is typed —
the import, the desk's form and the API. A warning stops the write until the person confirms it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Sum

from zhaoshang.common.money import to_usd
from zhaoshang.common.periods import month_start
from zhaoshang.reference.currencies import currency_code, currency_name
from zhaoshang.reference.selectors import check_rate, reference_rate

from .models import CapitalArrival, Project

MEDIAN_MIN_ARRIVALS = 5  # a unit's median means something from five arrivals on
MEDIAN_FACTOR = 20  # an arrival above 20 × the unit's median arrival
MONTHS_MIN_HISTORY = 3  # a unit's average month means something from three months on
MONTH_FACTOR = 10  # a month's total above 10 × the unit's average month


def median(values: list[Decimal]) -> Decimal:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def above_contract(project: Project, usd: Decimal) -> str:
    if project.contract_foreign_usd and usd > project.contract_foreign_usd:
        return f"折合 US${usd:,.2f}，大于项目 {project.code} 的合同外资 US${project.contract_foreign_usd:,.2f}"
    return ""


def above_median(unit_name: str, usd: Decimal, unit_median: Decimal | None) -> str:
    if unit_median and usd > MEDIAN_FACTOR * unit_median:
        return f"折合 US${usd:,.2f}，超过{unit_name}到资中位数（US${unit_median:,.2f}）的 {MEDIAN_FACTOR} 倍"
    return ""


def above_month_average(unit_name: str, month: date, total: Decimal, history: list[Decimal]) -> str:
    if len(history) < MONTHS_MIN_HISTORY:
        return ""
    average = sum(history, Decimal(0)) / len(history)
    if average > 0 and total > MONTH_FACTOR * average:
        return (
            f"{unit_name}{month.year}年{month.month}月到资合计将达 US${total:,.2f}，"
            f"超过该单位月均（US${average:,.2f}）的 {MONTH_FACTOR} 倍"
        )
    return ""


def other_currency(project: Project, currency: str) -> str:
    if currency != project.currency:
        return f"币种（{currency_name(currency)}）与项目 {project.code} 的币种（{currency_name(project.currency)}）不同"
    return ""


@dataclass
class ArrivalCheck:
    """What one arrival typed at the desk or sent to the API would record, and what looks wrong about it."""

    currency: str
    rate: Decimal | None
    error: str = ""  # the rate cannot be found or is impossible: nothing can be recorded
    warnings: list[str] = field(default_factory=list)


def check_arrival(
    *,
    project: Project,
    month: date,
    amount: Decimal,
    currency: str,
    rate: Decimal | None,
    exclude_id: int | None = None,
) -> ArrivalCheck:
    """The currency as clerks write it (美元, 港币 …) folded to ISO; the rate checked against the month's reference
    (or taken from it); and the plausibility warnings the import gives for the same arrival."""
    month = month_start(month)
    code = currency_code(currency) or project.currency
    rated = check_rate(code, month, rate, reference_rate(code, month))
    if rated.error or rated.rate is None:
        return ArrivalCheck(code, None, error=rated.error or "无法确定折美元汇率")
    out = ArrivalCheck(code, rated.rate)
    if rated.warning:
        out.warnings.append(rated.warning)
    usd = to_usd(amount, rated.rate)
    arrivals = CapitalArrival.objects.filter(project__unit_id=project.unit_id)
    if exclude_id is not None:
        arrivals = arrivals.exclude(pk=exclude_id)
    values = list(arrivals.values_list("amount_usd", flat=True))
    unit_median = median(values) if len(values) >= MEDIAN_MIN_ARRIVALS else None
    months = dict(
        arrivals.values_list("month").annotate(total=Sum("amount_usd")).values_list("month", "total")  # type: ignore[arg-type]
    )
    this_month = months.pop(month, Decimal(0))
    unit_name = project.unit.name
    for text in (
        above_contract(project, usd),
        above_median(unit_name, usd, unit_median),
        above_month_average(unit_name, month, this_month + usd, list(months.values())),
        other_currency(project, code),
    ):
        if text:
            out.warnings.append(text)
    return out
