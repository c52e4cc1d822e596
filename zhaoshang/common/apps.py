"""Shared parts: money, periods, the clock, validation messages and audit helpers."""

from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "zhaoshang.common"
    label = "common"
    verbose_name = "系统设置"
