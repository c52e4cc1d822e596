"""Writes of the intake: keeping a text, and confirming one proposal through the service that owns the record
(a stage claim through projects, a lead through leads, a chain target through chains). A proposal is recomputed
from the kept text at confirmation, so nothing the browser sends is trusted, and each is confirmed at most once."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction

from zhaoshang.accounts.permissions import ensure_can
from zhaoshang.chains import services as chain_services
from zhaoshang.chains.models import ChainLink
from zhaoshang.common.validation import refuse, required_text
from zhaoshang.leads import services as lead_services
from zhaoshang.leads.models import Source
from zhaoshang.projects import services as project_services
from zhaoshang.projects.models import Country, Investor, Project
from zhaoshang.units.models import Unit

from .models import IntakeConfirmation, IntakeDocument
from .proposals import analyse

MAX_CHARS = 2_000_000


def intake_document_create(*, title: str, text: str, actor: Any) -> IntakeDocument:
    """Keep a text so its proposals can be confirmed one by one (any writer may submit one)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        ensure_can(actor, "lead.write")
    text = required_text(text, field="text", label="文本")
    if len(text) > MAX_CHARS:
        raise refuse("text", "文本", f"{len(text)}字", "过长（最多200万字）")
    doc = IntakeDocument(title=(title or "粘贴文本").strip()[:200], text=text, uploaded_by=actor)
    doc.save()
    return doc


@transaction.atomic
def proposal_confirm(
    *, document: IntakeDocument, key: str, actor: Any, on: date | None = None, country: str = ""
) -> IntakeConfirmation:
    """Carry out one proposal, with the actor's rights on the record it touches."""
    if IntakeConfirmation.objects.filter(document=document, proposal_key=key).exists():
        raise refuse("key", "建议", key, "已确认过")
    intake = analyse(document.text, title=document.title)
    proposal = next((p for p in intake.proposals if p.key == key), None)
    if proposal is None or not proposal.writes:
        raise refuse("key", "建议", key, "不存在或无需写入（文本或项目库已变化，请重新识别）")
    data = proposal.payload
    if proposal.kind == "stage":
        project = Project.objects.get(pk=data["project"])
        if on is None:
            raise refuse("on", "阶段日期", None, "不能为空：请填写达到该阶段的日期")
        project_services.project_advance_stage(
            project=project, to_stage=data["stage"], on=on, actor=actor, note=f"据文本识别：{document.title}"[:200]
        )
        result = f"项目 {project.code} 推进至 {data['stage']}"
    elif proposal.kind == "lead":
        unit = Unit.objects.filter(code=data["unit"]).first() if data.get("unit") else None
        lead = lead_services.lead_create(
            company=data["company"],
            source=Source.NEWS,
            actor=actor,
            received_on=on,
            investor=Investor.objects.filter(pk=data["investor"]).first() if data.get("investor") else None,
            intention=data["intention"],
            amount=data.get("amount"),
            currency=data.get("currency") or "USD",
            source_detail=data.get("source_detail") or document.title,
            unit=unit,
        )
        result = f"线索 {lead.code}"
    else:
        code = (data.get("country") or country or "").strip().upper()
        found = Country.objects.filter(code=code).first()
        if found is None:
            raise refuse("country", "国别（地区）代码", code, "不存在；请选择目标企业的国别")
        target = chain_services.target_add(
            link=ChainLink.objects.get(pk=data["link"]),
            name=data["name"],
            country=found,
            actor=actor,
            note=f"据文本识别：{document.title}"[:200],
        )
        result = f"产业链目标 {target}"
    try:
        with transaction.atomic():
            confirmation = IntakeConfirmation.objects.create(
                document=document,
                proposal_key=key,
                kind=proposal.kind,
                summary=proposal.title[:300],
                result=result[:300],
                confirmed_by=actor,
            )
    except IntegrityError:
        raise refuse("key", "建议", key, "已确认过") from None
    return confirmation
