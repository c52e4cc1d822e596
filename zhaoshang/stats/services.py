"""Writes of statistics inputs: other cities' published figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from zhaoshang.accounts.permissions import ensure_can
from zhaoshang.common.audit import save_with_audit
from zhaoshang.common.periods import year_in_bounds
from zhaoshang.common.validation import refuse
from zhaoshang.units.models import Region, Unit

from .indicators import TARGETABLE
from .models import ProvinceFigure, ProvinceIndicator, Target


@transaction.atomic
def province_figure_set(
    *,
    region: Region,
    first_month: date,
    last_month: date,
    indicator: str,
    value: Decimal,
    yoy_pct: Decimal | None,
    source: str = "",
    actor: Any,
) -> ProvinceFigure:
    ensure_can(actor, "province.write")
    if indicator not in ProvinceIndicator.values:
        raise refuse("indicator", "指标", indicator, "不存在")
    if value < 0:
        raise refuse("value", "数值", value, "不能为负数")
    if last_month < first_month:
        raise refuse("last_month", "截止月份", f"{last_month:%Y-%m}", f"早于起始月份 {first_month:%Y-%m}")
    figure = ProvinceFigure.objects.filter(
        region=region, first_month=first_month, last_month=last_month, indicator=indicator
    ).first() or ProvinceFigure(region=region, first_month=first_month, last_month=last_month, indicator=indicator)
    figure.value = value
    figure.yoy_pct = yoy_pct
    figure.source = source
    save_with_audit(figure, actor=actor, reason="录入全省数据")
    return figure


@transaction.atomic
def target_set(
    *, year: int, indicator: str, value: Decimal, unit: Unit | None = None, note: str = "", actor: Any
) -> Target:
    """Set (or change) an annual target for a unit or, with no unit, for the city."""
    ensure_can(actor, "target.write")
    if indicator not in TARGETABLE:
        raise refuse("indicator", "指标", indicator, f"不能设定任务；可设定的有：{'、'.join(TARGETABLE)}")
    if not year_in_bounds(year):
        raise refuse("year", "年度", year, "不是有效的年份")
    if value is None or value <= 0:
        raise refuse("value", "目标值", value, "必须大于0")
    target = Target.objects.filter(unit=unit, year=year, indicator=indicator).first() or Target(
        unit=unit, year=year, indicator=indicator
    )
    before = target.value if target.pk else None
    target.value = value
    target.note = note
    save_with_audit(target, actor=actor, reason="设定任务" if before is None else f"调整任务（原 {before}）")
    return target
