"""Writes to the registry. Each validates first, saves in one transaction and leaves an audit entry."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength

from zhaoshang.accounts.permissions import ensure_can
from zhaoshang.common import credit_code
from zhaoshang.common.audit import delete_with_audit, save_with_audit
from zhaoshang.common.clock import today
from zhaoshang.common.locks import figures_write_lock
from zhaoshang.common.money import to_decimal, to_usd
from zhaoshang.common.periods import month_start
from zhaoshang.common.validation import first_message, refuse, required_text
from zhaoshang.units.models import Unit

from . import closing, gates, verification
from .evidence import evidence_link_event
from .models import (
    STAGE_ORDER,
    ArrivalKind,
    CapitalArrival,
    Country,
    Enterprise,
    FocusIndustry,
    FollowUp,
    Fortune500Entry,
    Fortune500List,
    Industry,
    Investor,
    Project,
    ProjectKind,
    ProjectStageEvent,
    ProjectStatus,
    ProjectStatusEvent,
    Stage,
    StallObstacle,
    Verification,
    stage_index,
)

# ---------------------------------------------------------------- shared checks


def clean_credit_code(value: str | None, *, field: str = "credit_code") -> str | None:
    """GB 32100 unified social credit code (full-width and spaces folded, letter authorities such as Y allowed),
    validated by its check character; None when blank."""
    if value is None or not str(value).strip():
        return None
    raw = str(value).strip()
    try:
        return credit_code.validate(raw)
    except InvalidChecksum:
        raise refuse(field, "统一社会信用代码", raw, "的校验位不正确（GB 32100）") from None
    except InvalidLength:
        raise refuse(field, "统一社会信用代码", raw, "应为18位") from None
    except (InvalidFormat, InvalidComponent):
        raise refuse(field, "统一社会信用代码", raw, "含有不允许的字符（GB 32100）") from None


def clean_money(value: object, *, field: str, label: str, allow_zero: bool = True) -> Decimal:
    try:
        amount = to_decimal(value)
    except (ValueError, TypeError):
        raise refuse(field, label, value, "不是有效的金额") from None
    if not amount.is_finite():
        raise refuse(field, label, value, "不是有效的金额")
    if amount < 0:
        raise refuse(field, label, value, "不能为负数")
    if amount == 0 and not allow_zero:
        raise refuse(field, label, value, "必须大于0")
    if amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise refuse(field, label, value, "最多保留两位小数")
    return amount


def clean_rate(currency: str, rate: object, *, field: str = "rate_to_usd") -> tuple[str, Decimal]:
    code = (currency or "").strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise refuse("currency", "币种", currency, "应为三位字母代码（ISO 4217），如 USD、EUR、JPY")
    try:
        value = to_decimal(rate)
    except (ValueError, TypeError):
        raise refuse(field, "折美元汇率", rate, "不是有效的数字") from None
    if not value.is_finite() or value <= 0:
        raise refuse(field, "折美元汇率", rate, "必须大于0")
    if code == "USD" and value != 1:
        raise refuse(field, "折美元汇率", rate, "对美元项目必须为1")
    return code, value


def _not_future(on: date, *, field: str, label: str) -> None:
    if on > today():
        raise refuse(field, label, on.isoformat(), f"晚于今天（{today().isoformat()}）")


# ---------------------------------------------------------------- reference data


def country_upsert(*, code: str, name: str, name_en: str = "", is_hmt: bool = False, actor: Any) -> Country:
    ensure_can(actor, "country.write")
    country, _ = Country.objects.update_or_create(
        code=code.upper(), defaults={"name": name, "name_en": name_en, "is_hmt": is_hmt}
    )
    return country


# GB/T 4754-2017: the divisions (2-digit codes) that make up each section.
SECTION_DIVISIONS = {
    "A": (1, 5),
    "B": (6, 12),
    "C": (13, 43),
    "D": (44, 46),
    "E": (47, 50),
    "F": (51, 52),
    "G": (53, 60),
    "H": (61, 62),
    "I": (63, 65),
    "J": (66, 69),
    "K": (70, 70),
    "L": (71, 72),
    "M": (73, 75),
    "N": (76, 79),
    "O": (80, 82),
    "P": (83, 83),
    "Q": (84, 85),
    "R": (86, 90),
    "S": (91, 97),
    "T": (98, 98),
}


def industry_section(code: str) -> str | None:
    if code.isalpha():
        return code
    division = int(code[:2])
    for letter, (lo, hi) in SECTION_DIVISIONS.items():
        if lo <= division <= hi:
            return letter
    return None


def industry_upsert(*, code: str, name: str, actor: Any) -> Industry:
    ensure_can(actor, "industry.write")
    code = code.strip().upper()
    section = industry_section(code) if re.fullmatch(r"[A-T]|\d{2,4}", code) else None
    if section is None:
        raise refuse("code", "行业代码", code, "不是 GB/T 4754-2017 的代码（门类字母或2至4位数字）")
    level = Industry.level_for(code)
    parent_code = None if level == Industry.Level.SECTION else section if len(code) == 2 else code[:-1]
    parent = Industry.objects.filter(code=parent_code).first() if parent_code else None
    if parent is None and level == Industry.Level.CLASS:
        # A group with a single class is printed on one line in the standard (2130 with no 213 row): the class
        # then hangs from its division.
        parent = Industry.objects.filter(code=code[:2]).first()
    industry, _ = Industry.objects.update_or_create(
        code=code, defaults={"name": name.strip(), "level": level, "parent": parent, "section": section}
    )
    return industry


def focus_industry_upsert(*, slug: str, name: str, sort_order: int = 0, actor: Any) -> FocusIndustry:
    ensure_can(actor, "focus_industry.write")
    tag, _ = FocusIndustry.objects.update_or_create(slug=slug, defaults={"name": name, "sort_order": sort_order})
    return tag


def name_key(name: str) -> str:
    """Matching key for company names: case, punctuation and legal-form noise removed."""
    s = name.casefold().replace("&", " and ")
    s = re.sub(r"[^\w]+", " ", s)
    return " ".join(s.split())


@transaction.atomic
def fortune500_list_load(
    *, year: int, published_on: date, entries: Iterable[dict[str, Any]], actor: Any
) -> tuple[Fortune500List, int]:
    """Make one year's list exactly the given entries and link each to a known investor of the same name.

    A reload compares with the list in the database: companies that left it are deleted, changed ones updated and
    new ones added, each with a history row naming the actor, so what a reload changed can be read back."""
    ensure_can(actor, "fortune500.load")
    listing = Fortune500List.objects.filter(year=year).first()
    reason = f"导入{year}年世界500强榜单"
    if listing is None:
        listing = Fortune500List(year=year, published_on=published_on)
        save_with_audit(listing, actor=actor, reason=reason)
    elif listing.published_on != published_on:
        before = listing.published_on
        listing.published_on = published_on
        save_with_audit(listing, actor=actor, reason=f"{reason}（发布日期原为 {before.isoformat()}）")
    by_key: dict[str, Investor] = {}
    for inv in Investor.objects.exclude(name_en=""):
        by_key.setdefault(name_key(inv.name_en), inv)
    existing = {e.name_key: e for e in listing.entries.all()}
    wanted: dict[str, dict[str, Any]] = {}
    for e in entries:
        key = name_key(e["name"])
        if key in wanted:
            raise refuse("name", f"第{e.get('row', '?')}行 公司名称", e["name"], f"在{year}年榜单中重复")
        investor = by_key.get(key)
        wanted[key] = {
            "rank": e.get("rank"),
            "name": e["name"],
            "country": e.get("country", ""),
            "revenue_musd": e.get("revenue_musd"),
            "investor_id": investor.pk if investor is not None else None,
        }
    for key, entry in existing.items():
        if key not in wanted:
            delete_with_audit(entry, actor=actor, reason=f"{reason}：新榜单中已无此公司")
    for key, values in wanted.items():
        entry = existing.get(key) or Fortune500Entry(listing=listing, name_key=key)
        if entry.pk is not None and all(getattr(entry, f) == v for f, v in values.items()):
            continue
        for f, v in values.items():
            setattr(entry, f, v)
        save_with_audit(entry, actor=actor, reason=reason)
    return listing, len(wanted)


# ---------------------------------------------------------------- investors and enterprises


@transaction.atomic
def investor_create(
    *,
    name: str,
    country: Country,
    name_en: str = "",
    parent: Investor | None = None,
    note: str = "",
    actor: Any,
) -> Investor:
    ensure_can(actor, "investor.write")
    name = required_text(name, field="name", label="投资方名称")
    if Investor.objects.filter(name=name).exists():
        raise refuse("name", "投资方名称", name, "已存在")
    investor = Investor(name=name, name_en=(name_en or "").strip(), country=country, parent=parent, note=note)
    investor.full_clean()
    save_with_audit(investor, actor=actor, reason="新建投资方")
    if investor.name_en:
        # Linking a list entry to the investor moves the Fortune Global 500 figure: each link is kept in history.
        for entry in Fortune500Entry.objects.filter(name_key=name_key(investor.name_en), investor__isnull=True):
            entry.investor = investor
            save_with_audit(entry, actor=actor, reason=f"世界500强榜单关联投资方“{investor.name}”")
    return investor


@transaction.atomic
def enterprise_create(
    *,
    name: str,
    unit: Unit,
    credit_code: str | None = None,
    industry: Industry | None = None,
    is_new: bool = True,
    established_on: date | None = None,
    actor: Any,
) -> Enterprise:
    ensure_can(actor, "enterprise.write", unit)
    name = required_text(name, field="name", label="企业名称")
    code = clean_credit_code(credit_code)
    if code and Enterprise.objects.filter(credit_code=code).exists():
        raise refuse("credit_code", "统一社会信用代码", code, "已登记给另一家企业")
    enterprise = Enterprise(
        name=name,
        credit_code=code,
        unit=unit,
        industry=industry,
        is_new=is_new,
        established_on=established_on,
    )
    enterprise.full_clean()
    save_with_audit(enterprise, actor=actor, reason="新建企业")
    return enterprise


# ---------------------------------------------------------------- projects


def _next_project_code(year: int) -> str:
    prefix = f"XM{year}-"
    last = Project.objects.filter(code__startswith=prefix).order_by("-code").values_list("code", flat=True).first()
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{seq:04d}"


def _money_fields(
    currency: str, rate_to_usd: object, total_investment: object, contract_foreign: object
) -> dict[str, Any]:
    currency, rate = clean_rate(currency, rate_to_usd)
    total = clean_money(total_investment, field="total_investment", label="总投资")
    contract = clean_money(contract_foreign, field="contract_foreign", label="合同外资")
    if contract > total:
        raise refuse("contract_foreign", "合同外资", contract, f"大于总投资 {total}")
    return {
        "currency": currency,
        "rate_to_usd": rate,
        "total_investment": total,
        "total_investment_usd": to_usd(total, rate),
        "contract_foreign": contract,
        "contract_foreign_usd": to_usd(contract, rate),
    }


@transaction.atomic
def project_create(
    *,
    unit: Unit,
    name: str,
    kind: str,
    investors: Iterable[Investor],
    stage_on: date,
    stage: str = Stage.NEGOTIATING,
    currency: str = "USD",
    rate_to_usd: object = 1,
    total_investment: object = 0,
    contract_foreign: object = 0,
    enterprise: Enterprise | None = None,
    industry: Industry | None = None,
    focus_industries: Iterable[FocusIndustry] = (),
    leader: str = "",
    officer: Any = None,
    note: str = "",
    actor: Any,
) -> Project:
    """Register a project at its first known stage (negotiation, or later for a capital increase)."""
    ensure_can(actor, "project.write", unit)
    name = required_text(name, field="name", label="项目名称")
    if kind not in ProjectKind.values:
        raise refuse("kind", "项目类型", kind, "不存在；应为新设、增资、并购或利润再投资")
    if stage not in Stage.values or stage == Stage.DROPPED:
        raise refuse("stage", "起始阶段", stage, "不是有效的起始阶段")
    investor_list = list(investors)
    if not investor_list:
        raise refuse("investors", "外方投资者", None, "至少需要一个")
    if enterprise is not None and enterprise.unit_id != unit.pk:
        raise refuse("enterprise", "外资企业", enterprise.name, f"不属于{unit.name}")
    _not_future(stage_on, field="stage_on", label="阶段日期")
    figures_write_lock()
    project = Project(
        code=_next_project_code(stage_on.year),
        name=name,
        unit=unit,
        kind=kind,
        enterprise=enterprise,
        industry=industry,
        leader=leader,
        officer=officer,
        stage=stage,
        stage_on=stage_on,
        note=note,
        **_money_fields(currency, rate_to_usd, total_investment, contract_foreign),
    )
    _apply_stage_dates(project, stage, stage_on)
    project.full_clean()
    save_with_audit(project, actor=actor, reason="登记项目")
    project.investors.set(investor_list)
    project.focus_industries.set(list(focus_industries))
    if stage != Stage.NEGOTIATING:
        # Registered at a later stage: every gate up to it applies (a capital increase may be waived negotiation).
        gates.ensure_gate(project, stage, facts=gates.Facts(on=stage_on), from_new=True)
    event = ProjectStageEvent(project=project, stage=stage, on=stage_on, recorded_by=actor, note="登记")
    pending = verification.new_stage_state(event)
    save_with_audit(event, actor=actor, reason="登记项目")
    if pending:
        verification.claim_stage(event=event, actor=actor)
    return project


PROJECT_EDITABLE = {
    "name",
    "kind",
    "enterprise",
    "industry",
    "leader",
    "officer",
    "note",
    "currency",
    "rate_to_usd",
    "total_investment",
    "contract_foreign",
}


@transaction.atomic
def project_update(*, project: Project, actor: Any, reason: str, **changes: Any) -> Project:
    """Change a project's descriptive or money fields; stages change only through the stage services."""
    ensure_can(actor, "project.write", project.unit)
    unknown = set(changes) - PROJECT_EDITABLE - {"focus_industries", "investors"}
    if unknown:
        raise ValidationError({f: ["该字段不能在此修改"] for f in unknown})
    figures_write_lock()
    project = Project.objects.select_for_update().get(pk=project.pk)
    money_keys = {"currency", "rate_to_usd", "total_investment", "contract_foreign"}
    if money_keys & set(changes):
        merged = {k: changes.get(k, getattr(project, k)) for k in money_keys}
        changes.update(
            _money_fields(
                merged["currency"],
                merged["rate_to_usd"],
                merged["total_investment"],
                merged["contract_foreign"],
            )
        )
    if "kind" in changes and changes["kind"] not in ProjectKind.values:
        raise refuse("kind", "项目类型", changes["kind"], "不存在")
    if "name" in changes and not str(changes["name"]).strip():
        raise refuse("name", "项目名称", changes["name"], "不能为空")
    enterprise = changes.get("enterprise")
    if enterprise is not None and enterprise.unit_id != project.unit_id:
        raise refuse("enterprise", "外资企业", enterprise.name, f"不属于{project.unit.name}")
    tags = changes.pop("focus_industries", None)
    investors = changes.pop("investors", None)
    for key, value in changes.items():
        setattr(project, key, value)
    project.full_clean()
    if investors is not None:
        investor_list = list(investors)
        if not investor_list:
            raise refuse("investors", "外方投资者", None, "至少需要一个")
        # Linked before the save, without rows of their own, so that the one history row of this change holds
        # the investors before and after (a set() alone would write a row for the removal and one for the addition).
        project.skip_history_when_saving = True  # type: ignore[attr-defined]
        try:
            project.investors.set(investor_list)
        finally:
            del project.skip_history_when_saving  # type: ignore[attr-defined]
    save_with_audit(project, actor=actor, reason=reason or "修改项目")
    if tags is not None:
        project.focus_industries.set(list(tags))
    return project


