"""Writes for leads and conflicts (撞单). Each validates first, saves in one transaction and leaves an audit entry.

A lead is 新线索 until the city assigns it to a unit (a unit's own lead is assigned to it at once), 已联系 from its
first contact, and ends 转为项目 (linked to the project) or 放弃 (with the reason). Every write that opens or moves a
lead, and every project write that the desk, the API or an import makes, runs `conflicts_scan`, which flags two units
holding the same investor group for the same industry (or the same target enterprise) as soon as the second appears.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhaoshang.accounts.models import Role
from zhaoshang.accounts.permissions import ensure_can
from zhaoshang.common.audit import save_with_audit
from zhaoshang.common.clock import today
from zhaoshang.common.money import to_usd
from zhaoshang.common.validation import refuse, required_text
from zhaoshang.projects.models import Enterprise, Industry, Investor, Project, Stage
from zhaoshang.units.models import Unit

from .models import OPEN_STATUSES, Conflict, CreditShare, Lead, LeadConfig, Source, Status
from .names import core_name

ONE = Decimal(1)


# ---------------------------------------------------------------------------------------------- working days


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days (Monday to Friday) after `start`."""
    d = start
    left = days
    while left > 0:
        d += timedelta(days=1)
        if d.weekday() < 5:
            left -= 1
    return d


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when end is not after start)."""
    n = 0
    d = start
    while d < end:
        d += timedelta(days=1)
        if d.weekday() < 5:
            n += 1
    return n


def _respond_by(lead: Lead) -> date:
    return add_working_days(lead.assigned_on or lead.received_on, LeadConfig.get().response_working_days)


@transaction.atomic
def lead_config_set(*, response_working_days: int, escalate_after_working_days: int = 0, actor: Any) -> LeadConfig:
    """Change the response rule; open leads that have not been contacted get the new deadline."""
    ensure_can(actor, "lead.assign")
    for value, field, label in (
        (response_working_days, "response_working_days", "首次联系时限"),
        (escalate_after_working_days, "escalate_after_working_days", "逾期上报天数"),
    ):
        if not isinstance(value, int) or value < 0 or value > 60 or (field == "response_working_days" and value < 1):
            raise refuse(field, label, value, "应为1至60之间的整数（工作日）")
    config = LeadConfig.get()
    config.response_working_days = response_working_days
    config.escalate_after_working_days = escalate_after_working_days
    save_with_audit(config, actor=actor, reason="修改线索响应规则")
    for lead in Lead.objects.filter(status__in=[Status.NEW, Status.ASSIGNED]):
        deadline = _respond_by(lead)
        if deadline != lead.respond_by:
            lead.respond_by = deadline
            save_with_audit(lead, actor=actor, reason="线索响应规则修改后重算时限")
    return config


# ---------------------------------------------------------------------------------------------- leads


def _next_code(year: int) -> str:
    prefix = f"XS{year}-"
    last = Lead.objects.filter(code__startswith=prefix).order_by("-code").values_list("code", flat=True).first()
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{seq:04d}"


def _clean_amount(amount: object, currency: str, rate_to_usd: object) -> tuple[str, Decimal | None, Decimal | None]:
    if amount in (None, ""):
        return "", None, None
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        raise refuse("amount", "意向金额", amount, "不是有效的金额") from None
    if not value.is_finite() or value < 0 or value >= Decimal(10) ** 15:
        raise refuse("amount", "意向金额", amount, "不是有效的金额（应为0至10¹⁵之间的数）")
    code = (currency or "USD").strip().upper()
    if not code.isascii() or not code.isalpha() or len(code) != 3:
        raise refuse("currency", "币种", currency, "应为三位字母代码（ISO 4217），如 USD、EUR、CNY")
    if code == "USD":
        return code, value.quantize(Decimal("0.01")), value.quantize(Decimal("0.01"))
    if rate_to_usd in (None, ""):
        return code, value.quantize(Decimal("0.01")), None
    try:
        rate = Decimal(str(rate_to_usd))
    except InvalidOperation:
        raise refuse("rate_to_usd", "折美元汇率", rate_to_usd, "不是有效的数字") from None
    if not rate.is_finite() or rate <= 0 or rate > 10**4:
        raise refuse("rate_to_usd", "折美元汇率", rate_to_usd, "应大于0且不超过10000")
    return code, value.quantize(Decimal("0.01")), to_usd(value, rate)


def _own_unit(actor: Any, unit: Unit | None) -> Unit | None:
    """Unit staff register leads for their own unit; the city may leave a lead unassigned."""
    if unit is None and getattr(actor, "role", None) == Role.UNIT_STAFF and not actor.is_superuser:
        return actor.unit
    return unit


@transaction.atomic
def lead_create(
    *,
    company: str,
    source: str,
    actor: Any,
    received_on: date | None = None,
    group: str = "",
    investor: Investor | None = None,
    target_enterprise: Enterprise | None = None,
    industry: Industry | None = None,
    intention: str = "",
    amount: object = None,
    currency: str = "USD",
    rate_to_usd: object = None,
    source_detail: str = "",
    unit: Unit | None = None,
    officer: Any = None,
) -> Lead:
    """Register a lead. Given a unit it starts 已分派 to that unit (unit staff: always their own); without one it
    waits for the city's assignment. Runs the conflict scan before it returns."""
    unit = _own_unit(actor, unit)
    if unit is not None:
        ensure_can(actor, "lead.write", unit)
    else:
        ensure_can(actor, "lead.assign")
    company = required_text(company, field="company", label="企业名称")
    if len(company) > 128:
        raise refuse("company", "企业名称", company[:20] + "…", "超过128个字符")
    if source not in Source.values:
        raise refuse("source", "来源", source, "不存在；应为" + "、".join(Source.labels))
    received_on = received_on or today()
    if received_on > today():
        raise refuse("received_on", "收到日期", received_on.isoformat(), f"晚于今天（{today().isoformat()}）")
    if investor is None:
        investor = Investor.objects.filter(name=company).first()
    code, value, usd = _clean_amount(amount, currency, rate_to_usd)
    lead = Lead(
        code=_next_code(received_on.year),
        company=company,
        group=(group or "").strip()[:128],
        investor=investor,
        target_enterprise=target_enterprise,
        industry=industry,
        intention=(intention or "").strip(),
        currency=code,
        amount=value,
        amount_usd=usd,
        source=source,
        source_detail=(source_detail or "").strip()[:300],
        unit=unit,
        officer=officer,
        received_on=received_on,
        assigned_on=received_on if unit is not None else None,
        status=Status.ASSIGNED if unit is not None else Status.NEW,
        created_by=actor,
    )
    lead.respond_by = _respond_by(lead)
    lead.full_clean()
    save_with_audit(lead, actor=actor, reason=f"登记线索（{Source(source).label}）")
    conflicts_scan(actor=actor)
    return lead


