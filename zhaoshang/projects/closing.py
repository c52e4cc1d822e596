"""Closed months: the check the registry's arrival services call before changing a month already published.

Issuing a bulletin closes the months it reports. A later change to a capital arrival of a closed month must give
its reason; it is then recorded as a correction and listed in the next bulletin issued.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from zhaoshang.common.periods import month_start
from zhaoshang.common.validation import refuse

from .models import Correction, MonthClosure


def closure_of(month: date) -> MonthClosure | None:
    return MonthClosure.objects.filter(month=month_start(month)).select_related("bulletin").first()


def check_closed_month_change(*, month: date, reason: str) -> MonthClosure | None:
    """Refuse a change to a closed month that gives no reason; return the closure when the month is closed."""
    closure = closure_of(month)
    if closure is not None and not (reason or "").strip():
        raise refuse(
            "reason",
            "更正原因",
            reason,
            f"不能为空：{month:%Y}年{month.month}月的数据已随《{closure.bulletin.title}》关账，修改须说明原因",
        )
    return closure


def correction_record(
    *,
    closure: MonthClosure,
    arrival: Any,
    action: str,
    reason: str,
    actor: Any,
    amount_before_usd: Decimal | None = None,
    kind_before: str = "",
) -> Correction:
    """Record a change to a closed month; it waits (listed_in empty) for the next bulletin."""
    return Correction.objects.create(
        month=closure.month,
        action=action,
        project_id=arrival.project_id,
        arrival=arrival,
        amount_before_usd=amount_before_usd,
        amount_after_usd=arrival.amount_usd,
        kind_before=kind_before,
        kind_after=arrival.kind,
        reason=reason.strip(),
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