def _apply_stage_dates(project: Project, stage: str, on: date) -> None:
    if stage == Stage.DROPPED:
        return
    idx = stage_index(stage)
    if idx >= stage_index(Stage.SIGNED) and project.signed_on is None:
        project.signed_on = on
    if idx >= stage_index(Stage.REGISTERED) and project.registered_on is None:
        project.registered_on = on


@transaction.atomic
def project_advance_stage(*, project: Project, to_stage: str, on: date, actor: Any, note: str = "") -> Project:
    """Move a project forward; stages may be skipped but never dated before the stage before them."""
    ensure_can(actor, "project.write", project.unit)
    figures_write_lock()
    project = Project.objects.select_for_update().get(pk=project.pk)
    if to_stage not in Stage.values:
        raise refuse("stage", "阶段", to_stage, "不存在")
    if to_stage == Stage.DROPPED:
        raise refuse("stage", "阶段", Stage(to_stage).label, "请使用“中止项目”并填写原因")
    if project.stage == Stage.DROPPED:
        raise refuse("stage", "项目", project.code, "已中止，不能推进阶段")
    current = Stage(project.stage)
    if stage_index(to_stage) <= stage_index(current):
        raise refuse("stage", "阶段", Stage(to_stage).label, f"不在当前阶段“{current.label}”之后；阶段只能向前推进")
    if on < project.stage_on:
        raise refuse(
            "on",
            f"“{Stage(to_stage).label}”日期",
            on.isoformat(),
            f"早于上一阶段“{current.label}”的日期 {project.stage_on.isoformat()}",
        )
    _not_future(on, field="on", label=f"“{Stage(to_stage).label}”日期")
    gates.ensure_gate(project, to_stage, facts=gates.Facts(on=on))
    project.stage = to_stage
    project.stage_on = on
    _apply_stage_dates(project, to_stage, on)
    save_with_audit(project, actor=actor, reason=f"推进至{Stage(to_stage).label}")
    event = ProjectStageEvent(project=project, stage=to_stage, on=on, note=note, recorded_by=actor)
    pending = verification.new_stage_state(event)
    save_with_audit(event, actor=actor, reason=f"推进至{Stage(to_stage).label}")
    evidence_link_event(event)
    if pending:
        verification.claim_stage(event=event, actor=actor)
    return project


