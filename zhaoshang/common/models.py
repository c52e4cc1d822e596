"""The installation's own settings, kept as one row so the admin can change them without a restart."""

from __future__ import annotations

from typing import Any, Self

from django.db import models
from simple_history.models import HistoricalRecords


class SingletonModel(models.Model):
    """Settings kept as one row (pk=1), edited in the admin without a restart."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def get(cls) -> Self:
        obj, _ = cls._default_manager.get_or_create(pk=1)
        return obj


class SiteConfig(SingletonModel):
    """A single row (pk=1). `as_of_date` freezes "today" for a demo or a look back at a past period."""

    as_of_date = models.DateField(
        "业务日期",
        null=True,
        blank=True,
        help_text="留空表示使用当天日期；演示数据固定为 2020-09-30，以便“失联风险”等按当时计算。",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "系统设置"
        verbose_name_plural = "系统设置"

    def __str__(self) -> str:
        return "系统设置"


class OperationLock(models.Model):
    """One row per named lock (common.locks); on SQLite, writing it at the start of a transaction serialises that
    transaction with every other that writes the same row. PostgreSQL uses advisory locks and leaves this empty."""

    name = models.CharField("名称", max_length=100, unique=True)
    taken_at = models.DateTimeField("最近获取时间")

    class Meta:
        verbose_name = "操作锁"
        verbose_name_plural = "操作锁"

    def __str__(self) -> str:
        return self.name
