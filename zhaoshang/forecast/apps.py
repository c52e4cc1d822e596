"""The forecast: where the year will end, which projects decide it, and how sure we are (issue 18)."""

from django.apps import AppConfig


class ForecastConfig(AppConfig):
    name = "zhaoshang.forecast"
    label = "forecast"
    verbose_name = "预测（全年实际使用外资）"