def _locked(lead: Lead) -> Lead:
    return Lead.objects.select_for_update().get(pk=lead.pk)


def _not_closed(lead: Lead) -> None:
    if not lead.is_open:
        raise refuse("status", "线索", lead.code, f"已{lead.get_status_display()}，不能再修改")


@transaction.atomic
def lead_assign(*, lead: Lead, unit: Unit, actor: Any, officer: Any = None, on: date | None = None) -> Lead:
    """The city assigns (or reassigns) a lead to a unit; the response deadline runs from the assignment."""
    ensure_can(actor, "lead.assign")
    lead = _locked(lead)
    _not_closed(lead)
    on = on or today()
    if on < lead.received_on or on > today():
        raise refuse(
            "assigned_on", "分派日期", on.isoformat(), f"应在收到日期 {lead.received_on.isoformat()} 与今天之间"
        )
    before = lead.unit.short_name if lead.unit else "未分派"
    lead.unit = unit
    lead.officer = officer
    lead.assigned_on = on
    if lead.status == Status.NEW:
        lead.status = Status.ASSIGNED
    lead.respond_by = _respond_by(lead)
    lead.escalated_on = None
    save_with_audit(lead, actor=actor, reason=f"分派线索：{before} → {unit.short_name}")
    conflicts_scan(actor=actor)
    return lead


