"""The JSON API: routing and shared plumbing only; every figure comes from the domain selectors."""

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "zhaoshang.api"
    label = "api"
    verbose_name = "接口"
