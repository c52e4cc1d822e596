"""Roles are data; every check is explicit: can(user, action, unit) says yes or no, with no side effects.

Every write path has its own action below. There is no anonymous writer: a service called without an actor is
refused. The demo builder and background jobs act as the system actor (`accounts.services.system_actor()`), a real,
non-loginable user with the city administrator's role, so their changes carry a name in the history like any other.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.core.exceptions import PermissionDenied

from .models import Role, User


class Unit(Protocol):
    """What a check needs of a unit (units sit above accounts, so the model is not imported here)."""

    pk: Any
    name: str


CITY = {Role.CITY_ADMIN}
CITY_AND_UNITS = {Role.CITY_ADMIN, Role.UNIT_STAFF}

# Actions that change data, and the roles allowed them. Reading rankings and figures is open to every role.
WRITE_ACTIONS: dict[str, set[Role]] = {
    # The registry: each unit keeps its own projects, and the city bureau keeps all of them.
    "project.write": CITY_AND_UNITS,
    "arrival.write": CITY_AND_UNITS,
    "followup.write": CITY_AND_UNITS,
    "enterprise.write": CITY_AND_UNITS,
    "investor.write": CITY_AND_UNITS,
    "chain.placement": CITY_AND_UNITS,
    "race.practice": CITY_AND_UNITS,
    # Leads (线索): a unit keeps its own; the city assigns them, sets the response rule and decides conflicts (撞单).
    "lead.write": CITY_AND_UNITS,
    "lead.assign": CITY,
    "conflict.decide": CITY,
    "project.status": CITY_AND_UNITS,
    "evidence.upload": CITY_AND_UNITS,
    # Aftercare of the enterprises already here (存量外资企业): each unit serves its own.
    "roster.write": CITY_AND_UNITS,
    "visit.write": CITY_AND_UNITS,
    "request.write": CITY_AND_UNITS,
    # Figures and rules the city bureau sets.
    "target.write": CITY,
    "province.write": CITY,
    "caliber.write": CITY,
    "settings.write": CITY,
    "official.import": CITY,
    # Reference data.
    "region.write": CITY,
    "unit.write": CITY,
    "user.write": CITY,
    "country.write": CITY,
    "industry.write": CITY,
    "rate.write": CITY,
    "focus_industry.write": CITY,
    "fortune500.load": CITY,
    "chain.write": CITY,
    # The race and the bulletin.
    "project.correct": CITY,  # a project's unit or kind, withdrawing a stage record
    "race.setup": CITY,
    "race.confirm": CITY,
    "race.publish": CITY,
    "bulletin.issue": CITY,
    "push.send": CITY,
    # Verified progress (认定): a claim is decided by the bureau or its verifiers; the rules are the bureau's.
    "claim.decide": {Role.CITY_ADMIN, Role.VERIFIER},
    "verification_rule.write": CITY,
    "stage_gate.write": CITY,
}
READ_ACTIONS: dict[str, set[Role]] = {
    "figures.read": set(Role),
    "history.read": {Role.CITY_ADMIN, Role.AUDITOR, Role.UNIT_STAFF},
    "history.read_all": {Role.CITY_ADMIN, Role.AUDITOR},
    "claims.read_all": {Role.CITY_ADMIN, Role.VERIFIER, Role.AUDITOR, Role.LEADER},
    # Evidence files are documents of the enterprise: the bureau, its verifiers and auditors, and the unit's staff.
    "evidence.read": {Role.CITY_ADMIN, Role.VERIFIER, Role.AUDITOR, Role.UNIT_STAFF},
    # The roster, its visits and requests: unit staff read their own unit's, every other role the whole city.
    "enterprise.read": set(Role),
}
# Unit staff may only touch their own unit's records for these actions.
UNIT_SCOPED = {
    "project.write",
    "arrival.write",
    "followup.write",
    "enterprise.write",
    "chain.placement",
    "race.practice",
    "lead.write",
    "history.read",
    "project.status",
    "evidence.upload",
    "evidence.read",
    "roster.write",
    "visit.write",
    "request.write",
    "enterprise.read",
}


def can(user: User | None, action: str, unit: Unit | None = None) -> bool:
    """No user, no right: the system's own writes go through the system actor, a real user."""
    allowed = WRITE_ACTIONS.get(action) or READ_ACTIONS.get(action)
    if allowed is None:
        raise KeyError(f"unknown action {action!r}")
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if user.role not in allowed:
        return False
    if user.role == Role.UNIT_STAFF and action in UNIT_SCOPED:
        return unit is not None and user.unit_id == unit.pk
    return True


def ensure_can(user: User | None, action: str, unit: Unit | None = None) -> None:
    if not can(user, action, unit):
        who = user.display_name if user is not None and user.is_authenticated else "未指明操作人的调用"
        where = f"（{unit.name}）" if unit is not None else ""
        raise PermissionDenied(f"{who}没有执行此操作的权限：{ACTION_LABELS.get(action, action)}{where}")


ACTION_LABELS = {
    "project.write": "修改项目",
    "arrival.write": "登记到资",
    "followup.write": "登记跟进",
    "enterprise.write": "修改企业",
    "investor.write": "修改投资方",
    "chain.placement": "确认企业所属产业链环节",
    "race.practice": "填写竞赛经验做法",
    "lead.write": "登记或跟进招商线索",
    "lead.assign": "分派线索、设置线索响应时限",
    "conflict.decide": "裁定撞单",
    "roster.write": "维护存量外资企业名录与年报数据",
    "visit.write": "登记企业走访",
    "request.write": "办理企业诉求",
    "enterprise.read": "查看存量外资企业",
    "target.write": "设定任务",
    "province.write": "录入全省数据",
    "caliber.write": "修改统计口径",
    "settings.write": "修改系统设置（业务日期）",
    "official.import": "导入官方月度到资数据",
    "region.write": "维护行政区划",
    "unit.write": "维护招商主体",
    "user.write": "管理用户",
    "country.write": "维护国别（地区）",
    "industry.write": "维护国民经济行业分类",
    "rate.write": "维护月度参考汇率",
    "focus_industry.write": "维护重点产业",
    "fortune500.load": "导入世界500强榜单",
    "chain.write": "维护产业链",
    "project.correct": "更正项目所属单位、类型或撤回阶段",
    "race.setup": "设置竞赛（指标、权重、目标）",
    "race.confirm": "认定红旗项目与蜗牛",
    "race.publish": "发布竞赛榜单与月度评比",
    "bulletin.issue": "签发通报",
    "push.send": "推送群机器人消息",
    "figures.read": "查看数据",
    "claim.decide": "认定（审核通过或退回）",
    "verification_rule.write": "修改认定规则",
    "claims.read_all": "查看全部待认定事项",
    "project.status": "设置项目状态（延期、停滞、流失、中止）",
    "evidence.upload": "上传证明材料",
    "evidence.read": "下载证明材料",
    "stage_gate.write": "修改阶段准入条件",
    "history.read": "查看变更记录",
    "history.read_all": "查看全部变更记录",
}
