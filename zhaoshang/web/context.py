"""What every page's frame needs: the navigation the user's role may see."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.http import HttpRequest
from django.urls import reverse

from zhaoshang.accounts.models import Role


def desk(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    from .tasks import task_count

    todo = task_count(user)
    items = [
        ("dashboard", "工作台", reverse("web:dashboard")),
        ("tasks", f"我的待办（{todo}）" if todo else "我的待办", reverse("web:tasks")),
        ("projects", "项目库", reverse("web:projects")),
    ]
    if apps.is_installed("zhaoshang.aftercare"):
        items.append(("enterprises", "存量企业", reverse("web:enterprises")))
    if apps.is_installed("zhaoshang.race"):
        items.append(("race", "百日竞赛", reverse("web:race")))
    if apps.is_installed("zhaoshang.chains"):
        items.append(("chains", "产业链", reverse("chains:list")))
    items.append(("targets", "目标任务", reverse("web:targets")))
    if apps.is_installed("zhaoshang.leads"):
        items.append(("leads", "线索", reverse("leads:list")))
        items.append(("conflicts", "撞单", reverse("leads:conflicts")))
    from .selectors import queue_context

    queue = queue_context(user)
    if queue:
        waiting = queue["claims_waiting"] + queue.get("claims_returned", 0)
        items.append(("verifications", f"认定（{waiting}）" if waiting else "认定", reverse("web:verifications")))
    writer = user.is_superuser or getattr(user, "role", None) in (Role.CITY_ADMIN, Role.UNIT_STAFF)
    if apps.is_installed("zhaoshang.imports") and writer:
        items.append(("imports", "数据导入", reverse("imports:upload")))
    city_admin = user.is_superuser or getattr(user, "role", None) == Role.CITY_ADMIN
    if apps.is_installed("zhaoshang.bulletins") and city_admin:
        items.append(("bulletins", "月度通报", reverse("bulletins:index")))
    from zhaoshang.accounts.permissions import can

    if can(user, "history.read_all"):
        items.append(("audit", "审计", reverse("web:audit")))
    if city_admin:
        items.append(("admin", "数据管理", reverse("admin:index")))
    return {
        "nav_items": items,
        "role_label": user.get_role_display() if hasattr(user, "get_role_display") else "",
        # Pages of other apps that accept a frame (the import pages) are drawn inside the desk's.
        "base_template": "web/base.html",
    }