@transaction.atomic
def project_drop(*, project: Project, on: date, reason: str, actor: Any, destination: str = "") -> Project:
    """中止: the stage `dropped` with its reason and, when the project went elsewhere, where; the status follows."""
    ensure_can(actor, "project.write", project.unit)
    figures_write_lock()
    project = Project.objects.select_for_update().get(pk=project.pk)
    reason = required_text(reason, field="dropped_reason", label="中止原因")
    destination = (destination or "").strip()[:64]
    if project.stage == Stage.DROPPED:
        raise refuse("stage", "项目", project.code, "已经中止")
    if on < project.stage_on:
        raise refuse("on", "中止日期", on.isoformat(), f"早于当前阶段的日期 {project.stage_on.isoformat()}")
    _not_future(on, field="on", label="中止日期")
    gates.ensure_gate(project, Stage.DROPPED, facts=gates.Facts(on=on, reason=reason, destination=destination))
    project.stage = Stage.DROPPED
    project.stage_on = on
    project.dropped_reason = reason
    project.destination = destination
    project.status, project.status_on, project.status_note = ProjectStatus.TERMINATED, on, reason[:200]
    save_with_audit(project, actor=actor, reason=f"中止：{reason}")
    event = ProjectStageEvent(project=project, stage=Stage.DROPPED, on=on, note=reason, recorded_by=actor)
    pending = verification.new_stage_state(event)
    save_with_audit(event, actor=actor, reason=f"中止：{reason}")
    evidence_link_event(event)
    _status_event(project, ProjectStatus.TERMINATED, on, reason, actor, destination=destination)
    if pending:
        verification.claim_stage(event=event, actor=actor)
    return project


