"""The city's verification queue (认定): claims by unit, kind and age; approve, return with a reason, bulk approve.

Unit staff see their own unit's claims here too, with the reason of any return, and resubmit them once fixed."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from zhaoshang.accounts.permissions import can
from zhaoshang.common.validation import first_message
from zhaoshang.projects import verification as vf
from zhaoshang.projects.evidence import evidence_for_claims
from zhaoshang.projects.models import Claim, Verification
from zhaoshang.projects.selectors import claims_for
from zhaoshang.units.selectors import active_units

from .views import bad_request

AGES = {"": "不限", "3": "3天以上", "7": "7天以上", "30": "30天以上"}


@login_required
def verification_queue(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _decide(request)
    if request.method != "GET":
        return HttpResponse(status=405)
    status = (request.GET.get("status") or "pending").strip()
    unit = (request.GET.get("unit") or "").strip()[:12]
    kind = (request.GET.get("kind") or "").strip()
    age = (request.GET.get("age") or "").strip()
    if status not in Verification.values:
        return bad_request(request, f"状态“{status[:20]}”无法识别：应为待认定、已退回或已认定")
    if kind and kind not in Claim.Kind.values:
        return bad_request(request, f"类型“{kind[:20]}”无法识别")
    if age not in AGES:
        return bad_request(request, f"时长“{age[:20]}”无法识别")
    qs = claims_for(request.user, status=status, unit_code=unit or None, kind=kind or None)
    if age:
        qs = qs.filter(submitted_at__lte=timezone.now() - timedelta(days=int(age)))
    claims = list(qs[:500])
    files = evidence_for_claims(claims)
    for claim in claims:
        # Only files the reader may download are listed (a leader follows the queue but reads no documents).
        readable = can(request.user, "evidence.read", claim.project.unit)  # type: ignore[arg-type]
        claim.evidence_files = files[claim.pk] if readable else []  # type: ignore[attr-defined]
    may_decide = can(request.user, "claim.decide")  # type: ignore[arg-type]
    return render(
        request,
        "web/verifications.html",
        {
            "active": "verifications",
            "page_title": "认定",
            "claims": claims,
            "total": qs.count(),
            "status": status,
            "status_label": Verification(status).label,
            "unit": unit,
            "kind": kind,
            "age": age,
            "statuses": Verification.choices,
            "kinds": Claim.Kind.choices,
            "ages": AGES.items(),
            "units": list(active_units().order_by("sort_order", "code")),
            "may_decide": may_decide,
            "user_id": request.user.pk,
        },
    )


def _decide(request: HttpRequest) -> HttpResponse:
    action = request.POST.get("action", "")
    reason = (request.POST.get("reason") or "").strip()
    ids = [int(x) for x in request.POST.getlist("claim") if x.isdigit()]
    back = reverse("web:verifications") + (f"?{request.META.get('QUERY_STRING')}" if request.GET else "")
    claims = list(Claim.objects.filter(pk__in=ids).order_by("pk"))
    if not claims:
        return bad_request(request, "请选择要处理的认定事项")
    try:
        if action == "approve":
            n = vf.claims_approve(claims=claims, actor=request.user, reason=reason or "经核，予以认定")
            messages.success(request, f"已认定 {n} 项")
        elif action == "return":
            for claim in claims:
                vf.claim_return(claim=claim, actor=request.user, reason=reason)
            messages.success(request, f"已退回 {len(claims)} 项：{reason}")
        elif action == "resubmit":
            for claim in claims:
                vf.claim_resubmit(claim=claim, actor=request.user, note=reason)
            messages.success(request, f"已重新提交 {len(claims)} 项")
        else:
            return bad_request(request, f"操作“{action[:20]}”无法识别")
    except ValidationError as exc:
        messages.error(request, first_message(exc))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    return redirect(back)
