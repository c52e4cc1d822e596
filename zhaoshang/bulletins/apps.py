"""Monthly bulletins (通报) in the official layout, their Excel tables, month closing, and group-robot pushes."""

from django.apps import AppConfig


class BulletinsConfig(AppConfig):
    name = "zhaoshang.bulletins"
    label = "bulletins"
    verbose_name = "通报与推送"
