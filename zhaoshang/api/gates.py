"""A project's checklist for its next stage, its evidence files and its status over the API (the pages' services)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import File, Form, Router, Schema, Status, UploadedFile

from zhaoshang.accounts.permissions import ensure_can
from zhaoshang.projects import evidence as ev
from zhaoshang.projects import gates, services
from zhaoshang.projects.models import CapitalArrival, Claim, Evidence, Project, Stage, stage_index

router = Router(tags=["阶段准入与证明材料"])


def _project(code: str) -> Project:
    project = Project.objects.select_related("unit", "enterprise").filter(code=code).first()
    if project is None:
        raise Http404(f"项目“{code}”不存在")
    return project


class CheckItemOut(Schema):
    key: str
    label: str
    stage: str
    met: bool
    waived_by: str
    link: str


class ChecklistOut(Schema):
    project_code: str
    stage: str | None
    stage_label: str
    complete: bool
    in_force: bool
    in_force_from: date | None
    missing: list[str]
    items: list[CheckItemOut]


def checklist_json(result: gates.Checklist, project: Project) -> dict[str, Any]:
    page = reverse("web:project", args=[project.code])
    return {
        "project_code": result.project_code,
        "stage": result.stage,
        "stage_label": result.stage_label,
        "complete": result.complete,
        "in_force": result.in_force,
        "in_force_from": result.in_force_from,
        "missing": [i.label for i in result.missing],
        "items": [
            {
                "key": i.key,
                "label": i.label,
                "stage": i.stage,
                "met": i.met,
                "waived_by": i.waived_by,
                "link": page + (i.link if i.link.startswith("#") else "#project-facts"),
            }
            for i in result.items
        ],
    }


@router.get("/projects/{code}/checklist", response=ChecklistOut, summary="进入下一阶段还需什么（阶段准入条件）")
def project_checklist(request: HttpRequest, code: str, stage: str | None = None) -> dict[str, Any]:
    """What entering the next stage (or `stage`, a later one) asks of the project: every item, met or not, from the
    gates table; the same list the project page shows and the stage service refuses on."""
    project = _project(code)
    if stage is not None:
        if stage not in Stage.values or stage == Stage.NEGOTIATING:
            raise ValidationError({"stage": [f"阶段“{stage[:20]}”无法识别"]})
        if stage != Stage.DROPPED and (
            project.stage == Stage.DROPPED or stage_index(stage) <= stage_index(project.stage)
        ):
            raise ValidationError({"stage": [f"阶段“{Stage(stage).label}”不在项目当前阶段之后"]})
    return checklist_json(gates.checklist(project, stage), project)


class EvidenceOut(Schema):
    id: int
    project_code: str
    kind: str
    kind_label: str
    stage: str
    arrival_id: int | None
    claim_id: int | None
    name: str
    content_type: str
    size: int
    sha256: str
    uploaded_by: str
    uploaded_at: datetime
    download_url: str


def evidence_json(e: Evidence) -> dict[str, Any]:
    return {
        "id": e.pk,
        "project_code": e.project.code,
        "kind": e.kind,
        "kind_label": e.get_kind_display(),
        "stage": e.stage,
        "arrival_id": e.arrival_id,
        "claim_id": e.claim_id,
        "name": e.original_name,
        "content_type": e.content_type,
        "size": e.size,
        "sha256": e.sha256,
        "uploaded_by": e.uploaded_by.display_name if e.uploaded_by else "系统",
        "uploaded_at": e.uploaded_at,
        "download_url": reverse("web:evidence_download", args=[e.project.code, e.pk]),
    }


@router.post("/projects/{code}/evidence", response={201: EvidenceOut}, summary="上传证明材料（multipart）")
def upload_evidence(
    request: HttpRequest,
    code: str,
    file: File[UploadedFile],
    kind: Form[str],
    stage: Form[str] = "",
    arrival: Form[int | None] = None,
    claim: Form[int | None] = None,
    note: Form[str] = "",
) -> Status:
    """kind: licence (营业执照), bank_receipt (到资凭证/银行进账单), construction_permit (施工许可),
    site_photo (开工照片), production_cert (投产认定), other; linked to a stage (signed … dropped), an arrival id
    or a claim id. The content is checked (PDF, JPEG, PNG, OFD, .docx, .xlsx; size limit; no encryption, zip
    bombs or polyglots)."""
    project = _project(code)
    arrival_obj = CapitalArrival.objects.filter(pk=arrival).first() if arrival is not None else None
    if arrival is not None and arrival_obj is None:
        raise ValidationError({"arrival": [f"到资记录 #{arrival} 不存在"]})
    claim_obj = Claim.objects.select_related("stage_event", "arrival").filter(pk=claim).first() if claim else None
    if claim is not None and claim_obj is None:
        raise ValidationError({"claim": [f"认定事项 #{claim} 不存在"]})
    item = ev.evidence_upload(
        project=project,
        kind=kind,
        name=file.name or "",
        stream=file,
        size=file.size,
        stage=stage,
        arrival=arrival_obj,
        claim=claim_obj,
        note=note,
        actor=request.user,
    )
    return Status(201, evidence_json(item))


@router.get("/projects/{code}/evidence", response=list[EvidenceOut], summary="项目的证明材料")
def list_evidence(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    project = _project(code)
    ensure_can(request.user, "evidence.read", project.unit)  # type: ignore[arg-type]
    return [evidence_json(e) for e in project.evidence.select_related("project", "uploaded_by")]


class StatusIn(Schema):
    status: str
    on: date
    reason: str = ""
    expected_on: date | None = None
    obstacle: str = ""
    destination: str = ""


class StatusOut(Schema):
    code: str
    stage: str
    status: str
    status_label: str
    status_on: date | None
    status_note: str
    destination: str


@router.post("/projects/{code}/status", response=StatusOut, summary="设置项目状态（正常、延期、停滞、流失、中止）")
def set_status(request: HttpRequest, code: str, body: StatusIn) -> dict[str, Any]:
    project = services.project_status_set(
        project=_project(code),
        status=body.status,
        on=body.on,
        reason=body.reason,
        expected_on=body.expected_on,
        obstacle=body.obstacle,
        destination=body.destination,
        actor=request.user,
    )
    return {
        "code": project.code,
        "stage": project.stage,
        "status": project.status,
        "status_label": project.get_status_display(),
        "status_on": project.status_on,
        "status_note": project.status_note,
        "destination": project.destination,
    }
