"""Chinese names for django-axes' records in the admin: the package ships no zh-Hans catalogue.

Set once at start-up on the models' options (no migration: verbose names are not stored in the schema).
"""

from __future__ import annotations

MODELS = {
    "AccessAttempt": ("访问尝试（登录失败与锁定）", "访问尝试（登录失败与锁定）"),
    "AccessFailureLog": ("登录失败记录", "登录失败记录"),
    "AccessLog": ("登录日志", "登录日志"),
    "AccessAttemptExpiration": ("锁定到期时间", "锁定到期时间"),
}
FIELDS = {
    "user_agent": "浏览器标识",
    "ip_address": "IP 地址",
    "username": "用户名",
    "http_accept": "HTTP Accept",
    "path_info": "访问路径",
    "attempt_time": "尝试时间",
    "get_data": "GET 数据",
    "post_data": "POST 数据",
    "failures_since_start": "失败次数",
    "locked_out": "已锁定",
    "logout_time": "退出时间",
    "session_hash": "会话摘要",
    "access_attempt": "访问尝试",
    "expires_at": "到期时间",
}


def apply() -> None:
    from django.apps import apps

    if not apps.is_installed("axes"):
        return
    for model in apps.get_app_config("axes").get_models():
        names = MODELS.get(model.__name__)
        if names:
            model._meta.verbose_name, model._meta.verbose_name_plural = names
        for f in model._meta.fields:
            if f.name in FIELDS:
                f.verbose_name = FIELDS[f.name]
