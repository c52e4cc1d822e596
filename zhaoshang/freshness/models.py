"""The figures' version, kept as rows that writers only ever add (see `zhaoshang.freshness.version`)."""

from __future__ import annotations

import uuid

from django.db import models


def new_token() -> str:
    return uuid.uuid4().hex


class FiguresEpoch(models.Model):
    """One row (pk=1) with a token drawn when the database was (re)filled: a version number is only ever compared
    within one epoch, so a cache that outlives an emptied database (a flush, a restore) never answers for it."""

    token = models.CharField("标识", max_length=32, default=new_token)

    class Meta:
        verbose_name = "统计版本纪元"
        verbose_name_plural = "统计版本纪元"

    def __str__(self) -> str:
        return self.token


class FigureChange(models.Model):
    """One row per transaction that changed something a figure is computed from; `n` is how many changes the row
    stands for (a compaction folds many rows into one with their sum). The version is the sum of `n`."""

    n = models.BigIntegerField("变更次数", default=1)

    class Meta:
        verbose_name = "统计数据变更"
        verbose_name_plural = "统计数据变更"

    def __str__(self) -> str:
        return f"{self.pk}: {self.n}"
