"""Aftercare of the foreign-invested enterprises already in the city: roster, yearly figures, visits, requests."""

from django.apps import AppConfig


class AftercareConfig(AppConfig):
    name = "zhaoshang.aftercare"
    label = "aftercare"
    verbose_name = "存量外资企业"
