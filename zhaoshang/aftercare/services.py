"""Writes to the aftercare records. Each checks the actor's right on the enterprise's unit, validates, saves in one
transaction and leaves a history row; a refusal names the field and the value in Chinese and writes nothing."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from zhaoshang.accounts.permissions import ensure_can
from zhaoshang.common.audit import save_with_audit
from zhaoshang.common.clock import today
from zhaoshang.common.money import to_decimal
from zhaoshang.common.validation import refuse, required_text
from zhaoshang.leads import services as leads
from zhaoshang.leads.models import Source as LeadSource
from zhaoshang.projects import services as ps
from zhaoshang.projects.models import Enterprise, Industry, Investor, Project, ProjectKind, Stage
from zhaoshang.units.models import Unit

from .models import (
    EXPANSION_INTENTIONS,
    AnnualFigures,
    Intention,
    RequestCategory,
    RequestStatus,
    RosterEntry,
    Satisfaction,
    ServiceRequest,
    Visit,
)

MONEY_FIELDS = {
    "registered_capital": "注册资本",
    "total_investment": "投资总额",
    "revenue": "营业收入",
    "profit": "利润总额",
    "undistributed_profit": "未分配利润",
    "tax_paid": "纳税总额",
    "export_value": "出口额",
}
# A loss and accumulated losses are negative in an annual report; the other amounts cannot be.
SIGNED_FIELDS = {"profit", "undistributed_profit"}
UNIT_SCALES = {1: "元", 10_000: "万元"}
FIRST_YEAR = 2000


def _not_future(on: date, *, field: str, label: str) -> None:
    if on > today():
        raise refuse(field, label, on.isoformat(), f"晚于今天（{today().isoformat()}）")


# ---------------------------------------------------------------- the roster


@transaction.atomic
def roster_enroll(
    *,
    enterprise: Enterprise,
    actor: Any,
    investors: Iterable[Investor] = (),
    group: Investor | None = None,
    officer: Any = None,
    leader: str = "",
    enrolled_on: date | None = None,
    note: str = "",
) -> RosterEntry:
    """Put an enterprise of the registry on the roster (once)."""
    ensure_can(actor, "roster.write", enterprise.unit)
    if RosterEntry.objects.filter(enterprise=enterprise).exists():
        raise refuse("enterprise", "企业", enterprise.name, "已在存量外资企业名录中")
    _check_officer(officer, enterprise.unit)
    on = enrolled_on or today()
    _not_future(on, field="enrolled_on", label="列入名录日期")
    entry = RosterEntry(
        enterprise=enterprise, group=group, officer=officer, leader=(leader or "").strip(), enrolled_on=on, note=note
    )
    entry.full_clean()
    investor_list = list(investors)
    if investor_list:
        # Linked before the first save so that the one history row of the enrolment lists them.
        save_with_audit(entry, actor=actor, reason="列入存量外资企业名录")
        entry.skip_history_when_saving = True  # type: ignore[attr-defined]
        try:
            entry.investors.set(investor_list)
        finally:
            del entry.skip_history_when_saving  # type: ignore[attr-defined]
        save_with_audit(entry, actor=actor, reason="列入名录：外方投资者")
    else:
        save_with_audit(entry, actor=actor, reason="列入存量外资企业名录")
    return entry


@transaction.atomic
def roster_enroll_new(
    *,
    name: str,
    unit: Unit,
    actor: Any,
    credit_code: str | None = None,
    industry: Industry | None = None,
    established_on: date | None = None,
    **roster: Any,
) -> RosterEntry:
    """An enterprise the registry does not know yet (no project of ours): created as an existing enterprise of the
    registry through its service, then enrolled."""
    ensure_can(actor, "roster.write", unit)
    enterprise = ps.enterprise_create(
        name=name,
        unit=unit,
        credit_code=credit_code,
        industry=industry,
        is_new=False,
        established_on=established_on,
        actor=actor,
    )
    return roster_enroll(enterprise=enterprise, actor=actor, **roster)


ROSTER_EDITABLE = {"officer", "leader", "group", "note", "investors"}


@transaction.atomic
def roster_update(*, entry: RosterEntry, actor: Any, reason: str = "", **changes: Any) -> RosterEntry:
    ensure_can(actor, "roster.write", entry.enterprise.unit)
    unknown = set(changes) - ROSTER_EDITABLE
    if unknown:
        raise ValidationError({f: ["该字段不能在此修改"] for f in unknown})
    entry = RosterEntry.objects.select_for_update().select_related("enterprise__unit").get(pk=entry.pk)
    if "officer" in changes:
        _check_officer(changes["officer"], entry.enterprise.unit)
    investors = changes.pop("investors", None)
    for key, value in changes.items():
        setattr(entry, key, value.strip() if isinstance(value, str) else value)
    entry.full_clean()
    if investors is not None:
        entry.skip_history_when_saving = True  # type: ignore[attr-defined]
        try:
            entry.investors.set(list(investors))
        finally:
            del entry.skip_history_when_saving  # type: ignore[attr-defined]
    save_with_audit(entry, actor=actor, reason=reason or "修改名录信息")
    return entry


def _check_officer(officer: Any, unit: Unit) -> None:
    if officer is None:
        return
    if not officer.is_active:
        raise refuse("officer", "服务专员", officer.display_name, "的账号已停用")
    if officer.unit_id is not None and officer.unit_id != unit.pk:
        raise refuse("officer", "服务专员", officer.display_name, f"不属于{unit.name}，也不是市局人员")


# ---------------------------------------------------------------- annual figures


def clean_figure(field: str, value: object) -> Decimal | None:
    label = MONEY_FIELDS[field]
    if value is None or value == "":
        return None
    try:
        amount = to_decimal(value)
    except (ValueError, TypeError):
        raise refuse(field, label, value, "不是有效的金额") from None
    if not amount.is_finite() or abs(amount) >= Decimal("1e14"):
        raise refuse(field, label, value, "不是有效的金额")
    if amount < 0 and field not in SIGNED_FIELDS:
        raise refuse(field, label, value, "不能为负数")
    if amount.as_tuple().exponent < -6:  # type: ignore[operator]
        raise refuse(field, label, value, "最多保留六位小数")
    return amount


@transaction.atomic
def annual_figures_file(
    *,
    entry: RosterEntry,
    year: int,
    filed_on: date,
    actor: Any,
    currency: str = "CNY",
    unit_scale: int = 10_000,
    employees: int | None = None,
    source: str = "",
    **amounts: object,
) -> AnnualFigures:
    """Record (or correct) one year's annual-report figures, as reported: amounts in `unit_scale` × `currency`."""
    ensure_can(actor, "roster.write", entry.enterprise.unit)
    unknown = set(amounts) - set(MONEY_FIELDS)
    if unknown:
        raise ValidationError({f: ["不是年报数据的字段"] for f in unknown})
    if not isinstance(year, int) or not FIRST_YEAR <= year <= today().year:
        raise refuse("year", "年度", year, f"应在 {FIRST_YEAR} 年至 {today().year} 年之间")
    _not_future(filed_on, field="filed_on", label="报送日期")
    if filed_on < date(year + 1, 1, 1):
        raise refuse("filed_on", "报送日期", filed_on.isoformat(), f"早于{year}年度结束（年报在次年报送）")
    code = (currency or "").strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise refuse("currency", "币种", currency, "应为三位字母代码（ISO 4217），如 CNY、USD")
    if unit_scale not in UNIT_SCALES:
        raise refuse("unit_scale", "金额单位", unit_scale, "应为元（1）或万元（10000）")
    if employees is not None and (not isinstance(employees, int) or employees < 0):
        raise refuse("employees", "从业人员", employees, "应为不小于0的整数")
    cleaned = {f: clean_figure(f, amounts.get(f)) for f in MONEY_FIELDS}
    if all(v is None for v in cleaned.values()) and employees is None:
        raise refuse("revenue", "年报数据", "", "至少需要一项数据")
    figures = AnnualFigures.objects.select_for_update().filter(entry=entry, year=year).first()
    reason = f"报送{year}年度年报数据"
    if figures is None:
        figures = AnnualFigures(entry=entry, year=year)
    else:
        reason = f"更正{year}年度年报数据"
    figures.filed_on = filed_on
    figures.currency = code
    figures.unit_scale = unit_scale
    figures.employees = employees
    figures.source = source
    for f, v in cleaned.items():
        setattr(figures, f, v)
    figures.full_clean()
    save_with_audit(figures, actor=actor, reason=reason)
    return figures


