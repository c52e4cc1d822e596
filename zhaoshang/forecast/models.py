"""Per-project expectations set by the responsible officer: when the project should sign, register and first
receive capital, and how likely it is. One row per project, audited like every field (django-simple-history)."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords


class Likelihood(models.TextChoices):
    HIGH = "high", "高"
    MEDIUM = "medium", "中"
    LOW = "low", "低"


class ProjectExpectation(models.Model):
    project = models.OneToOneField(
        "projects.Project", verbose_name="项目", on_delete=models.CASCADE, related_name="expectation"
    )
    expected_signing = models.DateField("预计签约月份", null=True, blank=True, help_text="该月1日")
    expected_registration = models.DateField("预计设立月份", null=True, blank=True, help_text="该月1日")
    expected_first_arrival = models.DateField("预计首笔到资月份", null=True, blank=True, help_text="该月1日")
    likelihood = models.CharField("落地可能性", max_length=8, choices=Likelihood.choices, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "项目预期"
        verbose_name_plural = "项目预期"
        ordering = ["project"]

    def __str__(self) -> str:
        return f"{self.project_id} 预期"
