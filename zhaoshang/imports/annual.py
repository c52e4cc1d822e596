"""The annual foreign-investment information report (外商投资信息报告年度报告), one row per enterprise and year, onto
the aftercare roster: `zhaoshang import enterprise-annual FILE`.

Amounts are kept as reported, in 万 of the currency the file states (「单位：万元」 above the header, a unit in the
header or the cell, or the 币种 column); they are converted to US$ only where compared, at the year's reference rate.
An enterprise of the registry not yet on the roster is enrolled; one unknown to the registry is created as an
existing enterprise when the row names its unit. All rows or none, like every import."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from zhaoshang.aftercare import services as ac
from zhaoshang.aftercare.models import AnnualFigures, RosterEntry
from zhaoshang.common.clock import today
from zhaoshang.common.validation import first_message
from zhaoshang.projects import services as ps
from zhaoshang.projects.models import Enterprise
from zhaoshang.reference.currencies import CURRENCY_NAMES, currency_code
from zhaoshang.units.models import Unit

from .base import NEW, SAME, UPDATE, Change, Importer, Row, duplicate_key
from .fields import Field

WAN = Decimal(10_000)
MONEY_NOTE = (
    "金额按文件写明的单位读取（表头上方“单位：万元”、表头“（万元）”或单元格“1.2亿元”）；不写单位的文件不会被导入"
)


def _unit_table() -> tuple[dict[str, Unit], list[str]]:
    table: dict[str, Unit] = {}
    for u in Unit.objects.select_related("region").all():
        for key in (u.code, u.name, u.short_name, u.region.name if not u.is_zone else None):
            if key:
                table.setdefault(key, u)
    return table, [u.name for u in Unit.objects.all()]


class EnterpriseAnnualImporter(Importer):
    kind = "enterprise-annual"
    title = "外资企业年报数据"
    permission = "roster.write"
    unit_scoped = True
    money_needs_unit = True
    fields = [
        Field(
            "credit_code",
            "统一社会信用代码",
            aliases=("信用代码", "社会信用代码"),
            note="按信用代码找到企业；无信用代码时按企业名称",
        ),
        Field("name", "企业名称", aliases=("外资企业名称", "外商投资企业名称"), max_length=128),
        Field(
            "unit",
            "招商主体",
            aliases=("单位", "县（市、区）", "属地"),
            note="企业尚未登记时必填（据此新建企业并列入名录）",
        ),
        Field("year", "年度", kind="int", required=True, aliases=("报告年度", "年份"), example="2019"),
        Field(
            "filed_on", "报送日期", kind="date", required=True, aliases=("填报日期", "报送时间"), example="2020-04-30"
        ),
        Field(
            "currency",
            "币种",
            aliases=("货币",),
            note="人民币、美元等；金额单位已写明币种（如万元、万美元）时可空",
        ),
        Field("registered_capital", "注册资本", kind="money", aliases=("注册资金",), note=MONEY_NOTE),
        Field("total_investment", "投资总额", kind="money", aliases=("总投资",)),
        Field("revenue", "营业收入", kind="money", aliases=("营业总收入", "销售收入")),
        Field("profit", "利润总额", kind="money", aliases=("利润",), note="亏损填负数"),
        Field("undistributed_profit", "未分配利润", kind="money", note="累计亏损填负数"),
        Field("tax_paid", "纳税总额", kind="money", aliases=("纳税额", "税收")),
        Field("export_value", "出口额", kind="money", aliases=("出口总额", "出口")),
        Field("employees", "从业人员", kind="int", aliases=("从业人数", "职工人数", "年末从业人员")),
    ]

    def prepare(self, rows: list[Row]) -> None:
        self.units, self.unit_names = _unit_table()
        entries = RosterEntry.objects.select_related("enterprise__unit")
        self.roster_by_code = {e.enterprise.credit_code: e for e in entries if e.enterprise.credit_code}
        self.roster_by_name = {e.enterprise.name: e for e in entries}
        enterprises = Enterprise.objects.select_related("unit")
        self.enterprise_by_code = {e.credit_code: e for e in enterprises if e.credit_code}
        self.enterprise_by_name = {e.name: e for e in enterprises}
        self.existing = {(f.entry_id, f.year): f for f in AnnualFigures.objects.all()}
        self.seen: dict[Any, int] = {}
        self.planned_new: dict[str, Any] = {}  # enterprises this file creates or enrols: one action per enterprise
        self.today = today()

    def _currency(self, row: Row) -> str | None:
        v, n = row.values, row.number
        from_units: set[Any] = {
            v.get(f"{f.key}__currency") for f in self.fields if f.kind == "money" and v.get(f.key) is not None
        }
        from_units.discard("")
        from_units.discard(None)
        written = v.get("currency")
        code = currency_code(written) if written else None
        if written and (code is None or len(code) != 3):
            known = "、".join(dict.fromkeys(CURRENCY_NAMES.values()))
            self.error(n, "currency", written, f"不是可识别的币种（可写 {known}，或 CNY、USD 等代码）")
            return None
        if len(from_units) > 1:
            self.error(
                n,
                "currency",
                written or "",
                f"金额的单位写了不同的币种（{'、'.join(sorted(from_units))}），一行只能一种",
            )
            return None
        unit_currency = next(iter(from_units), None)
        if code and unit_currency and code != unit_currency:
            self.error(n, "currency", written, f"与金额单位的币种（{unit_currency}）不一致")
            return None
        found = code or unit_currency
        if found is None:
            self.error(n, "currency", "", "请填写币种（金额单位未说明是哪种货币）")
        return found

    def plan_row(self, row: Row) -> Change | None:
        v, n = row.values, row.number
        before = len(self.errors)
        year, filed_on = v["year"], v["filed_on"]
        if year is not None and not ac.FIRST_YEAR <= year <= self.today.year:
            self.error(n, "year", year, f"应在 {ac.FIRST_YEAR} 年至 {self.today.year} 年之间")
        if filed_on is not None and filed_on > self.today:
            self.error(n, "filed_on", filed_on, f"晚于今天（{self.today.isoformat()}）")
        elif filed_on is not None and year is not None and filed_on.year <= year:
            self.error(n, "filed_on", filed_on, f"早于{year}年度结束（年报在次年报送）")
        currency = self._currency(row)
        amounts: dict[str, Decimal | None] = {}
        for key in ac.MONEY_FIELDS:
            raw = v.get(key)
            amount = None if raw is None else Decimal(raw) / WAN
            try:
                amounts[key] = ac.clean_figure(key, amount)
            except ValidationError as exc:
                self.error(n, key, row.raw.get(key), first_message(exc).split("”", 1)[-1])
        if v["employees"] is not None and v["employees"] < 0:
            self.error(n, "employees", v["employees"], "不能为负数")
        if all(a is None for a in amounts.values()) and v["employees"] is None:
            self.error(n, "revenue", "", "这一行没有任何年报数据")
        target = self._target(row)
        if self.failed(row, before) or target is None or currency is None:
            return None
        kind, thing, unit = target
        if not self.check_unit(row, "credit_code" if v["credit_code"] else "name", unit):
            return None
        label = thing.enterprise.name if kind == "entry" else (thing.name if kind == "enterprise" else thing["name"])
        if earlier := duplicate_key(self.seen, (label, year), row):
            self.error(n, "year", year, f"与第{earlier}行重复（同一企业、同一年度）")
            return None
        values = {"currency": currency, "unit_scale": 10_000, "employees": v["employees"], **amounts}
        what = f"{label} {year}年度（{filed_on:%Y-%m-%d}报送，万{currency}）"
        if kind == "entry":
            existing = self.existing.get((thing.pk, year))
            if (
                existing is not None
                and existing.filed_on == filed_on
                and all(getattr(existing, f) == val for f, val in values.items())
            ):
                return Change(n, SAME, what)
            action = NEW if existing is None else UPDATE
        else:
            action = NEW
            what += "，列入存量外资企业名录" + ("（新建企业）" if kind == "new" else "")

        def apply(actor: Any) -> object:
            entry = self._entry_for(kind, thing, actor)
            return ac.annual_figures_file(
                entry=entry,
                year=year,
                filed_on=filed_on,
                source=f"年报导入 第{n}行",
                actor=actor,
                **values,
            )

        return Change(n, action, what, apply)

    def _target(self, row: Row) -> tuple[str, Any, Unit] | None:
        """("entry", roster entry) | ("enterprise", registry enterprise to enrol) | ("new", fields to create)."""
        v, n = row.values, row.number
        code_text, name = v["credit_code"], (v["name"] or "").strip()
        code = None
        if code_text:
            try:
                code = ps.clean_credit_code(str(code_text))
            except ValidationError as exc:
                self.error(n, "credit_code", code_text, first_message(exc).split("”", 1)[-1])
                return None
        if code and code in self.roster_by_code:
            e = self.roster_by_code[code]
            return "entry", e, e.enterprise.unit
        if code and code in self.enterprise_by_code:
            ent = self.enterprise_by_code[code]
            return "enterprise", ent, ent.unit
        if not code and name in self.roster_by_name:
            e = self.roster_by_name[name]
            return "entry", e, e.enterprise.unit
        if not code and name in self.enterprise_by_name:
            ent = self.enterprise_by_name[name]
            return "enterprise", ent, ent.unit
        if not code and not name:
            self.error(n, "credit_code", "", "请填写统一社会信用代码或企业名称")
            return None
        if not name:
            self.error(n, "name", "", f"信用代码 {code} 的企业尚未登记，请填写企业名称和招商主体以新建")
            return None
        if name in self.enterprise_by_name:
            self.error(n, "credit_code", code_text, f"与已登记的“{name}”的信用代码不同，请核对")
            return None
        unit = self.lookup(row, "unit", self.units, "招商主体", self.unit_names)
        if unit is None:
            if not v["unit"]:
                self.error(n, "unit", "", f"企业“{name}”尚未登记，请填写招商主体以新建")
            return None
        return "new", {"name": name, "credit_code": code, "unit": unit}, unit

    def _entry_for(self, kind: str, thing: Any, actor: Any) -> RosterEntry:
        if kind == "entry":
            return thing
        label = thing.name if kind == "enterprise" else thing["name"]
        if label in self.planned_new:  # a second year of the same enterprise in this file
            return self.planned_new[label]
        if kind == "enterprise":
            entry = ac.roster_enroll(enterprise=thing, actor=actor)
        else:
            entry = ac.roster_enroll_new(
                name=thing["name"], unit=thing["unit"], credit_code=thing["credit_code"], actor=actor
            )
        self.planned_new[label] = entry
        return entry
