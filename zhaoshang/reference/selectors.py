"""Reads of the reference rates, and the check every given rate goes through."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from .currencies import currency_name
from .models import MonthlyRate

TOLERANCE = Decimal("0.05")  # a given rate more than 5% off the month's reference is a warning


def reference_rates(currencies: set[str] | None = None) -> dict[tuple[str, date], Decimal]:
    """(currency, month) → US$ per unit, in one query; every currency when none is named."""
    qs = MonthlyRate.objects.all()
    if currencies is not None:
        qs = qs.filter(currency__in=currencies)
    return {(r.currency, r.month): r.rate_to_usd for r in qs}


def reference_rate(currency: str, month: date) -> Decimal | None:
    if currency == "USD":
        return Decimal(1)
    return (
        MonthlyRate.objects.filter(currency=currency, month=month.replace(day=1))
        .values_list("rate_to_usd", flat=True)
        .first()
    )


@dataclass(frozen=True)
class RateCheck:
    """The rate to use, and at most one warning or error about it, in Chinese."""

    rate: Decimal | None
    warning: str = ""
    error: str = ""


def inverted(rate: Decimal) -> Decimal:
    return (Decimal(1) / rate).quantize(Decimal("0.00000001"), rounding=ROUND_HALF_UP)


@lru_cache(maxsize=4096)  # pure; an import asks the same few questions row after row
def check_rate(currency: str, month: date, given: Decimal | None, reference: Decimal | None) -> RateCheck:
    """A given rate against the month's reference: none given takes the reference; one written the other way
    round (106.5 日元 per US$) is offered inverted; more than 5% off, or no reference at all, is a warning."""
    when = f"{month.year}年{month.month}月"
    name = currency_name(currency)
    if currency == "USD":
        if given is not None and given != 1:
            return RateCheck(None, error="币种为美元时折美元汇率应为1（或不填）")
        return RateCheck(Decimal(1))
    if reference is not None:
        reference = reference.normalize()
    if given is None:
        if reference is None:
            return RateCheck(None, error=f"未填写折美元汇率，且{when}没有{name}（{currency}）的参考汇率；请填写汇率")
        return RateCheck(reference)
    if given <= 0:
        return RateCheck(None, error="必须大于0")
    if reference is None:
        return RateCheck(given, warning=f"{when}没有{name}（{currency}）的参考汇率，无法核对所填汇率 {given}")
    if abs(given / reference - 1) <= TOLERANCE:
        return RateCheck(given)
    flipped = Decimal(1) / given
    if abs(flipped / reference - 1) <= TOLERANCE:
        use = inverted(given)
        return RateCheck(
            use,
            warning=(
                f"汇率 {given} 似乎写反了（每美元合 {given} {name}）；将按 1 {name} = {use} 美元折算"
                f"（{when}参考汇率 {reference}）"
            ),
        )
    off = (given / reference - 1) * 100
    return RateCheck(
        given,
        warning=f"汇率 {given} 与{when}{name}参考汇率 {reference} 相差 {off:+.1f}%（超过 5%）",
    )
