"""The period picker: which month ranges the pages offer, and reading the one asked for."""

from __future__ import annotations

from datetime import date
from typing import Any

from zhaoshang.common.periods import MonthRange, out_of_bounds_message, period_in_bounds

from .selectors import BadFilter


def default_period(as_of: date) -> MonthRange:
    return MonthRange.year_to_month(as_of.year, as_of.month)


def period_from(params: Any, as_of: date) -> MonthRange:
    text = (params.get("period") or "").strip()
    if not text:
        return default_period(as_of)
    try:
        period = MonthRange.parse(text[:40], year=as_of.year)
        period.refuse_after(as_of)
    except ValueError as exc:
        raise BadFilter(str(exc)) from None
    if not period_in_bounds(period):
        raise BadFilter(out_of_bounds_message(text))
    return period


def period_choices(as_of: date, selected: MonthRange) -> list[tuple[str, str]]:
    """1–N月 of this year and last, the quarters, the whole years; the selected one always among them."""
    out: list[tuple[str, str]] = []
    for year in (as_of.year, as_of.year - 1):
        last = as_of.month if year == as_of.year else 12
        for m in range(last, 0, -1):
            p = MonthRange.year_to_month(year, m)
            out.append((_key(p), p.label() if m > 1 else f"{year}年1月"))
        for q in range(4, 0, -1):
            if year == as_of.year and 3 * q - 2 > as_of.month:
                continue
            p = MonthRange.parse(f"{year}Q{q}")
            out.append((_key(p), f"{year}年第{q}季度"))
    if _key(selected) not in {k for k, _ in out}:
        out.insert(0, (_key(selected), selected.label()))
    return out


def _key(p: MonthRange) -> str:
    return f"{p.first:%Y-%m}..{p.last:%Y-%m}"


def period_key(p: MonthRange) -> str:
    return _key(p)
