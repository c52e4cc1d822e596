"""The foreign-investment registry: who invests, in which local enterprise, through which project, and when."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import MD5
from simple_history.models import HistoricalRecords


class Country(models.Model):
    """A country or region of origin of foreign capital. Hong Kong, Macao and Taiwan are FDI sources too."""

    code = models.CharField("代码", max_length=3, unique=True, help_text="ISO 3166-1 二位字母代码")
    name = models.CharField("名称", max_length=32, unique=True)
    name_en = models.CharField("英文名称", max_length=64, blank=True)
    is_hmt = models.BooleanField("港澳台", default=False)

    class Meta:
        verbose_name = "国家（地区）"
        verbose_name_plural = "国家（地区）"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Industry(models.Model):
    """A category of GB/T 4754-2017: section (letter), division (2 digits), group (3) or class (4)."""

    class Level(models.TextChoices):
        SECTION = "section", "门类"
        DIVISION = "division", "大类"
        GROUP = "group", "中类"
        CLASS = "class", "小类"

    code = models.CharField("代码", max_length=5, unique=True)
    name = models.CharField("名称", max_length=128)
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    section = models.CharField("门类", max_length=1, blank=True)

    class Meta:
        verbose_name = "国民经济行业（GB/T 4754-2017）"
        verbose_name_plural = "国民经济行业（GB/T 4754-2017）"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @staticmethod
    def level_for(code: str) -> str:
        if len(code) == 1 and code.isalpha():
            return Industry.Level.SECTION
        return {2: Industry.Level.DIVISION, 3: Industry.Level.GROUP, 4: Industry.Level.CLASS}[len(code)]


class FocusIndustry(models.Model):
    """One of the city's focus-industry tags (新能源, 高端装备, 大健康 …)."""

    slug = models.SlugField("标识", unique=True)
    name = models.CharField("名称", max_length=32, unique=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "重点产业"
        verbose_name_plural = "重点产业"
        ordering = ["sort_order", "slug"]

    def __str__(self) -> str:
        return self.name


class Fortune500List(models.Model):
    """One year's Fortune Global 500 list; `published_on` decides which list applies to a project's date."""

    year = models.PositiveSmallIntegerField("年份", unique=True)
    published_on = models.DateField("发布日期")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "世界500强榜单"
        verbose_name_plural = "世界500强榜单"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年《财富》世界500强"


class Fortune500Entry(models.Model):
    listing = models.ForeignKey(Fortune500List, verbose_name="榜单", on_delete=models.CASCADE, related_name="entries")
    rank = models.PositiveSmallIntegerField("排名", null=True, blank=True)
    name = models.CharField("公司名称（榜单原文）", max_length=128)
    name_key = models.CharField("名称匹配键", max_length=128, db_index=True, editable=False)
    country = models.CharField("国家（榜单原文）", max_length=64, blank=True)
    revenue_musd = models.DecimalField("营业收入（百万美元）", max_digits=14, decimal_places=2, null=True, blank=True)
    investor = models.ForeignKey(
        "Investor",
        verbose_name="对应投资方",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="fortune500_entries",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "世界500强企业"
        verbose_name_plural = "世界500强企业"
        ordering = ["listing", "rank"]
        constraints = [models.UniqueConstraint(fields=["listing", "name_key"], name="f500_unique_name_per_year")]

    def __str__(self) -> str:
        return f"{self.listing.year} #{self.rank} {self.name}"


class Investor(models.Model):
    """A foreign investor; `parent` is its ultimate parent group, which may itself be on the list."""

    name = models.CharField("中文名称", max_length=128)
    name_en = models.CharField("英文名称", max_length=128, blank=True)
    country = models.ForeignKey(
        Country, verbose_name="国别（地区）", on_delete=models.PROTECT, related_name="investors"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="最终控股集团",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subsidiaries",
    )
    note = models.TextField("备注", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "外方投资者"
        verbose_name_plural = "外方投资者"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["name"], name="investor_unique_name")]

    def __str__(self) -> str:
        return self.name


class Enterprise(models.Model):
    """The local foreign-invested enterprise (外商投资企业)."""

    name = models.CharField("企业名称", max_length=128)
    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True, null=True, blank=True)
    unit = models.ForeignKey(
        "units.Unit", verbose_name="招商主体", on_delete=models.PROTECT, related_name="enterprises"
    )
    industry = models.ForeignKey(
        Industry,
        verbose_name="行业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enterprises",
    )
    is_new = models.BooleanField("新设企业", default=True, help_text="否表示存量外资企业")
    established_on = models.DateField("成立日期", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "外商投资企业"
        verbose_name_plural = "外商投资企业"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Stage(models.TextChoices):
    NEGOTIATING = "negotiating", "洽谈"
    SIGNED = "signed", "签约"
    REGISTERED = "registered", "设立"
    ARRIVING = "arriving", "到资"
    CONSTRUCTION = "construction", "开工"
    PRODUCTION = "production", "投产"
    LISTED = "listed", "上市"
    DROPPED = "dropped", "中止"


# The forward order of stages; DROPPED stands outside it.
STAGE_ORDER = [
    Stage.NEGOTIATING,
    Stage.SIGNED,
    Stage.REGISTERED,
    Stage.ARRIVING,
    Stage.CONSTRUCTION,
    Stage.PRODUCTION,
    Stage.LISTED,
]


def stage_index(stage: str) -> int:
    return STAGE_ORDER.index(Stage(stage))


class ProjectKind(models.TextChoices):
    NEW = "new", "新设"
    INCREASE = "increase", "增资"
    MNA = "mna", "并购"
    REINVEST = "reinvest", "利润再投资"


# Kinds that can be a 超亿美元项目: new establishments and capital increases (a profit reinvestment is one funded by
# profits); an M&A buys what exists and does not count (the registry's `projects_over_100m` adds the threshold).
OVER_100M_KINDS = [ProjectKind.NEW, ProjectKind.INCREASE, ProjectKind.REINVEST]


class ProjectStatus(models.TextChoices):
    """How a project is faring, beside its stage: the stage says how far it got, the status whether it moves."""

    NORMAL = "normal", "正常"
    DELAYED = "delayed", "延期"
    STALLED = "stalled", "停滞"
    LOST = "lost", "流失"
    TERMINATED = "terminated", "中止"


class StallObstacle(models.TextChoices):
    LAND = "land", "土地"
    FUNDS = "funds", "资金"
    APPROVAL = "approval", "审批"
    ENVIRONMENT = "environment", "环评"
    OTHER = "other", "其他"


class Project(models.Model):
    code = models.CharField("项目编号", max_length=20, unique=True)
    name = models.CharField("项目名称", max_length=128)
    unit = models.ForeignKey("units.Unit", verbose_name="招商主体", on_delete=models.PROTECT, related_name="projects")
    investors = models.ManyToManyField(Investor, verbose_name="外方投资者", related_name="projects")
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name="外资企业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    kind = models.CharField("项目类型", max_length=10, choices=ProjectKind.choices)
    industry = models.ForeignKey(
        Industry,
        verbose_name="行业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    focus_industries = models.ManyToManyField(
        FocusIndustry, verbose_name="重点产业", blank=True, related_name="projects"
    )
    currency = models.CharField("币种", max_length=3, default="USD")
    rate_to_usd = models.DecimalField("折美元汇率", max_digits=16, decimal_places=8, help_text="1 单位原币折合美元")
    total_investment = models.DecimalField("总投资（原币）", max_digits=18, decimal_places=2)
    total_investment_usd = models.DecimalField("总投资（美元）", max_digits=18, decimal_places=2)
    contract_foreign = models.DecimalField("合同外资（原币）", max_digits=18, decimal_places=2)
    contract_foreign_usd = models.DecimalField("合同外资（美元）", max_digits=18, decimal_places=2)
    leader = models.CharField("包抓领导", max_length=32, blank=True)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    stage = models.CharField("当前阶段", max_length=16, choices=Stage.choices, default=Stage.NEGOTIATING)
    stage_on = models.DateField("进入当前阶段日期")
    # Kept by the stage service: the first date the project stood at or beyond signing / registration.
    signed_on = models.DateField("签约日期", null=True, blank=True, db_index=True)
    registered_on = models.DateField("设立日期", null=True, blank=True, db_index=True)
    # Kept by the verification service: whether the city has verified (认定) the stage that set each date.
    signing_verified = models.BooleanField("签约已认定", default=True)
    registration_verified = models.BooleanField("设立已认定", default=True)
    dropped_reason = models.CharField("中止原因", max_length=200, blank=True)
    # Where a dropped or lost project went (another city or country), when it went somewhere.
    destination = models.CharField("去向（城市或国家）", max_length=64, blank=True)
    # Kept by the status service beside the stage (which never moves back): how the project is faring now.
    status = models.CharField("项目状态", max_length=12, choices=ProjectStatus.choices, default="normal")
    status_on = models.DateField("状态日期", null=True, blank=True)
    status_note = models.CharField("状态说明", max_length=200, blank=True)
    next_follow_up_on = models.DateField("下次跟进日期", null=True, blank=True, db_index=True)
    note = models.TextField("备注", blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    # The investors decide the Fortune Global 500 figure, so who changed them, when and why is kept too.
    history = HistoricalRecords(m2m_fields=["investors"])

    class Meta:
        verbose_name = "外资项目"
        verbose_name_plural = "外资项目"
        ordering = ["-signed_on", "code"]
        indexes = [models.Index(fields=["unit", "stage"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Verification(models.TextChoices):
    """Where a unit's claim stands with the city: only what is 已认定 counts on the verified caliber (认定口径)."""

    APPROVED = "approved", "已认定"
    PENDING = "pending", "待认定"
    RETURNED = "returned", "已退回"


class ProjectStageEvent(models.Model):
    """The dated history of a project's stages; one row per stage reached."""

    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.CASCADE, related_name="stage_events")
    stage = models.CharField("阶段", max_length=16, choices=Stage.choices)
    on = models.DateField("日期")
    note = models.CharField("说明", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True, on_delete=models.SET_NULL
    )
    verification = models.CharField("认定状态", max_length=10, choices=Verification.choices, default="approved")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "项目阶段"
        verbose_name_plural = "项目阶段"
        ordering = ["project", "on", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "stage"], name="stage_once_per_project")]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {self.on}"


class ArrivalKind(models.TextChoices):
    PAID_IN = "paid_in", "新设企业实缴资本"
    CAPITAL_INCREASE = "capital_increase", "增资"
    MNA = "mna", "并购对价"
    REINVESTED_PROFIT = "reinvested_profit", "利润再投资"
    SHAREHOLDER_LOAN = "shareholder_loan", "股东贷款"
    OTHER = "other", "其他"


class CapitalArrival(models.Model):
    """A month's actual arrival of foreign capital (实际到资) for a project: every actual-use figure sums these."""

    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.PROTECT, related_name="arrivals")
    month = models.DateField("到资月份", db_index=True, help_text="该月1日")
    kind = models.CharField("到资类型", max_length=20, choices=ArrivalKind.choices)
    currency = models.CharField("币种", max_length=3, default="USD")
    rate_to_usd = models.DecimalField("折美元汇率", max_digits=16, decimal_places=8)
    amount = models.DecimalField("金额（原币）", max_digits=18, decimal_places=2)
    amount_usd = models.DecimalField("金额（美元）", max_digits=18, decimal_places=2)
    is_financial = models.BooleanField("金融业（银行、证券、保险）", default=False)
    note = models.CharField("备注", max_length=200, blank=True)
    # The part of amount_usd the city has verified: what the verified caliber (认定口径) sums. A new arrival
    # starts at 0 until its claim is approved; an upward correction is a claim for the difference.
    verified_amount_usd = models.DecimalField("已认定金额（美元）", max_digits=18, decimal_places=2, default=0)
    verification = models.CharField("认定状态", max_length=10, choices=Verification.choices, default="approved")
    # A void keeps the record (and its id) with its amounts at 0, so no figure needs to know of voids; what it was
    # is kept here and in its history, why and when beside it.
    voided_at = models.DateTimeField("作废时间", null=True, blank=True)
    void_reason = models.CharField("作废原因", max_length=200, blank=True)
    voided_amount_usd = models.DecimalField(
        "作废前金额（美元）", max_digits=18, decimal_places=2, null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "实际到资"
        verbose_name_plural = "实际到资"
        ordering = ["month", "id"]
        indexes = [models.Index(fields=["month", "kind"])]
        # One record per project, month and type that is not voided: a second transfer adds to it (a correction
        # once the month is closed); two concurrent imports can no longer double a month; a voided record leaves
        # its key free for the right one.
        constraints = [
            models.UniqueConstraint(
                fields=["project", "month", "kind"],
                condition=models.Q(voided_at__isnull=True),
                name="arrival_unique_project_month_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.project.code} {self.month:%Y-%m} {self.amount_usd}美元"

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None


class FollowUp(models.Model):
    class Channel(models.TextChoices):
        VISIT = "visit", "上门拜访"
        MEETING = "meeting", "会议洽谈"
        ONLINE = "online", "云招商（线上）"
        CALL = "call", "电话"

    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.CASCADE, related_name="follow_ups")
    on = models.DateField("跟进日期")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="跟进人", null=True, blank=True, on_delete=models.PROTECT
    )
    channel = models.CharField("方式", max_length=10, choices=Channel.choices)
    summary = models.TextField("情况摘要")
    next_on = models.DateField("下次跟进日期", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "跟进记录"
        verbose_name_plural = "跟进记录"
        ordering = ["-on", "-id"]
        # The import's natural key (project, date, channel, summary); the summary by its digest, since a long text
        # would not fit in a PostgreSQL index entry.
        constraints = [
            models.UniqueConstraint(
                "project", "on", "channel", MD5("summary"), name="followup_unique_project_on_channel_summary"
            )
        ]

    def __str__(self) -> str:
        return f"{self.on} {self.get_channel_display()}"


# Month closing (关账) and corrections are registry rules, checked by this app's arrival services. The models keep
# their owner, app_label "bulletins" (tables, migrations and admin pages unchanged); issuing a bulletin closes months.


class MonthClosure(models.Model):
    """A month whose figures have been published in an issued bulletin: later changes need a reason."""

    month = models.DateField("月份", unique=True, help_text="该月1日")
    bulletin = models.ForeignKey(
        "bulletins.Bulletin", verbose_name="关账通报", on_delete=models.PROTECT, related_name="closures"
    )
    closed_at = models.DateTimeField("关账时间")

    class Meta:
        app_label = "bulletins"
        verbose_name = "已关账月份"
        verbose_name_plural = "已关账月份"
        ordering = ["-month"]

    def __str__(self) -> str:
        return f"{self.month:%Y年%m月}"


class Correction(models.Model):
    """A change to a capital arrival of a closed month, listed in the next bulletin issued after it."""

    class Action(models.TextChoices):
        ADDED = "added", "补录到资"
        CHANGED = "changed", "修改到资"
        VERIFIED = "verified", "关账后认定"
        VOIDED = "voided", "作废到资"

    month = models.DateField("所属月份", help_text="被更正数据所在的已关账月份（该月1日）")
    action = models.CharField("更正类型", max_length=10, choices=Action.choices)
    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.PROTECT)
    arrival = models.ForeignKey(CapitalArrival, verbose_name="到资记录", on_delete=models.PROTECT)
    amount_before_usd = models.DecimalField("更正前（美元）", max_digits=18, decimal_places=2, null=True, blank=True)
    amount_after_usd = models.DecimalField("更正后（美元）", max_digits=18, decimal_places=2)
    kind_before = models.CharField("更正前类型", max_length=20, blank=True)
    kind_after = models.CharField("更正后类型", max_length=20)
    reason = models.CharField("更正原因", max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="更正人", null=True, blank=True, on_delete=models.PROTECT
    )
    recorded_at = models.DateTimeField("更正时间")
    listed_in = models.ForeignKey(
        "bulletins.Bulletin",
        verbose_name="列入通报",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
        help_text="留空表示尚待列入下一期通报",
    )

    class Meta:
        app_label = "bulletins"
        verbose_name = "关账后数据更正"
        verbose_name_plural = "关账后数据更正"
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.month:%Y年%m月} {self.get_action_display()}"


class VerificationRule(models.Model):
    """Which claims the city must verify, per kind of claim, and up to which amount a unit may self-certify.

    Rules are data (editable by the city administrator, audited); a change applies to claims made after it. The
    到资 stage has no rule of its own: it follows from the first arrival, which is itself a claim."""

    class Item(models.TextChoices):
        ARRIVAL = "arrival", "实际到资"
        SIGNED = "stage:signed", "阶段：签约"
        REGISTERED = "stage:registered", "阶段：设立"
        CONSTRUCTION = "stage:construction", "阶段：开工"
        PRODUCTION = "stage:production", "阶段：投产"
        LISTED = "stage:listed", "阶段：上市"
        DROPPED = "stage:dropped", "阶段：中止"

    item = models.CharField("认定事项", max_length=24, choices=Item.choices, unique=True)
    requires_verification = models.BooleanField("须经市局认定", default=True)
    self_certify_max_usd = models.DecimalField(
        "单位可自行认定的最高金额（美元）",
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="仅对到资有效；留空表示不论金额均须认定",
        validators=[MinValueValidator(0)],
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "认定规则"
        verbose_name_plural = "认定规则"
        ordering = ["item"]

    def __str__(self) -> str:
        return self.get_item_display()


class Claim(models.Model):
    """A unit's claim that a stage was reached or capital arrived, waiting for (or given) the city's verification."""

    class Kind(models.TextChoices):
        ARRIVAL = "arrival", "实际到资"
        STAGE = "stage", "阶段推进"

    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.CASCADE, related_name="claims")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    arrival = models.ForeignKey(
        CapitalArrival, verbose_name="到资", null=True, blank=True, on_delete=models.CASCADE, related_name="claims"
    )
    stage_event = models.ForeignKey(
        ProjectStageEvent, verbose_name="阶段", null=True, blank=True, on_delete=models.CASCADE, related_name="claims"
    )
    amount_usd = models.DecimalField("申请认定金额（美元）", max_digits=18, decimal_places=2, null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=Verification.choices, default="pending", db_index=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="填报人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField("填报时间")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="认定人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("认定时间", null=True, blank=True)
    reason = models.CharField("认定意见或退回原因", max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "认定事项"
        verbose_name_plural = "认定事项"
        ordering = ["submitted_at", "id"]
        indexes = [models.Index(fields=["status", "project"])]

    def __str__(self) -> str:
        return f"{self.project.code} {self.get_kind_display()} {self.get_status_display()}"


class ProjectStatusEvent(models.Model):
    """The dated history of a project's status: who set it, when, why, and what each status asks for."""

    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.CASCADE, related_name="status_events")
    status = models.CharField("状态", max_length=12, choices=ProjectStatus.choices)
    on = models.DateField("日期")
    reason = models.CharField("原因", max_length=200)
    expected_on = models.DateField("新的预计日期", null=True, blank=True, help_text="延期时填写")
    obstacle = models.CharField("停滞原因类别", max_length=12, choices=StallObstacle.choices, blank=True)
    destination = models.CharField("去向（城市或国家）", max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "项目状态记录"
        verbose_name_plural = "项目状态记录"
        ordering = ["project", "on", "id"]

    def __str__(self) -> str:
        return f"{self.project.code} {self.get_status_display()} {self.on}"


class EvidenceKind(models.TextChoices):
    LICENCE = "licence", "营业执照"
    BANK_RECEIPT = "bank_receipt", "到资凭证/银行进账单"
    CONSTRUCTION_PERMIT = "construction_permit", "施工许可"
    SITE_PHOTO = "site_photo", "开工照片"
    PRODUCTION_CERT = "production_cert", "投产认定"
    OTHER = "other", "其他"


class StageGate(models.Model):
    """What a project needs to enter one stage (准入条件): its required items (`GateRequirement`) and the evidence
    it accepts. Rules are data, edited by the city administrator through `stage_gate_set` (audited); a gate
    applies to stage advances dated on or after `in_force_from`, so history recorded before it is not re-judged."""

    stage = models.CharField("阶段", max_length=16, choices=Stage.choices, unique=True)
    evidence_kinds = models.JSONField("可接受的证明材料", default=list, blank=True)
    evidence_min = models.PositiveSmallIntegerField("至少需要的证明材料份数", default=0)
    in_force_from = models.DateField("生效日期", help_text="阶段日期在此日及以后的推进才按本条件检查")
    note = models.CharField("说明", max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "阶段准入条件"
        verbose_name_plural = "阶段准入条件"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"进入“{self.get_stage_display()}”"


class GateRequirement(models.Model):
    """One item a stage gate requires (a field, an arrival, a negotiation on record), unless its waiver holds."""

    gate = models.ForeignKey(StageGate, verbose_name="阶段", on_delete=models.CASCADE, related_name="requirements")
    requirement = models.CharField("要求", max_length=32)
    waived_when = models.CharField("以下情形免于此项", max_length=32, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "准入要求"
        verbose_name_plural = "准入要求"
        ordering = ["gate", "id"]
        constraints = [models.UniqueConstraint(fields=["gate", "requirement"], name="gate_requirement_once")]

    def __str__(self) -> str:
        return self.requirement


class DataDirStorage(FileSystemStorage):
    """`evidence/` of the data directory, read from the settings when a file is stored or opened (not when the
    models load), so a data directory changed later (tests, a command's environment) is the one used."""

    @property  # type: ignore[override]
    def base_location(self) -> str:
        return str(Path(settings.DATA_DIR) / "evidence")

    @property  # type: ignore[override]
    def location(self) -> str:
        return os.path.abspath(self.base_location)


def evidence_storage() -> Any:
    """Where evidence files go: the `evidence` storage when settings declare one (S3-compatible through
    django-storages), else a folder of the data directory. Never served from a public URL."""
    from django.core.files.storage import storages

    if "evidence" in settings.STORAGES:
        return storages["evidence"]
    return DataDirStorage()


class Evidence(models.Model):
    """A file proving a stage or an arrival (营业执照, 到资凭证 …), checked by its content before it is stored."""

    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.PROTECT, related_name="evidence")
    kind = models.CharField("材料类型", max_length=24, choices=EvidenceKind.choices)
    stage = models.CharField("证明阶段", max_length=16, choices=Stage.choices, blank=True)
    stage_event = models.ForeignKey(
        ProjectStageEvent, verbose_name="阶段", null=True, blank=True, on_delete=models.PROTECT, related_name="evidence"
    )
    arrival = models.ForeignKey(
        CapitalArrival, verbose_name="到资", null=True, blank=True, on_delete=models.PROTECT, related_name="evidence"
    )
    claim = models.ForeignKey(
        Claim, verbose_name="认定事项", null=True, blank=True, on_delete=models.PROTECT, related_name="evidence"
    )
    file = models.FileField("文件", storage=evidence_storage, max_length=200)
    original_name = models.CharField("原文件名", max_length=120)
    content_type = models.CharField("文件类型（按内容识别）", max_length=100)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    note = models.CharField("说明", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "证明材料"
        verbose_name_plural = "证明材料"
        ordering = ["project", "uploaded_at", "id"]

    def __str__(self) -> str:
        return f"{self.project.code} {self.get_kind_display()} {self.original_name}"


class EvidenceDownload(models.Model):
    """Who downloaded which evidence file, and when."""

    evidence = models.ForeignKey(Evidence, verbose_name="材料", on_delete=models.CASCADE, related_name="downloads")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="下载人", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("下载时间")

    class Meta:
        verbose_name = "材料下载记录"
        verbose_name_plural = "材料下载记录"
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.evidence_id}"
