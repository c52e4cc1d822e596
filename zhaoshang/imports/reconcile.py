"""Reconciliation: the national system's monthly figures per enterprise against the registry's arrivals."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum

from zhaoshang.common.money import fmt_wan
from zhaoshang.projects import services as ps
from zhaoshang.projects.models import CapitalArrival
from zhaoshang.stats.caliber import Caliber

from .base import NEW, SAME, UPDATE, Change, Importer, Row, duplicate_key, month_label, run_import
from .fields import Field, cell_unit
from .models import OfficialArrival
from .reader import Table
from .services import official_month_replace


def name_key(name: str) -> str:
    s = unicodedata.normalize("NFKC", name or "")
    return re.sub(r"[\s()（）·,，.。]+", "", s)


def written_precision(raw: Any, scale: int) -> Decimal:
    """Half a unit of the last digit the official figure was written with, in US$."""
    value, unit = cell_unit(raw)
    if unit is not None:
        scale = unit.scale
    s = repr(value) if isinstance(value, float) else str(value).strip()
    places = len(s.split(".", 1)[1]) if "." in s else 0
    return max(Decimal(scale) * Decimal(10) ** -places / 2, Decimal("0.005"))


class OfficialImporter(Importer):
    kind = "official"
    title = "官方月度到资数据"
    permission = "official.import"
    money_needs_unit = True
    fields = [
        Field("name", "企业名称", required=True, aliases=("外商投资企业名称", "单位名称", "企业"), max_length=128),
        Field("credit_code", "统一社会信用代码", aliases=("信用代码", "社会信用代码", "组织机构代码")),
        Field("month", "月份", kind="month", required=True, aliases=("统计月份", "报告期", "年月")),
        Field(
            "amount",
            "实际使用外资",
            kind="money",
            required=True,
            aliases=("实际使用外资金额", "实际利用外资", "实际到资", "实际使用外资额"),
            note="美元或万美元：请在表头写明，如“实际使用外资（万美元）”，或在表头上方写“单位：万美元”",
        ),
    ]

    def check_columns(self) -> None:
        col = self.columns.get("amount")
        if col is not None and col.unit is not None and col.unit.currency not in ("", "USD"):
            from .errors import ImportRefused

            raise ImportRefused([], f"“{col.header}”的单位“{col.unit_text}”不是美元；官方数据应以美元或万美元计")

    def prepare(self, rows: list[Row]) -> None:
        self.month: date = self.options["month"]
        self.seen: dict[Any, int] = {}
        self.entries: list[dict[str, Any]] = []
        self.existing = {o.match_key: o for o in OfficialArrival.objects.filter(month=self.month)}

    def plan_row(self, row: Row) -> Change | None:
        v, n = row.values, row.number
        before = len(self.errors)
        credit = None
        if v["credit_code"]:
            try:
                credit = ps.clean_credit_code(v["credit_code"])
            except Exception:
                self.error(n, "credit_code", v["credit_code"], "不是有效的统一社会信用代码（GB 32100 校验位不符）")
        if v["month"] and v["month"] != self.month:
            self.error(n, "month", month_label(v["month"]), f"与要核对的月份（{month_label(self.month)}）不一致")
        if v["amount"] is not None and v["amount"] < 0:
            self.error(n, "amount", row.raw.get("amount"), "不能为负数")
        if v["amount__currency"] not in ("", "USD", None):
            self.error(n, "amount", row.raw.get("amount"), "单位不是美元")
        if self.failed(row, before) or not v["name"] or v["amount"] is None:
            return None
        key = credit or f"名称:{name_key(v['name'])}"
        if earlier := duplicate_key(self.seen, key, row):
            self.error(n, "credit_code" if credit else "name", credit or v["name"], f"与第{earlier}行是同一家企业")
            return None
        col = self.columns["amount"]
        scale = col.unit.scale if col.unit else 1
        entry = {
            "key": key,
            "name": v["name"],
            "credit_code": credit or "",
            "amount": v["amount"],
            "tolerance": written_precision(row.raw.get("amount"), scale),
        }
        self.entries.append(entry)
        current = self.existing.get(key)
        what = f"{v['name']} {v['amount']} 美元"
        if current is not None and (current.amount_usd, current.enterprise_name) == (v["amount"], v["name"]):
            return Change(n, SAME, what)
        return Change(n, NEW if current is None else UPDATE, what)

    def finish(self, changes: list[Change]) -> list[Change]:
        month, entries, source = self.month, self.entries, self.options.get("source", "")
        keys = {e["key"] for e in entries}
        stale = [o for k, o in self.existing.items() if k not in keys]

        def apply(actor: Any) -> None:
            official_month_replace(month=month, entries=entries, source=source, actor=actor)

        if changes and (stale or any(c.action != SAME for c in changes)):
            changes[0].apply = apply
        return changes


@dataclass
class Line:
    name: str
    credit_code: str
    official: Decimal | None
    ours: Decimal | None
    projects: str = ""

    @property
    def diff(self) -> Decimal | None:
        if self.official is None or self.ours is None:
            return None
        return self.ours - self.official


@dataclass
class Reconciliation:
    month: date
    scope: str = "全市"  # the units the official export was compared with, and how they were chosen
    matched: list[Line] = field(default_factory=list)
    differ: list[Line] = field(default_factory=list)
    only_official: list[Line] = field(default_factory=list)
    only_ours: list[Line] = field(default_factory=list)

    @property
    def label(self) -> str:
        return month_label(self.month)

    def total(self, which: str) -> Decimal:
        lines = self.matched + self.differ + self.only_official + self.only_ours
        return sum((getattr(x, which) or Decimal(0) for x in lines), Decimal(0))

    def summary(self) -> str:
        return (
            f"{self.label}核对（范围：{self.scope}）：一致 {len(self.matched)} 家，金额不一致 {len(self.differ)} 家，"
            f"仅官方有 {len(self.only_official)} 家，仅本系统有 {len(self.only_ours)} 家；"
            f"官方合计 {fmt_wan(self.total('official'), 2)}，本系统合计 {fmt_wan(self.total('ours'), 2)}"
        )

    def sections(self) -> list[tuple[str, list[Line]]]:
        return [
            ("金额不一致", self.differ),
            ("仅官方有", self.only_official),
            ("仅本系统有", self.only_ours),
            ("一致", self.matched),
        ]

    def text(self) -> str:
        out = [self.summary()]
        for title, lines in self.sections():
            if not lines:
                continue
            out.append(f"\n{title}（{len(lines)}）")
            for x in lines:
                out.append(
                    f"  {x.name} {x.credit_code or '（无代码）'}  官方 {_usd(x.official)}  本系统 {_usd(x.ours)}"
                    + (f"  差额 {_usd(x.diff)}" if x.diff else "")
                )
        return "\n".join(out)

    def xlsx(self) -> bytes:
        from .xlsx import rows_workbook

        headers = [
            "企业名称",
            "统一社会信用代码",
            "官方（美元）",
            "本系统（美元）",
            "差额（本系统−官方）",
            "本系统项目",
        ]
        sheets: list[tuple[str, list[str], list[list[Any]]]] = [
            ("汇总", ["项目", "数值"], [[line, ""] for line in self.summary().split("；")])
        ]
        for title, lines in self.sections():
            sheets.append(
                (title, headers, [[x.name, x.credit_code, x.official, x.ours, x.diff, x.projects] for x in lines])
            )
        return rows_workbook(sheets)


def _usd(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:,.2f}美元"


def infer_units(month: date) -> list[Any]:
    """The units whose enterprises appear in the month's official export (by credit code, else by name)."""
    from zhaoshang.projects.models import Enterprise
    from zhaoshang.units.models import Unit

    official = list(OfficialArrival.objects.filter(month=month).values_list("credit_code", "enterprise_name"))
    codes = {c for c, _ in official if c}
    names = {name_key(n) for _, n in official}
    unit_ids = set(Enterprise.objects.filter(credit_code__in=codes).values_list("unit_id", flat=True))
    for unit_id, name in Enterprise.objects.values_list("unit_id", "name"):
        if name_key(name) in names:
            unit_ids.add(unit_id)
    return list(Unit.objects.filter(pk__in=unit_ids).order_by("sort_order", "code"))