# ---------------------------------------------------------------- visits


@transaction.atomic
def visit_log(
    *,
    entry: RosterEntry,
    on: date,
    met: str,
    learned: str,
    actor: Any,
    intention: str = Intention.NONE,
    intention_note: str = "",
    next_on: date | None = None,
    visitor: Any = None,
) -> Visit:
    ensure_can(actor, "visit.write", entry.enterprise.unit)
    met = required_text(met, field="met", label="会见对象")
    learned = required_text(learned, field="learned", label="了解情况")
    if intention not in Intention.values:
        raise refuse("intention", "企业意向", intention, f"不存在；应为{'、'.join(Intention.labels)}")
    _not_future(on, field="on", label="走访日期")
    if next_on is not None and next_on <= on:
        raise refuse("next_on", "下次走访日期", next_on.isoformat(), f"不晚于本次走访日期 {on.isoformat()}")
    visit = Visit(
        entry=entry,
        on=on,
        visitor=visitor or actor,
        met=met,
        learned=learned,
        intention=intention,
        intention_note=(intention_note or "").strip(),
        next_on=next_on,
    )
    visit.full_clean()
    save_with_audit(visit, actor=actor, reason="登记走访")
    return visit


CONVERT_KINDS = {"increase": ProjectKind.INCREASE, "reinvest": ProjectKind.REINVEST}


