"""Writes to the reference data, each leaving a history row."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from zhaoshang.accounts.permissions import ensure_can
from zhaoshang.common.audit import save_with_audit

from .models import MonthlyRate


def rate_set(*, currency: str, month: date, rate_to_usd: Decimal, source: str = "", actor: Any) -> MonthlyRate:
    """Set (or correct) the reference rate of a currency for a month (city administrators: 'rate.write')."""
    ensure_can(actor, "rate.write")
    code = (currency or "").strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise ValidationError({"currency": f"币种“{currency}”应为三位字母代码（ISO 4217），如 EUR、JPY"})
    if code == "USD":
        raise ValidationError({"currency": "美元无需参考汇率（恒为1）"})
    if not isinstance(rate_to_usd, Decimal) or not rate_to_usd.is_finite() or rate_to_usd <= 0:
        raise ValidationError({"rate_to_usd": f"参考汇率“{rate_to_usd}”必须大于0"})
    first = month.replace(day=1)
    obj = MonthlyRate.objects.filter(currency=code, month=first).first() or MonthlyRate(currency=code, month=first)
    if obj.pk and (obj.rate_to_usd, obj.source) == (rate_to_usd, source):
        return obj
    obj.rate_to_usd, obj.source = rate_to_usd, source[:128]
    save_with_audit(obj, actor=actor, reason="参考汇率")
    return obj
