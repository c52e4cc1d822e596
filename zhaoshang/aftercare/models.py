"""The roster of foreign-invested enterprises already here (存量外资企业), their yearly figures as filed in the annual
foreign-investment information report, the visits made to them and the requests they raised."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

MONEY: dict[str, Any] = {"max_digits": 20, "decimal_places": 6, "null": True, "blank": True}


class RosterEntry(models.Model):
    """One enterprise on the roster: one-to-one with the registry's enterprise, with who serves it."""

    enterprise = models.OneToOneField(
        "projects.Enterprise", verbose_name="外资企业", on_delete=models.PROTECT, related_name="roster"
    )
    investors = models.ManyToManyField(
        "projects.Investor", verbose_name="外方投资者", blank=True, related_name="roster_entries"
    )
    group = models.ForeignKey(
        "projects.Investor",
        verbose_name="所属集团",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="group_roster_entries",
        help_text="最终控股集团；空表示取第一个投资方的最终控股集团",
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="服务专员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="served_enterprises",
    )
    leader = models.CharField("包联领导", max_length=32, blank=True)
    enrolled_on = models.DateField("列入名录日期")
    note = models.TextField("备注", blank=True)
    history = HistoricalRecords(m2m_fields=["investors"])

    class Meta:
        verbose_name = "存量外资企业"
        verbose_name_plural = "存量外资企业"
        ordering = ["enterprise__name"]

    def __str__(self) -> str:
        return self.enterprise.name


class AnnualFigures(models.Model):
    """One year's figures of the annual report, in the currency and unit reported (万元人民币 as a rule).

    Signals read only the years filed by their as-of date (`filed_on`)."""

    entry = models.ForeignKey(RosterEntry, verbose_name="企业", on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField("年度")
    filed_on = models.DateField("报送日期")
    currency = models.CharField("币种", max_length=3, default="CNY")
    unit_scale = models.PositiveIntegerField("金额单位", default=10_000, help_text="1 表示元，10000 表示万元")
    registered_capital = models.DecimalField("注册资本", **MONEY)
    total_investment = models.DecimalField("投资总额", **MONEY)
    revenue = models.DecimalField("营业收入", **MONEY)
    profit = models.DecimalField("利润总额", **MONEY)
    undistributed_profit = models.DecimalField("未分配利润", **MONEY)
    tax_paid = models.DecimalField("纳税总额", **MONEY)
    export_value = models.DecimalField("出口额", **MONEY)
    employees = models.PositiveIntegerField("从业人员", null=True, blank=True)
    source = models.CharField("来源", max_length=128, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "年报数据"
        verbose_name_plural = "年报数据"
        ordering = ["entry", "year"]
        constraints = [models.UniqueConstraint(fields=["entry", "year"], name="annual_figures_once_per_year")]

    def __str__(self) -> str:
        return f"{self.entry} {self.year}年"


class Intention(models.TextChoices):
    EXPAND = "expand", "增资扩产"
    REINVEST = "reinvest", "利润再投资"
    NEW_PROJECT = "new_project", "新项目"
    MOVE = "move", "迁出风险"
    NONE = "none", "无"


EXPANSION_INTENTIONS = (Intention.EXPAND, Intention.REINVEST, Intention.NEW_PROJECT)


class Visit(models.Model):
    entry = models.ForeignKey(RosterEntry, verbose_name="企业", on_delete=models.CASCADE, related_name="visits")
    on = models.DateField("走访日期")
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="走访人", null=True, blank=True, on_delete=models.PROTECT
    )
    met = models.CharField("会见对象", max_length=128)
    learned = models.TextField("了解情况")
    intention = models.CharField("企业意向", max_length=12, choices=Intention.choices, default=Intention.NONE)
    intention_note = models.CharField("意向说明", max_length=200, blank=True)
    next_on = models.DateField("下次走访日期", null=True, blank=True)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name="转化的项目",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="aftercare_visits",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "走访记录"
        verbose_name_plural = "走访记录"
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.entry} {self.on}"


class RequestCategory(models.TextChoices):
    LAND = "land", "用地"
    APPROVAL = "approval", "审批"
    LABOUR = "labour", "用工"
    FINANCE = "finance", "融资"
    ENERGY = "energy", "能耗"
    POLICY = "policy", "政策兑现"
    OTHER = "other", "其他"


class RequestStatus(models.TextChoices):
    RECEIVED = "received", "受理"
    IN_PROGRESS = "in_progress", "办理中"
    SOLVED = "solved", "已办结"
    UNSOLVABLE = "unsolvable", "无法解决"


OPEN_STATUSES = (RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS)
CLOSED_STATUSES = (RequestStatus.SOLVED, RequestStatus.UNSOLVABLE)


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


class ServiceRequest(models.Model):
    """A request (企业诉求): 受理 → 办理中 → 已办结, or 无法解决 with the reason."""

    entry = models.ForeignKey(RosterEntry, verbose_name="企业", on_delete=models.CASCADE, related_name="requests")
    visit = models.ForeignKey(
        Visit, verbose_name="来自走访", null=True, blank=True, on_delete=models.SET_NULL, related_name="requests"
    )
    category = models.CharField("诉求类别", max_length=10, choices=RequestCategory.choices)
    description = models.TextField("诉求内容")
    department = models.CharField("承办部门", max_length=64)
    received_on = models.DateField("受理日期")
    deadline = models.DateField("办理时限")
    status = models.CharField(
        "状态", max_length=12, choices=RequestStatus.choices, default=RequestStatus.RECEIVED, db_index=True
    )
    started_on = models.DateField("开始办理日期", null=True, blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    answer = models.TextField("办理结果", blank=True)
    reason = models.CharField("无法解决原因", max_length=200, blank=True)
    satisfaction = models.CharField("企业满意度", max_length=12, choices=Satisfaction.choices, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "企业诉求"
        verbose_name_plural = "企业诉求"
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"{self.entry} {self.get_category_display()} {self.received_on}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES
