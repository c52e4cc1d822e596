"""The aftercare records as plain JSON-ready dicts: money as decimal strings with their currency and unit, dates as
ISO text. The API answers exactly these (its schemas name every key)."""

from __future__ import annotations

from datetime import date
from typing import Any

from .models import AnnualFigures, RosterEntry, ServiceRequest, Visit
from .selectors import (
    Signal,
    country_names,
    days_overdue,
    entry_key,
    escalation,
    figures_over_years,
    group_name,
)
from .services import MONEY_FIELDS


def _s(value: Any) -> str | None:
    return None if value is None else str(value)


def signal_json(s: Signal) -> dict[str, Any]:
    return {
        "key": s.key,
        "kind": s.kind,
        "label": s.label,
        "detail": s.detail,
        "numbers": [{"name": k, "value": _s(v)} for k, v in s.numbers.items()],
    }


def entry_json(entry: RosterEntry, signals: list[Signal]) -> dict[str, Any]:
    e = entry.enterprise
    return {
        "id": entry.pk,
        "key": entry_key(entry),
        "name": e.name,
        "credit_code": e.credit_code,
        "unit_code": e.unit.code,
        "industry_code": e.industry.code if e.industry_id and e.industry else None,
        "countries": country_names(entry),
        "group": group_name(entry),
        "officer": entry.officer.display_name if entry.officer_id and entry.officer else None,
        "leader": entry.leader,
        "enrolled_on": entry.enrolled_on,
        "signals": [signal_json(s) for s in signals],
    }


def figures_json(f: AnnualFigures, rate: Any, usd: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "year": f.year,
        "filed_on": f.filed_on,
        "currency": f.currency,
        "unit_scale": f.unit_scale,
        "employees": f.employees,
        "year_rate_to_usd": _s(rate),
    }
    for name in MONEY_FIELDS:
        out[name] = _s(getattr(f, name))
        out[f"{name}_usd"] = _s(usd.get(name))
    return out


def entry_detail_json(entry: RosterEntry, signals: list[Signal]) -> dict[str, Any]:
    rows, _chart = figures_over_years(entry)
    out = entry_json(entry, signals)
    out["investors"] = [{"name": i.name, "country": i.country.name} for i in entry.investors.all()]
    out["years"] = [figures_json(r.figures, r.rate, r.usd) for r in rows]
    out["projects"] = [p.code for p in entry.enterprise.projects.order_by("code")]
    return out


def visit_json(v: Visit) -> dict[str, Any]:
    return {
        "id": v.pk,
        "on": v.on,
        "visitor": v.visitor.display_name if v.visitor_id and v.visitor else None,
        "met": v.met,
        "learned": v.learned,
        "intention": v.intention,
        "intention_label": v.get_intention_display(),
        "intention_note": v.intention_note,
        "next_on": v.next_on,
        "project": v.project.code if v.project_id and v.project else None,
    }


def request_json(r: ServiceRequest, on: date) -> dict[str, Any]:
    level, label = escalation(r, on)
    return {
        "id": r.pk,
        "category": r.category,
        "category_label": r.get_category_display(),
        "description": r.description,
        "department": r.department,
        "received_on": r.received_on,
        "deadline": r.deadline,
        "status": r.status,
        "status_label": r.get_status_display(),
        "started_on": r.started_on,
        "closed_on": r.closed_on,
        "answer": r.answer,
        "reason": r.reason,
        "satisfaction": r.satisfaction or None,
        "days_overdue": days_overdue(r, on),
        "escalation_level": level,
        "escalation": label,
    }
