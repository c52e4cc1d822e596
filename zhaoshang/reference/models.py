"""Monthly reference rates: what one unit of a currency was worth in US$ in a month, from a named source."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords


class MonthlyRate(models.Model):
    """The month's conversion rate of a currency to US$ (US$ per one unit of the currency)."""

    currency = models.CharField("币种", max_length=3, help_text="ISO 4217 三位字母代码")
    month = models.DateField("月份", help_text="该月1日")
    rate_to_usd = models.DecimalField("折美元汇率", max_digits=16, decimal_places=8, help_text="1 单位原币折合美元")
    source = models.CharField("来源", max_length=128, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "月度参考汇率"
        verbose_name_plural = "月度参考汇率"
        ordering = ["currency", "month"]
        constraints = [models.UniqueConstraint(fields=["currency", "month"], name="monthly_rate_unique")]

    def __str__(self) -> str:
        return f"{self.currency} {self.month:%Y-%m} {self.rate_to_usd}"
