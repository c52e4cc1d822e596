"""The race between the units (百日竞赛): weekly comparison, monthly evaluation, red flags and snails."""

from django.apps import AppConfig


class RaceConfig(AppConfig):
    name = "zhaoshang.race"
    label = "race"
    verbose_name = "竞赛（周周比、月月评）"
