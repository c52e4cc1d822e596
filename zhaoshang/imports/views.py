"""The upload page: pick a kind, send a file, see what changed or every error; templates and reports to download."""

from __future__ import annotations

import logging
import secrets
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from zhaoshang.accounts.models import Role
from zhaoshang.common.periods import MonthRange
from zhaoshang.common.validation import first_message

from .errors import ImportRefused
from .kinds import KINDS, load_file, template_for
from .reader import MAX_FILE_BYTES

logger = logging.getLogger(__name__)

UNIT_KINDS = ("projects", "arrivals", "followups")
# The units a person may choose for amount columns whose file names none.
MONEY_UNIT_CHOICES = ("美元", "万美元", "亿美元", "原币", "原币万元", "万元", "万欧元", "万日元", "万港元")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def allowed_kinds(user: Any) -> list[str]:
    if user.is_superuser or user.role == Role.CITY_ADMIN:
        return list(KINDS)
    if user.role == Role.UNIT_STAFF and user.unit_id:
        return list(UNIT_KINDS)
    return []


def _report_dir() -> Path:
    path = Path(settings.DATA_DIR) / "import-reports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _keep_report(request: HttpRequest, data: bytes) -> str:
    """Store a generated workbook for this session to download; reports older than a day are removed."""
    folder = _report_dir()
    for old in folder.glob("*.xlsx"):
        if old.stat().st_mtime < time.time() - 86400:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(16)
    (folder / f"{token}.xlsx").write_bytes(data)
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
        try:
            result = load_file(kind, data, actor=request.user, dry_run=dry_run, **options)
        except ImportRefused as exc:
            from .xlsx import error_report

            context["refused"] = exc
            context["errors"] = exc.errors[:500]
            context["warning_lines"] = exc.warning_lines()[:500]
            context["notes"] = exc.notes
            context["report_token"] = _keep_report(request, error_report(exc, title=KINDS[kind].title))
            return render(request, "imports/upload.html", context, status=400)
        except PermissionDenied as exc:
            return _denied(request, str(exc))
        except ValidationError as exc:
            context["problem"] = first_message(exc)
            return render(request, "imports/upload.html", context, status=400)
        except Exception:  # a file we did not foresee must still get an answer in Chinese, not a server error
            logger.exception("import of %s failed", kind)
            context["problem"] = "文件无法处理：未导入任何数据。请使用导入模板重新整理后再试，或联系管理员"
            return render(request, "imports/upload.html", context, status=400)
        context["result"] = result
        context["lines"] = result.lines(limit=300)
    return render(request, "imports/upload.html", context)


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
    path = _report_dir() / f"{token}.xlsx"
    if not path.exists():
        raise Http404("报告不存在或已过期")
    return FileResponse(path.open("rb"), as_attachment=True, filename="report.xlsx", content_type=XLSX)


@login_required
@require_http_methods(["GET", "POST"])
def reconcile_page(request: HttpRequest) -> HttpResponse:
    from .reconcile import reconcile

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
        name = getattr(request.FILES.get("file"), "name", "")
        chosen = request.POST.getlist("units")
        units = [u for u in context["units"] if u.code in chosen] or None
        context["chosen_units"] = chosen
        try:
            result = reconcile(period.first, data, actor=request.user, source_name=name, units=units)
        except ImportRefused as exc:
            from .xlsx import error_report

            context["refused"] = exc
            context["errors"] = exc.errors[:500]
            context["report_token"] = _keep_report(request, error_report(exc, title="官方月度到资数据"))
            return render(request, "imports/reconcile.html", context, status=400)
        except PermissionDenied as exc:
            return _denied(request, str(exc))
        except Exception:
            logger.exception("reconciliation failed")
            context["problem"] = "文件无法处理：未导入任何数据。请按模板整理后再试，或联系管理员"
            return render(request, "imports/reconcile.html", context, status=400)
        context["result"] = result
        context["result_token"] = _keep_report(request, result.xlsx())
    return render(request, "imports/reconcile.html", context)