def _status_event(
    project: Project,
    status: str,
    on: date,
    reason: str,
    actor: Any,
    *,
    expected_on: date | None = None,
    obstacle: str = "",
    destination: str = "",
) -> ProjectStatusEvent:
    from django.utils import timezone

    event = ProjectStatusEvent(
        project=project,
        status=status,
        on=on,
        reason=reason[:200],
        expected_on=expected_on,
        obstacle=obstacle,
        destination=destination,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    save_with_audit(event, actor=actor, reason=f"项目状态：{ProjectStatus(status).label}")
    return event


@transaction.atomic
def project_status_set(
    *,
    project: Project,
    status: str,
    on: date,
    reason: str,
    actor: Any,
    expected_on: date | None = None,
    obstacle: str = "",
    destination: str = "",
) -> Project:
    """Set how a project is faring beside its stage: 正常, 延期 (with the new expected date), 停滞 (with the
    obstacle), 流失 (with where it went) or 中止 (which drops the project: the stage `dropped`, its gate applies).

    Every change is a dated status record (who, when, why) and a history row of the project."""
    ensure_can(actor, "project.status", project.unit)
    if status not in ProjectStatus.values:
        raise refuse("status", "项目状态", status, f"不存在；可选：{'、'.join(ProjectStatus.labels)}")
    label = ProjectStatus(status).label
    reason = (reason or "").strip()
    if status != ProjectStatus.NORMAL and not reason:
        raise refuse("reason", f"“{label}”的原因", None, "不能为空")
    if status == ProjectStatus.TERMINATED:
        return project_drop(project=project, on=on, reason=reason, destination=destination, actor=actor)
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.stage == Stage.DROPPED:
        raise refuse("status", "项目", project.code, "已中止，状态不能再改")
    _not_future(on, field="on", label="状态日期")
    if project.status_on is not None and on < project.status_on:
        raise refuse("on", "状态日期", on.isoformat(), f"早于上一次状态变化的日期 {project.status_on.isoformat()}")
    expected = None
    obstacle = (obstacle or "").strip()
    destination = (destination or "").strip()[:64]
    if status == ProjectStatus.DELAYED:
        if expected_on is None:
            raise refuse("expected_on", "延期后的预计日期", None, "不能为空")
        if expected_on <= on:
            raise refuse("expected_on", "延期后的预计日期", expected_on.isoformat(), f"应晚于状态日期 {on.isoformat()}")
        expected = expected_on
    if status == ProjectStatus.STALLED and obstacle not in StallObstacle.values:
        raise refuse("obstacle", "停滞原因类别", obstacle, f"应为：{'、'.join(StallObstacle.labels)}")
    if status == ProjectStatus.LOST and not destination:
        raise refuse("destination", "流失去向（城市或国家）", None, "不能为空")
    if status != ProjectStatus.STALLED:
        obstacle = ""
    if status != ProjectStatus.LOST:
        destination = ""
    if project.status == status == ProjectStatus.NORMAL:
        raise refuse("status", "项目状态", label, "未改变")
    reason = reason or "恢复正常推进"
    project.status, project.status_on, project.status_note = status, on, reason[:200]
    if status == ProjectStatus.LOST:
        project.destination = destination
    save_with_audit(project, actor=actor, reason=f"项目状态：{label}（{reason}）")
    _status_event(project, status, on, reason, actor, expected_on=expected, obstacle=obstacle, destination=destination)
    return project


# ---------------------------------------------------------------- capital arrivals


@transaction.atomic
def arrival_record(
    *,
    project: Project,
    month: date,
    amount: object,
    kind: str,
    actor: Any,
    currency: str = "USD",
    rate_to_usd: object = 1,
    is_financial: bool = False,
    note: str = "",
    reason: str = "",
) -> CapitalArrival:
    """Record a month's actual arrival; the first one moves a signed or registered project to 到资.

    A month already closed by an issued bulletin takes an arrival only with a reason, recorded as a correction.
    """
    ensure_can(actor, "arrival.write", project.unit)
    figures_write_lock()  # a bulletin being issued waits for this write, or this write for it
    project = Project.objects.select_for_update().get(pk=project.pk)
    if kind not in ArrivalKind.values:
        raise refuse("kind", "到资类型", kind, "不存在")
    currency, rate = clean_rate(currency, rate_to_usd)
    value = clean_money(amount, field="amount", label="到资金额", allow_zero=False)
    first_of_month = month_start(month)
    if first_of_month > month_start(today()):
        raise refuse("month", "到资月份", f"{first_of_month:%Y-%m}", "晚于本月")
    if project.signed_on is None:
        raise refuse("project", "项目", project.code, "尚未签约，不能登记到资")
    if first_of_month < month_start(project.signed_on):
        raise refuse("month", "到资月份", f"{first_of_month:%Y-%m}", f"早于项目签约月份 {project.signed_on:%Y-%m}")
    closure = closing.check_closed_month_change(month=first_of_month, reason=reason)
    _refuse_second_record(project=project, month=first_of_month, kind=kind)
    arrival = CapitalArrival(
        project=project,
        month=first_of_month,
        kind=kind,
        currency=currency,
        rate_to_usd=rate,
        amount=value,
        amount_usd=to_usd(value, rate),
        is_financial=is_financial,
        note=note,
    )
    pending = verification.new_arrival_state(arrival)
    arrival.full_clean()
    save_with_audit(arrival, actor=actor, reason=f"补录到资：{reason.strip()}" if closure else "登记到资")
    if pending:
        verification.claim_arrival(arrival=arrival, amount_usd=arrival.amount_usd, actor=actor)
    if closure is not None:
        closing.correction_record(closure=closure, arrival=arrival, action="added", reason=reason, actor=actor)
    if project.stage in (Stage.SIGNED, Stage.REGISTERED):
        project_advance_stage(
            project=project,
            to_stage=Stage.ARRIVING,
            on=max(first_of_month, project.stage_on),
            actor=actor,
            note="首笔到资",
        )
    return arrival


@transaction.atomic
def arrivals_record_many(*, items: list[dict[str, Any]], actor: Any, batch_size: int = 1000) -> dict[int, str]:
    """`arrival_record` for many new arrivals at once (an import), keeping its every rule and effect.

    Each item holds `arrival_record`'s arguments (`project`, `month`, `amount`, `kind`, `currency`, `rate_to_usd`,
    `is_financial`, `note`). The permission is checked per unit, the figures lock taken once, the projects locked in
    one statement, the settings, closures, existing records and the verification rule read once; each item is
    checked as `arrival_record` checks it, with the same messages. Refusals come back as {item index: message} and
    then nothing is written. Otherwise the arrivals and their history rows (signed with the actor and the same
    reason) are written in batches, a claim is opened for each one that waits for verification, and a signed or
    registered project moves to 到资 on its first arrival, as one by one."""
    from simple_history.utils import bulk_create_with_history

    from zhaoshang.freshness.version import figures_changed

    from .models import MonthClosure

    for unit in Unit.objects.filter(pk__in={item["project"].unit_id for item in items}):
        ensure_can(actor, "arrival.write", unit)
    figures_write_lock()
    ids = sorted({item["project"].pk for item in items})
    projects: dict[int, Project] = {}
    existing: set[tuple[int, date, str]] = set()
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        projects.update((p.pk, p) for p in Project.objects.select_for_update().filter(pk__in=chunk).order_by("pk"))
        existing.update(CapitalArrival.objects.filter(project_id__in=chunk).values_list("project_id", "month", "kind"))
    this_month = month_start(today())
    closed = set(MonthClosure.objects.values_list("month", flat=True))
    set_state = verification.new_arrival_states()
    refusals: dict[int, str] = {}
    # Checked rows are kept as plain tuples (a model instance weighs several times more); instances are built again
    # a chunk at a time for writing, so memory stays bounded whatever the file's length.
    ready: list[tuple[Any, ...]] = []
    fields = ("project", "month", "kind", "currency", "rate_to_usd", "amount", "amount_usd", "is_financial", "note")
    for index, item in enumerate(items):
        project = projects[item["project"].pk]
        try:
            kind = item["kind"]
            if kind not in ArrivalKind.values:
                raise refuse("kind", "到资类型", kind, "不存在")
            currency, rate = clean_rate(item.get("currency", "USD"), item.get("rate_to_usd", 1))
            value = clean_money(item["amount"], field="amount", label="到资金额", allow_zero=False)
            first_of_month = month_start(item["month"])
            if first_of_month > this_month:
                raise refuse("month", "到资月份", f"{first_of_month:%Y-%m}", "晚于本月")
            if project.signed_on is None:
                raise refuse("project", "项目", project.code, "尚未签约，不能登记到资")
            if first_of_month < month_start(project.signed_on):
                raise refuse(
                    "month", "到资月份", f"{first_of_month:%Y-%m}", f"早于项目签约月份 {project.signed_on:%Y-%m}"
                )
            if first_of_month in closed:  # a file gives no reason: refused with the closure's own message
                closing.check_closed_month_change(month=first_of_month, reason="")
            if (project.pk, first_of_month, kind) in existing:
                _refuse_second_record(project=project, month=first_of_month, kind=kind)
            row = (
                project,
                first_of_month,
                kind,
                currency,
                rate,
                value,
                to_usd(value, rate),
                bool(item.get("is_financial", False)),
                item.get("note", ""),
            )
            CapitalArrival(**dict(zip(fields, row, strict=True))).clean_fields(exclude=["project"])
            existing.add((project.pk, first_of_month, kind))
            ready.append(row)
        except ValidationError as exc:
            refusals[index] = first_message(exc)
    if refusals:
        return refusals
    moved: set[int] = set()
    chunk_size = 10 * batch_size
    for start in range(0, len(ready), chunk_size):
        arrivals = [CapitalArrival(**dict(zip(fields, row, strict=True))) for row in ready[start : start + chunk_size]]
        pending = [set_state(arrival) for arrival in arrivals]
        bulk_create_with_history(
            arrivals, CapitalArrival, batch_size=batch_size, default_user=actor, default_change_reason="登记到资"
        )
        for arrival, waits in zip(arrivals, pending, strict=True):
            if waits:
                verification.claim_arrival(arrival=arrival, amount_usd=arrival.amount_usd, actor=actor)
        for arrival in arrivals:
            project = projects[arrival.project_id]
            if project.pk not in moved and project.stage in (Stage.SIGNED, Stage.REGISTERED):
                moved.add(project.pk)
                project_advance_stage(
                    project=project,
                    to_stage=Stage.ARRIVING,
                    on=max(arrival.month, project.stage_on),
                    actor=actor,
                    note="首笔到资",
                )
    figures_changed()  # bulk_create sends no signal
    return {}


def _refuse_second_record(*, project: Project, month: date, kind: str) -> None:
    """One record per project, month and type (a database constraint too): name the one already there."""
    existing = CapitalArrival.objects.filter(project=project, month=month, kind=kind, voided_at__isnull=True).first()
    if existing is not None:
        raise refuse(
            "month",
            "到资月份",
            f"{month:%Y-%m}",
            f"项目 {project.code} 已有{month.year}年{month.month}月的“{ArrivalKind(kind).label}”到资记录"
            f"（第{existing.pk}号，{existing.amount} {existing.currency}）；同一项目同月同类型只登记一条，"
            "追加的金额请在这条记录上修改",
        )


@transaction.atomic
def arrival_update(*, arrival: CapitalArrival, actor: Any, reason: str, **changes: Any) -> CapitalArrival:
    ensure_can(actor, "arrival.write", arrival.project.unit)
    reason = required_text(reason, field="reason", label="修改原因")
    figures_write_lock()
    arrival = CapitalArrival.objects.select_for_update().get(pk=arrival.pk)
    if arrival.voided_at is not None:
        raise refuse("arrival", "到资记录", f"第{arrival.pk}号", "已作废，不能再更正；请登记新的到资")
    closure = closing.check_closed_month_change(month=arrival.month, reason=reason)
    before_usd, before_kind, before_financial = arrival.amount_usd, arrival.kind, arrival.is_financial
    before_month = arrival.month
    month = month_start(changes.get("month", arrival.month))
    new_closure = None
    if month != arrival.month:
        # A record moved to another month: the same rules as recording it there, and that month's closure too.
        if month > month_start(today()):
            raise refuse("month", "到资月份", f"{month:%Y-%m}", "晚于本月")
        signed_on = arrival.project.signed_on
        if signed_on is not None and month < month_start(signed_on):
            raise refuse("month", "到资月份", f"{month:%Y-%m}", f"早于项目签约月份 {signed_on:%Y-%m}")
        new_closure = closing.check_closed_month_change(month=month, reason=reason)
    currency, rate = clean_rate(
        changes.get("currency", arrival.currency), changes.get("rate_to_usd", arrival.rate_to_usd)
    )
    value = clean_money(changes.get("amount", arrival.amount), field="amount", label="到资金额", allow_zero=False)
    kind = changes.get("kind", arrival.kind)
    if kind not in ArrivalKind.values:
        raise refuse("kind", "到资类型", kind, "不存在")
    if kind != arrival.kind or month != arrival.month:
        _refuse_second_record(project=arrival.project, month=month, kind=kind)
    arrival.month = month
    arrival.currency, arrival.rate_to_usd, arrival.amount = currency, rate, value
    arrival.amount_usd = to_usd(value, rate)
    arrival.kind = kind
    arrival.is_financial = changes.get("is_financial", arrival.is_financial)
    arrival.note = changes.get("note", arrival.note)
    arrival.full_clean()
    save_with_audit(arrival, actor=actor, reason=reason)
    if arrival.amount_usd < arrival.verified_amount_usd:
        verification.arrival_lowered(arrival=arrival, actor=actor)
    elif arrival.amount_usd > before_usd:
        # An upward correction is a claim for the difference; what was verified keeps counting meanwhile.
        verification.arrival_raised(arrival=arrival, increase_usd=arrival.amount_usd - before_usd, actor=actor)
    changed = (arrival.amount_usd, arrival.kind, arrival.is_financial, arrival.month) != (
        before_usd,
        before_kind,
        before_financial,
        before_month,
    )
    if closure is not None and changed:
        closing.correction_record(
            closure=closure,
            arrival=arrival,
            action="changed",
            reason=reason,
            actor=actor,
            amount_before_usd=before_usd,
            kind_before=before_kind,
        )
    if new_closure is not None and new_closure != closure:
        # Moved into a closed month: that month gains the amount, recorded as an addition to it.
        closing.correction_record(closure=new_closure, arrival=arrival, action="added", reason=reason, actor=actor)
    return arrival


@transaction.atomic
def arrival_void(*, arrival: CapitalArrival, actor: Any, reason: str) -> CapitalArrival:
    """Void a mistaken arrival (a duplicate, a transfer that never came): the record keeps its id and history, its
    amounts become 0 on every caliber at once, what it was is kept beside the reason, and its key (project, month,
    type) is free again. In a closed month the void is a recorded correction, listed in the next bulletin."""
    ensure_can(actor, "arrival.write", arrival.project.unit)
    reason = required_text(reason, field="reason", label="作废原因")
    figures_write_lock()
    arrival = CapitalArrival.objects.select_for_update().select_related("project").get(pk=arrival.pk)
    if arrival.voided_at is not None:
        raise refuse(
            "arrival",
            "到资记录",
            f"第{arrival.pk}号",
            f"已于{timezone.localtime(arrival.voided_at):%Y-%m-%d}作废（{arrival.void_reason}）",
        )
    closure = closing.check_closed_month_change(month=arrival.month, reason=reason)
    before_usd = arrival.amount_usd
    arrival.voided_amount_usd = before_usd
    arrival.amount = arrival.amount_usd = arrival.verified_amount_usd = Decimal(0)
    arrival.voided_at = timezone.now()
    arrival.void_reason = reason[:200]
    arrival.verification = Verification.APPROVED  # nothing is left to verify
    save_with_audit(arrival, actor=actor, reason=f"作废：{reason}")
    for claim in arrival.claims.filter(status__in=[Verification.PENDING, Verification.RETURNED]):
        claim.status = Verification.RETURNED
        claim.reason = f"到资记录已作废：{reason}"[:300]
        claim.decided_by, claim.decided_at = actor, timezone.now()
        save_with_audit(claim, actor=actor, reason="到资记录已作废，申请随之撤回")
    if closure is not None and before_usd:
        closing.correction_record(
            closure=closure,
            arrival=arrival,
            action="voided",
            reason=reason,
            actor=actor,
            amount_before_usd=before_usd,
            kind_before=arrival.kind,
        )
    return arrival


# ---------------------------------------------------------------- follow-ups


@transaction.atomic
def followup_log(
    *,
    project: Project,
    on: date,
    channel: str,
    summary: str,
    actor: Any,
    officer: Any = None,
    next_on: date | None = None,
) -> FollowUp:
    """Log a contact with the investor; the latest follow-up's next date is what 失联风险 is judged on."""
    ensure_can(actor, "followup.write", project.unit)
    if channel not in FollowUp.Channel.values:
        raise refuse("channel", "跟进方式", channel, "不存在；应为上门拜访、会议洽谈、云招商或电话")
    summary = required_text(summary, field="summary", label="情况摘要")
    _not_future(on, field="on", label="跟进日期")
    if next_on is not None and next_on < on:
        raise refuse("next_on", "下次跟进日期", next_on.isoformat(), f"早于本次跟进日期 {on.isoformat()}")
    if FollowUp.objects.filter(project=project, on=on, channel=channel, summary=summary).exists():
        raise refuse("summary", "情况摘要", summary[:40], f"已登记过：{on.isoformat()} 同一方式、相同内容的跟进")
    follow_up = FollowUp(
        project=project, on=on, officer=officer or actor, channel=channel, summary=summary, next_on=next_on
    )
    follow_up.full_clean()
    save_with_audit(follow_up, actor=actor, reason="登记跟进")
    latest = FollowUp.objects.filter(project=project).order_by("-on", "-id").first()
    project = Project.objects.select_for_update().get(pk=project.pk)
    if latest is not None and project.next_follow_up_on != latest.next_on:
        project.next_follow_up_on = latest.next_on
        save_with_audit(project, actor=actor, reason="登记跟进", update_fields=["next_follow_up_on"])
    return follow_up


__all__ = [
    "STAGE_ORDER",
    "arrival_record",
    "arrival_update",
    "clean_credit_code",
    "enterprise_create",
    "followup_log",
    "fortune500_list_load",
    "investor_create",
    "project_advance_stage",
    "project_create",
    "project_drop",
    "project_status_set",
    "project_update",
]


# ---------------------------------------------------------------- corrections by the city bureau

CITY_CORRECTIONS = {"unit", "kind"}


@transaction.atomic
def project_correct(*, project: Project, actor: Any, reason: str, **changes: Any) -> Project:
    """A correction of a project's recorded facts with its reason: what project_update allows its unit's staff,
    and — for the city bureau only (`project.correct`) — the unit it belongs to and its kind."""
    unit = changes.pop("unit", None)
    moves_unit = unit is not None and unit.pk != project.unit_id
    if moves_unit or ("kind" in changes and changes["kind"] != project.kind):
        ensure_can(actor, "project.correct")
    else:
        ensure_can(actor, "project.write", project.unit)
    reason = required_text(reason, field="reason", label="修改原因")
    if moves_unit:
        figures_write_lock()
        locked = Project.objects.select_for_update().get(pk=project.pk)
        if not unit.is_active:
            raise refuse("unit", "招商主体", unit.name, "已停用")
        enterprise = changes.get("enterprise", locked.enterprise)
        if enterprise is not None and enterprise.unit_id != unit.pk:
            raise refuse("enterprise", "外资企业", enterprise.name, f"不属于{unit.name}；改属单位时请同时更正企业")
        locked.unit = unit
        save_with_audit(locked, actor=actor, reason=f"更正所属单位：{reason}")
        project = locked
    if changes:
        project = project_update(project=project, actor=actor, reason=reason, **changes)
    return project


@transaction.atomic
def stage_event_withdraw(*, event: ProjectStageEvent, reason: str, actor: Any) -> Project:
    """Withdraw a mistaken stage record (the project's latest): the project returns to the stage before it, and the
    signing and registration dates follow the stages that remain. The city bureau only, with a reason."""
    ensure_can(actor, "project.correct")
    reason = required_text(reason, field="reason", label="撤回原因")
    figures_write_lock()
    project = Project.objects.select_for_update().get(pk=event.project_id)
    events = list(ProjectStageEvent.objects.filter(project=project).order_by("on", "id"))
    if not events or events[-1].pk != event.pk:
        raise refuse("stage", "阶段", Stage(event.stage).label, "不是项目最近一次的阶段记录；只能撤回最近一次")
    if len(events) == 1:
        raise refuse("stage", "阶段", Stage(event.stage).label, "是项目唯一的阶段记录，不能撤回；如登记有误请中止项目")
    if event.stage == Stage.ARRIVING and project.arrivals.exists():
        raise refuse("stage", "阶段", Stage(event.stage).label, "由到资记录而来；请先更正或作废到资记录")
    remaining = events[:-1]
    delete_with_audit(event, actor=actor, reason=f"撤回阶段：{reason}")
    last = remaining[-1]
    project.stage, project.stage_on = last.stage, last.on
    if event.stage == Stage.DROPPED:
        project.dropped_reason = ""
    forward = [e for e in remaining if e.stage != Stage.DROPPED]
    project.signed_on = next((e.on for e in forward if stage_index(e.stage) >= stage_index(Stage.SIGNED)), None)
    project.registered_on = next((e.on for e in forward if stage_index(e.stage) >= stage_index(Stage.REGISTERED)), None)
    save_with_audit(project, actor=actor, reason=f"撤回{Stage(event.stage).label}：{reason}")
    verification._sync_project(project, actor=actor)
    return project
