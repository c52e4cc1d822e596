"""审计: every recorded change, across every audited model, in words; filtered by user, unit, model and date.

A selector over django-simple-history's tables: one query per audited model for the page's rows (each takes at
most the rows the page needs), one per model present for the rows before them (to say what changed from what),
and the names of linked records once per page — constant in the size of the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import timezone

from zhaoshang.common.history_words import field_of, value_words
from zhaoshang.projects.models import Project
from zhaoshang.units.models import Unit

from .selectors import BadFilter

PAGE_SIZE = 50
EXPORT_LIMIT = 5000
SKIP_FIELDS = {"history_id", "created_at", "updated_at", "data"}
ACTIONS = {"+": "新增", "~": "修改", "-": "删除"}


@dataclass(frozen=True)
class Audited:
    key: str  # app_label.model_name
    label: str
    model: type[models.Model]
    unit_path: str | None  # how a history row reaches its unit, e.g. "unit_id" or "project__unit_id"


def audited_models() -> list[Audited]:
    out = []
    for model in apps.get_models():
        manager = getattr(model, "history", None)
        if manager is None or not hasattr(manager, "model"):
            continue
        names = {f.name for f in model._meta.get_fields()}
        unit_path = "unit_id" if "unit" in names else "project__unit_id" if "project" in names else None
        out.append(Audited(model._meta.label_lower, str(model._meta.verbose_name), model, unit_path))
    return sorted(out, key=lambda a: a.key)


@dataclass
class AuditFilters:
    user: str = ""
    unit: Unit | None = None
    model: Audited | None = None
    since: date | None = None
    until: date | None = None

    def query(self) -> dict[str, str]:
        out = {
            "user": self.user,
            "unit": self.unit.code if self.unit else "",
            "model": self.model.key if self.model else "",
        }
        out["since"] = self.since.isoformat() if self.since else ""
        out["until"] = self.until.isoformat() if self.until else ""
        return {k: v for k, v in out.items() if v}


def _day(params: Any, name: str, label: str) -> date | None:
    text = (params.get(name) or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise BadFilter(f"{label}“{text[:20]}”无法识别：应为 2020-09-30 这样的日期") from None


def parse_audit_filters(params: Any) -> AuditFilters:
    f = AuditFilters(user=(params.get("user") or "").strip()[:150])
    if code := (params.get("unit") or "").strip():
        f.unit = Unit.objects.filter(code=code).first()
        if f.unit is None:
            raise BadFilter(f"招商主体“{code[:20]}”不存在")
    if key := (params.get("model") or "").strip():
        f.model = next((a for a in audited_models() if a.key == key), None)
        if f.model is None:
            raise BadFilter(f"记录类型“{key[:40]}”不存在")
    f.since = _day(params, "since", "起始日期")
    f.until = _day(params, "until", "截止日期")
    if f.since and f.until and f.since > f.until:
        raise BadFilter(f"起始日期 {f.since} 晚于截止日期 {f.until}")
    return f


@dataclass
class AuditRow:
    at: datetime
    who: str
    unit: str
    model: str
    record: str
    action: str
    reason: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def changes_text(self) -> str:
        return "；".join(f"{label}：{old} → {new}" for label, old, new in self.changes)


def _history_qs(a: Audited, f: AuditFilters) -> Any:
    qs = a.model.history.all()  # type: ignore[attr-defined]
    if f.user:
        qs = qs.filter(history_user__username=f.user)
    if f.unit is not None:
        if a.unit_path is None:
            return None
        qs = qs.filter(**{a.unit_path: f.unit.pk})
    tz = timezone.get_current_timezone()
    if f.since:
        qs = qs.filter(history_date__gte=datetime.combine(f.since, time.min, tzinfo=tz))
    if f.until:
        qs = qs.filter(history_date__lt=datetime.combine(f.until + timedelta(days=1), time.min, tzinfo=tz))
    return qs.select_related("history_user").order_by("-history_date", "-history_id")


def audit_rows(f: AuditFilters, *, offset: int = 0, limit: int = PAGE_SIZE) -> tuple[list[AuditRow], bool]:
    """The page's changes, newest first, and whether more follow."""
    chosen = [f.model] if f.model else audited_models()
    fetched: list[tuple[Audited, Any]] = []
    for a in chosen:
        qs = _history_qs(a, f)
        if qs is None:
            continue
        fetched += [(a, rec) for rec in qs[: offset + limit + 1]]
    fetched.sort(key=lambda p: (p[1].history_date, p[1].history_id), reverse=True)
    more = len(fetched) > offset + limit
    page = fetched[offset : offset + limit]
    previous = _previous_records(page)
    units = dict(Unit.objects.values_list("pk", "name"))
    project_ids: set[int] = {pid for _, rec in page if (pid := getattr(rec, "project_id", None)) is not None}
    projects = {
        pk: (code, name, unit_id)
        for pk, code, name, unit_id in Project.objects.filter(pk__in=project_ids).values_list(
            "pk", "code", "name", "unit_id"
        )
    }
    names: dict[tuple[Any, Any], str] = {}
    rows = []
    for a, rec in page:
        prev = previous.get((a.key, rec.history_id))
        rows.append(
            AuditRow(
                at=rec.history_date,
                who=rec.history_user.display_name if rec.history_user_id and rec.history_user else "系统",
                unit=_unit_name(a, rec, units, projects),
                model=a.label,
                record=_record_text(a, rec, projects),
                action=ACTIONS.get(rec.history_type, rec.history_type),
                reason=rec.history_change_reason or "",
                changes=_changes(a, rec, prev, names) if prev is not None and rec.history_type == "~" else [],
            )
        )
    return rows, more


