"""Indicators by the MOFCOM caliber, targets, and the city's standing in the province."""

from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "zhaoshang.stats"
    label = "stats"
    verbose_name = "统计与任务"
