"""The intake page: paste or upload, then the text with its findings highlighted and one confirm button per
proposal (nothing is written until a person confirms)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhaoshang.common.clock import today
from zhaoshang.common.validation import first_message
from zhaoshang.projects.models import Country

from .extract import Finding
from .models import IntakeDocument
from .proposals import analyse
from .services import intake_document_create, proposal_confirm
from .text import file_text


@dataclass
class Segment:
    text: str
    kind: str = ""
    label: str = ""


def segments(text: str, findings: list[Finding]) -> list[Segment]:
    """The text cut at the findings (no overlaps; the first finding at a place wins)."""
    out: list[Segment] = []
    pos = 0
    for f in sorted(findings, key=lambda f: (f.start, -(f.end - f.start))):
        if f.start < pos:
            continue
        if f.start > pos:
            out.append(Segment(text[pos : f.start]))
        label = f.label + (f"（{f.damaged}）" if f.damaged else "")
        out.append(Segment(text[f.start : f.end], f.kind, label))
        pos = f.end
    if pos < len(text):
        out.append(Segment(text[pos:]))
    return out


@login_required
def intake_index(request: HttpRequest) -> HttpResponse:
    errors: list[str] = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is not None:
                text = file_text(upload.name or "上传文件", upload.read())
                title = upload.name or "上传文件"
            else:
                text = request.POST.get("text", "")
                title = request.POST.get("title", "") or "粘贴文本"
            doc = intake_document_create(title=title, text=text, actor=request.user)
        except ValidationError as exc:
            errors.append(first_message(exc))
        except PermissionDenied as exc:
            errors.append(str(exc))
        else:
            return redirect(reverse("intake:document", args=[doc.pk]))
    user: Any = request.user
    recent = IntakeDocument.objects.filter(uploaded_by=user)[:20]
    return render(
        request,
        "intake/index.html",
        {"active": "leads", "page_title": "线索识别", "errors": errors, "recent": recent},
        status=400 if errors else 200,
    )


@login_required
def intake_document(request: HttpRequest, pk: int) -> HttpResponse:
    doc = IntakeDocument.objects.filter(pk=pk).first()
    if doc is None:
        raise Http404("文本不存在")
    intake = analyse(doc.text, title=doc.title)
    done = {c.proposal_key: c for c in doc.confirmations.all()}
    ctx = {
        "active": "leads",
        "page_title": f"线索识别 · {doc.title}",
        "doc": doc,
        "segments": segments(intake.text, intake.findings),
        "companies": intake.companies,
        "done": done,
        "countries": Country.objects.order_by("code"),
        "today": today().isoformat(),
    }
    return render(request, "intake/document.html", ctx)


@login_required
@require_POST
def intake_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    doc = IntakeDocument.objects.filter(pk=pk).first()
    if doc is None:
        raise Http404("文本不存在")
    key = request.POST.get("key", "")
    try:
        on = date.fromisoformat(request.POST["on"]) if request.POST.get("on") else None
        confirmation = proposal_confirm(
            document=doc, key=key, on=on, country=request.POST.get("country", ""), actor=request.user
        )
    except ValueError:
        messages.error(request, f"日期“{request.POST.get('on')}”格式不对，应为 YYYY-MM-DD")
    except ValidationError as exc:
        messages.error(request, first_message(exc))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已确认：{confirmation.summary} → {confirmation.result}")
    return redirect(reverse("intake:document", args=[doc.pk]))
