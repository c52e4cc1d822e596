"""Places: province → city → investment-promotion units (counties, districts, zones, parks)."""

from django.apps import AppConfig


class UnitsConfig(AppConfig):
    name = "zhaoshang.units"
    label = "units"
    verbose_name = "地区与招商主体"
