"""提醒设置: which of 我的待办's kinds a user wants in the unit's daily digest, and whether to be @-mentioned."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from zhaoshang.common.validation import first_message

from .models import REMINDER_KINDS, DigestRobot, DigestSend
from .reminders import reminder_setting_set, setting_of


@login_required
@require_http_methods(["GET", "POST"])
def reminder_settings(request: HttpRequest) -> HttpResponse:
    user = request.user
    error = ""
    if request.method == "POST":
        try:
            reminder_setting_set(
                user=user,
                daily_digest=request.POST.get("daily_digest") == "1",
                kinds=request.POST.getlist("kinds"),
                actor=user,
            )
        except ValidationError as exc:
            error = first_message(exc)
        else:
            messages.success(request, "提醒设置已保存")
            return redirect(reverse("web:reminders"))
    setting = setting_of(user)
    unit_id = getattr(user, "unit_id", None)
    robot = (
        DigestRobot.objects.filter(unit_id=unit_id, is_active=True).select_related("robot").first() if unit_id else None
    )
    last = DigestSend.objects.filter(unit_id=unit_id).order_by("-on").first() if unit_id else None
    return render(
        request,
        "web/reminders.html",
        {
            "active": "tasks",
            "page_title": "提醒设置",
            "setting": setting,
            "kinds": [(k, label, setting.wants(k)) for k, label in REMINDER_KINDS],
            "robot": robot,
            "last": last,
            "error": error,
            "phone": getattr(user, "phone", ""),
        },
        status=400 if error else 200,
    )
