"""Reads of users: the operator named on the command line."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from .models import User
from .permissions import ACTION_LABELS, can
from .services import SYSTEM_USERNAME


def command_operator(username: str | None, action: str) -> User:
    """The account a write command acts as (`--user`), refused in Chinese when missing, unknown or not allowed."""
    label = ACTION_LABELS.get(action, action)
    if not username or not username.strip():
        raise PermissionDenied(f"此命令会修改数据（{label}），请用 --user 用户名 指明操作人")
    username = username.strip()
    if username == SYSTEM_USERNAME:
        raise PermissionDenied(f"--user {username}：系统操作人只供演示数据和后台任务使用，请用本人的账号")
    user = User.objects.filter(username=username).first()
    if user is None:
        raise PermissionDenied(f"--user {username}：用户不存在")
    if not user.is_active:
        raise PermissionDenied(f"--user {username}：账号已停用")
    if not can(user, action, user.unit):
        raise PermissionDenied(f"--user {username}（{user.display_name}，{user.get_role_display()}）没有权限：{label}")
    return user
