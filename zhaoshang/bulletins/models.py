"""Issued bulletins and the group robots pushes go to; closed months and corrections are defined in `projects`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

# Month closing and corrections are registry rules: their models are written in `projects` (which checks them)
# and stay owned by this app (app_label "bulletins": same tables, migrations and admin pages).
from zhaoshang.projects.models import Correction, MonthClosure

__all__ = ["Bulletin", "Correction", "MonthClosure", "Robot", "RobotSend"]


class Bulletin(models.Model):
    """A month's bulletin once issued (签发): its figures are frozen in `figures` and in the stored files."""

    month = models.DateField("通报月份", unique=True, help_text="该月1日；通报内容为当年1月至该月的累计数")
    number = models.PositiveSmallIntegerField("期号")
    title = models.CharField("标题", max_length=128)
    issued_at = models.DateTimeField("签发时间")
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
