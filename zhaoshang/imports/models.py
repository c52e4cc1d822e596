"""Official monthly figures per enterprise, as exported from the national foreign-investment statistics system."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords


class OfficialArrival(models.Model):
    """One enterprise's officially counted actual use of foreign capital in one month (US$)."""

    month = models.DateField("月份", db_index=True, help_text="该月1日")
    match_key = models.CharField("匹配键", max_length=140, editable=False, help_text="信用代码，无代码时为企业名称")
    enterprise_name = models.CharField("企业名称", max_length=128)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    amount_usd = models.DecimalField("实际使用外资（美元）", max_digits=18, decimal_places=2)
    tolerance_usd = models.DecimalField(
        "比对容差（美元）", max_digits=18, decimal_places=3, default=0, help_text="官方数据所写精度的一半"
    )
    source = models.CharField("来源文件", max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "官方月度到资数据"
        verbose_name_plural = "官方月度到资数据"
        ordering = ["month", "enterprise_name"]
        constraints = [models.UniqueConstraint(fields=["month", "match_key"], name="official_arrival_unique")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.enterprise_name}"
