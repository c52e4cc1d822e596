"""The industry-chain investment map (产业链招商地图): chains, their links, who is in each link and who to bring in."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from zhaoshang.common.models import SingletonModel


class ChainConfig(SingletonModel):
    """The thresholds that turn a link's numbers into its state, kept as one row (pk=1) so the admin can tune them.

    A chain may override them with its own values (Chain.strong_min_*); blank there means "use these".
    """

    strong_min_enterprises = models.PositiveIntegerField(
        "强链门槛：本地企业数（家）",
        default=3,
        help_text="确认的本地企业不少于此数、且投资额达到下一项门槛，为“强链”；有企业但未达到任一门槛为“补链”",
    )
    strong_min_investment_usd = models.DecimalField(
        "强链门槛：本地企业项目总投资（美元）",
        max_digits=18,
        decimal_places=2,
        default=Decimal("100000000"),
        help_text="本环节确认企业的已签约、未中止项目总投资合计",
    )
    leader_max_industry_rank = models.PositiveIntegerField(
        "行业龙头：行业排名不低于第几名",
        default=10,
        help_text="目标企业行业排名在此名次以内（含）视为行业龙头，在目标清单中排在前面",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "产业链设置"
        verbose_name_plural = "产业链设置"

    def __str__(self) -> str:
        return "产业链设置"


class Chain(models.Model):
    slug = models.SlugField("标识", max_length=40, unique=True)
    name = models.CharField("产业链名称", max_length=32, unique=True)
    description = models.TextField("说明", blank=True)
    focus_industry = models.ForeignKey(
        "projects.FocusIndustry",
        verbose_name="对应重点产业",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chains",
    )
    strong_min_enterprises = models.PositiveIntegerField(
        "本链强链门槛：企业数", null=True, blank=True, help_text="留空则用产业链设置中的全局门槛"
    )
    strong_min_investment_usd = models.DecimalField(
        "本链强链门槛：总投资（美元）",
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="留空则用产业链设置中的全局门槛",
    )
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "产业链"
        verbose_name_plural = "产业链"
        ordering = ["sort_order", "slug"]

    def __str__(self) -> str:
        return self.name


class ChainLink(models.Model):
    """A link (环节) of a chain. `position` orders links upstream (small) to downstream (large); `upstream` draws
    the graph's edges, so a supporting link (PV glass) can feed a later one (modules) beside the main line."""

    chain = models.ForeignKey(Chain, verbose_name="产业链", on_delete=models.CASCADE, related_name="links")
    name = models.CharField("环节名称", max_length=32)
    position = models.PositiveSmallIntegerField("上下游次序", help_text="越小越靠上游")
    upstream = models.ManyToManyField(
        "self", verbose_name="上游环节", symmetrical=False, blank=True, related_name="downstream"
    )
    industries = models.ManyToManyField(
        "projects.Industry",
        verbose_name="国民经济行业（GB/T 4754-2017）",
        blank=True,
        related_name="chain_links",
        help_text="企业行业代码以其中任一代码开头即视为行业匹配",
    )
    keywords = models.CharField(
        "关键词", max_length=200, blank=True, help_text="以顿号、逗号或空格分隔；在企业名称及其项目名称中查找"
    )
    note = models.CharField("说明", max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "产业链环节"
        verbose_name_plural = "产业链环节"
        ordering = ["chain", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["chain", "name"], name="link_unique_name_in_chain")]

    def __str__(self) -> str:
        return f"{self.chain.name}·{self.name}"

    def keyword_list(self) -> list[str]:
        import re

        return [k for k in re.split(r"[、，,;；\s]+", self.keywords or "") if k]


