"""Competitions are data: who races, on which indicators with which weights and targets, and what was published."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class RaceIndicator(models.TextChoices):
    ACTUAL_USE = "actual_use_usd", "实际使用外资"
    CONTRACT = "contract_usd", "合同外资"
    NEW_PROJECTS = "new_projects", "新设外资项目"
    OVER_100M = "projects_over_100m", "超亿美元项目"
    FORTUNE500 = "fortune500_projects", "世界500强投资项目"


def default_red_flag_rules() -> dict[str, int]:
    """Each rule and its parameter; 0 switches a rule off. Written out in the README."""
    return {"fortune500_stage": 1, "over_100m_stage": 1, "largest_arrivals": 1, "fast_progress_days": 180}


class Competition(models.Model):
    class Weekday(models.IntegerChoices):
        MON = 0, "周一"
        TUE = 1, "周二"
        WED = 2, "周三"
        THU = 3, "周四"
        FRI = 4, "周五"
        SAT = 5, "周六"
        SUN = 6, "周日"

    slug = models.SlugField("代号", max_length=60, unique=True)
    name = models.CharField("名称", max_length=100)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")
    units = models.ManyToManyField("units.Unit", verbose_name="参赛单位", related_name="competitions")
    rival = models.ForeignKey(
        "units.Region",
        verbose_name="对标城市",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="全市实际使用外资与之比较（1–N月累计）",
    )
    snapshot_weekday = models.PositiveSmallIntegerField("周比日", choices=Weekday.choices, default=Weekday.FRI)
    score_cap = models.DecimalField(
        "完成率封顶", max_digits=5, decimal_places=2, default=Decimal("1.20"), help_text="1.20 即单项最多按 120% 计分"
    )
    snail_margin_pp = models.DecimalField(
        "蜗牛单位判定差距（百分点）", max_digits=5, decimal_places=1, default=Decimal("10.0")
    )
    stall_days = models.PositiveSmallIntegerField("停滞项目判定天数", default=60)
    arrivals_ended_months_only = models.BooleanField(
        "到资只计已结束月份",
        default=True,
        help_text="周比榜单和“竞赛以来”的到资只计已结束的月份（到资按月登记，未结束的月份数据不全）",
    )
    red_flags_per_month = models.PositiveSmallIntegerField(
        "每月红旗项目上限", default=5, help_text="规则每月最多提出的红旗项目数（按重要性排序取前几个）"
    )
    stalled_per_unit = models.PositiveSmallIntegerField(
        "每单位停滞项目上限", default=2, help_text="每周每个单位最多提出的停滞项目（停滞最久的优先）"
    )
    stalled_max = models.PositiveSmallIntegerField("每周停滞项目总上限", default=10)
    dormant_days = models.PositiveSmallIntegerField(
        "长期停滞天数",
        default=365,
        help_text="超过此天数无推进、无跟进的项目不再每周点名，而是提请所属单位中止或说明状态",
    )
    red_flag_rules = models.JSONField("红旗项目规则", default=default_red_flag_rules)
    note = models.TextField("说明", blank=True)
    # Which units race moves the city's race total and every rank: the membership is kept in the history too.
    history = HistoricalRecords(m2m_fields=["units"])

    class Meta:
        verbose_name = "竞赛"
        verbose_name_plural = "竞赛"
        ordering = ["-start", "slug"]

    def __str__(self) -> str:
        return self.name


class CompetitionIndicator(models.Model):
    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="indicators")
    indicator = models.CharField("指标", max_length=24, choices=RaceIndicator.choices)
    weight = models.DecimalField("权重", max_digits=5, decimal_places=2)
    order = models.PositiveSmallIntegerField("顺序（并列时依次比较）", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "竞赛指标"
        verbose_name_plural = "竞赛指标"
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["competition", "indicator"], name="race_indicator_once")]

    def __str__(self) -> str:
        return f"{self.get_indicator_display()}（权重 {self.weight}）"


class CompetitionTarget(models.Model):
    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey("units.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    indicator = models.CharField("指标", max_length=24, choices=RaceIndicator.choices)
    value = models.DecimalField("竞赛目标", max_digits=18, decimal_places=2, help_text="金额以美元计；项目以个计")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "竞赛目标"
        verbose_name_plural = "竞赛目标"
        constraints = [
            models.UniqueConstraint(fields=["competition", "unit", "indicator"], name="race_target_once"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.get_indicator_display()} {self.value}"


class Snapshot(models.Model):
    """A published weekly board. Never changed: a recomputation is a new version with its reason."""

    competition = models.ForeignKey(Competition, on_delete=models.PROTECT, related_name="snapshots")
    on = models.DateField("周比日期")
    version = models.PositiveSmallIntegerField("版本", default=1)
    reason = models.CharField("重算原因", max_length=200, blank=True)
    data = models.JSONField("榜单")
    created_at = models.DateTimeField("发布时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发布人", null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = "周比榜单"
        verbose_name_plural = "周比榜单"
        ordering = ["competition", "on", "version"]
        constraints = [
            models.UniqueConstraint(fields=["competition", "on", "version"], name="snapshot_version_once"),
        ]

    def __str__(self) -> str:
        return f"{self.competition} {self.on} 第{self.version}版"


class MonthlyEvaluation(models.Model):
    competition = models.ForeignKey(Competition, on_delete=models.PROTECT, related_name="evaluations")
    month = models.DateField("月份", help_text="该月1日")
    data = models.JSONField("月末榜单")
    created_at = models.DateTimeField("发布时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发布人", null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = "月度评比"
        verbose_name_plural = "月度评比"
        ordering = ["competition", "month"]
        constraints = [models.UniqueConstraint(fields=["competition", "month"], name="evaluation_once")]

    def __str__(self) -> str:
        return f"{self.competition} {self.month:%Y年%m月}"


class UnitPractice(models.Model):
    evaluation = models.ForeignKey(MonthlyEvaluation, on_delete=models.CASCADE, related_name="practices")
    unit = models.ForeignKey("units.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    text = models.TextField("经验做法")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "经验做法"
        verbose_name_plural = "经验做法"
        constraints = [models.UniqueConstraint(fields=["evaluation", "unit"], name="practice_once")]

    def __str__(self) -> str:
        return f"{self.unit} {self.text[:20]}"


class Award(models.Model):
    evaluation = models.ForeignKey(MonthlyEvaluation, on_delete=models.CASCADE, related_name="awards")
    unit = models.ForeignKey("units.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("奖项", max_length=40)
    reason = models.CharField("理由", max_length=200)

    class Meta:
        verbose_name = "月度奖项"
        verbose_name_plural = "月度奖项"
        constraints = [models.UniqueConstraint(fields=["evaluation", "unit", "title"], name="award_once")]

    def __str__(self) -> str:
        return f"{self.unit} {self.title}"


class RedFlag(models.Model):
    """A red-flag project (红旗项目), proposed by a rule or added by the bureau, confirmed with a reason."""

    competition = models.ForeignKey(Competition, on_delete=models.PROTECT, related_name="red_flags")
    project = models.ForeignKey("projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="+")
    on = models.DateField("评定日期")
    rule = models.CharField("依据规则", max_length=24, help_text="manual 表示人工添加")
    reason = models.CharField("理由", max_length=200)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="确认人", null=True, blank=True, on_delete=models.PROTECT
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "红旗项目"
        verbose_name_plural = "红旗项目"
        ordering = ["competition", "on", "id"]
        constraints = [models.UniqueConstraint(fields=["competition", "project"], name="red_flag_once")]

    def __str__(self) -> str:
        return f"红旗 {self.project} {self.on}"


class Snail(models.Model):
    """A snail (蜗牛): a lagging unit, or a stalled project, named for a week with a reason."""

    class Kind(models.TextChoices):
        UNIT = "unit", "进度滞后单位"
        PROJECT = "project", "停滞项目"

    competition = models.ForeignKey(Competition, on_delete=models.PROTECT, related_name="snails")
    kind = models.CharField("类型", max_length=8, choices=Kind.choices)
    unit = models.ForeignKey("units.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    on = models.DateField("评定日期")
    rule = models.CharField("依据规则", max_length=24)
    reason = models.CharField("理由", max_length=200)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="确认人", null=True, blank=True, on_delete=models.PROTECT
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "蜗牛"
        verbose_name_plural = "蜗牛"
        ordering = ["competition", "on", "kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["competition", "on", "unit", "project"], name="snail_once"),
            models.UniqueConstraint(
                fields=["competition", "on", "unit"], condition=models.Q(project=None), name="unit_snail_once"
            ),
        ]

    def __str__(self) -> str:
        return f"蜗牛 {self.project or self.unit} {self.on}"


class ProposalDecline(models.Model):
    """A rule's proposal the bureau declined, with its reason: a red flag not named for this competition, or a
    snail not named on this day. It is no longer put forward."""

    class Kind(models.TextChoices):
        RED_FLAG = "red_flag", "红旗项目"
        SNAIL = "snail", "蜗牛"

    competition = models.ForeignKey(Competition, on_delete=models.PROTECT, related_name="declines")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    on = models.DateField("周比日期")
    unit = models.ForeignKey("units.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rule = models.CharField("依据规则", max_length=24)
    reason = models.CharField("不予确认的理由", max_length=200)
    declined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="确认人", null=True, blank=True, on_delete=models.PROTECT
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "不予确认的提名"
        verbose_name_plural = "不予确认的提名"
        ordering = ["competition", "on", "id"]

    def __str__(self) -> str:
        return f"不予确认 {self.get_kind_display()} {self.project or self.unit} {self.on}"
