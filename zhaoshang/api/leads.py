"""Leads, conflicts (撞单) and the intake over the API: the same services and selectors as the desk."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status

from zhaoshang.intake.proposals import analyse
from zhaoshang.leads import selectors, services
from zhaoshang.leads.models import Conflict, Lead
from zhaoshang.projects.models import Industry, Investor, Project
from zhaoshang.units.models import Unit

leads_router = Router(tags=["线索"])
conflicts_router = Router(tags=["撞单"])
intake_router = Router(tags=["线索识别"])


class LeadOut(Schema):
    id: int
    code: str
    company: str
    group: str
    source: str
    source_label: str
    source_detail: str
    unit_code: str | None
    status: str
    status_label: str
    received_on: date
    assigned_on: date | None
    first_contact_on: date | None
    respond_by: date
    overdue: bool
    amount: Decimal | None
    currency: str
    amount_usd: Decimal | None
    project_code: str | None
    abandon_reason: str
    conflicts: list[int]


class LeadIn(Schema):
    company: str
    source: str
    group: str = ""
    unit: str | None = None
    received_on: date | None = None
    intention: str = ""
    amount: Decimal | None = None
    currency: str = "USD"
    rate_to_usd: Decimal | None = None
    source_detail: str = ""
    investor_id: int | None = None
    industry: str | None = None


class LeadActionIn(Schema):
    action: Literal["assign", "contact", "convert", "abandon"]
    on: date | None = None
    unit: str | None = None
    project: str | None = None
    reason: str = ""
    note: str = ""


def _unit(code: str | None, field: str = "unit") -> Unit | None:
    if not code:
        return None
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise ValidationError({field: [f"单位代码“{code}”不存在"]})
    return unit


def _industry(code: str | None) -> Industry | None:
    if not code:
        return None
    found = Industry.objects.filter(code=code.strip().upper()).first()
    if found is None:
        raise ValidationError({"industry": [f"行业代码“{code}”不存在（GB/T 4754-2017）"]})
    return found


def lead_json(lead: Lead) -> dict[str, Any]:
    return {
        "id": lead.pk,
        "code": lead.code,
        "company": lead.company,
        "group": lead.group,
        "source": lead.source,
        "source_label": lead.get_source_display(),
        "source_detail": lead.source_detail,
        "unit_code": lead.unit.code if lead.unit else None,
        "status": lead.status,
        "status_label": lead.get_status_display(),
        "received_on": lead.received_on,
        "assigned_on": lead.assigned_on,
        "first_contact_on": lead.first_contact_on,
        "respond_by": lead.respond_by,
        "overdue": selectors.is_overdue(lead),
        "amount": lead.amount,
        "currency": lead.currency,
        "amount_usd": lead.amount_usd,
        "project_code": lead.project.code if lead.project else None,
        "abandon_reason": lead.abandon_reason,
        "conflicts": list(selectors.conflicts_for_lead(lead).values_list("pk", flat=True)),
    }


@leads_router.get("", response=list[LeadOut], summary="线索列表（单位人员只看本单位）")
def list_leads(request: HttpRequest, unit: str | None = None, status: str | None = None) -> list[dict]:
    qs = selectors.leads_visible_to(request.user)
    if unit:
        qs = qs.filter(unit__code=unit)
    if status:
        qs = qs.filter(status=status)
    return [lead_json(x) for x in qs[:1000]]


@leads_router.post("", response={201: LeadOut}, summary="登记线索（可能发现撞单）")
def create_lead(request: HttpRequest, body: LeadIn) -> Status:
    lead = services.lead_create(
        company=body.company,
        source=body.source,
        group=body.group,
        unit=_unit(body.unit),
        received_on=body.received_on,
        intention=body.intention,
        amount=body.amount,
        currency=body.currency,
        rate_to_usd=body.rate_to_usd,
        source_detail=body.source_detail,
        investor=Investor.objects.filter(pk=body.investor_id).first() if body.investor_id else None,
        industry=_industry(body.industry),
        actor=request.user,
    )
    return Status(201, lead_json(lead))


class SourceRowOut(Schema):
    source: str
    label: str
    received: int
    converted: int
    abandoned: int
    open: int
    conversion_pct: float | None
    median_days_to_contact: float | None


class LeadReportOut(Schema):
    rows: list[SourceRowOut]
    total: SourceRowOut
    overdue: int


@leads_router.get("/report", response=LeadReportOut, summary="按来源的转化率和首次联系用时")
def lead_report(request: HttpRequest, unit: str | None = None) -> Any:
    u = _unit(unit)
    return selectors.lead_report(unit_id=u.pk if u else None)


@leads_router.post("/{lead_id}/actions", response=LeadOut, summary="分派、联系、转为项目或放弃")
def lead_action(request: HttpRequest, lead_id: int, body: LeadActionIn) -> dict:
    lead = selectors.leads_visible_to(request.user).filter(pk=lead_id).first()
    if lead is None:
        raise Http404("线索不存在")
    if body.action == "assign":
        unit = _unit(body.unit)
        if unit is None:
            raise ValidationError({"unit": ["分派须指明单位"]})
        lead = services.lead_assign(lead=lead, unit=unit, on=body.on, actor=request.user)
    elif body.action == "contact":
        lead = services.lead_contact(lead=lead, on=body.on, note=body.note, actor=request.user)
    elif body.action == "convert":
        project = Project.objects.filter(code=body.project or "").first()
        if project is None:
            raise ValidationError({"project": [f"项目编号“{body.project or ''}”不存在"]})
        lead = services.lead_convert(lead=lead, project=project, on=body.on, actor=request.user)
    else:
        lead = services.lead_abandon(lead=lead, reason=body.reason, on=body.on, actor=request.user)
    return lead_json(lead)


# ---------------------------------------------------------------------------------------------- conflicts


class ShareOut(Schema):
    unit_code: str
    share: Decimal
    project_code: str | None


class ConflictOut(Schema):
    id: int
    subject: str
    basis: str
    unit_a: str
    unit_b: str
    lead_a: str | None
    lead_b: str | None
    project_a: str | None
    project_b: str | None
    state: str
    decision: str
    decided_unit: str | None
    reason: str
    decided_by: str | None
    decided_at: datetime | None
    shares: list[ShareOut]


class DecisionIn(Schema):
    decision: Literal["assign", "not_conflict", "joint"]
    reason: str
    unit: str | None = None
    shares: dict[str, Decimal] | None = None
    project: str | None = None


def conflict_json(c: Conflict) -> dict[str, Any]:
    return {
        "id": c.pk,
        "subject": c.subject,
        "basis": c.basis,
        "unit_a": c.unit_a.code,
        "unit_b": c.unit_b.code,
        "lead_a": c.lead_a.code if c.lead_a else None,
        "lead_b": c.lead_b.code if c.lead_b else None,
        "project_a": c.project_a.code if c.project_a else None,
        "project_b": c.project_b.code if c.project_b else None,
        "state": c.state,
        "decision": c.decision,
        "decided_unit": c.decided_unit.code if c.decided_unit else None,
        "reason": c.reason,
        "decided_by": c.decided_by.username if c.decided_by else None,
        "decided_at": c.decided_at,
        "shares": [
            {"unit_code": s.unit.code, "share": s.share, "project_code": s.project.code if s.project else None}
            for s in c.shares.all()
        ],
    }


@conflicts_router.get("", response=list[ConflictOut], summary="撞单（单位人员只看涉及本单位的）")
def list_conflicts(request: HttpRequest, state: str | None = None) -> list[dict]:
    user: Any = request.user
    unit_id = user.unit_id if getattr(user, "role", None) == "unit_staff" and not user.is_superuser else None
    return [conflict_json(c) for c in selectors.conflict_list(state=state, unit_id=unit_id)[:1000]]


@conflicts_router.post("/{conflict_id}/decision", response=ConflictOut, summary="市局裁定撞单")
def decide_conflict(request: HttpRequest, conflict_id: int, body: DecisionIn) -> dict:
    conflict = Conflict.objects.filter(pk=conflict_id).first()
    if conflict is None:
        raise Http404("撞单不存在")
    shares = None
    if body.shares is not None:
        shares = []
        for code, value in body.shares.items():
            unit = _unit(code, "shares")
            if unit is not None:
                shares.append((unit, value))
    project = None
    if body.project:
        project = Project.objects.filter(code=body.project).first()
        if project is None:
            raise ValidationError({"project": [f"项目编号“{body.project}”不存在"]})
    conflict = services.conflict_decide(
        conflict=conflict,
        decision=body.decision,
        reason=body.reason,
        unit=_unit(body.unit),
        shares=shares,
        project=project,
        actor=request.user,
    )
    return conflict_json(selectors.conflict_list().get(pk=conflict.pk))


# ---------------------------------------------------------------------------------------------- intake


class IntakeIn(Schema):
    text: str
    title: str = ""


class FindingOut(Schema):
    kind: str
    start: int
    end: int
    text: str
    label: str
    damaged: str


class ProposalOut(Schema):
    key: str
    kind: str
    company: str
    title: str
    detail: str
    writes: bool


class CompanyOut(Schema):
    company: str
    known: bool
    unit_code: str | None
    stage: str
    kinds: list[str]
    chains: list[str]
    projects: list[str]
    summary: str
    proposals: list[ProposalOut]


class IntakeOut(Schema):
    findings: list[FindingOut]
    companies: list[CompanyOut]


@intake_router.post("", response=IntakeOut, summary="文本识别：文本进，识别结果和建议出（不写入）")
def intake(request: HttpRequest, body: IntakeIn) -> dict:
    if len(body.text) > 2_000_000:
        raise ValidationError({"text": ["文本过长（最多200万字）"]})
    result = analyse(body.text, title=body.title)
    return {
        "findings": [
            {"kind": f.kind, "start": f.start, "end": f.end, "text": f.text, "label": f.label, "damaged": f.damaged}
            for f in result.findings
        ],
        "companies": [
            {
                "company": c.profile.text,
                "known": c.profile.known,
                "unit_code": c.unit.code if c.unit else None,
                "stage": c.profile.stage,
                "kinds": c.profile.kinds,
                "chains": c.chains,
                "projects": [p.code for p in c.projects],
                "summary": c.line(),
                "proposals": [
                    {
                        "key": p.key,
                        "kind": p.kind,
                        "company": p.company,
                        "title": p.title,
                        "detail": p.detail,
                        "writes": p.writes,
                    }
                    for p in c.proposals
                ],
            }
            for c in result.companies
        ],
    }
