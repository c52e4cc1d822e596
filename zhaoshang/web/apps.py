from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "zhaoshang.web"
    label = "web"
    verbose_name = "网页工作台"
