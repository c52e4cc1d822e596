"""Issued bulletins and the group robots pushes go to; closed months and corrections are defined in `projects`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from zhaoshang.common.models import SingletonModel

# Month closing and corrections are registry rules: their models are written in `projects` (which checks them)
# and stay owned by this app (app_label "bulletins": same tables, migrations and admin pages).
from zhaoshang.projects.models import Correction, MonthClosure

__all__ = ["Bulletin", "Correction", "DocumentSettings", "MonthClosure", "Robot", "RobotSend"]


class Bulletin(models.Model):
    """A month's bulletin once issued (签发): its figures are frozen in `figures` and in the stored files."""

    month = models.DateField("通报月份", unique=True, help_text="该月1日；通报内容为当年1月至该月的累计数")
    number = models.PositiveSmallIntegerField("期号")
    title = models.CharField("标题", max_length=128)
    issued_at = models.DateTimeField("签发时间")
    issued_on = models.DateField("成文日期", null=True, blank=True, help_text="印在通报上的日期（签发当日）")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="签发人", null=True, blank=True, on_delete=models.PROTECT
    )
    figures = models.JSONField("签发时的数据", default=dict)
    docx = models.BinaryField("通报（Word）", editable=False)
    xlsx = models.BinaryField("附表（Excel）", editable=False)
    history = HistoricalRecords(excluded_fields=["docx", "xlsx"])

    class Meta:
        verbose_name = "已签发通报"
        verbose_name_plural = "已签发通报"
        ordering = ["-month"]

    def __str__(self) -> str:
        return self.title


class Robot(models.Model):
    """A group robot (DingTalk custom robot or WeCom group robot) that receives the weekly and monthly pushes."""

    class Kind(models.TextChoices):
        DINGTALK = "dingtalk", "钉钉自定义机器人"
        WECOM = "wecom", "企业微信群机器人"

    name = models.CharField("名称", max_length=64, unique=True, help_text="如：百日竞赛工作群")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    webhook = models.URLField(
        "Webhook 地址",
        max_length=500,
        help_text="钉钉：https://oapi.dingtalk.com/robot/send?access_token=…；企业微信：…/webhook/send?key=…",
    )
    secret = models.CharField("加签密钥", max_length=128, blank=True, help_text="钉钉“加签”安全设置的 SEC… 密钥")
    keyword = models.CharField("自定义关键词", max_length=32, blank=True, help_text="钉钉“自定义关键词”安全设置")
    weekly = models.BooleanField("推送竞赛周报", default=True)
    monthly = models.BooleanField("推送月度通报", default=True)
    is_active = models.BooleanField("启用", default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "群机器人"
        verbose_name_plural = "群机器人"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RobotSend(models.Model):
    """One message sent to a robot: the log, and the sliding window of the 20-a-minute limit."""

    robot_key = models.CharField("机器人标识", max_length=64, db_index=True, help_text="Webhook 地址的摘要")
    robot_name = models.CharField("机器人", max_length=64, blank=True)
    sent_at = models.DateTimeField("发送时间", db_index=True)
    title = models.CharField("标题", max_length=128, blank=True)
    errcode = models.IntegerField("错误码", null=True, blank=True)
    result = models.CharField("结果", max_length=300, blank=True)

    class Meta:
        verbose_name = "推送记录"
        verbose_name_plural = "推送记录"
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.robot_name or self.robot_key[:8]} {self.sent_at:%Y-%m-%d %H:%M}"


class DocumentSettings(SingletonModel):
    """How the bulletin is set as a 公文 (GB/T 9704-2012): its masthead, number, addressees and 版记. One row."""

    masthead = models.CharField(
        "发文机关标志",
        max_length=40,
        default="嘉兴市商务局文件",
        help_text="版头的红色大字，如“嘉兴市商务局文件”，或简报式的“嘉兴市利用外资工作通报”",
    )
    number_pattern = models.CharField(
        "发文字号格式",
        max_length=40,
        default="嘉商务〔{year}〕{number}号",
        help_text="{year} 为年份，{number} 为本年第几期；简报式可写“第{number}期”",
    )
    issuer = models.CharField("发文机关署名", max_length=40, default="嘉兴市商务局")
    addressee = models.CharField(
        "主送机关",
        max_length=200,
        blank=True,
        help_text="留空则按参赛单位自动生成，如“各县（市、区）人民政府，嘉兴经开区、嘉兴港区管委会，市级有关单位”",
    )
    copy_to = models.CharField(
        "抄送机关", max_length=300, blank=True, default="市委办公室，市人大常委会办公室，市政府办公室，市政协办公室"
    )
    printer = models.CharField("印发机关", max_length=40, default="嘉兴市商务局办公室")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "通报版式设置"
        verbose_name_plural = "通报版式设置"

    def __str__(self) -> str:
        return "通报版式设置"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if "{number}" not in self.number_pattern:
            raise ValidationError({"number_pattern": f"发文字号格式“{self.number_pattern}”中没有 {{number}}（期号）"})

    def doc_number(self, year: int, number: int) -> str:
        return self.number_pattern.replace("{year}", str(year)).replace("{number}", str(number))

    @classmethod
    def current(cls) -> DocumentSettings:
        """The one row (pk 1); its defaults when nobody has saved it yet."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)