@transaction.atomic
def intention_convert(
    *,
    visit: Visit,
    kind: str,
    name: str,
    on: date,
    actor: Any,
    currency: str = "USD",
    rate_to_usd: object = 1,
    total_investment: object = 0,
    contract_foreign: object = 0,
) -> Project:
    """A recorded intention to expand becomes a 增资 or 利润再投资 project at 洽谈, linked to the enterprise and to the
    visit, in one step — through the same path as every lead: a lead (source 存量企业增资意向) is registered for the
    enterprise, so the 撞单 check runs on it, then the project, and the lead is marked converted to it."""
    entry = visit.entry
    unit = entry.enterprise.unit
    ensure_can(actor, "visit.write", unit)
    if visit.intention not in EXPANSION_INTENTIONS:
        raise refuse("intention", "企业意向", visit.get_intention_display(), "不是扩张意向，不能转为项目")
    if visit.project_id is not None:
        raise refuse("project", "走访", visit.on.isoformat(), f"的意向已转为项目 {visit.project.code}")  # type: ignore[union-attr]
    if kind not in CONVERT_KINDS:
        raise refuse("kind", "项目类型", kind, "应为增资（increase）或利润再投资（reinvest）")
    investors = list(entry.investors.all())
    if not investors:
        raise refuse("investors", "外方投资者", None, "名录中尚未登记该企业的外方投资者，请先补充")
    lead = leads.lead_create(
        company=entry.enterprise.name,
        source=LeadSource.EXISTING,
        actor=actor,
        received_on=visit.on,
        investor=investors[0],
        target_enterprise=entry.enterprise,
        industry=entry.enterprise.industry,
        intention=f"{visit.get_intention_display()} {visit.intention_note}".strip(),
        source_detail=f"{visit.on:%Y-%m-%d}走访：{visit.met}"[:200],
        unit=unit,
    )
    project = ps.project_create(
        unit=unit,
        name=name,
        kind=CONVERT_KINDS[kind],
        investors=investors,
        stage=Stage.NEGOTIATING,
        stage_on=on,
        currency=currency,
        rate_to_usd=rate_to_usd,
        total_investment=total_investment,
        contract_foreign=contract_foreign,
        enterprise=entry.enterprise,
        industry=entry.enterprise.industry,
        leader=entry.leader,
        officer=entry.officer,
        note=f"来自{visit.on:%Y-%m-%d}走访：{visit.get_intention_display()} {visit.intention_note}".strip(),
        actor=actor,
    )
    leads.lead_convert(lead=lead, project=project, actor=actor, on=max(on, visit.on))
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    visit.project = project
    save_with_audit(visit, actor=actor, reason=f"意向转为项目 {project.code}")
    return project


