"""Reads of places and units."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet

from .models import Region, Unit


def home_city() -> Region:
    return Region.objects.get(code=settings.ZHAOSHANG_CITY_CODE)


def home_province() -> Region:
    return Region.objects.get(code=settings.ZHAOSHANG_PROVINCE_CODE)


def province_cities() -> QuerySet[Region]:
    return Region.objects.filter(parent__code=settings.ZHAOSHANG_PROVINCE_CODE, level=Region.Level.CITY)


def active_units() -> QuerySet[Unit]:
    return Unit.objects.filter(is_active=True).select_related("region", "city")


def unit_by_code(code: str) -> Unit:
    from django.core.exceptions import ValidationError

    try:
        return Unit.objects.get(code=code)
    except Unit.DoesNotExist:
        known = "、".join(f"{u.code} {u.short_name}" for u in Unit.objects.all()[:20])
        raise ValidationError({"unit": [f"招商主体代码“{code}”不存在；可用的有：{known}"]}) from None
