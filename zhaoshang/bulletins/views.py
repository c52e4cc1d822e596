"""The bulletin button: a page to pick a month, download the .docx / .xlsx / .pdf, preview the pages, and issue
after confirming the preview (city administrators only)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.encoding import escape_uri_path
from django.views.decorators.http import require_http_methods, require_POST

from zhaoshang.accounts.permissions import ensure_can
from zhaoshang.common.clock import today
from zhaoshang.common.periods import MonthRange, add_months, month_start
from zhaoshang.jobs.models import Job
from zhaoshang.jobs.selectors import job_state, jobs_of
from zhaoshang.jobs.services import job_create, job_enqueue

from .models import Bulletin
from .preview import preview_cached
from .services import bulletin_build

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def _month_or_none(text: str) -> date | None:
    try:
        period = MonthRange.parse(text)
    except ValueError:
        return None
    return period.first if period.months == 1 else None


@login_required
@require_http_methods(["GET"])
def bulletin_index(request: HttpRequest) -> HttpResponse:
    ensure_can(request.user, "bulletin.issue")  # type: ignore[arg-type]
    default = add_months(month_start(today()), -1)
    return render(
        request,
        "bulletins/index.html",
        {
            "default_month": f"{default:%Y-%m}",
            "issued": Bulletin.objects.all()[:24],
            "active": "bulletins",
            "jobs": [job_state(j) for j in jobs_of(request.user, kind_prefix="bulletins.", limit=10)],
        },
    )


@login_required
@require_http_methods(["GET"])
def bulletin_download(request: HttpRequest, period: str, fmt: str) -> HttpResponse:
    ensure_can(request.user, "bulletin.issue")  # type: ignore[arg-type]
    month = _month_or_none(period)
    if month is None or fmt not in CONTENT_TYPES:
        return HttpResponse(f"无法识别的通报月份“{period}”：应为 2020-09 这样的月份", status=400)
    if month > month_start(today()):
        return HttpResponse(f"通报月份“{period}”晚于本月，尚无数据", status=400)
    files = bulletin_build(month=month)
    if fmt == "pdf":
        # LibreOffice takes seconds: the PDF is made by the preview's background job, never inside this request.
        preview = preview_cached(files.docx)
        if preview is None:
            messages.info(request, "PDF 正在由后台任务生成：本页显示进度，完成后即可下载。")
            return redirect(f"{reverse('bulletins:preview')}?period={month:%Y-%m}")
        body = preview.pdf
    else:
        body = files.docx if fmt == "docx" else files.xlsx
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(files.stem)}.{fmt}"
    return response


@login_required
@require_http_methods(["GET"])
def bulletin_get(request: HttpRequest) -> HttpResponse:
    """The page's form: ?period=2020-09&fmt=docx → the file's address."""
    period, fmt = request.GET.get("period", ""), request.GET.get("fmt", "docx")
    return redirect("bulletins:download", period=period or "-", fmt=fmt if fmt in CONTENT_TYPES else "docx")


@login_required
@require_http_methods(["GET"])
def bulletin_preview(request: HttpRequest) -> HttpResponse:
    """The month's bulletin page by page (LibreOffice's PDF as images), its files, and the confirmation to issue."""
    ensure_can(request.user, "bulletin.issue")  # type: ignore[arg-type]
    text = request.GET.get("period", "")
    month = _month_or_none(text)
    if month is None:
        messages.error(request, f"无法识别的通报月份“{text[:20]}”：应为 2020-09 这样的月份")
        return redirect("bulletins:index")
    if month > month_start(today()):
        messages.error(request, f"通报月份“{text}”晚于本月，尚无数据")
        return redirect("bulletins:index")
    files = bulletin_build(month=month)
    context = {
        "active": "bulletins",
        "period": f"{month:%Y-%m}",
        "data": files.data,
        "issued": files.data.issued,
        "pages": [],
        "error": "",
    }
    preview = preview_cached(files.docx)
    if preview is not None:
        context["pages"] = preview.page_data_uris()
        return render(request, "bulletins/preview.html", context)
    # Not converted yet: the conversion runs as a background job and the page follows it.
    job = (
        Job.objects.filter(kind="bulletins.preview", params__month=month.isoformat(), created_by_id=request.user.pk)
        .order_by("-pk")
        .first()
    )
    if job is None or (job.finished and job.exit_code == 0):
        job = job_enqueue(
            job=job_create(
                kind="bulletins.preview",
                params={"month": month.isoformat()},
                label=f"预览{month.year}年1-{month.month}月通报",
                actor=request.user,
            )
        )
    if job.finished:
        preview = preview_cached(files.docx)
        if preview is not None:
            context["pages"] = preview.page_data_uris()
        else:
            context["error"] = "；".join(job.errors) or "预览生成失败"
            if job.exit_code != 0:
                job.delete()  # a failed conversion (LibreOffice missing) is tried again on the next visit
    else:
        context["preview_job"] = job_state(job)
    return render(request, "bulletins/preview.html", context)


@login_required
@require_POST
def bulletin_issue_view(request: HttpRequest) -> HttpResponse:
    month = _month_or_none(request.POST.get("period", ""))
    if month is None:
        messages.error(request, f"无法识别的通报月份“{request.POST.get('period', '')}”")
        return redirect("bulletins:index")
    ensure_can(request.user, "bulletin.issue")  # type: ignore[arg-type]
    if request.POST.get("confirm") != "1":
        messages.error(request, "签发前请先预览通报，并勾选“已核对预览，确认签发并关账”")
        return redirect(f"{reverse('bulletins:preview')}?period={month:%Y-%m}")
    job = job_create(
        kind="bulletins.issue",
        params={"month": month.isoformat(), "actor_id": request.user.pk},
        label=f"签发{month.year}年1-{month.month}月通报",
        actor=request.user,
    )
    job = job_enqueue(job=job)
    if not job.finished:  # the worker has it; the list of issuing jobs below shows how it ends
        messages.info(request, f"已提交签发任务 #{job.pk}，完成后在“签发任务”中显示结果")
    elif job.exit_code == 0:
        messages.success(request, job.result["summary"])
    else:
        messages.error(request, "；".join(job.errors))
    return redirect("bulletins:index")