class LinkEnterprise(models.Model):
    """A local enterprise placed in a link: suggested by the matcher, then confirmed (or rejected) by a person."""

    class Status(models.TextChoices):
        SUGGESTED = "suggested", "待确认"
        CONFIRMED = "confirmed", "已确认"
        REJECTED = "rejected", "已否决"

    link = models.ForeignKey(ChainLink, verbose_name="环节", on_delete=models.CASCADE, related_name="placements")
    enterprise = models.ForeignKey(
        "projects.Enterprise", verbose_name="企业", on_delete=models.CASCADE, related_name="chain_placements"
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.SUGGESTED)
    score = models.PositiveSmallIntegerField("匹配分", default=0)
    reason = models.CharField("匹配依据", max_length=200, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="确认人", null=True, blank=True, on_delete=models.SET_NULL
    )
    decided_at = models.DateTimeField("确认时间", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "环节企业"
        verbose_name_plural = "环节企业"
        ordering = ["link", "-score", "enterprise__name"]
        constraints = [models.UniqueConstraint(fields=["link", "enterprise"], name="placement_once_per_link")]

    def __str__(self) -> str:
        return f"{self.link} · {self.enterprise}"


class TargetCompany(models.Model):
    """A company to bring into a link (招引目标)."""

    link = models.ForeignKey(ChainLink, verbose_name="环节", on_delete=models.CASCADE, related_name="targets")
    name = models.CharField("企业名称", max_length=128)
    name_en = models.CharField("英文名称", max_length=128, blank=True)
    country = models.ForeignKey(
        "projects.Country", verbose_name="国别（地区）", on_delete=models.PROTECT, related_name="chain_targets"
    )
    fortune500_rank = models.PositiveSmallIntegerField("世界500强排名", null=True, blank=True)
    industry_rank = models.PositiveSmallIntegerField("行业排名", null=True, blank=True)
    investor = models.ForeignKey(
        "projects.Investor",
        verbose_name="对应投资方",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chain_targets",
        help_text="对应项目库中的投资方（或其最终控股集团），用于判断是否已在项目库中",
    )
    note = models.CharField("备注", max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "招引目标企业"
        verbose_name_plural = "招引目标企业"
        ordering = ["link", "name"]
        constraints = [models.UniqueConstraint(fields=["link", "name"], name="target_once_per_link")]

    def __str__(self) -> str:
        return self.name


class Platform(models.Model):
    """A development zone, industrial-ecology park, international cooperation park or other platform."""

    class Kind(models.TextChoices):
        ZONE = "zone", "开发区"
        ECOLOGY_PARK = "ecology_park", "产业生态园"
        COOPERATION_PARK = "cooperation_park", "国际产业合作园"
        CBEC = "cbec", "跨境电商综合试验区"
        FTZ_LINKAGE = "ftz_linkage", "自贸试验区联动创新区"

    name = models.CharField("名称", max_length=64, unique=True)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name="所属招商主体",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="platforms",
    )
    partner_countries = models.ManyToManyField(
        "projects.Country", verbose_name="合作国别", blank=True, related_name="platforms"
    )
    chains = models.ManyToManyField(Chain, verbose_name="主导产业链", blank=True, related_name="platforms")
    in_provincial_integration = models.BooleanField("列入全省开发区整合提升", default=False)
    note = models.CharField("备注", max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "平台（开发区、园区）"
        verbose_name_plural = "平台（开发区、园区）"
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class ChainPilot(models.Model):
    """A development zone's pilot status under the province's chain-leader system (链长制) for one chain."""

    class Level(models.TextChoices):
        DEMONSTRATION = "demonstration", "试点示范单位"
        PILOT = "pilot", "试点单位"

    chain = models.ForeignKey(Chain, verbose_name="产业链", on_delete=models.CASCADE, related_name="pilots")
    platform = models.ForeignKey(Platform, verbose_name="开发区", on_delete=models.CASCADE, related_name="pilots")
    level = models.CharField("试点类别", max_length=16, choices=Level.choices)
    year = models.PositiveSmallIntegerField("批次年份", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "链长制试点"
        verbose_name_plural = "链长制试点"
        ordering = ["level", "chain", "platform"]
        constraints = [models.UniqueConstraint(fields=["chain", "platform"], name="pilot_once_per_chain_zone")]

    def __str__(self) -> str:
        return f"{self.platform} · {self.chain} · {self.get_level_display()}"


class ChainLeader(models.Model):
    """A chain leader (链长) or deputy, for the whole city (no unit) or for one unit or zone."""

    class Role(models.TextChoices):
        LEADER = "leader", "链长"
        DEPUTY = "deputy", "副链长"

    chain = models.ForeignKey(Chain, verbose_name="产业链", on_delete=models.CASCADE, related_name="leaders")
    unit = models.ForeignKey(
        "units.Unit", verbose_name="招商主体", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    platform = models.ForeignKey(
        Platform, verbose_name="开发区、园区", null=True, blank=True, on_delete=models.PROTECT, related_name="leaders"
    )
    role = models.CharField("角色", max_length=10, choices=Role.choices, default=Role.LEADER)
    title = models.CharField("职务", max_length=40)
    name = models.CharField("姓名", max_length=20, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "链长"
        verbose_name_plural = "链长"
        ordering = ["chain", "unit", "role", "id"]

    def __str__(self) -> str:
        return f"{self.chain}{self.get_role_display()} {self.title}{self.name}"

    @property
    def scope(self) -> str:
        if self.platform_id:
            return self.platform.name  # type: ignore[union-attr]
        return self.unit.name if self.unit_id else "全市"  # type: ignore[union-attr]
