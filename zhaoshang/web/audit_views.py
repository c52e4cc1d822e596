"""审计 page: every change, in words, for those who may read all history (the auditor, the city administrator)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from zhaoshang.accounts.models import User
from zhaoshang.accounts.permissions import can
from zhaoshang.common.clock import today
from zhaoshang.common.exporter import Column, Table, render_xlsx
from zhaoshang.units.models import Unit

from .audit import EXPORT_LIMIT, PAGE_SIZE, AuditRow, audit_rows, audited_models, parse_audit_filters
from .selectors import BadFilter
from .views import bad_request


def _allowed(request: HttpRequest) -> None:
    if not can(request.user, "history.read_all"):  # type: ignore[arg-type]
        raise PermissionDenied("只有审计人员和市局管理员可以查看全部修改记录")


def _page_number(text: str | None) -> int:
    try:
        return max(int(text or 1), 1)
    except ValueError:
        return 1


@login_required
@require_GET
def audit_page(request: HttpRequest) -> HttpResponse:
    _allowed(request)
    try:
        filters = parse_audit_filters(request.GET)
    except BadFilter as exc:
        return bad_request(request, str(exc))
    number = _page_number(request.GET.get("page"))
    rows, more = audit_rows(filters, offset=(number - 1) * PAGE_SIZE)
    return render(
        request,
        "web/audit.html",
        {
            "active": "audit",
            "page_title": "审计",
            "filters": filters,
            "rows": rows,
            "number": number,
            "more": more,
            "models": audited_models(),
            "units": Unit.objects.order_by("sort_order", "code"),
            "users": User.objects.order_by("username").values_list("username", "full_name"),
            "as_of": today(),
        },
    )


AUDIT_COLUMNS = [
    Column("时间", lambda r: r.at.strftime("%Y-%m-%d %H:%M:%S"), width=20),
    Column("用户", lambda r: r.who),
    Column("单位", lambda r: r.unit, width=16),
    Column("记录类型", lambda r: r.model, width=14),
    Column("记录", lambda r: r.record, width=30),
    Column("操作", lambda r: r.action, width=8),
    Column("原因", lambda r: r.reason, width=30),
    Column("修改内容", lambda r: r.changes_text, width=60),
]


@login_required
@require_GET
def audit_export(request: HttpRequest) -> HttpResponse:
    _allowed(request)
    try:
        filters = parse_audit_filters(request.GET)
    except BadFilter as exc:
        return bad_request(request, str(exc))
    rows: list[AuditRow]
    rows, more = audit_rows(filters, limit=EXPORT_LIMIT)
    note = f"按筛选条件导出，最多{EXPORT_LIMIT}条" + ("（已截断，请缩小范围）" if more else "")
    body = render_xlsx([Table("audit", "修改记录", AUDIT_COLUMNS, rows, note=note)], sheet_names={"audit": "修改记录"})
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="audit-{today():%Y%m%d}.xlsx"'
    return response
