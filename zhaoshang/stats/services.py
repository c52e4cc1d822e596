"""Writes of statistics inputs: targets, other cities' published figures, the caliber and the as-of date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from zhaoshang.accounts.permissions import ensure_can
from zhaoshang.common.audit import save_with_audit
from zhaoshang.common.models import SiteConfig
from zhaoshang.common.periods import year_in_bounds
from zhaoshang.common.validation import refuse
from zhaoshang.units.models import Region, Unit

from .indicators import TARGETABLE
from .models import ProvinceFigure, ProvinceIndicator, StatsConfig, Target


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


CALIBER_FIELDS = (
    "count_reinvested_profit",
    "count_shareholder_loans",
    "growth_caliber",
    "financial_caliber",
    "project_basis",
    "over_100m_threshold_usd",
    "behind_margin_pp",
)


def _changed_text(obj: Any, before: dict[str, Any], fields: Any) -> str:
    parts = []
    for name in fields:
        old, new = before[name], getattr(obj, name)
        if old != new:
            label = obj._meta.get_field(name).verbose_name
            parts.append(f"{label}：{old if old is not None else '空'} → {new if new is not None else '空'}")
    return "；".join(parts)


@transaction.atomic
def stats_config_update(*, actor: Any, reason: str = "", **changes: Any) -> StatsConfig:
    """Change the caliber rules; every figure moves with them, so each change is kept with its reason."""
    ensure_can(actor, "caliber.write")
    unknown = set(changes) - set(CALIBER_FIELDS)
    if unknown:
        name = sorted(unknown)[0]
        raise refuse(name, "统计口径", name, "不是可修改的口径设置")
    config = StatsConfig.get()
    before = {name: getattr(config, name) for name in CALIBER_FIELDS}
    for name, value in changes.items():
        setattr(config, name, value)
    config.full_clean()
    what = _changed_text(config, before, CALIBER_FIELDS)
    if what:
        save_with_audit(config, actor=actor, reason=f"{reason or '修改统计口径'}（{what}）")
    return config


@transaction.atomic
def site_config_update(*, as_of_date: date | None, actor: Any, reason: str = "") -> SiteConfig:
    """Set (or clear) the as-of date that stands for "today" in every figure that depends on the date."""
    ensure_can(actor, "settings.write")
    if as_of_date is not None and not year_in_bounds(as_of_date.year):
        raise refuse("as_of_date", "业务日期", as_of_date.isoformat(), "不是有效的日期")
    config = SiteConfig.get()
    before = {"as_of_date": config.as_of_date}
    config.as_of_date = as_of_date
    what = _changed_text(config, before, ["as_of_date"])
    if what:
        save_with_audit(config, actor=actor, reason=f"{reason or '修改业务日期'}（{what}）")
    return config
