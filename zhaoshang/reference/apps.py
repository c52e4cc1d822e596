"""Reference data that figures are computed with: monthly conversion rates to US$ (more may follow)."""

from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "zhaoshang.reference"
    label = "reference"
    verbose_name = "参考数据"
