"""A job of ours (what the user asked for and how far it got) and the worker's periodic schedule."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class JobStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    SUCCEEDED = "succeeded", "已完成"
    FAILED = "failed", "未完成"


class Job(models.Model):
    """One piece of long work: an import, a bulletin, a reconciliation, a push, `synth`.

    The task queue (django-tasks) only carries the job's id; what the job is, who asked, how far it got and what
    came of it live here, so a page or a command can show them after a reload or from another process.
    """

    kind = models.CharField("类型", max_length=60, db_index=True)
    label = models.CharField("说明", max_length=200, blank=True)
    params = models.JSONField("参数", default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提交人", null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField("提交时间", auto_now_add=True, db_index=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    status = models.CharField("状态", max_length=12, choices=JobStatus.choices, default=JobStatus.QUEUED)
    total = models.PositiveIntegerField("总行数", null=True, blank=True)
    checked = models.PositiveIntegerField("已检查", default=0)
    written = models.PositiveIntegerField("已写入", default=0)
    result = models.JSONField("结果", default=dict, blank=True)
    errors = models.JSONField("错误信息", default=list, blank=True)
    exit_code = models.IntegerField("退出码", null=True, blank=True)
    task_id = models.CharField("队列任务编号", max_length=64, blank=True)

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"任务 #{self.pk} {self.label or self.kind}（{self.get_status_display()}）"

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)


class ScheduledRun(models.Model):
    """A periodic job the worker starts at most once a day, at or after `at`; the last day it ran is recorded."""

    name = models.CharField("名称", max_length=60, unique=True)
    last_run_on = models.DateField("上次运行日期", null=True, blank=True)
    last_job = models.ForeignKey(Job, verbose_name="上次任务", null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        verbose_name = "定时任务记录"
        verbose_name_plural = "定时任务记录"

    def __str__(self) -> str:
        return f"{self.name}（上次 {self.last_run_on or '从未'}）"
