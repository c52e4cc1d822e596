"""The city's verification (认定) over the API: the queue of claims, and a decision on one."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Router, Schema

from zhaoshang.projects import verification as vf
from zhaoshang.projects.models import Claim, Verification
from zhaoshang.projects.selectors import claims_for

router = Router(tags=["认定"])


class ClaimOut(Schema):
    id: int
    project_code: str
    project_name: str
    unit_code: str
    unit_name: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    amount_usd: Decimal | None
    month: date | None
    stage: str | None
    stage_label: str | None
    stage_on: date | None
    submitted_by: str
    submitted_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    reason: str


class ClaimDecisionIn(Schema):
    decision: Literal["approve", "return"]
    reason: str = ""


def claim_json(c: Claim) -> dict[str, Any]:
    event = c.stage_event
    return {
        "id": c.pk,
        "project_code": c.project.code,
        "project_name": c.project.name,
        "unit_code": c.project.unit.code,
        "unit_name": c.project.unit.short_name,
        "kind": c.kind,
        "kind_label": c.get_kind_display(),
        "status": c.status,
        "status_label": c.get_status_display(),
        "amount_usd": c.amount_usd,
        "month": c.arrival.month if c.arrival else None,
        "stage": event.stage if event else None,
        "stage_label": event.get_stage_display() if event else None,
        "stage_on": event.on if event else None,
        "submitted_by": c.submitted_by.display_name if c.submitted_by else "系统",
        "submitted_at": c.submitted_at,
        "decided_by": c.decided_by.display_name if c.decided_by else None,
        "decided_at": c.decided_at,
        "reason": c.reason,
    }


@router.get("/verifications", response=list[ClaimOut], summary="认定事项：待认定、已退回、已认定")
def list_claims(
    request: HttpRequest, status: str | None = None, unit: str | None = None, kind: str | None = None
) -> list[dict[str, Any]]:
    """The city sees every unit's claims; unit staff see their own unit's, to follow and fix them."""
    if status and status not in Verification.values:
        raise ValidationError({"status": [f"状态“{status[:20]}”无法识别：应为 pending、returned 或 approved"]})
    if kind and kind not in Claim.Kind.values:
        raise ValidationError({"kind": [f"类型“{kind[:20]}”无法识别：应为 arrival 或 stage"]})
    return [claim_json(c) for c in claims_for(request.user, status=status, unit_code=unit, kind=kind)[:1000]]


@router.post("/verifications/{claim_id}", response=ClaimOut, summary="认定：通过或退回")
def claim_decide(request: HttpRequest, claim_id: int, body: ClaimDecisionIn) -> dict[str, Any]:
    claim = Claim.objects.filter(pk=claim_id).first()
    if claim is None:
        raise Http404(f"认定事项 #{claim_id} 不存在")
    if body.decision == "approve":
        claim = vf.claim_approve(claim=claim, actor=request.user, reason=body.reason)
    else:
        claim = vf.claim_return(claim=claim, actor=request.user, reason=body.reason)
    return claim_json(Claim.objects.select_related("project__unit", "arrival", "stage_event").get(pk=claim.pk))
