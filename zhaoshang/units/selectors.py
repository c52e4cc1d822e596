"""Reads of places and units."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from .models import Region, Unit


def _region(code: str, what: str) -> Region:
    try:
        return Region.objects.get(code=code)
    except Region.DoesNotExist:
        raise ValidationError(
            {"region": [f"{what}（行政区划代码“{code}”）尚未建立：请先运行 zhaoshang demo，或导入行政区划"]}
        ) from None


def home_city() -> Region:
    return _region(settings.ZHAOSHANG_CITY_CODE, "本市")


def home_province() -> Region:
    return _region(settings.ZHAOSHANG_PROVINCE_CODE, "本省")


def province_cities() -> QuerySet[Region]:
    return Region.objects.filter(parent__code=settings.ZHAOSHANG_PROVINCE_CODE, level=Region.Level.CITY)


def active_units() -> QuerySet[Unit]:
    return Unit.objects.filter(is_active=True).select_related("region", "city")


def unit_by_code(code: str) -> Unit:
    try:
        return Unit.objects.get(code=code)
    except Unit.DoesNotExist:
        known = "、".join(f"{u.code} {u.short_name}" for u in Unit.objects.all()[:20])
        raise ValidationError({"unit": [f"招商主体代码“{code}”不存在；可用的有：{known}"]}) from None
