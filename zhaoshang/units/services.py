"""Writes of places and units."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from zhaoshang.accounts.permissions import ensure_can
from zhaoshang.common.audit import save_with_audit
from zhaoshang.common.validation import refuse

from .models import Region, Unit


def region_upsert(
    *, code: str, name: str, level: str, parent: Region | None, short_name: str = "", actor: Any
) -> Region:
    ensure_can(actor, "region.write")
    code = code.strip()
    if len(code) != 6 or not code.isdigit():
        raise refuse("code", "行政区划代码", code, "应为 6 位数字（GB/T 2260）")
    region, _ = Region.objects.update_or_create(
        code=code, defaults={"name": name, "level": level, "parent": parent, "short_name": short_name}
    )
    return region


@transaction.atomic
def unit_create(
    *,
    code: str,
    name: str,
    short_name: str,
    kind: str,
    city: Region,
    region: Region,
    sort_order: int = 0,
    actor: Any,
) -> Unit:
    ensure_can(actor, "unit.write")
    if kind not in Unit.Kind.values:
        raise refuse("kind", "主体类型", kind, "不是有效的类型")
    if Unit.objects.filter(code=code).exists():
        raise refuse("code", "招商主体代码", code, "已存在")
    if region.level != Region.Level.COUNTY or region.parent_id != city.pk:
        raise refuse("region", "所在县（市、区）", region.name, f"不是{city.name}的县级行政区")
    unit = Unit(
        code=code,
        name=name,
        short_name=short_name,
        kind=kind,
        city=city,
        region=region,
        sort_order=sort_order,
    )
    unit.full_clean()
    save_with_audit(unit, actor=actor, reason="新建招商主体")
    return unit