def compare(month: date, units: list[Any] | None = None, *, how: str = "") -> Reconciliation:
    """Stored official figures of the month against the registry's arrivals counted by the caliber in force,
    within `units` (all the city's when None)."""
    caliber = Caliber.current()
    arrivals = CapitalArrival.objects.filter(month=month, kind__in=caliber.counted_kinds())
    scope = "全市"
    if units:
        arrivals = arrivals.filter(project__unit__in=units)
        scope = "、".join(u.name for u in units) + (f"（{how}）" if how else "")
    ours = arrivals.values(
        "project__enterprise__name", "project__enterprise__credit_code", "project__code", "project__name"
    ).annotate(total=Sum("amount_usd"))
    groups: dict[str, dict[str, Any]] = {}
    for row in ours:
        code = row["project__enterprise__credit_code"] or ""
        name = row["project__enterprise__name"] or row["project__name"]
        key = code or f"名称:{name_key(name)}"
        g = groups.setdefault(key, {"name": name, "code": code, "total": Decimal(0), "projects": []})
        g["total"] += row["total"]
        g["projects"].append(row["project__code"])
    by_name: dict[str, list[str]] = defaultdict(list)
    for key, g in groups.items():
        by_name[name_key(g["name"])].append(key)
    result = Reconciliation(month, scope)
    used: set[str] = set()
    for o in OfficialArrival.objects.filter(month=month).order_by("enterprise_name"):
        key = o.credit_code or f"名称:{name_key(o.enterprise_name)}"
        if key not in groups or key in used:
            key = next((k for k in by_name.get(name_key(o.enterprise_name), []) if k not in used), "")
        if not key:
            result.only_official.append(Line(o.enterprise_name, o.credit_code, o.amount_usd, None))
            continue
        used.add(key)
        g = groups[key]
        line = Line(o.enterprise_name, o.credit_code or g["code"], o.amount_usd, g["total"], "、".join(g["projects"]))
        (result.matched if abs(g["total"] - o.amount_usd) <= o.tolerance_usd else result.differ).append(line)
    for key, g in sorted(groups.items(), key=lambda kv: kv[1]["name"]):
        if key not in used:
            result.only_ours.append(Line(g["name"], g["code"], None, g["total"], "、".join(g["projects"])))
    return result


def reconcile(
    month: date,
    source: Any = None,
    *,
    actor: Any = None,
    table: Table | None = None,
    source_name: str = "",
    reader: Callable[[Any], Table] | None = None,  # None: imports.isolation.read_isolated
    units: list[Any] | None = None,
) -> Reconciliation:
    """Import the month's official figures (all or nothing, replacing that month's earlier import) and compare them
    with the units the export covers: those chosen, else those its enterprises belong to (a county's own export is
    not compared with the whole city)."""
    with transaction.atomic():
        run_import(OfficialImporter(actor=actor, month=month, source=source_name), source, table=table, reader=reader)
        if units:
            return compare(month, units, how="所选")
        inferred = infer_units(month)
        return compare(month, inferred, how="按导出文件中的企业推定") if inferred else compare(month)


__all__ = ["OfficialImporter", "Reconciliation", "compare", "infer_units", "reconcile"]
