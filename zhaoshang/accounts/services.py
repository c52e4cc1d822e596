"""Writes of users."""

from __future__ import annotations

from django.db import transaction

from zhaoshang.common.validation import refuse
from zhaoshang.units.models import Unit

from .models import Role, User


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    full_name: str,
    role: str,
    unit: Unit | None = None,
    is_staff: bool = False,
) -> User:
    if role not in Role.values:
        raise refuse("role", "角色", role, "不存在")
    if role == Role.UNIT_STAFF and unit is None:
        raise refuse("unit", "所属招商主体", None, "不能为空：招商主体工作人员必须属于一个招商主体")
    if User.objects.filter(username=username).exists():
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
