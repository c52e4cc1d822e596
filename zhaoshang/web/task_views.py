"""我的待办: the user's tasks from every provider, grouped by kind, overdue first."""

from __future__ import annotations

from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from zhaoshang.common.clock import today

from .tasks import remember_count, tasks_for


@login_required
@require_GET
def my_tasks(request: HttpRequest) -> HttpResponse:
    tasks = tasks_for(request.user)
    remember_count(request.user, len(tasks))
    by_kind = sorted(tasks, key=lambda t: t.kind_label)
    groups = [(label, len(list(items))) for label, items in groupby(by_kind, key=lambda t: t.kind_label)]
    return render(
        request,
        "web/tasks.html",
        {
            "active": "tasks",
            "page_title": "我的待办",
            "tasks": tasks,
            "groups": groups,
            "overdue": sum(1 for t in tasks if t.overdue),
            "as_of": today(),
        },
    )