@transaction.atomic
def lead_contact(*, lead: Lead, actor: Any, on: date | None = None, note: str = "") -> Lead:
    """The assigned unit's first contact with the company: the response clock stops."""
    if lead.unit is None:
        raise refuse("unit", "线索", lead.code, "尚未分派，不能登记联系")
    ensure_can(actor, "lead.write", lead.unit)
    lead = _locked(lead)
    _not_closed(lead)
    on = on or today()
    if on < lead.received_on or on > today():
        raise refuse("first_contact_on", "首次联系日期", on.isoformat(), "应在收到日期与今天之间")
    if lead.first_contact_on is None:
        lead.first_contact_on = on
    lead.status = Status.CONTACTED
    save_with_audit(lead, actor=actor, reason=f"首次联系{('：' + note) if note else ''}"[:100])
    return lead


@transaction.atomic
def lead_convert(*, lead: Lead, project: Project, actor: Any, on: date | None = None) -> Lead:
    """The lead became a project of its unit: the link is kept (conversion by source, time to first contact)."""
    if lead.unit is None:
        raise refuse("unit", "线索", lead.code, "尚未分派，不能转为项目")
    ensure_can(actor, "lead.write", lead.unit)
    lead = _locked(lead)
    _not_closed(lead)
    if project.unit_id != lead.unit_id:
        raise refuse("project", "项目", project.code, f"不属于线索的分派单位{lead.unit.name if lead.unit else ''}")
    if Lead.objects.filter(project=project).exclude(pk=lead.pk).exists():
        raise refuse("project", "项目", project.code, "已由另一条线索转化")
    on = on or today()
    if on < lead.received_on or on > today():
        raise refuse("closed_on", "转化日期", on.isoformat(), "应在收到日期与今天之间")
    lead.project = project
    lead.status = Status.CONVERTED
    lead.closed_on = on
    if lead.first_contact_on is None:
        lead.first_contact_on = lead.closed_on
    save_with_audit(lead, actor=actor, reason=f"转为项目 {project.code}")
    for share in CreditShare.objects.filter(project__isnull=True, conflict__in=_conflicts_of_lead(lead)):
        share.project = project
        save_with_audit(share, actor=actor, reason=f"线索转为项目 {project.code}，联合招引分计比例随之生效")
    conflicts_scan(actor=actor)
    return lead


def _conflicts_of_lead(lead: Lead) -> list[Conflict]:
    return list(Conflict.objects.filter(decision=Conflict.Decision.JOINT).filter(lead_a=lead)) + list(
        Conflict.objects.filter(decision=Conflict.Decision.JOINT).filter(lead_b=lead)
    )


@transaction.atomic
def lead_abandon(*, lead: Lead, reason: str, actor: Any, on: date | None = None) -> Lead:
    if lead.unit is not None:
        ensure_can(actor, "lead.write", lead.unit)
    else:
        ensure_can(actor, "lead.assign")
    reason = required_text(reason, field="abandon_reason", label="放弃原因")
    lead = _locked(lead)
    _not_closed(lead)
    on = on or today()
    if on < lead.received_on or on > today():
        raise refuse("closed_on", "放弃日期", on.isoformat(), "应在收到日期与今天之间")
    lead.status = Status.ABANDONED
    lead.abandon_reason = reason[:200]
    lead.closed_on = on
    save_with_audit(lead, actor=actor, reason=f"放弃：{reason}"[:100])
    return lead


@transaction.atomic
def leads_escalate(*, actor: Any, on: date | None = None) -> list[Lead]:
    """Stamp the leads whose first contact is overdue beyond the rule's grace: they go to the city's 我的待办."""
    ensure_can(actor, "lead.assign")
    on = on or today()
    grace = LeadConfig.get().escalate_after_working_days
    done = []
    for lead in Lead.objects.select_for_update().filter(
        status__in=[Status.NEW, Status.ASSIGNED], escalated_on__isnull=True, respond_by__lt=on
    ):
        if working_days_between(lead.respond_by, on) > grace:
            lead.escalated_on = on
            save_with_audit(lead, actor=actor, reason=f"首次联系逾期（时限 {lead.respond_by.isoformat()}），上报市局")
            done.append(lead)
    return done


# ---------------------------------------------------------------------------------------------- conflicts


@dataclass(frozen=True)
class Holding:
    """One open lead or project of a unit, with the keys it could collide on."""

    unit_id: int
    keys: tuple[str, ...]
    division: str  # the industry's 2-digit division, "" when unknown
    label: str
    lead_id: int | None = None
    project_id: int | None = None


