"""存量外资企业 over the API: the roster, one enterprise, its visits and its requests. Unit staff read their own unit's
enterprises, every other role the whole city; reads go through the aftercare selectors."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Router, Schema

from zhaoshang.aftercare import selectors as sel
from zhaoshang.aftercare.models import RosterEntry
from zhaoshang.aftercare.serialize import entry_detail_json, entry_json, request_json, visit_json
from zhaoshang.common.clock import today

router = Router(tags=["存量外资企业"])


class NumberOut(Schema):
    name: str
    value: str | None


class SignalOut(Schema):
    key: str
    kind: str
    label: str
    detail: str
    numbers: list[NumberOut]


class EnterpriseOut(Schema):
    id: int
    key: str
    name: str
    credit_code: str | None
    unit_code: str
    industry_code: str | None
    countries: str
    group: str
    officer: str | None
    leader: str
    enrolled_on: date
    signals: list[SignalOut]


class InvestorOut(Schema):
    name: str
    country: str


class YearOut(Schema):
    year: int
    filed_on: date
    currency: str
    unit_scale: int
    employees: int | None
    year_rate_to_usd: str | None
    registered_capital: str | None
    registered_capital_usd: str | None
    total_investment: str | None
    total_investment_usd: str | None
    revenue: str | None
    revenue_usd: str | None
    profit: str | None
    profit_usd: str | None
    undistributed_profit: str | None
    undistributed_profit_usd: str | None
    tax_paid: str | None
    tax_paid_usd: str | None
    export_value: str | None
    export_value_usd: str | None


class EnterpriseDetailOut(EnterpriseOut):
    investors: list[InvestorOut]
    years: list[YearOut]
    projects: list[str]


class VisitOut(Schema):
    id: int
    on: date
    visitor: str | None
    met: str
    learned: str
    intention: str
    intention_label: str
    intention_note: str
    next_on: date | None
    project: str | None


class RequestOut(Schema):
    id: int
    category: str
    category_label: str
    description: str
    department: str
    received_on: date
    deadline: date
    status: str
    status_label: str
    started_on: date | None
    closed_on: date | None
    answer: str
    reason: str
    satisfaction: str | None
    days_overdue: int
    escalation_level: int
    escalation: str


def _entry(request: HttpRequest, key: str) -> RosterEntry:
    entry = sel.entry_by_key(key)
    if entry is None:
        raise Http404(f"名录中没有企业“{key[:20]}”")
    if not sel.can_read_entry(request.user, entry):
        raise PermissionDenied(f"您不能查看{entry.enterprise.unit.name}的企业")
    return entry


@router.get("/enterprises", response=list[EnterpriseOut], summary="存量外资企业名录（含信号）")
def list_enterprises(
    request: HttpRequest,
    unit: str = "",
    industry: str = "",
    country: str = "",
    signal: str = "",
    officer: str = "",
    q: str = "",
) -> list[dict[str, Any]]:
    if signal and signal not in sel.SIGNALS and signal not in (sel.EXPANSION, sel.RISK):
        from django.core.exceptions import ValidationError

        raise ValidationError({"signal": [f"信号“{signal[:20]}”不存在"]})
    filters = sel.RosterFilters(
        unit=unit[:10], industry=industry[:5], country=country[:3], signal=signal, officer=officer[:150], q=q[:64]
    )
    rows = sel.with_signals(list(sel.roster_list(request.user, filters, on=today())))
    return [entry_json(e, e.signals) for e in rows]


@router.get("/enterprises/{key}", response=EnterpriseDetailOut, summary="一家企业：年报数据、投资方、项目、信号")
def enterprise(request: HttpRequest, key: str) -> dict[str, Any]:
    entry = _entry(request, key)
    return entry_detail_json(entry, sel.signals_for([entry], on=today())[entry.pk])


@router.get("/enterprises/{key}/visits", response=list[VisitOut], summary="企业的走访记录")
def enterprise_visits(request: HttpRequest, key: str) -> list[dict[str, Any]]:
    return [visit_json(v) for v in sel.visits_of(_entry(request, key))]


@router.get("/enterprises/{key}/requests", response=list[RequestOut], summary="企业的诉求")
def enterprise_requests(request: HttpRequest, key: str) -> list[dict[str, Any]]:
    on = today()
    return [request_json(r, on) for r in sel.requests_of(_entry(request, key), on=on)]
