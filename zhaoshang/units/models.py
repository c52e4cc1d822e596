"""Administrative divisions (GB/T 2260) and the investment-promotion units that report to the city."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords


class Region(models.Model):
    """A division of GB/T 2260: province, city or county-level unit, identified by its 6-digit code."""

    class Level(models.TextChoices):
        PROVINCE = "province", "省级"
        CITY = "city", "地级"
        COUNTY = "county", "县级"

    code = models.CharField("行政区划代码", max_length=6, unique=True)
    name = models.CharField("名称", max_length=64)
    short_name = models.CharField("简称", max_length=32, blank=True)
    level = models.CharField("级别", max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class Unit(models.Model):
    """An investment-promotion unit (招商主体) of the home city; zones lie inside a county but rank on their own."""

    class Kind(models.TextChoices):
        DISTRICT = "district", "市辖区"
        COUNTY = "county", "县"
        COUNTY_CITY = "county_city", "县级市"
        ZONE = "zone", "开发区"
        PARK = "park", "园区"

    code = models.CharField(
        "代码",
        max_length=12,
        unique=True,
        help_text="县（市、区）用 GB/T 2260 代码；开发区、园区用本系统代码",
    )
    name = models.CharField("名称", max_length=64, unique=True)
    short_name = models.CharField("简称", max_length=16)
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    city = models.ForeignKey(Region, verbose_name="所属设区市", on_delete=models.PROTECT, related_name="city_units")
    region = models.ForeignKey(
        Region,
        verbose_name="所在县（市、区）",
        on_delete=models.PROTECT,
        related_name="units",
        help_text="县（市、区）即其本身；开发区、园区为其所在的县（市、区）",
    )
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("参与统计", default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "招商主体"
        verbose_name_plural = "招商主体"
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_zone(self) -> bool:
        return self.kind in (self.Kind.ZONE, self.Kind.PARK)