def investor_group_key(investor: Investor) -> str:
    """The trade name of the investor's ultimate group: subsidiaries of one group share it."""
    seen = set()
    root = investor
    while root.parent_id is not None and root.pk not in seen:
        seen.add(root.pk)
        root = root.parent  # type: ignore[assignment]
    return core_name(root.name) or core_name(root.name_en)


def _division(industry: Industry | None) -> str:
    if industry is None or not industry.code[:2].isdigit():
        return ""
    return industry.code[:2]


def _lead_holding(lead: Lead) -> Holding | None:
    if lead.unit_id is None:
        return None
    keys = []
    if lead.investor is not None:
        keys.append("group:" + investor_group_key(lead.investor))
    for name in (lead.group, lead.company):
        if name and core_name(name):
            keys.append("group:" + core_name(name))
    if lead.target_enterprise_id:
        keys.append(f"enterprise:{lead.target_enterprise_id}")
    return Holding(
        lead.unit_id,
        tuple(dict.fromkeys(keys)),
        _division(lead.industry),
        f"线索 {lead.code} {lead.company}",
        lead_id=lead.pk,
    )


def _project_holding(project: Project) -> Holding:
    keys = ["group:" + investor_group_key(inv) for inv in project.investors.all()]
    if project.enterprise_id and project.kind != "new":
        keys.append(f"enterprise:{project.enterprise_id}")
    return Holding(
        project.unit_id,
        tuple(dict.fromkeys(k for k in keys if k != "group:")),
        _division(project.industry),
        f"项目 {project.code} {project.name}",
        project_id=project.pk,
    )


def open_holdings() -> list[Holding]:
    """Every unit's open leads and its projects at 洽谈 or 签约."""
    out = []
    for lead in Lead.objects.filter(status__in=OPEN_STATUSES, unit__isnull=False).select_related(
        "investor", "investor__parent", "industry"
    ):
        h = _lead_holding(lead)
        if h is not None and h.keys:
            out.append(h)
    for project in (
        Project.objects.filter(stage__in=[Stage.NEGOTIATING, Stage.SIGNED])
        .prefetch_related("investors", "investors__parent")
        .select_related("industry")
    ):
        out.append(_project_holding(project))
    # A converted lead's project stands for it; the lead is closed, so nothing is counted twice.
    return out


def _collides(a: Holding, b: Holding) -> str | None:
    if a.unit_id == b.unit_id:
        return None
    common = [k for k in a.keys if k in b.keys]
    for key in common:
        if key.startswith("enterprise:"):
            return key
    for key in common:
        if not a.division or not b.division or a.division == b.division:
            return key
    return None


def _pair_key(key: str, a: Holding, b: Holding) -> str:
    lo, hi = sorted([a.unit_id, b.unit_id])
    return f"{key}|{lo}|{hi}"


def conflicts_scan(*, actor: Any) -> list[Conflict]:
    """Flag every pair of units holding the same group (same or unknown industry) or the same target enterprise.

    A pair already flagged for the same key — open or decided — is not flagged again, so a decision stands; the
    scan is idempotent and cheap (open holdings only)."""
    holdings = open_holdings()
    by_key: dict[str, list[Holding]] = {}
    for h in holdings:
        for k in h.keys:
            by_key.setdefault(k, []).append(h)
    known = set(Conflict.objects.values_list("key", flat=True))
    found: list[Conflict] = []
    units = {u.pk: u for u in Unit.objects.all()}
    for key, group in by_key.items():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                hit = _collides(a, b)
                if hit != key:
                    continue
                pair = _pair_key(key, a, b)
                if pair in known:
                    continue
                known.add(pair)
                first, second = sorted([a, b], key=lambda h: units[h.unit_id].sort_order * 100000 + h.unit_id)
                subject = key.split(":", 1)[1]
                if key.startswith("enterprise:"):
                    ent = Enterprise.objects.filter(pk=int(subject)).first()
                    subject = ent.name if ent else subject
                    basis = "同一目标企业"
                else:
                    basis = "同一投资方（集团）" + ("、同一行业" if a.division and a.division == b.division else "")
                conflict = Conflict(
                    key=pair,
                    subject=subject[:200],
                    basis=f"{basis}：{first.label}；{second.label}"[:200],
                    unit_a_id=first.unit_id,
                    unit_b_id=second.unit_id,
                    lead_a_id=first.lead_id,
                    lead_b_id=second.lead_id,
                    project_a_id=first.project_id,
                    project_b_id=second.project_id,
                    found_at=timezone.now(),
                )
                save_with_audit(conflict, actor=actor, reason="发现撞单")
                found.append(conflict)
    return found


