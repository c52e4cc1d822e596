"""Leads before negotiation (线索), the city's response rules for them, and conflicts (撞单) between two units
courting the same investor, with the city's decisions and the credit shares of a joint project."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from zhaoshang.common.models import SingletonModel


class LeadConfig(SingletonModel):
    """How fast a lead must be answered, and when a missed answer is escalated to the city."""

    response_working_days = models.PositiveSmallIntegerField(
        "首次联系时限（工作日）",
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="自分派之日起（未分派时自收到之日起）计算，周六、周日不计",
    )
    escalate_after_working_days = models.PositiveSmallIntegerField(
        "逾期多少个工作日后上报市局",
        default=0,
        validators=[MaxValueValidator(60)],
        help_text="0 表示一逾期即上报",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "线索响应规则"
        verbose_name_plural = "线索响应规则"

    def __str__(self) -> str:
        return "线索响应规则"


class Source(models.TextChoices):
    NEWS = "news", "新闻/公告"
    CHAIN_TARGET = "chain_target", "产业链目标企业"
    EXISTING = "existing", "存量企业增资意向"
    REFERRAL = "referral", "商会/中介推荐"
    INBOUND = "inbound", "来访来电"
    EVENT = "event", "展会/活动"
    OTHER = "other", "其他"


class Status(models.TextChoices):
    NEW = "new", "新线索"
    ASSIGNED = "assigned", "已分派"
    CONTACTED = "contacted", "已联系"
    CONVERTED = "converted", "转为项目"
    ABANDONED = "abandoned", "放弃"


OPEN_STATUSES = [Status.NEW, Status.ASSIGNED, Status.CONTACTED]


class Lead(models.Model):
    code = models.CharField("线索编号", max_length=20, unique=True)
    company = models.CharField("企业名称", max_length=128)
    group = models.CharField("所属集团", max_length=128, blank=True)
    investor = models.ForeignKey(
        "projects.Investor",
        verbose_name="对应投资方",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    target_enterprise = models.ForeignKey(
        "projects.Enterprise",
        verbose_name="目标企业（增资、并购对象）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    industry = models.ForeignKey(
        "projects.Industry", verbose_name="行业", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    intention = models.TextField("已知情况（规模、意向）", blank=True)
    currency = models.CharField("币种", max_length=3, blank=True)
    amount = models.DecimalField("意向金额（原币）", max_digits=18, decimal_places=2, null=True, blank=True)
    amount_usd = models.DecimalField("意向金额（美元）", max_digits=18, decimal_places=2, null=True, blank=True)
    source = models.CharField("来源", max_length=16, choices=Source.choices)
    source_detail = models.CharField("来源文件或推荐人", max_length=300, blank=True)
    unit = models.ForeignKey(
        "units.Unit", verbose_name="分派单位", null=True, blank=True, on_delete=models.PROTECT, related_name="leads"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    received_on = models.DateField("收到日期")
    assigned_on = models.DateField("分派日期", null=True, blank=True)
    first_contact_on = models.DateField("首次联系日期", null=True, blank=True)
    respond_by = models.DateField("首次联系时限", db_index=True)
    escalated_on = models.DateField("上报市局日期", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.NEW, db_index=True)
    closed_on = models.DateField("转化或放弃日期", null=True, blank=True)
    abandon_reason = models.CharField("放弃原因", max_length=200, blank=True)
    project = models.ForeignKey(
        "projects.Project", verbose_name="转化项目", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "招商线索"
        verbose_name_plural = "招商线索"
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["unit", "status"])]

    def __str__(self) -> str:
        return f"{self.code} {self.company}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Conflict(models.Model):
    """Two units holding the same investor (or its group) for the same industry, or the same target enterprise."""

    class State(models.TextChoices):
        OPEN = "open", "待市局裁定"
        DECIDED = "decided", "已裁定"

    class Decision(models.TextChoices):
        ASSIGN = "assign", "归属一方"
        NOT_CONFLICT = "not_conflict", "不构成撞单"
        JOINT = "joint", "联合招引（按比例分计）"

    key = models.CharField("撞单依据键", max_length=300, db_index=True, editable=False)
    subject = models.CharField("撞单对象", max_length=200)
    basis = models.CharField("判断依据", max_length=200)
    unit_a = models.ForeignKey("units.Unit", verbose_name="单位甲", on_delete=models.PROTECT, related_name="+")
    unit_b = models.ForeignKey("units.Unit", verbose_name="单位乙", on_delete=models.PROTECT, related_name="+")
    lead_a = models.ForeignKey(
        Lead, verbose_name="甲方线索", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lead_b = models.ForeignKey(
        Lead, verbose_name="乙方线索", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    project_a = models.ForeignKey(
        "projects.Project", verbose_name="甲方项目", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    project_b = models.ForeignKey(
        "projects.Project", verbose_name="乙方项目", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    found_at = models.DateTimeField("发现时间")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.OPEN, db_index=True)
    decision = models.CharField("裁定", max_length=16, choices=Decision.choices, blank=True)
    decided_unit = models.ForeignKey(
        "units.Unit", verbose_name="归属单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField("裁定理由", max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="裁定人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("裁定时间", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "撞单"
        verbose_name_plural = "撞单"
        ordering = ["state", "-found_at", "-id"]

    def __str__(self) -> str:
        return f"{self.subject}：{self.unit_a.short_name} / {self.unit_b.short_name}"


class CreditShare(models.Model):
    """A joint project's credit for one unit: the race and the units' target progress count its figures by these
    shares; the statistics (MOFCOM caliber) keep them whole with the unit where the enterprise is registered."""

    conflict = models.ForeignKey(Conflict, verbose_name="撞单裁定", on_delete=models.PROTECT, related_name="shares")
    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lead = models.ForeignKey(
        Lead,
        verbose_name="线索（转为项目后计入）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey("units.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    share = models.DecimalField(
        "分计比例",
        max_digits=5,
        decimal_places=4,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="0 至 1，同一项目各单位之和为 1",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "联合招引分计比例"
        verbose_name_plural = "联合招引分计比例"
        ordering = ["conflict", "unit"]
        constraints = [models.UniqueConstraint(fields=["conflict", "unit"], name="share_once_per_unit")]

    def __str__(self) -> str:
        return f"{self.unit.short_name} {self.share:.0%}"
