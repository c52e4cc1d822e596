"""Reads of the registry: project lists, contact risk, and each project's change history."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Q, QuerySet

from zhaoshang.common.clock import today
from zhaoshang.common.history_words import value_words

from .models import (
    CapitalArrival,
    Claim,
    Enterprise,
    FollowUp,
    Fortune500List,
    Investor,
    Project,
    ProjectStageEvent,
    Stage,
)


def at_risk_q(*, on: date | None = None) -> Q:
    """The contact-risk rule (失联风险), the one definition every count, filter and badge uses: a project under
    negotiation whose planned next follow-up date is before the business date."""
    return Q(stage=Stage.NEGOTIATING, next_follow_up_on__lt=on or today())


def project_list(*, unit_code: str | None = None, stage: str | None = None) -> QuerySet[Project]:
    """Projects by code, optionally of one unit (its code) and at one stage; the API's project list."""
    qs = Project.objects.select_related("unit").order_by("code")
    if unit_code:
        qs = qs.filter(unit__code=unit_code)
    if stage:
        qs = qs.filter(stage=stage)
    return qs


def projects_at_risk(*, on: date | None = None) -> QuerySet[Project]:
    return Project.objects.filter(at_risk_q(on=on))


def is_at_risk(project: Project, *, on: date | None = None) -> bool:
    """One project against the same rule (a query: the rule is written once, in SQL)."""
    return Project.objects.filter(pk=project.pk).filter(at_risk_q(on=on)).exists()


def fortune500_list_for(on: date) -> Fortune500List | None:
    """The latest list published on or before the given date."""
    return Fortune500List.objects.filter(published_on__lte=on).order_by("-published_on").first()


def fortune500_q(prefix: str, list_year: int) -> Q:
    """Filter on a project queryset: an investor, or its ultimate parent, is on the given year's list."""
    return Q(**{f"{prefix}investors__fortune500_entries__listing__year": list_year}) | Q(
        **{f"{prefix}investors__parent__fortune500_entries__listing__year": list_year}
    )


@dataclass
class HistoryEntry:
    at: datetime
    who: str
    what: str
    reason: str
    changes: list[tuple[str, Any, Any]] = field(default_factory=list)


def _investor_names(links: list[dict[str, Any]]) -> str:
    ids = [link["investor"] for link in links or [] if link.get("investor") is not None]
    return "、".join(Investor.objects.filter(pk__in=ids).order_by("name").values_list("name", flat=True))


def _entries_for(records: list[Any], label: str, fields_to_skip: set[str]) -> list[HistoryEntry]:
    entries = []
    names: dict[tuple[Any, Any], str] = {}
    by_object: dict[int, Any] = {}
    for rec in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        prev = by_object.get(rec.id)
        changes: list[tuple[str, Any, Any]] = []
        if prev is not None and rec.history_type == "~":
            delta = rec.diff_against(prev)
            for ch in delta.changes:
                if ch.field in fields_to_skip:
                    continue
                model_field = rec.instance._meta.get_field(ch.field)
                verbose = model_field.verbose_name
                if ch.field == "investors":  # a many-to-many change lists links: show the investors' names
                    changes.append((str(verbose), _investor_names(ch.old), _investor_names(ch.new)))
                else:
                    # In words: a stage by its label, an officer by name, money in 万美元.
                    changes.append(
                        (
                            str(verbose),
                            value_words(model_field, ch.old, names=names, currency=getattr(prev, "currency", None)),
                            value_words(model_field, ch.new, names=names, currency=getattr(rec, "currency", None)),
                        )
                    )
        kind = {"+": "新增", "~": "修改", "-": "删除"}[rec.history_type]
        who = rec.history_user.display_name if rec.history_user_id and rec.history_user else "系统"
        entries.append(
            HistoryEntry(
                at=rec.history_date,
                who=who,
                what=f"{kind}{label}",
                reason=rec.history_change_reason or "",
                changes=changes,
            )
        )
        by_object[rec.id] = rec
    return entries


def project_history(project: Project) -> list[HistoryEntry]:
    """Every recorded change to the project and its stages, arrivals and follow-ups, newest first."""
    skip = {"history_id", "created_at"}
    entries = _entries_for(list(Project.history.filter(id=project.pk).select_related("history_user")), "项目", skip)
    entries += _entries_for(
        list(ProjectStageEvent.history.filter(project_id=project.pk).select_related("history_user")),
        "阶段",
        skip,
    )
    entries += _entries_for(
        list(CapitalArrival.history.filter(project_id=project.pk).select_related("history_user")),
        "到资",
        skip,
    )
    entries += _entries_for(
        list(FollowUp.history.filter(project_id=project.pk).select_related("history_user")), "跟进", skip
    )
    return sorted(entries, key=lambda e: e.at, reverse=True)


# ---------------------------------------------------------------------------------------------- verification


