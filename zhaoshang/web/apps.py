from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "zhaoshang.web"
    label = "web"
    verbose_name = "网页工作台"

    def ready(self) -> None:
        from .axes_zh import apply

        apply()
