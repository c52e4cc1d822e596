"""The desk's writes and audit reads over the API: the same services and permission checks as the pages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status

from zhaoshang.accounts.permissions import ensure_can
from zhaoshang.common.periods import month_start
from zhaoshang.projects import services
from zhaoshang.projects.models import Project
from zhaoshang.projects.plausibility import check_arrival
from zhaoshang.projects.selectors import project_history
from zhaoshang.stats.services import target_set
from zhaoshang.units.models import Unit

router = Router(tags=["工作台"])


def _project(code: str) -> Project:
    project = Project.objects.select_related("unit").filter(code=code).first()
    if project is None:
        raise Http404(f"项目“{code}”不存在")
    return project


class StageIn(Schema):
    to_stage: str
    on: date
    note: str = ""


class ProjectStateOut(Schema):
    code: str
    stage: str
    stage_on: date
    signed_on: date | None
    next_follow_up_on: date | None


def _state(p: Project) -> dict[str, Any]:
    return {
        "code": p.code,
        "stage": p.stage,
        "stage_on": p.stage_on,
        "signed_on": p.signed_on,
        "next_follow_up_on": p.next_follow_up_on,
    }


@router.post("/projects/{code}/stage", response=ProjectStateOut, summary="推进项目阶段")
def advance_stage(request: HttpRequest, code: str, body: StageIn) -> dict[str, Any]:
    project = _project(code)
    project = services.project_advance_stage(
        project=project, to_stage=body.to_stage, on=body.on, note=body.note, actor=request.user
    )
    return _state(project)


class ArrivalIn(Schema):
    month: date
    amount: Decimal  # in whole units of `currency` (not 万)
    kind: str
    currency: str = "USD"  # ISO code, or 美元、港币、欧元、日元、人民币
    rate_to_usd: Decimal | None = None  # None: the month's reference rate (US$: 1)
    is_financial: bool = False
    note: str = ""
    confirm: bool = False  # true: record despite the plausibility warnings of an earlier answer


class ArrivalOut(Schema):
    id: int
    project: str
    month: date
    kind: str
    amount_usd: Decimal
    rate_to_usd: Decimal
    warnings: list[str] = []


class WarningsOut(Schema):
    detail: str
    warnings: list[str]


@router.post(
    "/projects/{code}/arrivals",
    response={200: ArrivalOut, 409: WarningsOut},
    summary="登记实际到资（有警告时需 confirm: true）",
)
def record_arrival(request: HttpRequest, code: str, body: ArrivalIn) -> Any:
    project = _project(code)
    ensure_can(request.user, "arrival.write", project.unit)  # type: ignore[arg-type]  # before any figure is shown
    check = check_arrival(
        project=project, month=body.month, amount=body.amount, currency=body.currency, rate=body.rate_to_usd
    )
    if check.error:
        raise ValidationError({"rate_to_usd": check.error})
    if check.warnings and not body.confirm:
        detail = '到资数据有警告，未登记；核对无误后加 "confirm": true 重新提交'
        return Status(409, {"detail": detail, "warnings": check.warnings})
    arrival = services.arrival_record(
        project=project,
        month=month_start(body.month),
        amount=body.amount,
        kind=body.kind,
        currency=check.currency,
        rate_to_usd=check.rate,
        is_financial=body.is_financial,
        note=body.note,
        actor=request.user,
    )
    return {
        "id": arrival.pk,
        "project": project.code,
        "month": arrival.month,
        "kind": arrival.kind,
        "amount_usd": arrival.amount_usd,
        "rate_to_usd": arrival.rate_to_usd,
        "warnings": check.warnings,
    }


class FollowUpIn(Schema):
    on: date
    channel: str
    summary: str
    next_on: date | None = None


class FollowUpOut(Schema):
    id: int
    project: str
    on: date
    next_on: date | None


@router.post("/projects/{code}/followups", response=FollowUpOut, summary="登记跟进")
def log_follow_up(request: HttpRequest, code: str, body: FollowUpIn) -> dict[str, Any]:
    project = _project(code)
    f = services.followup_log(
        project=project,
        on=body.on,
        channel=body.channel,
        summary=body.summary,
        next_on=body.next_on,
        actor=request.user,
    )
    return {"id": f.pk, "project": project.code, "on": f.on, "next_on": f.next_on}


class ChangeOut(Schema):
    field: str
    old: str | None
    new: str | None


class HistoryOut(Schema):
    at: str
    who: str
    what: str
    reason: str
    changes: list[ChangeOut]


@router.get("/projects/{code}/history", response=list[HistoryOut], summary="项目变更记录")
def history(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    project = _project(code)
    ensure_can(request.user, "history.read", project.unit)  # type: ignore[arg-type]
    return [
        {
            "at": e.at.isoformat(),
            "who": e.who,
            "what": e.what,
            "reason": e.reason,
            "changes": [
                {"field": f, "old": None if o is None else str(o), "new": None if n is None else str(n)}
                for f, o, n in e.changes
            ],
        }
        for e in project_history(project)
    ]


class TargetIn(Schema):
    year: int
    indicator: str
    value: Decimal
    unit: str | None = None
    note: str = ""


class TargetOut(Schema):
    year: int
    indicator: str
    value: Decimal
    unit: str | None


@router.put("/targets", response=TargetOut, summary="设定年度任务（市局管理员）")
def set_target(request: HttpRequest, body: TargetIn) -> dict[str, Any]:
    unit = None
    if body.unit:
        unit = Unit.objects.filter(code=body.unit).first()
        if unit is None:
            raise Http404(f"招商主体“{body.unit}”不存在")
    t = target_set(
        year=body.year, indicator=body.indicator, value=body.value, unit=unit, note=body.note, actor=request.user
    )
    return {"year": t.year, "indicator": t.indicator, "value": t.value, "unit": unit.code if unit else None}
