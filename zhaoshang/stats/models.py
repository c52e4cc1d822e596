"""Published figures of the province's cities, entered from provincial bulletins or imported."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from zhaoshang.common.models import SingletonModel


class ProvinceIndicator(models.TextChoices):
    """The published indicators, by the registry's keys (stats.indicators): one key per figure everywhere."""

    ACTUAL_USE = "actual_use_usd", "实际使用外资（美元）"
    CONTRACT = "contract_usd", "合同外资（美元）"
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


class Target(models.Model):
    """An annual target (任务) on one indicator, for a unit or, with no unit, for the whole city."""

    unit = models.ForeignKey(
        "units.Unit",
        verbose_name="招商主体",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="targets",
        help_text="留空表示全市",
    )
    year = models.PositiveSmallIntegerField("年度")
    indicator = models.CharField("指标", max_length=40)
    value = models.DecimalField("目标值", max_digits=18, decimal_places=2, help_text="金额以美元计；项目以个计")
    note = models.CharField("备注", max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "年度任务"
        verbose_name_plural = "年度任务"
        ordering = ["year", "indicator", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "indicator"], name="target_unique"),
            # NULL units are distinct to the constraint above: the city-wide target needs its own.
            models.UniqueConstraint(
                fields=["year", "indicator"], condition=models.Q(unit__isnull=True), name="target_unique_citywide"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.unit or '全市'} {self.indicator}"


class StatsConfig(SingletonModel):
    """The caliber rules, kept as one row (pk=1): rules differ by place and year, so they are settings, not code."""

    class GrowthCaliber(models.TextChoices):
        AUTO = "auto", "自动：2022年5月起用可比口径，此前用全口径"
        FULL = "full", "全口径"
        COMPARABLE = "comparable", "可比口径（不含银行、证券、保险）"

    class FinancialCaliber(models.TextChoices):
        FULL = "full", "全口径：金融业（银行、证券、保险）计入"
        MOFCOM_PRE_2022_05 = "mofcom_pre_2022_05", "商务部2022年5月前口径：金融业不计入，2022年5月起计入"

    class ProjectBasis(models.TextChoices):
        SIGNED = "signed", "按首次签约日期"
        REGISTERED = "registered", "按设立登记日期"

    count_reinvested_profit = models.BooleanField("利润再投资计入实际使用外资", default=True)
    count_shareholder_loans = models.BooleanField("股东贷款计入实际使用外资", default=False)
    growth_caliber = models.CharField("增速口径", max_length=12, choices=GrowthCaliber.choices, default="auto")
    financial_caliber = models.CharField(
        "金融业口径",
        max_length=24,
        choices=FinancialCaliber.choices,
        default="full",
        help_text="商务部2022年4月前公布的实际使用外资不含银行、证券、保险业；默认按现行全口径",
    )
    project_basis = models.CharField("项目计数时点", max_length=12, choices=ProjectBasis.choices, default="signed")
    over_100m_threshold_usd = models.DecimalField(
        "超亿美元项目门槛（美元）", max_digits=18, decimal_places=2, default=100_000_000
    )
    behind_margin_pp = models.DecimalField(
        "落后于时序进度的容差（个百分点）",
        max_digits=5,
        decimal_places=1,
        default=5,
        help_text="任务完成进度低于时间进度超过此值即标为落后",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "统计口径"
        verbose_name_plural = "统计口径"

    def __str__(self) -> str:
        return "统计口径"
