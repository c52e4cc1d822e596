"""Money in US$ as Decimal: conversion at a recorded rate, and the bureau's ways of writing figures."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
YI = Decimal(100_000_000)  # 亿
WAN = Decimal(10_000)  # 万


def to_decimal(value: object) -> Decimal:
    """Exact Decimal from int, str or Decimal; floats are refused because they carry binary error."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, (bool, float)):
        raise TypeError("金额必须是 Decimal、整数或字符串，不能是浮点数")
    try:
        return Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation as exc:
        raise ValueError(f"“{value}”不是有效的数字") from exc


def quantize_cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def to_usd(amount: Decimal, rate_to_usd: Decimal) -> Decimal:
    """US$ value of an amount in another currency at the recorded rate (US$ per unit), to the cent."""
    return quantize_cents(to_decimal(amount) * to_decimal(rate_to_usd))


def round_half_up(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def pct1(value: Decimal | float | None) -> float | None:
    """A percentage as the bureau writes it, one decimal rounded half-up, as a JSON/chart number; None stays None."""
    return None if value is None else float(round_half_up(Decimal(str(value)), 1))


def fmt_yi(usd: Decimal | None, places: int = 2) -> str:
    """23.74亿美元 — the headline form."""
    if usd is None:
        return "—"
    return f"{round_half_up(to_decimal(usd) / YI, places)}亿美元"


def fmt_wan(usd: Decimal | None, places: int = 0) -> str:
    """12345万美元 — the form used in tables of projects and units."""
    if usd is None:
        return "—"
    return f"{round_half_up(to_decimal(usd) / WAN, places)}万美元"


def fmt_pct(value: Decimal | float | None, signed: bool = True) -> str:
    """+44.4% — growth with its sign; '—' where no growth can be computed."""
    if value is None:
        return "—"
    d = round_half_up(Decimal(str(value)), 1)
    if signed and d > 0:
        return f"+{d}%"
    return f"{d}%"


def fmt_pp(value: Decimal | float | None) -> str:
    """35.1个百分点."""
    if value is None:
        return "—"
    return f"{round_half_up(Decimal(str(value)), 1)}个百分点"