# ---------------------------------------------------------------- requests


@transaction.atomic
def request_open(
    *,
    entry: RosterEntry,
    category: str,
    description: str,
    department: str,
    received_on: date,
    deadline: date,
    actor: Any,
    visit: Visit | None = None,
) -> ServiceRequest:
    ensure_can(actor, "request.write", entry.enterprise.unit)
    if category not in RequestCategory.values:
        raise refuse("category", "诉求类别", category, f"不存在；应为{'、'.join(RequestCategory.labels)}")
    description = required_text(description, field="description", label="诉求内容")
    department = required_text(department, field="department", label="承办部门")
    _not_future(received_on, field="received_on", label="受理日期")
    if deadline < received_on:
        raise refuse("deadline", "办理时限", deadline.isoformat(), f"早于受理日期 {received_on.isoformat()}")
    if visit is not None and visit.entry_id != entry.pk:
        raise refuse("visit", "走访", visit.on.isoformat(), "不是该企业的走访")
    request = ServiceRequest(
        entry=entry,
        visit=visit,
        category=category,
        description=description,
        department=department,
        received_on=received_on,
        deadline=deadline,
    )
    request.full_clean()
    save_with_audit(request, actor=actor, reason="受理企业诉求")
    return request


def _locked_open(request: ServiceRequest, actor: Any, on: date) -> ServiceRequest:
    ensure_can(actor, "request.write", request.entry.enterprise.unit)
    request = ServiceRequest.objects.select_for_update().get(pk=request.pk)
    if request.status not in (RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS):
        raise refuse("status", "诉求", request.get_status_display(), "已结束，不能再变更状态")
    _not_future(on, field="on", label="日期")
    if on < request.received_on:
        raise refuse("on", "日期", on.isoformat(), f"早于受理日期 {request.received_on.isoformat()}")
    return request


@transaction.atomic
def request_start(*, request: ServiceRequest, on: date, actor: Any) -> ServiceRequest:
    """受理 → 办理中."""
    request = _locked_open(request, actor, on)
    if request.status != RequestStatus.RECEIVED:
        raise refuse("status", "诉求", request.get_status_display(), "已在办理中")
    request.status = RequestStatus.IN_PROGRESS
    request.started_on = on
    save_with_audit(request, actor=actor, reason="开始办理")
    return request


@transaction.atomic
def request_close(
    *, request: ServiceRequest, on: date, answer: str, actor: Any, satisfaction: str = ""
) -> ServiceRequest:
    """受理 or 办理中 → 已办结, with the answer and, when given, the enterprise's satisfaction."""
    request = _locked_open(request, actor, on)
    answer = required_text(answer, field="answer", label="办理结果")
    if satisfaction and satisfaction not in Satisfaction.values:
        raise refuse("satisfaction", "企业满意度", satisfaction, f"应为{'、'.join(Satisfaction.labels)}")
    request.status = RequestStatus.SOLVED
    request.started_on = request.started_on or on
    request.closed_on = on
    request.answer = answer
    request.satisfaction = satisfaction
    save_with_audit(request, actor=actor, reason="办结")
    return request


@transaction.atomic
def request_unsolvable(
    *, request: ServiceRequest, on: date, reason: str, actor: Any, satisfaction: str = ""
) -> ServiceRequest:
    """受理 or 办理中 → 无法解决, with the reason."""
    request = _locked_open(request, actor, on)
    reason = required_text(reason, field="reason", label="无法解决原因")
    if satisfaction and satisfaction not in Satisfaction.values:
        raise refuse("satisfaction", "企业满意度", satisfaction, f"应为{'、'.join(Satisfaction.labels)}")
    request.status = RequestStatus.UNSOLVABLE
    request.closed_on = on
    request.reason = reason
    request.satisfaction = satisfaction
    save_with_audit(request, actor=actor, reason="无法解决")
    return request
