"""Published figures of the province's cities, entered from provincial bulletins or imported."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords


class ProvinceIndicator(models.TextChoices):
    ACTUAL_USE = "actual_use", "实际使用外资（美元）"
    CONTRACT = "contract", "合同外资（美元）"
    NEW_PROJECTS = "new_projects", "新设外资项目（个）"
    PROJECTS_OVER_100M = "projects_over_100m", "超亿美元项目（个）"
    FORTUNE500_PROJECTS = "fortune500_projects", "世界500强投资项目（个）"


class ProvinceFigure(models.Model):
    """A city's (or the province's own) published figure for a month range, with its published growth."""

    region = models.ForeignKey("units.Region", verbose_name="地区", on_delete=models.PROTECT, related_name="figures")
    first_month = models.DateField("起始月份")
    last_month = models.DateField("截止月份")
    indicator = models.CharField("指标", max_length=24, choices=ProvinceIndicator.choices)
    value = models.DecimalField("数值", max_digits=18, decimal_places=2, help_text="金额以美元计；项目以个计")
    yoy_pct = models.DecimalField("同比增长（%）", max_digits=8, decimal_places=2, null=True, blank=True)
    source = models.CharField("来源", max_length=128, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "全省各市公布数据"
        verbose_name_plural = "全省各市公布数据"
        ordering = ["-last_month", "region__code", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "first_month", "last_month", "indicator"], name="province_figure_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.first_month:%Y-%m}..{self.last_month:%Y-%m} {self.get_indicator_display()}"
