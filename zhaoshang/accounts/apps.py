"""Users, their roles, and which unit they belong to."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "zhaoshang.accounts"
    label = "accounts"
    verbose_name = "用户与权限"