def _record_text(a: Audited, rec: Any, projects: dict[int, tuple[str, str, int]]) -> str:
    """Which record, without a query: its code and name, or its project's, else its number."""
    code, name = getattr(rec, "code", ""), getattr(rec, "name", "")
    if code or name:
        return f"{code} {name}".strip()
    project = projects.get(getattr(rec, "project_id", None) or 0)
    if project is not None:
        return f"{project[0]} {project[1]}（{a.label}第{rec.id}号）"
    return f"{a.label}第{rec.id}号"


def _unit_name(a: Audited, rec: Any, units: dict[int, str], projects: dict[int, tuple[str, str, int]]) -> str:
    if a.unit_path == "unit_id":
        return units.get(getattr(rec, "unit_id", None) or 0, "")
    if a.unit_path == "project__unit_id":
        project = projects.get(getattr(rec, "project_id", None) or 0)
        return units.get(project[2], "") if project else ""
    return ""


def _previous_records(page: list[tuple[Audited, Any]]) -> dict[tuple[str, int], Any]:
    """For each row of the page, the row of the same record just before it (one query per model present)."""
    by_model: dict[str, tuple[Audited, list[Any]]] = {}
    for a, rec in page:
        by_model.setdefault(a.key, (a, []))[1].append(rec)
    out: dict[tuple[str, int], Any] = {}
    for key, (a, recs) in by_model.items():
        ids = {r.id for r in recs}
        top = max(r.history_id for r in recs)
        history = a.model.history.filter(id__in=ids, history_id__lt=top).order_by("id", "history_id")  # type: ignore[attr-defined]
        by_object: dict[Any, list[Any]] = {}
        for h in history:
            by_object.setdefault(h.id, []).append(h)
        for r in recs:
            earlier = [h for h in by_object.get(r.id, []) if h.history_id < r.history_id]
            if earlier:
                out[(key, r.history_id)] = earlier[-1]
    return out


def _changes(a: Audited, rec: Any, prev: Any, names: dict[tuple[Any, Any], str]) -> list[tuple[str, str, str]]:
    out = []
    for ch in rec.diff_against(prev).changes:
        if ch.field in SKIP_FIELDS:
            continue
        model_field = field_of(a.model, ch.field)
        label = str(model_field.verbose_name) if model_field is not None else ch.field
        if model_field is not None and model_field.many_to_many:
            out.append((label, _m2m_text(ch.old), _m2m_text(ch.new)))
            continue
        out.append(
            (
                label,
                value_words(model_field, ch.old, names=names, currency=getattr(prev, "currency", None)),
                value_words(model_field, ch.new, names=names, currency=getattr(rec, "currency", None)),
            )
        )
    return out


def _m2m_text(links: Any) -> str:
    if not links:
        return "（空）"
    return f"{len(links)}项"
