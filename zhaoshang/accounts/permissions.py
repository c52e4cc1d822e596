"""Roles are data; every check is explicit: can(user, action, unit) says yes or no, with no side effects."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from .models import Role

if TYPE_CHECKING:
    from zhaoshang.units.models import Unit

    from .models import User

# Actions that change data, and the roles allowed them. Reading rankings and figures is open to every role.
WRITE_ACTIONS = {
    "project.write": {Role.CITY_ADMIN, Role.UNIT_STAFF},
    "arrival.write": {Role.CITY_ADMIN, Role.UNIT_STAFF},
    "followup.write": {Role.CITY_ADMIN, Role.UNIT_STAFF},
    "enterprise.write": {Role.CITY_ADMIN, Role.UNIT_STAFF},
    "investor.write": {Role.CITY_ADMIN, Role.UNIT_STAFF},
    "target.write": {Role.CITY_ADMIN},
    "province.write": {Role.CITY_ADMIN},
    "reference.write": {Role.CITY_ADMIN},
    "race.write": {Role.CITY_ADMIN},
    "bulletin.issue": {Role.CITY_ADMIN},
    "claim.decide": {Role.CITY_ADMIN, Role.VERIFIER},
    "verification_rule.write": {Role.CITY_ADMIN},
}
READ_ACTIONS = {
    "figures.read": set(Role),
    "history.read": {Role.CITY_ADMIN, Role.AUDITOR, Role.UNIT_STAFF},
    "history.read_all": {Role.CITY_ADMIN, Role.AUDITOR},
    "claims.read_all": {Role.CITY_ADMIN, Role.VERIFIER, Role.AUDITOR, Role.LEADER},
}
# Unit staff may only touch their own unit's records for these actions.
UNIT_SCOPED = {"project.write", "arrival.write", "followup.write", "enterprise.write", "history.read"}


def can(user: User | None, action: str, unit: Unit | None = None) -> bool:
    """None stands for the system itself (demo builder, command line run by the operator)."""
    if user is None:
        return True
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    allowed = WRITE_ACTIONS.get(action) or READ_ACTIONS.get(action)
    if allowed is None:
        raise KeyError(f"unknown action {action!r}")
    if user.role not in allowed:
        return False
    if user.role == Role.UNIT_STAFF and action in UNIT_SCOPED:
        return unit is not None and user.unit_id == unit.pk
    return True


def ensure_can(user: User | None, action: str, unit: Unit | None = None) -> None:
    if not can(user, action, unit):
        who = user.display_name if user else "系统"
        where = f"（{unit.name}）" if unit is not None else ""
        raise PermissionDenied(f"{who}没有执行此操作的权限：{ACTION_LABELS.get(action, action)}{where}")


ACTION_LABELS = {
    "project.write": "修改项目",
    "arrival.write": "登记到资",
    "followup.write": "登记跟进",
    "enterprise.write": "修改企业",
    "investor.write": "修改投资方",
    "target.write": "设定任务",
    "province.write": "录入全省数据",
    "reference.write": "维护基础数据",
    "race.write": "管理竞赛",
    "bulletin.issue": "签发通报",
    "claim.decide": "认定（审核通过或退回）",
    "verification_rule.write": "修改认定规则",
    "claims.read_all": "查看全部待认定事项",
    "history.read": "查看变更记录",
    "history.read_all": "查看全部变更记录",
}
