"""The figures' version: a number in the database that every write able to move a figure raises."""

from django.apps import AppConfig


class FreshnessConfig(AppConfig):
    name = "zhaoshang.freshness"
    label = "freshness"
    verbose_name = "统计缓存"
    default_auto_field = "django.db.models.BigAutoField"
