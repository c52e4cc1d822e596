"""Reading the bureau's files: reference lists and, later, projects, arrivals and targets."""

from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "zhaoshang.imports"
    label = "imports"
    verbose_name = "数据导入"
