"""The desk's own records: who wants which reminders, which group robot takes a unit's daily digest, and the
digests sent (one per unit and day)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

# The kinds of 我的待办 a user may choose to be reminded of (the providers' Task.kind values).
REMINDER_KINDS = [
    ("followup_due", "跟进到期、逾期"),
    ("project_stalled", "项目停滞"),
    ("claim_returned", "认定退回"),
    ("claims_pending", "待认定事项"),
    ("race_confirm", "红旗蜗牛待确认"),
    ("race_publish", "周比待发布"),
    ("bulletin_issue", "通报待签发"),
    ("import_failed", "导入失败"),
]


class ReminderSetting(models.Model):
    """A user's choice of reminders; without a row every kind is wanted and the daily digest @-mentions them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="reminder_setting"
    )
    daily_digest = models.BooleanField("在单位工作群的每日提醒中@我", default=True)
    kinds = models.JSONField("提醒的事项", default=list, blank=True, help_text="留空为全部")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "提醒设置"
        verbose_name_plural = "提醒设置"

    def __str__(self) -> str:
        return f"{self.user} 的提醒设置"

    def wants(self, kind: str) -> bool:
        return not self.kinds or kind in self.kinds


class DigestRobot(models.Model):
    """The group robot (DingTalk or WeCom, from 群机器人) that takes a unit's daily digest of tasks."""

    unit = models.OneToOneField("units.Unit", verbose_name="招商主体", on_delete=models.CASCADE, related_name="+")
    robot = models.ForeignKey("bulletins.Robot", verbose_name="群机器人", on_delete=models.PROTECT, related_name="+")
    is_active = models.BooleanField("启用", default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "每日提醒群"
        verbose_name_plural = "每日提醒群"

    def __str__(self) -> str:
        return f"{self.unit} → {self.robot}"


class DigestSend(models.Model):
    """A unit's daily digest as sent: at most one a unit and day, whatever runs the schedule."""

    unit = models.ForeignKey("units.Unit", verbose_name="招商主体", on_delete=models.CASCADE, related_name="+")
    on = models.DateField("日期")
    sent_at = models.DateTimeField("发送时间")
    tasks = models.PositiveIntegerField("事项数")
    mentions = models.JSONField("@手机号", default=list)
    text = models.TextField("内容")
    result = models.CharField("结果", max_length=300, blank=True)
    ok = models.BooleanField("成功", default=False)

    class Meta:
        verbose_name = "每日提醒记录"
        verbose_name_plural = "每日提醒记录"
        ordering = ["-on", "unit"]
        constraints = [models.UniqueConstraint(fields=["unit", "on"], name="one_digest_per_unit_and_day")]

    def __str__(self) -> str:
        return f"{self.unit} {self.on}"
