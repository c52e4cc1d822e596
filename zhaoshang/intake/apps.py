from django.apps import AppConfig


class IntakeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "zhaoshang.intake"
    verbose_name = "文本线索识别"
