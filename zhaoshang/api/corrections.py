"""Corrections over the API: a project's facts and an arrival's amount, month or type, each with its reason, through
the same services as the desk (a closed month's change becomes a recorded correction; 403 for another unit's)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Router, Schema

from zhaoshang.accounts.models import User
from zhaoshang.accounts.permissions import ensure_can
from zhaoshang.projects import services
from zhaoshang.projects.models import CapitalArrival, Enterprise, Industry, Investor, Project
from zhaoshang.reference.currencies import currency_code
from zhaoshang.units.models import Unit

router = Router(tags=["更正"])


class ProjectPatchIn(Schema):
    reason: str
    name: str | None = None
    kind: str | None = None  # city administrators only
    unit: str | None = None  # the unit's code; city administrators only
    investors: list[int] | None = None  # investor ids
    enterprise: int | None = None
    industry: str | None = None  # GB/T 4754 code
    officer: str | None = None  # username
    leader: str | None = None
    note: str | None = None
    currency: str | None = None
    rate_to_usd: Decimal | None = None
    total_investment: Decimal | None = None  # whole units of the currency
    contract_foreign: Decimal | None = None


class ProjectOut(Schema):
    code: str
    name: str
    unit: str
    kind: str
    stage: str
    currency: str
    total_investment: Decimal
    total_investment_usd: Decimal
    contract_foreign: Decimal
    contract_foreign_usd: Decimal
    investors: list[int]
    enterprise: int | None
    industry: str | None
    officer: str | None
    leader: str


def project_out(p: Project) -> dict[str, Any]:
    return {
        "code": p.code,
        "name": p.name,
        "unit": p.unit.code,
        "kind": p.kind,
        "stage": p.stage,
        "currency": p.currency,
        "total_investment": p.total_investment,
        "total_investment_usd": p.total_investment_usd,
        "contract_foreign": p.contract_foreign,
        "contract_foreign_usd": p.contract_foreign_usd,
        "investors": sorted(p.investors.values_list("pk", flat=True)),
        "enterprise": p.enterprise_id,
        "industry": p.industry.code if p.industry else None,
        "officer": p.officer.username if p.officer else None,
        "leader": p.leader,
    }


def _found(model: Any, label: str, field: str, **lookup: Any) -> Any:
    found = model.objects.filter(**lookup).first()
    if found is None:
        value = next(iter(lookup.values()))
        raise ValidationError({field: [f"{label}“{value}”不存在"]})
    return found


def project_changes(body: ProjectPatchIn) -> dict[str, Any]:
    """The request's fields as the service's keyword arguments, linked records looked up (unknown → 400)."""
    data = body.dict(exclude_unset=True)
    data.pop("reason", None)
    out: dict[str, Any] = {}
    for key in ("name", "kind", "leader", "note", "rate_to_usd", "total_investment", "contract_foreign"):
        if key in data and data[key] is not None:
            out[key] = data[key]
    if data.get("currency"):
        out["currency"] = currency_code(data["currency"]) or data["currency"]
    if data.get("unit"):
        out["unit"] = _found(Unit, "招商主体", "unit", code=data["unit"])
    if data.get("investors") is not None:
        ids = data["investors"]
        investors = list(Investor.objects.filter(pk__in=ids))
        missing = sorted(set(ids) - {i.pk for i in investors})
        if missing:
            raise ValidationError({"investors": [f"外方投资者“{missing[0]}”不存在"]})
        out["investors"] = investors
    if "enterprise" in data:
        out["enterprise"] = (
            _found(Enterprise, "外资企业", "enterprise", pk=data["enterprise"]) if data["enterprise"] else None
        )
    if "industry" in data:
        out["industry"] = _found(Industry, "行业代码", "industry", code=data["industry"]) if data["industry"] else None
    if "officer" in data:
        out["officer"] = _found(User, "责任人", "officer", username=data["officer"]) if data["officer"] else None
    return out


@router.patch("/projects/{code}", response=ProjectOut, summary="更正项目（须说明原因）")
def project_patch(request: HttpRequest, code: str, body: ProjectPatchIn) -> dict[str, Any]:
    project = Project.objects.select_related("unit").filter(code=code).first()
    if project is None:
        raise Http404(f"项目“{code}”不存在")
    ensure_can(request.user, "project.write", project.unit)  # type: ignore[arg-type]  # 403 before any lookup
    project = services.project_correct(project=project, actor=request.user, reason=body.reason, **project_changes(body))
    project = Project.objects.select_related("unit", "industry", "officer").get(pk=project.pk)
    return project_out(project)


class ArrivalPatchIn(Schema):
    reason: str
    month: date | None = None
    amount: Decimal | None = None  # whole units of `currency` (not 万)
    kind: str | None = None
    currency: str | None = None
    rate_to_usd: Decimal | None = None
    is_financial: bool | None = None
    note: str | None = None


class ArrivalVoidIn(Schema):
    reason: str


class ArrivalRecordOut(Schema):
    id: int
    project: str
    month: date
    kind: str
    currency: str
    amount: Decimal
    amount_usd: Decimal
    verified_amount_usd: Decimal
    rate_to_usd: Decimal
    is_financial: bool
    note: str
    voided_at: datetime | None = None
    void_reason: str = ""
    voided_amount_usd: Decimal | None = None


def arrival_out(a: CapitalArrival) -> dict[str, Any]:
    return {
        "id": a.pk,
        "project": a.project.code,
        "month": a.month,
        "kind": a.kind,
        "currency": a.currency,
        "amount": a.amount,
        "amount_usd": a.amount_usd,
        "verified_amount_usd": a.verified_amount_usd,
        "rate_to_usd": a.rate_to_usd,
        "is_financial": a.is_financial,
        "note": a.note,
        "voided_at": a.voided_at,
        "void_reason": a.void_reason,
        "voided_amount_usd": a.voided_amount_usd,
    }


def _arrival(arrival_id: int) -> CapitalArrival:
    arrival = CapitalArrival.objects.select_related("project__unit").filter(pk=arrival_id).first()
    if arrival is None:
        raise Http404(f"到资记录“{arrival_id}”不存在")
    return arrival


@router.patch("/arrivals/{arrival_id}", response=ArrivalRecordOut, summary="更正到资（须说明原因，编号不变）")
def arrival_patch(request: HttpRequest, arrival_id: int, body: ArrivalPatchIn) -> dict[str, Any]:
    arrival = _arrival(arrival_id)
    ensure_can(request.user, "arrival.write", arrival.project.unit)  # type: ignore[arg-type]
    changes = {k: v for k, v in body.dict(exclude_unset=True).items() if k != "reason" and v is not None}
    if "currency" in changes:
        changes["currency"] = currency_code(changes["currency"]) or changes["currency"]
    arrival = services.arrival_update(arrival=arrival, actor=request.user, reason=body.reason, **changes)
    return arrival_out(_arrival(arrival.pk))


@router.post(
    "/arrivals/{arrival_id}/void", response=ArrivalRecordOut, summary="作废到资（须说明原因，编号不变，金额归零）"
)
def arrival_void(request: HttpRequest, arrival_id: int, body: ArrivalVoidIn) -> dict[str, Any]:
    arrival = _arrival(arrival_id)
    ensure_can(request.user, "arrival.write", arrival.project.unit)  # type: ignore[arg-type]
    arrival = services.arrival_void(arrival=arrival, actor=request.user, reason=body.reason)
    return arrival_out(_arrival(arrival.pk))