@transaction.atomic
def conflict_decide(
    *,
    conflict: Conflict,
    decision: str,
    reason: str,
    actor: Any,
    unit: Unit | None = None,
    shares: Mapping[Unit, object] | Iterable[tuple[Unit, object]] | None = None,
    project: Project | None = None,
) -> Conflict:
    """The city's decision, audited: assign to one unit, not a conflict, or a joint project with credit shares."""
    ensure_can(actor, "conflict.decide")
    conflict = Conflict.objects.select_for_update().get(pk=conflict.pk)
    if conflict.state == Conflict.State.DECIDED:
        raise refuse("state", "撞单", conflict.subject, f"已于{timezone.localtime(conflict.decided_at):%Y-%m-%d}裁定")  # type: ignore[arg-type]
    if decision not in Conflict.Decision.values:
        raise refuse("decision", "裁定", decision, "不存在；应为归属一方、不构成撞单或联合招引")
    reason = required_text(reason, field="reason", label="裁定理由")
    sides = {conflict.unit_a_id, conflict.unit_b_id}
    conflict.decided_unit = None
    parsed: list[tuple[Unit, Decimal]] = []
    if decision == Conflict.Decision.ASSIGN:
        if unit is None:
            raise refuse("unit", "归属单位", None, "应为撞单双方之一")
        if unit.pk not in sides:
            raise refuse("unit", "归属单位", unit.name, "应为撞单双方之一")
        conflict.decided_unit = unit
    elif decision == Conflict.Decision.JOINT:
        items = list(shares.items()) if isinstance(shares, Mapping) else list(shares or [])
        for u, raw in items:
            try:
                value = Decimal(str(raw))
            except InvalidOperation:
                raise refuse("shares", f"{u.short_name}分计比例", raw, "不是有效的数字") from None
            if not value.is_finite():
                raise refuse("shares", f"{u.short_name}分计比例", raw, "不是有效的数字")
            if value > 1 and value <= 100:
                value = value / 100  # given in per cent
            if value <= 0 or value >= 1:
                raise refuse("shares", f"{u.short_name}分计比例", raw, "应在0与1之间（或0%与100%之间）")
            parsed.append((u, value.quantize(Decimal("0.0001"))))
        if {u.pk for u, _ in parsed} != sides or len(parsed) != 2:
            raise refuse("shares", "分计比例", "、".join(u.short_name for u, _ in parsed), "应列出撞单双方各一个比例")
        if sum(v for _, v in parsed) != ONE:
            raise refuse("shares", "分计比例之和", sum(v for _, v in parsed), "应为1（100%）")
        candidates = [p for p in (conflict.project_a, conflict.project_b) if p is not None]
        if project is None and len(candidates) == 1:
            project = candidates[0]
        if project is None and len(candidates) > 1:
            raise refuse("project", "联合招引项目", None, "双方都有项目，请指明按比例分计的项目")
        if project is not None and project.pk not in {p.pk for p in candidates}:
            raise refuse("project", "联合招引项目", project.code, "不是撞单中的项目")
        if project is not None and CreditShare.objects.filter(project=project).exists():
            raise refuse("project", "联合招引项目", project.code, "已有分计比例")
    conflict.decision = decision
    conflict.reason = reason[:300]
    conflict.state = Conflict.State.DECIDED
    conflict.decided_by = actor
    conflict.decided_at = timezone.now()
    label = Conflict.Decision(decision).label
    save_with_audit(conflict, actor=actor, reason=f"裁定撞单：{label}（{reason}）"[:100])
    for u, value in parsed:
        share = CreditShare(conflict=conflict, project=project, unit=u, share=value)
        share.full_clean()
        save_with_audit(share, actor=actor, reason=f"联合招引：{u.short_name}分计{value:.2%}")
    return conflict
