"""The upload page: pick a kind, send a file, see what changed or every error; templates and reports to download."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from zhaoshang.accounts.models import Role
from zhaoshang.common.periods import MonthRange
from zhaoshang.jobs.models import Job
from zhaoshang.jobs.selectors import job_state, jobs_of
from zhaoshang.jobs.services import job_create, job_enqueue

from .jobs import UNFORESEEN, import_params, keep_report, report_dir, save_upload
from .kinds import KINDS, template_for
from .reader import MAX_FILE_BYTES

logger = logging.getLogger(__name__)

UNIT_KINDS = ("projects", "arrivals", "followups", "enterprise-annual")
# The units a person may choose for amount columns whose file names none.
MONEY_UNIT_CHOICES = ("美元", "万美元", "亿美元", "原币", "原币万元", "万元", "万欧元", "万日元", "万港元")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def allowed_kinds(user: Any) -> list[str]:
    if user.is_superuser or user.role == Role.CITY_ADMIN:
        return list(KINDS)
    if user.role == Role.UNIT_STAFF and user.unit_id:
        return list(UNIT_KINDS)
    return []


def _keep_report(request: HttpRequest, data: bytes) -> str:
    """Store a generated workbook for this session to download."""
    token = keep_report(data)
    request.session["import_reports"] = [*request.session.get("import_reports", [])[-20:], token]
    return token


def _denied(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "imports/denied.html", {"message": message}, status=403)


def _uploaded(request: HttpRequest) -> tuple[bytes | None, str]:
    f = request.FILES.get("file")
    if f is None:
        return None, "请选择要上传的文件"
    if f.size and f.size > MAX_FILE_BYTES:
        return None, f"文件超过 {MAX_FILE_BYTES // (1024 * 1024)} MB 的上限，请拆分后分批导入"
    return f.read(MAX_FILE_BYTES + 1), ""


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    kinds = allowed_kinds(request.user)
    if not kinds:
        return _denied(request, "您的角色只能查看数据，不能导入")
    context: dict[str, Any] = {
        "unit_choices": MONEY_UNIT_CHOICES,
        "kinds": [(k, KINDS[k].title) for k in kinds],
        "chosen": request.POST.get("kind") or request.GET.get("kind") or kinds[0],
        "max_mb": MAX_FILE_BYTES // (1024 * 1024),
        "can_reconcile": "divisions" in kinds,
    }
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        dry_run = bool(request.POST.get("dry_run"))
        context["dry_run"] = dry_run
        if kind not in kinds:
            return _denied(request, f"您不能导入“{KINDS[kind].title if kind in KINDS else kind}”")
        data, problem = _uploaded(request)
        options: dict[str, Any] = {}
        if kind == "fortune500":
            try:
                options["year"] = int(request.POST.get("year") or "")
            except ValueError:
                problem = problem or "导入世界500强榜单需要填写榜单年份"
        money_unit = request.POST.get("unit", "").strip()
        context["unit"] = money_unit
        if money_unit:
            if money_unit not in MONEY_UNIT_CHOICES:
                problem = problem or f"金额单位“{money_unit}”不在可选范围内"
            options["unit"] = money_unit
        if request.POST.get("accept_warnings"):
            options["accept_warnings"] = True
        if problem or data is None:
            context["problem"] = problem
            return render(request, "imports/upload.html", context, status=400)
        job = _submit_import(request, kind, data, dry_run=dry_run, options=options)
        if not job.finished:  # the usual case: the worker has it; the page follows its progress
            return redirect("imports:job", job_id=job.pk)
        return _show_outcome(request, context, job)  # an immediate backend ran it already
    context["jobs"] = [job_state(j) for j in jobs_of(request.user, kind_prefix="imports.", limit=10)]
    return render(request, "imports/upload.html", context)


def _submit_import(request: HttpRequest, kind: str, data: bytes, *, dry_run: bool, options: dict[str, Any]) -> Job:
    """Save the file, record the job and queue it: no reading or checking here, so the answer comes at once."""
    name = getattr(request.FILES.get("file"), "name", "") or ""
    title = KINDS[kind].title
    job = job_create(
        kind="imports.import",
        params={},
        label=f"{'试导入' if dry_run else '导入'}{title}：{Path(name).name[:80]}",
        actor=request.user,
    )
    path = save_upload(job, data, name)
    job.params = import_params(
        kind=kind, path=str(path), dry_run=dry_run, options=options, actor_id=request.user.pk, delete_after=True
    )
    job.save(update_fields=["params"])
    return job_enqueue(job=job)


def _outcome_context(request: HttpRequest, job: Job) -> dict[str, Any]:
    """What the page shows of a finished import job; the same figures the command prints."""
    result = job.result
    if result.get("report_token"):
        tokens = request.session.get("import_reports", [])
        if result["report_token"] not in tokens:
            request.session["import_reports"] = [*tokens[-20:], result["report_token"]]
    if "refused" in result:
        return {
            "refused": result["refused"],
            "errors": result["refused"]["errors"],
            "warning_lines": result["refused"].get("warning_lines", []),
            "notes": result["refused"].get("notes", []),
            "report_token": result["report_token"],
        }
    if "sections" in result:  # a reconciliation
        tokens = request.session.get("import_reports", [])
        if result["result_token"] not in tokens:
            request.session["import_reports"] = [*tokens[-20:], result["result_token"]]
        return {"result": result, "result_token": result["result_token"]}
    if "summary" in result:
        return {"result": result, "lines": result["lines"]}
    return {"problem": result.get("denied") or result.get("problem") or "；".join(job.errors) or UNFORESEEN}


def _show_outcome(request: HttpRequest, context: dict[str, Any], job: Job) -> HttpResponse:
    if "denied" in job.result:
        return _denied(request, job.result["denied"])
    context.update(_outcome_context(request, job))
    return render(request, "imports/upload.html", context, status=200 if job.exit_code == 0 else 400)


def _own_job(request: HttpRequest, job_id: int) -> Job:
    job = Job.objects.filter(pk=job_id, kind__in=("imports.import", "imports.reconcile")).first()
    if job is None or (job.created_by_id != request.user.pk and not request.user.is_superuser):
        raise Http404("没有这个导入任务")
    return job


@login_required
def job_page(request: HttpRequest, job_id: int) -> HttpResponse:
    """One import job: its progress while it runs (the panel polls), then its result; a reload shows it again."""
    job = _own_job(request, job_id)
    kinds = allowed_kinds(request.user)
    context: dict[str, Any] = {
        "kinds": [(k, KINDS[k].title) for k in kinds],
        "chosen": job.params.get("kind") or (kinds[0] if kinds else ""),
        "max_mb": MAX_FILE_BYTES // (1024 * 1024),
        "can_reconcile": "divisions" in kinds,
        "state": job_state(job),
    }
    if job.finished:
        context.update(_outcome_context(request, job))
    if job.kind == "imports.reconcile":
        context["month"] = job.params.get("month", "")[:7]
        return render(request, "imports/reconcile.html", context)
    return render(request, "imports/upload.html", context)


@login_required
def job_progress(request: HttpRequest, job_id: int) -> HttpResponse:
    """The job panel alone, for the page to poll (htmx); once finished it carries the result and stops polling."""
    job = _own_job(request, job_id)
    context: dict[str, Any] = {"state": job_state(job)}
    if job.finished:
        context.update(_outcome_context(request, job))
    return render(request, "imports/_job.html", context)


@login_required
def template_download(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in KINDS and kind != "official":
        raise Http404("没有这种导入模板")
    allowed = allowed_kinds(request.user)
    if kind not in allowed and not (kind == "official" and "divisions" in allowed):
        return _denied(request, "您不能导入这类数据")
    response = HttpResponse(template_for(kind), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename=template-{kind}.xlsx"
    return response


@login_required
def report_download(request: HttpRequest, token: str) -> HttpResponseBase:
    if token not in request.session.get("import_reports", []):
        raise Http404("报告不存在或已过期")
    path = report_dir() / f"{token}.xlsx"
    if not path.exists():
        raise Http404("报告不存在或已过期")
    return FileResponse(path.open("rb"), as_attachment=True, filename="report.xlsx", content_type=XLSX)


@login_required
@require_http_methods(["GET", "POST"])
def reconcile_page(request: HttpRequest) -> HttpResponse:

    if "divisions" not in allowed_kinds(request.user):  # reference data: the city bureau's administrators
        return _denied(request, "只有市局管理员可以导入官方数据并核对")
    from zhaoshang.units.models import Unit

    context: dict[str, Any] = {
        "month": request.POST.get("month", ""),
        "units": list(Unit.objects.filter(is_active=True).order_by("sort_order", "code")),
    }
    if request.method == "POST":
        try:
            period = MonthRange.parse(request.POST.get("month", ""))
            if period.months != 1:
                raise ValueError("核对按单月进行，请填写一个月份，如 2020-09")
        except ValueError as exc:
            context["problem"] = str(exc)
            return render(request, "imports/reconcile.html", context, status=400)
        data, problem = _uploaded(request)
        if problem or data is None:
            context["problem"] = problem
            return render(request, "imports/reconcile.html", context, status=400)
        name = getattr(request.FILES.get("file"), "name", "") or ""
        chosen = [c for c in request.POST.getlist("units") if c in {u.code for u in context["units"]}]
        context["chosen_units"] = chosen
        job = job_create(
            kind="imports.reconcile",
            params={},
            label=f"核对{period.first:%Y-%m}：{Path(name).name[:80]}",
            actor=request.user,
        )
        path = save_upload(job, data, name)
        job.params = {
            "month": period.first.isoformat(),
            "path": str(path),
            "source_name": name,
            "actor_id": request.user.pk,
            "delete_after": True,
            "units": chosen,
        }
        job.save(update_fields=["params"])
        job = job_enqueue(job=job)
        if not job.finished:
            return redirect("imports:job", job_id=job.pk)
        if "denied" in job.result:
            return _denied(request, job.result["denied"])
        context.update(_outcome_context(request, job))
        return render(request, "imports/reconcile.html", context, status=200 if job.exit_code == 0 else 400)
    return render(request, "imports/reconcile.html", context)