def claims_for(
    user: Any, *, status: str | None = None, unit_code: str | None = None, kind: str | None = None
) -> QuerySet[Claim]:
    """The claims a user may follow: the city's roles see every unit's, unit staff their own unit's."""
    from zhaoshang.accounts.permissions import can

    qs = Claim.objects.select_related("project__unit", "arrival", "stage_event", "submitted_by", "decided_by").order_by(
        "submitted_at", "id"
    )
    if not can(user, "claims.read_all"):
        unit_id = getattr(user, "unit_id", None)
        if unit_id is None:
            return qs.none()
        qs = qs.filter(project__unit_id=unit_id)
    if status:
        qs = qs.filter(status=status)
    if unit_code:
        qs = qs.filter(project__unit__code=unit_code)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


@dataclass
class WaitingClaims:
    """Claims of a period not yet verified (待认定 or 已退回): they are out of the verified caliber."""

    pending: int = 0
    returned: int = 0
    amount_usd: Any = 0
    claims: list[Claim] = field(default_factory=list)

    @property
    def count(self) -> int:
        return self.pending + self.returned


def claims_waiting_in(start: date, end: date) -> WaitingClaims:
    """Claims whose arrival month or stage date falls between start and end and that the city has not verified."""
    from decimal import Decimal

    qs = (
        Claim.objects.filter(status__in=["pending", "returned"])
        .filter(Q(arrival__month__range=(start, end)) | Q(stage_event__on__range=(start, end)))
        .select_related("project__unit", "arrival", "stage_event")
        .order_by("submitted_at", "id")
    )
    out = WaitingClaims(amount_usd=Decimal(0))
    for claim in qs:
        out.claims.append(claim)
        if claim.status == "pending":
            out.pending += 1
        else:
            out.returned += 1
        if claim.amount_usd is not None:
            out.amount_usd += claim.amount_usd
    return out


# ---------------------------------------------------------------------------------------------- look-ups

LEGAL_FORMS = re.compile(
    r"(股份有限公司|有限责任公司|有限公司|集团公司|集团|公司|\b(co|company|corp|corporation|inc|incorporated|ltd|limited"
    r"|llc|plc|gmbh|ag|sa|s a|bv|nv|kk|holdings?|group)\b)"
)


def loose_name_key(name: str) -> str:
    """A company name for spotting duplicates: the matching key without legal forms (有限公司, Ltd., GmbH …)."""
    from .services import name_key

    return " ".join(LEGAL_FORMS.sub(" ", name_key(name or "")).split())


def investors_like(name: str, name_en: str = "") -> list[Investor]:
    """Investors already registered under a name that reads the same (Chinese or English), for the desk to show
    before a new one is saved."""
    keys = {k for k in (loose_name_key(name), loose_name_key(name_en)) if k}
    if not keys:
        return []
    rows = Investor.objects.select_related("country").only("pk", "name", "name_en", "country__name")
    return [i for i in rows if keys & {loose_name_key(i.name), loose_name_key(i.name_en or "")} - {""}]


def enterprises_like(name: str, credit_code: str | None = None) -> list[Enterprise]:
    key = loose_name_key(name)
    rows = Enterprise.objects.select_related("unit").only("pk", "name", "credit_code", "unit__name")
    return [
        e for e in rows if (key and loose_name_key(e.name) == key) or (credit_code and e.credit_code == credit_code)
    ]


def pick(kind: str, q: str, *, limit: int = 20, unit_id: int | None = None) -> list[dict[str, str]]:
    """Search-as-you-type options for the desk's pickers: investors, enterprises, industries (by code or name),
    countries. One query, at most `limit` options."""
    from .models import Country, Industry

    q = (q or "").strip()[:50]
    if kind == "investors":
        qs = Investor.objects.select_related("country").order_by("name")
        if q:
            qs = qs.filter(Q(name__icontains=q) | Q(name_en__icontains=q))
        return [
            {"value": str(i.pk), "text": f"{i.name}（{i.country.name}）" + (f" {i.name_en}" if i.name_en else "")}
            for i in qs[:limit]
        ]
    if kind == "enterprises":
        qs_e = Enterprise.objects.select_related("unit").order_by("name")
        if unit_id:
            qs_e = qs_e.filter(unit_id=unit_id)
        if q:
            qs_e = qs_e.filter(Q(name__icontains=q) | Q(credit_code__icontains=q))
        return [
            {
                "value": str(e.pk),
                "text": f"{e.name}（{e.unit.short_name or e.unit.name}）"
                + (f" {e.credit_code}" if e.credit_code else ""),
            }
            for e in qs_e[:limit]
        ]
    if kind == "industries":
        qs_i = Industry.objects.order_by("code")
        if q:
            qs_i = qs_i.filter(Q(code__startswith=q) | Q(name__icontains=q))
        return [{"value": i.code, "text": f"{i.code} {i.name}"} for i in qs_i[:limit]]
    if kind == "countries":
        qs_c = Country.objects.order_by("code")
        if q:
            qs_c = qs_c.filter(Q(code__iexact=q) | Q(name__icontains=q) | Q(name_en__icontains=q))
        return [{"value": c.code, "text": f"{c.name}（{c.code}）"} for c in qs_c[:limit]]
    raise ValueError(f"没有这种选择项：{kind}")
