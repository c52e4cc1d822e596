"""A text read by the intake (pasted or uploaded) and each proposal a person confirmed from it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class IntakeDocument(models.Model):
    title = models.CharField("标题或文件名", max_length=200)
    text = models.TextField("提取的文本")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提交人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = "识别文本"
        verbose_name_plural = "识别文本"
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.title


class IntakeConfirmation(models.Model):
    """One proposal a person confirmed: what was written, through which service, and the record it made."""

    document = models.ForeignKey(
        IntakeDocument, verbose_name="识别文本", on_delete=models.CASCADE, related_name="confirmations"
    )
    proposal_key = models.CharField("建议标识", max_length=200)
    kind = models.CharField("类型", max_length=20)
    summary = models.CharField("内容", max_length=300)
    result = models.CharField("写入结果", max_length=300)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="确认人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField("确认时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "识别建议确认记录"
        verbose_name_plural = "识别建议确认记录"
        ordering = ["confirmed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["document", "proposal_key"], name="intake_confirm_once_per_proposal")
        ]

    def __str__(self) -> str:
        return self.summary
