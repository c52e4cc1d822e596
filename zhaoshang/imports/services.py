"""Writes of imported official figures: a month of the national system's arrivals, replaced as a whole."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from zhaoshang.accounts.permissions import ensure_can
from zhaoshang.common.audit import delete_with_audit, save_with_audit

from .models import OfficialArrival


@transaction.atomic
def official_month_replace(*, month: date, entries: list[dict[str, Any]], source: str, actor: Any) -> int:
    """Make the month's official rows exactly `entries` (keyed by `key`): changed rows are updated, rows no
    longer in the export are deleted, each with a history row. Returns how many rows were written or deleted."""
    ensure_can(actor, "official.import")
    existing = {o.match_key: o for o in OfficialArrival.objects.filter(month=month)}
    keys = {e["key"] for e in entries}
    touched = 0
    for key, obj in existing.items():
        if key not in keys:
            delete_with_audit(obj, actor=actor, reason="官方数据更新（新导出中已无此企业）")
            touched += 1
    for e in entries:
        obj = existing.get(e["key"]) or OfficialArrival(month=month, match_key=e["key"])
        new = (e["name"], e["credit_code"], e["amount"], e["tolerance"], source[:200])
        old = (obj.enterprise_name, obj.credit_code, obj.amount_usd, obj.tolerance_usd, obj.source)
        if obj.pk is not None and old == new:
            continue
        obj.enterprise_name, obj.credit_code, obj.amount_usd, obj.tolerance_usd, obj.source = new
        save_with_audit(obj, actor=actor, reason="导入官方月度数据")
        touched += 1
    return touched
