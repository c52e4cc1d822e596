"""Writes of users, and the system actor that signs the demo builder's and background jobs' changes."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from zhaoshang.common.validation import refuse

from .models import Role, User
from .permissions import ensure_can

SYSTEM_USERNAME = "system"


def system_actor() -> User:
    """The one user the system acts as (demo builder, benchmarks, background jobs); it cannot log in.

    It holds the city administrator's role without being a superuser, so the permission table still applies to it.
    """
    user = User.objects.filter(username=SYSTEM_USERNAME).first()
    if user is not None:
        return user
    user = User(username=SYSTEM_USERNAME, full_name="系统", role=Role.CITY_ADMIN, is_staff=False, is_superuser=False)
    user.set_unusable_password()
    user.save()
    return user


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    full_name: str,
    role: str,
    unit: Any = None,
    is_staff: bool = False,
    actor: Any,
) -> User:
    ensure_can(actor, "user.write")
    if role not in Role.values:
        raise refuse("role", "角色", role, "不存在")
    if role == Role.UNIT_STAFF and unit is None:
        raise refuse("unit", "所属招商主体", None, "不能为空：招商主体工作人员必须属于一个招商主体")
    if username == SYSTEM_USERNAME or User.objects.filter(username=username).exists():
        raise refuse("username", "用户名", username, "已被使用")
    # City administrators run the admin site too; every other role works in the desk only.
    is_admin = role == Role.CITY_ADMIN
    user = User(
        username=username,
        full_name=full_name,
        role=role,
        unit=unit,
        is_staff=is_staff or is_admin,
        is_superuser=is_admin,
    )
    user.set_password(password)
    user.save()
    return user
