"""The kinds of file the bureau imports; each maps rows onto the registry's services by natural keys."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError

from zhaoshang.accounts.models import User
from zhaoshang.accounts.services import SYSTEM_USERNAME
from zhaoshang.common.clock import today
from zhaoshang.common.money import to_usd
from zhaoshang.common.periods import month_start, year_in_bounds
from zhaoshang.common.validation import first_message
from zhaoshang.projects import plausibility
from zhaoshang.projects import services as ps
from zhaoshang.projects.models import (
    STAGE_ORDER,
    ArrivalKind,
    CapitalArrival,
    Country,
    Enterprise,
    FollowUp,
    Fortune500List,
    Industry,
    Investor,
    Project,
    ProjectKind,
    Stage,
    stage_index,
)
from zhaoshang.reference.currencies import CURRENCY_NAMES, currency_code, currency_name
from zhaoshang.reference.models import MonthlyRate
from zhaoshang.reference.selectors import check_rate, inverted, reference_rates
from zhaoshang.reference.services import rate_set
from zhaoshang.stats.caliber import Caliber
from zhaoshang.stats.indicators import INDICATORS, MONEY_KEYS, TARGETABLE
from zhaoshang.stats.models import ProvinceFigure, ProvinceIndicator, Target
from zhaoshang.stats.services import province_figure_set, target_set
from zhaoshang.units.models import Region, Unit
from zhaoshang.units.services import region_upsert

from .annual import EnterpriseAnnualImporter
from .base import (
    NEW,
    SAME,
    UNIT_HELP,
    UPDATE,
    Change,
    Importer,
    ImportResult,
    Row,
    duplicate_key,
    month_label,
    run_import,
)
from .errors import RowError
from .fields import SCALES, Field, cell_unit, closest_text, parse_decimal, text
from .fields import Unit as MoneyUnit
from .reader import Table

# ---------------------------------------------------------------- shared look-ups

MONEY_UNITS_NOTE = (
    "原币万元（按“币种”列的币种）；必须大于0。表头也可写作“（万美元）”“（美元）”“（亿美元）”，"
    "或在表头上方写“单位：万美元”；单元格也可写“1.2亿美元”。单位不明的文件不会被导入"
)


def unit_table() -> tuple[dict[str, Unit], list[str]]:
    table: dict[str, Unit] = {}
    for u in Unit.objects.select_related("region").all():
        for key in (u.code, u.name, u.short_name, u.region.name if not u.is_zone else None):
            if key:
                table.setdefault(key, u)
    return table, [u.name for u in Unit.objects.all()]


def country_table() -> dict[str, Country]:
    table: dict[str, Country] = {}
    for c in Country.objects.all():
        for key in (c.code, c.name, c.name_en, c.name_en.upper(), c.name.removeprefix("中国")):
            if key:
                table.setdefault(key, c)
    return table


def industry_table() -> dict[str, Industry]:
    table: dict[str, Industry] = {}
    for i in Industry.objects.all():
        table[i.code] = i
        table[f"{i.code} {i.name}"] = i
        table[f"{i.code}{i.name}"] = i
        table.setdefault(i.name, i)
    return table


def choice_table(choices: Any, extra: dict[str, str] | None = None) -> dict[str, str]:
    table = {str(label): str(value) for value, label in choices}
    table.update({str(value): str(value) for value, _ in choices})
    table.update(extra or {})
    return table


KIND_TABLE = choice_table(ProjectKind.choices, {"新设项目": "new", "并购项目": "mna", "增资项目": "increase"})
STAGE_TABLE = choice_table(
    [(s, s.label) for s in Stage if s != Stage.DROPPED],
)
ARRIVAL_KIND_TABLE = choice_table(
    ArrivalKind.choices, {"实缴资本": "paid_in", "注册资本": "paid_in", "并购": "mna", "股东借款": "shareholder_loan"}
)
KIND_LABELS = list(ProjectKind.labels)
ARRIVAL_KIND_LABELS = list(ArrivalKind.labels)
ARRIVAL_KIND_NAMES = dict(ArrivalKind.choices)
CHANNEL_LABELS = list(FollowUp.Channel.labels)
PROVINCE_LABELS = list(ProvinceIndicator.labels)
CHANNEL_TABLE = choice_table(FollowUp.Channel.choices, {"云招商": "online", "线上": "online", "视频会议": "online"})


def fold_code(value: Any) -> str:
    """A project code as typed, full-width letters and digits folded: ＸＭ2020-0001 → XM2020-0001."""
    return unicodedata.normalize("NFKC", str(value)).strip().replace(" ", "").upper()


class ProjectRef:
    """Finds a project by 项目编号, or by 项目名称 within 招商主体 (or alone when the name is unique), or as clerks
    do: by the enterprise's credit code or name, when the enterprise has one open project."""

    fields = [
        Field("project_code", "项目编号", aliases=("编号", "项目代码"), note="如 XM2020-0001；填写编号时可不填名称"),
        Field("project_name", "项目名称", aliases=("项目",), max_length=128),
        Field(
            "unit", "招商主体", aliases=("单位", "县（市、区）", "所属单位", "属地"), note="县（市、区）或开发区的名称"
        ),
        Field(
            "ref_credit_code",
            "统一社会信用代码",
            aliases=("信用代码", "社会信用代码"),
            note="无项目编号时，可按企业的信用代码找到项目（该企业只有一个在办项目时）",
        ),
        Field(
            "ref_enterprise",
            "企业名称",
            aliases=("外资企业名称", "外商投资企业名称", "外资企业"),
            max_length=128,
            note="无项目编号和信用代码时，按企业名称找到项目",
        ),
    ]

    def __init__(self, importer: Importer) -> None:
        self.importer = importer
        self.by_code: dict[str, Project] = {}
        self.by_unit_name: dict[tuple[int, str], Project] = {}
        self.by_name: dict[str, list[Project]] = defaultdict(list)
        self.units, self.unit_names = unit_table()

    def load(self) -> None:
        from .reconcile import name_key

        self.by_credit: dict[str, list[Project]] = defaultdict(list)
        self.by_enterprise: dict[str, list[Project]] = defaultdict(list)
        for p in Project.objects.select_related("unit", "enterprise").all():
            self.by_code[p.code] = p
            self.by_unit_name[(p.unit_id, p.name)] = p
            self.by_name[p.name].append(p)
            if p.enterprise is not None and p.stage != Stage.DROPPED:
                if p.enterprise.credit_code:
                    self.by_credit[p.enterprise.credit_code].append(p)
                self.by_enterprise[name_key(p.enterprise.name)].append(p)
        self.name_key = name_key

    def _by_enterprise(self, row: Row) -> Project | None:
        imp = self.importer
        credit_text, enterprise = row.values.get("ref_credit_code"), row.values.get("ref_enterprise")
        if credit_text:
            try:
                credit = ps.clean_credit_code(credit_text)
            except ValidationError as exc:
                imp.error(row.number, "ref_credit_code", credit_text, _credit_reason(exc, credit_text))
                return None
            key, found, what = "ref_credit_code", self.by_credit.get(credit or "", []), f"信用代码为 {credit} 的企业"
        else:
            key, what = "ref_enterprise", f"企业“{enterprise}”"
            found = self.by_enterprise.get(self.name_key(str(enterprise)), [])
        if len(found) == 1:
            return found[0]
        value = credit_text or enterprise
        if not found:
            imp.error(row.number, key, value, f"{what}没有在办的项目；请填写项目编号")
        else:
            listed = "、".join(f"{p.code} {p.name}" for p in sorted(found, key=lambda p: p.code)[:10])
            imp.error(row.number, key, value, f"{what}有 {len(found)} 个在办项目（{listed}），请填写项目编号")
        return None

    def find(self, row: Row) -> Project | None:
        code, name, unit_text = (row.values.get(k) for k in ("project_code", "project_name", "unit"))
        imp = self.importer
        if code:
            project = self.by_code.get(fold_code(code))
            if project is None:
                imp.error(row.number, "project_code", code, f"不是已登记的项目编号{closest_text(code, self.by_code)}")
            return project
        if not name and (row.values.get("ref_credit_code") or row.values.get("ref_enterprise")):
            return self._by_enterprise(row)
        if not name:
            imp.error(row.number, "project_name", "", "请填写项目编号，或项目名称（及招商主体），或企业的信用代码")
            return None
        if unit_text:
            unit = imp.lookup(row, "unit", self.units, "招商主体", self.unit_names)
            if unit is None:
                return None
            project = self.by_unit_name.get((unit.pk, name))
            if project is None:
                names = [n for (uid, n) in self.by_unit_name if uid == unit.pk]
                imp.error(row.number, "project_name", name, f"不是{unit.name}已登记的项目{closest_text(name, names)}")
            return project
        matches = self.by_name.get(name, [])
        if len(matches) == 1:
            return matches[0]
        if matches:
            imp.error(row.number, "project_name", name, "有多个单位的项目同名，请填写招商主体或项目编号")
        else:
            imp.error(row.number, "project_name", name, f"不是已登记的项目{closest_text(name, self.by_name)}")
        return None


def _credit_reason(exc: ValidationError, value: Any) -> str:
    return first_message(exc).removeprefix(f"统一社会信用代码“{value}”").removeprefix("的")


def _currency_of(
    importer: Importer, row: Row, money_key: str, month: date | None, fallback: str = ""
) -> tuple[str, Decimal] | None:
    """The row's currency and rate to US$.

    The currency is the 币种 column (美元, 港币, 欧元 … or ISO codes), else the currency the amount's unit names
    (万美元), else `fallback` (an arrival: its project's currency); a unit that names another currency than the
    币种 column is an error. The rate is the one given, checked against the month's reference rate (a warning when
    more than 5% off, or when written the other way round, which is then inverted), else the reference rate.
    """
    unit_currency = row.values.get(f"{money_key}__currency") or ""
    written = row.values.get("currency")
    currency = currency_code(written) if written else None
    if currency is not None and not re.fullmatch(r"[A-Z]{3}", currency):
        known = "、".join(dict.fromkeys(CURRENCY_NAMES.values()))
        importer.error(row.number, "currency", written, f"不是可识别的币种（可写 {known}，或 USD、EUR 等代码）")
        return None
    if unit_currency and currency and unit_currency != currency:
        column = importer.columns.get(money_key)
        unit_text = column.unit_text if column and column.unit_text else currency_name(unit_currency)
        importer.error(
            row.number,
            "currency",
            written,
            f"与金额的单位“{unit_text}”（{currency_name(unit_currency)}）不一致；请改正币种或金额单位",
        )
        return None
    currency = currency or unit_currency or fallback
    if not currency:
        importer.error(row.number, "currency", "", "请填写币种（金额单位未说明是哪种货币，如“原币万元”）")
        return None
    if month is None:
        return None
    given = row.values.get("rate_to_usd")
    rates = getattr(importer, "rates", None)
    if rates is None:
        rates = importer.rates = reference_rates()  # type: ignore[attr-defined]
    check = check_rate(currency, month, given, rates.get((currency, month_start(month))))
    if check.error:
        importer.error(row.number, "rate_to_usd", given if given is not None else "", check.error)
        return None
    if check.warning:
        importer.warn(row.number, "rate_to_usd", given, check.warning)
    if check.rate is None:  # check_rate gives a rate whenever it gives no error
        return None
    try:
        return _clean_rate(currency, check.rate)
    except ValidationError as exc:
        key = "currency" if "币种" in first_message(exc) else "rate_to_usd"
        importer.error(row.number, key, check.rate if key == "rate_to_usd" else currency, first_message(exc))
        return None


@lru_cache(maxsize=256)
def _clean_rate(currency: str, rate: Decimal) -> tuple[str, Decimal]:
    return ps.clean_rate(currency, rate)


SCALE_WORDS = {v: k for k, v in SCALES.items()}


def shown_amount(
    importer: Importer, key: str, amount: Decimal, currency: str, rate: Decimal, usd: Decimal | None = None
) -> str:
    """'1,581.00 万美元 → US$15,810,000.00': the amount as read, in the unit it was written in, and in US$."""
    column = importer.columns.get(key)
    unit: MoneyUnit | None = column.unit if column else None
    scale = unit.scale if unit else 1
    word = SCALE_WORDS.get(scale, "")
    written = f"{amount / scale:,.2f} {word}{currency_name(currency)}"
    usd = to_usd(amount, rate) if usd is None else usd
    if currency == "USD":
        return f"{written} → US${usd:,.2f}"
    return f"{written} × {rate.normalize()} → US${usd:,.2f}"


CURRENCY_FIELDS = [
    Field(
        "currency",
        "币种",
        aliases=("货币", "原币币种"),
        note="美元、港币、欧元、日元、人民币，或 USD、HKD 等代码；金额单位已写明币种（如万美元）时可空",
        example="美元",
    ),
    Field(
        "rate_to_usd",
        "折美元汇率",
        kind="decimal",
        aliases=("汇率",),
        note="1 单位原币折合美元（美元为1，可空）；空则取当月参考汇率，与参考汇率相差5%以上时提示警告",
    ),
]


# ---------------------------------------------------------------- projects


class ProjectsImporter(Importer):
    kind = "projects"
    title = "外资项目"
    permission = "project.write"
    unit_scoped = True
    money_needs_unit = True
    fields = [
        Field("code", "项目编号", aliases=("编号",), note="新项目留空（系统编号）；填写已有编号则更新该项目"),
        Field("name", "项目名称", required=True, max_length=128),
        Field("unit", "招商主体", required=True, aliases=("单位", "县（市、区）", "所属单位", "属地")),
        Field("kind", "项目类型", required=True, aliases=("类型",), choices=tuple(ProjectKind.labels)),
        Field(
            "investors",
            "外方投资者",
            required=True,
            aliases=("投资方", "外方投资方", "投资者"),
            note="多个投资者用“、”分隔；新投资者需填国别（地区）",
        ),
        Field("country", "投资方国别（地区）", aliases=("国别", "国别（地区）", "国家（地区）", "国家", "来源地")),
        Field("investor_en", "投资方英文名称", aliases=("英文名称", "投资者英文名称")),
        Field("enterprise", "外资企业名称", aliases=("企业名称", "外资企业")),
        Field(
            "credit_code", "统一社会信用代码", aliases=("信用代码", "社会信用代码"), note="18位，校验位按 GB 32100 检查"
        ),
        Field(
            "industry",
            "行业",
            aliases=("行业代码", "国民经济行业", "所属行业"),
            note="GB/T 4754-2017 代码或名称，如 2761",
        ),
        *CURRENCY_FIELDS,
        Field(
            "total_investment",
            "总投资（原币万元）",
            kind="money",
            required=True,
            aliases=("总投资", "投资总额"),
            note=MONEY_UNITS_NOTE.replace("；必须大于0", "；不能为负数"),
        ),
        Field(
            "contract_foreign",
            "合同外资（原币万元）",
            kind="money",
            required=True,
            aliases=("合同外资", "合同利用外资"),
            note=MONEY_UNITS_NOTE.replace("；必须大于0", "；不能为负数，不大于总投资"),
        ),
        Field(
            "stage",
            "阶段",
            aliases=("当前阶段", "项目阶段"),
            choices=tuple(s.label for s in STAGE_ORDER),
            note="空为洽谈",
        ),
        Field("stage_on", "阶段日期", kind="date", required=True, aliases=("日期", "进入阶段日期")),
        Field("leader", "包抓领导", aliases=("联系领导",), max_length=32),
        Field("note", "备注", max_length=1000),
    ]

    def prepare(self, rows: list[Row]) -> None:
        self.units, self.unit_names = unit_table()
        self.countries = country_table()
        self.industries = industry_table()
        self.by_code = {p.code: p for p in Project.objects.select_related("unit", "industry")}
        self.by_key = {(p.unit_id, p.name): p for p in self.by_code.values()}
        self.investors = {i.name: i for i in Investor.objects.all()}
        self.enterprises_by_code = {e.credit_code: e for e in Enterprise.objects.exclude(credit_code=None)}
        self.seen: dict[Any, int] = {}
        self.today = today()
        self.rates = reference_rates()
        self.over_100m = Caliber.current().over_100m_usd

    def plan_row(self, row: Row) -> Change | None:
        v, n = row.values, row.number
        before = len(self.errors)
        unit = self.lookup(row, "unit", self.units, "招商主体", self.unit_names)
        if unit is not None and not self.check_unit(row, "unit", unit):
            return None
        kind = self.lookup(row, "kind", KIND_TABLE, "项目类型", KIND_LABELS)
        stage = Stage.NEGOTIATING.value
        if v["stage"]:
            stage = self.lookup(row, "stage", STAGE_TABLE, "阶段", [s.label for s in STAGE_ORDER]) or stage
        industry = self.lookup(row, "industry", self.industries, "行业（GB/T 4754-2017）")
        money = _currency_of(self, row, "total_investment", v["stage_on"])
        units_named = {v.get("total_investment__currency"), v.get("contract_foreign__currency")} - {None, ""}
        if len(units_named) > 1:
            self.error(n, "contract_foreign", row.raw["contract_foreign"], "与总投资的金额单位不是同一币种")
        if v["stage_on"] and v["stage_on"] > self.today:
            self.error(n, "stage_on", v["stage_on"], f"晚于今天（{self.today.isoformat()}）")
        total, contract = v["total_investment"], v["contract_foreign"]
        for key, amount in (("total_investment", total), ("contract_foreign", contract)):
            if amount is not None and amount < 0:
                self.error(n, key, row.raw[key], "不能为负数")
        if total is not None and contract is not None and contract > total:
            self.error(
                n, "contract_foreign", row.raw["contract_foreign"], f"大于总投资“{text(row.raw['total_investment'])}”"
            )
        credit = None
        if v["credit_code"]:
            try:
                credit = ps.clean_credit_code(v["credit_code"])
            except ValidationError as exc:
                self.error(n, "credit_code", v["credit_code"], _credit_reason(exc, v["credit_code"]))
        enterprise = self.enterprises_by_code.get(credit) if credit else None
        if enterprise is not None and unit is not None and enterprise.unit_id != unit.pk:
            self.error(n, "credit_code", credit, f"已登记为{enterprise.unit}的企业“{enterprise.name}”")
        names = [s.strip() for s in re.split(r"[、，,;；/]", v["investors"] or "") if s.strip()]
        missing = [s for s in names if s not in self.investors]
        country = None
        if missing:
            if v["country"]:
                country = self.lookup(
                    row, "country", self.countries, "国别（地区）", [c.name for c in Country.objects.all()]
                )
            else:
                self.error(n, "country", "", f"新投资者“{'、'.join(missing)}”需要填写国别（地区）")
        existing = None
        if v["code"]:
            existing = self.by_code.get(fold_code(v["code"]))
            if existing is None:
                self.error(n, "code", v["code"], f"不是已登记的项目编号{closest_text(v['code'], self.by_code)}")
        elif unit is not None:
            existing = self.by_key.get((unit.pk, v["name"]))
        if unit is not None and (earlier := duplicate_key(self.seen, (unit.pk, v["name"]), row)):
            self.error(n, "name", v["name"], f"与第{earlier}行是同一个项目（同一招商主体、同名）")
        if self.failed(row, before) or unit is None or kind is None or money is None:
            return None
        currency, rate = money
        amounts = (
            f"总投资 {shown_amount(self, 'total_investment', total, currency, rate)}，"
            f"合同外资 {shown_amount(self, 'contract_foreign', contract, currency, rate)}"
        )
        if existing is not None:
            self._plausible_update(row, existing, currency, to_usd(total, rate))
            return self._update(row, existing, kind, stage, industry, currency, rate, amounts)
        label = f"项目“{v['name']}”（{unit.name}，{Stage(stage).label}）：{amounts}"

        def apply(actor: Any) -> None:
            investors = []
            for name in names:
                if country is None and not Investor.objects.filter(name=name).exists():
                    raise ValidationError(f"外方投资者“{name}”尚未登记，须填写国别（地区）")
                investor = Investor.objects.filter(name=name).first() or ps.investor_create(
                    name=name,
                    name_en=v["investor_en"] or "" if len(names) == 1 else "",
                    country=country,  # type: ignore[arg-type]  # checked in planning: new investors need one
                    actor=actor,
                )
                investors.append(investor)
            enterprise_obj = Enterprise.objects.filter(credit_code=credit).first() if credit else None
            if enterprise_obj is None and v["enterprise"]:
                enterprise_obj = Enterprise.objects.filter(name=v["enterprise"], unit=unit).first()
            if enterprise_obj is None and (v["enterprise"] or credit):
                enterprise_obj = ps.enterprise_create(
                    name=v["enterprise"] or v["name"], unit=unit, credit_code=credit, industry=industry, actor=actor
                )
            ps.project_create(
                unit=unit,
                name=v["name"],
                kind=kind,
                investors=investors,
                stage=stage,
                stage_on=v["stage_on"],
                currency=currency,
                rate_to_usd=rate,
                total_investment=total,
                contract_foreign=contract,
                enterprise=enterprise_obj,
                industry=industry,
                leader=v["leader"] or "",
                note=v["note"] or "",
                actor=actor,
            )

        return Change(n, NEW, label, apply)

    def _plausible_update(self, row: Row, p: Project, currency: str, total_usd: Decimal) -> None:
        line = self.over_100m
        before, after = p.total_investment_usd >= line, total_usd >= line
        if before != after:
            way = "达到" if after else "低于"
            self.warn(
                row.number,
                "total_investment",
                row.raw.get("total_investment"),
                f"项目 {p.code} 总投资由 US${p.total_investment_usd:,.2f} 改为 US${total_usd:,.2f}，"
                f"将{way}超亿美元项目的标准（US${line:,.0f}）",
            )
        if currency != p.currency:
            self.warn(
                row.number,
                "currency",
                row.values.get("currency") or currency,
                f"与项目 {p.code} 原登记的币种（{currency_name(p.currency)}）不同",
            )

    def _update(
        self,
        row: Row,
        p: Project,
        kind: str,
        stage: str,
        industry: Any,
        currency: str,
        rate: Any,
        amounts: str = "",
    ) -> Change | None:
        v = row.values
        diffs: dict[str, Any] = {}
        shown: list[str] = []
        wanted = {
            "kind": kind,
            "currency": currency,
            "rate_to_usd": rate,
            "total_investment": v["total_investment"],
            "contract_foreign": v["contract_foreign"],
        }
        if industry is not None:
            wanted["industry"] = industry
        if v["leader"]:
            wanted["leader"] = v["leader"]
        if v["note"]:
            wanted["note"] = v["note"]
        for key, value in wanted.items():
            current = getattr(p, key)
            if (current != value) if not isinstance(value, Decimal) else (Decimal(current) != value):
                diffs[key] = value
                shown.append(f"{getattr(Project._meta.get_field(key), 'verbose_name', key)} {current} → {value}")
        advance = None
        if p.stage == Stage.DROPPED:
            if stage != Stage.NEGOTIATING.value:
                self.error(row.number, "stage", v["stage"], f"项目 {p.code} 已中止，不能再推进")
                return None
        elif v["stage"] and stage != p.stage:
            if stage_index(stage) < stage_index(p.stage):
                self.error(
                    row.number,
                    "stage",
                    v["stage"],
                    f"早于项目 {p.code} 的当前阶段“{Stage(p.stage).label}”；阶段只能向前推进",
                )
                return None
            if v["stage_on"] < p.stage_on:
                self.error(row.number, "stage_on", v["stage_on"], f"早于当前阶段的日期 {p.stage_on.isoformat()}")
                return None
            advance = stage
            shown.append(f"阶段 {Stage(p.stage).label} → {Stage(stage).label}（{v['stage_on']}）")
        if not diffs and advance is None:
            return Change(row.number, SAME, f"项目 {p.code}")

        def apply(actor: Any) -> None:
            if diffs:
                ps.project_update(project=p, actor=actor, reason="批量导入", **diffs)
            if advance:
                ps.project_advance_stage(project=p, to_stage=advance, on=v["stage_on"], actor=actor, note="批量导入")

        return Change(row.number, UPDATE, f"项目 {p.code}：{'；'.join(shown)}（{amounts}）", apply)


# ---------------------------------------------------------------- capital arrivals


class ArrivalsImporter(Importer):
    kind = "arrivals"
    title = "实际到资"
    permission = "arrival.write"
    unit_scoped = True
    money_needs_unit = True
    fields = [
        *ProjectRef.fields,
        Field("month", "到资月份", kind="month", required=True, aliases=("月份", "统计月份", "到资时间", "日期")),
        Field(
            "amount",
            "到资金额（原币万元）",
            kind="money",
            required=True,
            positive=True,
            aliases=("到资金额", "实际到资", "实际使用外资", "实际到资金额", "金额", "到资额"),
            note=MONEY_UNITS_NOTE,
        ),
        *CURRENCY_FIELDS,
        Field(
            "kind",
            "到资类型",
            aliases=("类型", "资金类型"),
            choices=tuple(ArrivalKind.labels),
            note="空则按项目类型：新设→新设企业实缴资本，增资→增资，并购→并购对价，利润再投资→利润再投资",
        ),
        Field(
            "is_financial",
            "金融业",
            kind="bool",
            aliases=("是否金融业", "金融业（银行、证券、保险）"),
            choices=("是", "否"),
            note="银行、证券、保险填“是”",
        ),
        Field("note", "备注", max_length=200),
    ]

    def prepare(self, rows: list[Row]) -> None:
        self.ref = ProjectRef(self)
        self.ref.load()
        self.existing: dict[tuple[int, date, str], CapitalArrival] = {}
        for a in CapitalArrival.objects.filter(voided_at__isnull=True):
            self.existing.setdefault((a.project_id, a.month, a.kind), a)
        self.seen: dict[Any, int] = {}
        self.this_month = month_start(today())
        self.allowed: dict[int, bool] = {}
        self.rates = reference_rates()
        # Plausibility: each unit's median arrival and its monthly totals so far (US$).
        by_unit: dict[int, list[Decimal]] = defaultdict(list)
        self.month_totals: dict[tuple[int, date], Decimal] = defaultdict(Decimal)
        for unit_id, month, usd in CapitalArrival.objects.values_list("project__unit_id", "month", "amount_usd"):
            by_unit[unit_id].append(usd)
            self.month_totals[(unit_id, month)] += usd
        self.medians = {
            u: plausibility.median(values)
            for u, values in by_unit.items()
            if len(values) >= plausibility.MEDIAN_MIN_ARRIVALS
        }
        self.planned: dict[tuple[int, date], list[tuple[int, Decimal]]] = defaultdict(list)

    def plan_row(self, row: Row) -> Change | None:
        v, n = row.values, row.number
        before = len(self.errors)
        project = self.ref.find(row)
        kind = self.lookup(row, "kind", ARRIVAL_KIND_TABLE, "到资类型", ARRIVAL_KIND_LABELS)
        if kind is None and not v["kind"] and project is not None:
            kind = DEFAULT_ARRIVAL_KIND.get(ProjectKind(project.kind))
        month, amount = v["month"], v["amount"]
        money = _currency_of(self, row, "amount", month, project.currency) if project is not None else None
        if amount is not None and amount <= 0:
            self.error(n, "amount", row.raw["amount"], "必须大于0")
        if month is not None and month > self.this_month:
            self.error(n, "month", month_label(month), "晚于本月")
        if project is not None:
            if project.unit_id not in self.allowed:
                self.allowed[project.unit_id] = self.unit_allowed(project.unit)
            if not self.allowed[project.unit_id]:
                self.error(
                    n,
                    "project_code" if v["project_code"] else "project_name",
                    v["project_code"] or v["project_name"],
                    f"属于{project.unit.name}；只能导入本单位的数据",
                )
            elif project.signed_on is None:
                self.error(n, "project_name", project.name, f"项目 {project.code} 尚未签约，不能登记到资")
            elif month is not None and month < month_start(project.signed_on):
                self.error(n, "month", month_label(month), f"早于项目签约月份 {project.signed_on:%Y-%m}")
        if project is not None and month is not None and kind is not None:
            earlier = duplicate_key(self.seen, (project.pk, month, kind), row)
            if earlier:
                self.error(n, "month", month_label(month), f"与第{earlier}行重复（同一项目、月份和到资类型）")
        if self.failed(row, before) or project is None or money is None or kind is None:
            return None
        currency, rate = money
        financial = bool(v["is_financial"])
        usd = to_usd(amount, rate)
        self._plausible(row, project, month, usd, currency)
        what = (
            f"{project.code} {month_label(month)} {ARRIVAL_KIND_NAMES[kind]} "
            f"{shown_amount(self, 'amount', amount, currency, rate, usd)}"
        )
        current = self.existing.get((project.pk, month, kind))
        if current is None:
            arrival = {
                "project": project,
                "month": month,
                "amount": amount,
                "kind": kind,
                "currency": currency,
                "rate_to_usd": rate,
                "is_financial": financial,
                "note": v["note"] or "",
            }
            return Change(n, NEW, what, lambda actor: ps.arrival_record(**arrival, actor=actor), payload=arrival)
        if (current.amount, current.currency, current.rate_to_usd, current.is_financial) == (
            amount,
            currency,
            rate,
            financial,
        ):
            return Change(n, SAME, what)  # already imported: importing a file again changes nothing
        # The same project, month and type with other figures is never overwritten by a file (nor skipped): a
        # transfer is changed on the desk with a correction, which records who changed it and why.
        self.error(
            n,
            "amount",
            row.raw["amount"],
            f"已有到资记录 #{current.pk}（{project.code} {month_label(month)} {ARRIVAL_KIND_NAMES[kind]} "
            f"{current.amount} {current.currency}{'，金融业' if current.is_financial else ''}），与本行不同；"
            "导入不会覆盖已有记录，请在工作台对该记录做更正",
        )
        return None

    def apply_many(self, changes: list[Change]) -> list[RowError]:
        """New arrivals written in bulk by the service that keeps `arrival_record`'s rules (one lock statement,
        settings and closures read once, arrivals and history rows in batches), refusals on their rows."""
        refused = ps.arrivals_record_many(items=[c.payload for c in changes], actor=self.actor)
        return [RowError(changes[i].row, "", "", message) for i, message in sorted(refused.items())]

    def _plausible(self, row: Row, project: Project, month: date, usd: Decimal, currency: str) -> None:
        n = row.number
        for reason in (
            plausibility.above_contract(project, usd),
            plausibility.above_median(project.unit.name, usd, self.medians.get(project.unit_id)),
        ):
            if reason:
                self.warn(n, "amount", row.raw.get("amount"), reason)
        if reason := plausibility.other_currency(project, currency):
            self.warn(n, "currency", row.values.get("currency") or currency, reason)
        self.planned[(project.unit_id, month)].append((n, usd))

    def finish(self, changes: list[Change]) -> list[Change]:
        """A month's total for a unit more than ten times its average month so far is a warning."""
        units = {u.pk: u.name for u in Unit.objects.all()}
        for (unit_id, month), planned in self.planned.items():
            history = [t for (u, m), t in self.month_totals.items() if u == unit_id and m != month]
            total = self.month_totals.get((unit_id, month), Decimal(0)) + sum((p[1] for p in planned), Decimal(0))
            if reason := plausibility.above_month_average(units.get(unit_id, ""), month, total, history):
                self.warn(planned[0][0], "month", month_label(month), reason)
        return changes


DEFAULT_ARRIVAL_KIND = {
    ProjectKind.NEW: ArrivalKind.PAID_IN,
    ProjectKind.INCREASE: ArrivalKind.CAPITAL_INCREASE,
    ProjectKind.MNA: ArrivalKind.MNA,
    ProjectKind.REINVEST: ArrivalKind.REINVESTED_PROFIT,
}


# ---------------------------------------------------------------- follow-ups


class FollowupsImporter(Importer):
    kind = "followups"
    title = "跟进记录"
    permission = "followup.write"
    unit_scoped = True
    fields = [
        *ProjectRef.fields,
        Field("on", "跟进日期", kind="date", required=True, aliases=("日期", "时间")),
        Field("channel", "跟进方式", required=True, aliases=("方式", "渠道"), choices=tuple(FollowUp.Channel.labels)),
        Field("summary", "情况摘要", required=True, aliases=("摘要", "跟进情况", "内容"), max_length=2000),
        Field("next_on", "下次跟进日期", kind="date", aliases=("下次跟进",)),
        Field("officer", "跟进人", aliases=("责任人", "经办人"), note="用户名或姓名；空为导入人"),
    ]

    def prepare(self, rows: list[Row]) -> None:
        self.ref = ProjectRef(self)
        self.ref.load()
        self.users: dict[str, Any] = {}
        for u in User.objects.filter(is_active=True).exclude(username=SYSTEM_USERNAME):
            self.users[u.username] = u
            if u.full_name:
                self.users.setdefault(u.full_name, u)
        self.existing = set(FollowUp.objects.values_list("project_id", "on", "channel", "summary"))
        self.seen: dict[Any, int] = {}
        self.today = today()

    def plan_row(self, row: Row) -> Change | None:
        v, n = row.values, row.number
        before = len(self.errors)
        project = self.ref.find(row)
        channel = self.lookup(row, "channel", CHANNEL_TABLE, "跟进方式", CHANNEL_LABELS)
        officer = self.lookup(row, "officer", self.users, "用户") if v["officer"] else None
        if project is not None and not self.unit_allowed(project.unit):
            self.error(
                n,
                "project_name",
                v["project_name"] or v["project_code"],
                f"属于{project.unit.name}；只能导入本单位的数据",
            )
        if v["on"] and v["on"] > self.today:
            self.error(n, "on", v["on"], f"晚于今天（{self.today.isoformat()}）")
        if v["on"] and v["next_on"] and v["next_on"] < v["on"]:
            self.error(n, "next_on", v["next_on"], f"早于本次跟进日期 {v['on'].isoformat()}")
        if self.failed(row, before) or project is None or channel is None:
            return None
        key = (project.pk, v["on"], channel, v["summary"])
        if earlier := duplicate_key(self.seen, key, row):
            self.error(n, "summary", v["summary"], f"与第{earlier}行重复")
            return None
        what = f"{project.code} {v['on']} {FollowUp.Channel(channel).label}"
        if key in self.existing:
            return Change(n, SAME, what)
        return Change(
            n,
            NEW,
            what,
            lambda actor: ps.followup_log(
                project=project,
                on=v["on"],
                channel=channel,
                summary=v["summary"],
                next_on=v["next_on"],
                officer=officer,
                actor=actor,
            ),
        )


# ---------------------------------------------------------------- targets and province figures

INDICATOR_LABELS = {i.key: i.label for i in INDICATORS}
TARGET_TABLE = {**{k: k for k in TARGETABLE}, **{INDICATOR_LABELS[k]: k for k in TARGETABLE}}
USD_INDICATORS = MONEY_KEYS
CITY_WORDS = {"全市", "市本级", "市", "合计", "全市合计"}


def _value_for(importer: Importer, row: Row, indicator: str) -> Decimal | None:
    """A money indicator's value in US$ (its unit must be written somewhere), or a count as written."""
    value = row.values["value"]
    if value is None:
        return None
    currency = row.values.get("value__currency") or ""
    column = importer.columns.get("value")
    raw = row.raw.get("value")
    in_cell = cell_unit(raw)[1]
    if indicator in USD_INDICATORS:
        if column is not None and column.unit is None and in_cell is None:
            importer.error(
                row.number, "value", raw, "金额单位不明（应写明美元、万美元或亿美元）；" + UNIT_HELP.removeprefix("请")
            )
            return None
        if currency not in ("", "USD"):
            importer.error(row.number, "value", raw, f"单位不是美元（{currency}）；请折算为美元")
            return None
        return value
    if column is not None and column.unit_source != "header" and in_cell is None:
        # the file's unit line (or the chosen unit) is about amounts; a count is read as written
        value = parse_decimal(raw)
        currency = ""
    if currency:
        importer.error(row.number, "value", row.raw.get("value"), "是个数指标，不应带金额单位")
        return None
    if value != value.to_integral_value():
        importer.error(row.number, "value", row.raw.get("value"), "个数应为整数")
        return None
    return value


class TargetsImporter(Importer):
    kind = "targets"
    title = "年度任务"
    permission = "target.write"
    detect_total_rows = False  # 全市 / 合计 in the unit column is the city's own target
    fields = [
        Field("year", "年度", kind="int", required=True, aliases=("年份",)),
        Field("unit", "招商主体", aliases=("单位", "县（市、区）"), note="空或“全市”为全市任务"),
        Field("indicator", "指标", required=True, choices=tuple(INDICATOR_LABELS[k] for k in TARGETABLE)),
        Field(
            "value",
            "目标值",
            kind="money",
            required=True,
            aliases=("任务", "目标", "任务数"),
            note="金额指标以美元计（可写万美元、亿美元）；项目指标为个数",
        ),
        Field("note", "备注", max_length=200),
    ]

    def prepare(self, rows: list[Row]) -> None:
        self.units, self.unit_names = unit_table()
        self.existing = {(t.unit_id, t.year, t.indicator): t for t in Target.objects.all()}
        self.seen: dict[Any, int] = {}

    def plan_row(self, row: Row) -> Change | None:
        v, n = row.values, row.number
        before = len(self.errors)
        unit = None
        if v["unit"] and v["unit"] not in CITY_WORDS:
            unit = self.lookup(row, "unit", self.units, "招商主体", self.unit_names)
        indicator = self.lookup(
            row, "indicator", TARGET_TABLE, "可设任务的指标", [INDICATOR_LABELS[k] for k in TARGETABLE]
        )
        value = _value_for(self, row, indicator) if indicator else None
        if value is not None and value <= 0:
            self.error(n, "value", row.raw.get("value"), "必须大于0")
        if v["year"] is not None and not year_in_bounds(v["year"]):
            self.error(n, "year", v["year"], "不是有效的年份")
        if self.failed(row, before) or indicator is None or value is None:
            return None
        key = (unit.pk if unit else None, v["year"], indicator)
        if earlier := duplicate_key(self.seen, key, row):
            self.error(n, "indicator", v["indicator"], f"与第{earlier}行重复（同一年度、单位和指标）")
            return None
        who = unit.name if unit else "全市"
        what = f"{v['year']}年 {who} {INDICATOR_LABELS[indicator]} {value}"
        current = self.existing.get(key)
        if current is not None and current.value == value and current.note == (v["note"] or ""):
            return Change(n, SAME, what)
        action, shown = (NEW, what) if current is None else (UPDATE, f"{what}（原 {current.value}）")
        return Change(
            n,
            action,
            shown,
            lambda actor: target_set(
                year=v["year"], indicator=indicator, value=value, unit=unit, note=v["note"] or "", actor=actor
            ),
        )


PROVINCE_TABLE = choice_table(
    ProvinceIndicator.choices,
    {
        "实际使用外资": "actual_use_usd",
        "实际利用外资": "actual_use_usd",
        "合同外资": "contract_usd",
        "合同利用外资": "contract_usd",
        "新设外资项目": "new_projects",
        "新设外资企业": "new_projects",
        "超亿美元项目": "projects_over_100m",
        "世界500强投资项目": "fortune500_projects",
    },
)


class ProvinceFiguresImporter(Importer):
    kind = "province-figures"
    title = "全省各市公布数据"
    permission = "province.write"
    detect_total_rows = False  # a province's own figure may be written as 全省合计
    fields = [
        Field(
            "region",
            "地区",
            required=True,
            aliases=("设区市", "城市", "市", "地市"),
            note="如 杭州市、宁波；全省填“浙江省”",
        ),
        Field("first_month", "起始月份", kind="month", required=True, aliases=("开始月份",)),
        Field("last_month", "截止月份", kind="month", required=True, aliases=("结束月份", "月份")),
        Field("indicator", "指标", required=True, choices=tuple(ProvinceIndicator.labels)),
        Field(
            "value",
            "数值",
            kind="money",
            required=True,
            aliases=("数据", "累计", "累计值"),
            note="金额以美元计（可写万美元、亿美元）；项目为个数",
        ),
        Field("yoy_pct", "同比增长（%）", kind="pct", aliases=("同比增长", "同比", "增速", "增幅")),
        Field("source", "来源", aliases=("数据来源", "出处"), max_length=128),
    ]

    def prepare(self, rows: list[Row]) -> None:
        self.regions: dict[str, Region] = {}
        names = []
        for r in Region.objects.filter(level__in=[Region.Level.PROVINCE, Region.Level.CITY]):
            names.append(r.name)
            for key in (r.code, r.name, r.short_name, r.name.removesuffix("市"), r.name.removesuffix("省")):
                if key:
                    self.regions.setdefault(key, r)
        self.region_names = names
        self.existing = {
            (f.region_id, f.first_month, f.last_month, f.indicator): f for f in ProvinceFigure.objects.all()
        }
        self.seen: dict[Any, int] = {}

    def plan_row(self, row: Row) -> Change | None:
        v, n = row.values, row.number
        before = len(self.errors)
        region = self.lookup(row, "region", self.regions, "省或设区市", self.region_names)
        indicator = self.lookup(row, "indicator", PROVINCE_TABLE, "指标", PROVINCE_LABELS)
        value = _value_for(self, row, indicator) if indicator else None
        if value is not None and value < 0:
            self.error(n, "value", row.raw.get("value"), "不能为负数")
        first, last = v["first_month"], v["last_month"]
        if first and last and last < first:
            self.error(n, "last_month", month_label(last), f"早于起始月份 {first:%Y-%m}")
        if self.failed(row, before) or region is None or indicator is None or value is None:
            return None
        key = (region.pk, first, last, indicator)
        if earlier := duplicate_key(self.seen, key, row):
            self.error(n, "indicator", v["indicator"], f"与第{earlier}行重复（同一地区、期间和指标）")
            return None
        what = f"{region.name} {first:%Y-%m}..{last:%Y-%m} {ProvinceIndicator(indicator).label} {value}"
        current = self.existing.get(key)
        if current is not None and (current.value, current.yoy_pct, current.source) == (
            value,
            v["yoy_pct"],
            v["source"] or "",
        ):
            return Change(n, SAME, what)
        action = NEW if current is None else UPDATE
        return Change(
            n,
            action,
            what,
            lambda actor: province_figure_set(
                region=region,
                first_month=first,
                last_month=last,
                indicator=indicator,
                value=value,
                yoy_pct=v["yoy_pct"],
                source=v["source"] or "",
                actor=actor,
            ),
        )


# ---------------------------------------------------------------- reference data


class Fortune500Importer(Importer):
    kind = "fortune500"
    title = "《财富》世界500强榜单"
    permission = "fortune500.load"
    fields = [
        Field("rank", "排名", required=True, aliases=("rank", "名次"), note="1至500"),
        Field("name", "公司名称", required=True, aliases=("company", "name", "公司", "企业名称"), max_length=128),
        Field("country", "国家", aliases=("country", "国家/地区", "国家（地区）"), max_length=64),
        Field(
            "revenue",
            "营业收入（百万美元）",
            kind="money",
            unit="百万美元",
            aliases=("revenues", "revenue", "营业收入", "营收"),
            note="百万美元；也可写“（亿美元）”等单位",
        ),
    ]

    def check_options(self) -> None:
        year = self.options.get("year")
        if year is None:
            from .errors import ImportRefused

            raise ImportRefused([], "导入世界500强榜单需要年份（--year），例如 --year 2019")

    def prepare(self, rows: list[Row]) -> None:
        self.seen: dict[Any, int] = {}
        self.entries: list[dict[str, Any]] = []

    def plan_row(self, row: Row) -> Change | None:
        v, n = row.values, row.number
        rank = int(v["rank"]) if re.fullmatch(r"\d{1,3}", v["rank"] or "") else 0
        if not 1 <= rank <= 500:
            if v["rank"]:
                self.error(n, "rank", v["rank"], "排名应为1至500的整数")
            return None
        if not v["name"]:
            return None
        key = ps.name_key(v["name"])
        if earlier := duplicate_key(self.seen, key, row):
            self.error(n, "name", v["name"], f"与第{earlier}行重复")
            return None
        revenue = v["revenue"]
        self.entries.append(
            {"row": n, "rank": rank, "name": v["name"], "country": v["country"] or "", "revenue_musd": revenue}
        )
        return None

    def finish(self, changes: list[Change]) -> list[Change]:
        year = int(self.options["year"])
        published = self.options.get("published_on") or date(year, 8, 1)
        listing = Fortune500List.objects.filter(year=year).first()
        wanted = {(e["rank"], e["name"], e["country"], e["revenue_musd"]) for e in self.entries}
        if listing is not None:
            current = {(e.rank, e.name, e.country, e.revenue_musd) for e in listing.entries.all()}
            if current == wanted and listing.published_on == published:
                return [Change(e["row"], SAME, f"{year}年 #{e['rank']} {e['name']}") for e in self.entries]
        action = NEW if listing is None else UPDATE
        entries = self.entries
        out = [Change(e["row"], action, f"{year}年 #{e['rank']} {e['name']}") for e in entries]
        out[0].apply = lambda actor: ps.fortune500_list_load(
            year=year, published_on=published, entries=entries, actor=actor
        )
        return out


class IndustriesImporter(Importer):
    kind = "industries"
    title = "国民经济行业分类（GB/T 4754-2017）"
    permission = "industry.write"
    fields = [
        Field(
            "code",
            "代码",
            required=True,
            aliases=("行业代码", "code"),
            note="门类字母，或2至4位数字（请设为文本，保留前导零）",
        ),
        Field("name", "名称", required=True, aliases=("行业名称", "类别名称", "name"), max_length=128),
    ]

    def prepare(self, rows: list[Row]) -> None:
        self.existing = {i.code: i for i in Industry.objects.all()}
        self.in_file: dict[str, int] = {}
        for row in rows:
            code = self._code(row, report=False)
            if code:
                self.in_file.setdefault(code, row.number)
        self.known = self.in_file.keys() | self.existing.keys()

    def _code(self, row: Row, *, report: bool = True) -> str | None:
        raw = row.raw.get("code")
        if isinstance(raw, int) and not isinstance(raw, bool):
            if len(str(raw)) == 4:
                return str(raw)
            if report:
                self.error(row.number, "code", raw, "被存成了数字，前导零可能已丢失；请把代码列设为文本后重新填写")
            return None
        code = str(row.values.get("code") or "").strip().upper()
        if not re.fullmatch(r"[A-T]|\d{2,4}", code):
            if report:
                self.error(row.number, "code", code, "不是 GB/T 4754-2017 的代码（门类字母A至T，或2至4位数字）")
            return None
        if not code.isalpha() and ps.industry_section(code) is None:
            if report:
                self.error(row.number, "code", code, "大类不在 01 至 97 之间")
            return None
        return code

    def plan_row(self, row: Row) -> Change | None:
        code = self._code(row)
        name = row.values["name"]
        if code is None or not name:
            return None
        if self.in_file.get(code) != row.number:
            self.error(row.number, "code", code, f"与第{self.in_file[code]}行重复")
            return None
        if len(code) > 1:
            parent = ps.industry_section(code) if len(code) == 2 else code[:-1]
            known = self.known
            if parent and parent not in known and not (len(code) == 4 and code[:2] in known):
                self.error(row.number, "code", code, f"上级类别 {parent} 既不在文件中，也未导入")
                return None
        current = self.existing.get(code)
        what = f"{code} {name}"
        if current is not None and current.name == name:
            return Change(row.number, SAME, what)
        action = NEW if current is None else UPDATE
        return Change(
            row.number,
            action,
            what if current is None else f"{what}（原名 {current.name}）",
            lambda actor: ps.industry_upsert(code=code, name=name, actor=actor),
        )

    def finish(self, changes: list[Change]) -> list[Change]:
        # Parents first: sections, then divisions, groups and classes.
        return sorted(changes, key=lambda c: (len(c.what.split(" ", 1)[0]), c.row))


class DivisionsImporter(Importer):
    kind = "divisions"
    title = "行政区划（GB/T 2260）"
    permission = "region.write"
    fields = [
        Field(
            "code",
            "代码",
            required=True,
            aliases=("行政区划代码", "区划代码", "code"),
            note="6位；也接受省2位、市4位（自动补0）",
        ),
        Field("name", "名称", required=True, aliases=("行政区划名称", "name"), max_length=64),
        Field("city_code", "所属地市代码", aliases=("citycode", "市代码", "上级代码")),
        Field("province_code", "所属省份代码", aliases=("provincecode", "省代码")),
    ]

    @staticmethod
    def pad(value: Any) -> str | None:
        s = str(value).strip() if value is not None else ""
        if re.fullmatch(r"\d{2}|\d{4}|\d{6}", s):
            return s.ljust(6, "0")
        return None

    @staticmethod
    def level(code: str) -> str:
        if code.endswith("0000"):
            return Region.Level.PROVINCE
        if code.endswith("00"):
            return Region.Level.CITY
        return Region.Level.COUNTY

    def prepare(self, rows: list[Row]) -> None:
        self.existing = {r.code: r for r in Region.objects.all()}
        self.in_file: dict[str, int] = {}
        for row in rows:
            code = self.pad(row.raw.get("code"))
            if code:
                self.in_file.setdefault(code, row.number)

    def plan_row(self, row: Row) -> Change | None:
        v, n = row.values, row.number
        code = self.pad(row.raw.get("code"))
        if code is None:
            self.error(n, "code", row.raw.get("code"), "不是行政区划代码（6位数字；省2位、市4位亦可）")
            return None
        if not v["name"]:
            return None
        if self.in_file.get(code) != n:
            self.error(n, "code", code, f"与第{self.in_file[code]}行重复")
            return None
        level = self.level(code)
        parent_code = None
        if level == Region.Level.CITY:
            parent_code = self.pad(v["province_code"]) or code[:2] + "0000"
        elif level == Region.Level.COUNTY:
            city = self.pad(v["city_code"]) or code[:4] + "00"
            parent_code = city if (city in self.in_file or city in self.existing) else code[:2] + "0000"
        if parent_code and parent_code not in self.in_file and parent_code not in self.existing:
            self.error(n, "code", code, f"上级行政区 {parent_code} 既不在文件中，也未导入；请先导入省、市")
            return None
        current = self.existing.get(code)
        what = f"{code} {v['name']}"
        if (
            current is not None
            and current.name == v["name"]
            and current.level == level
            and ((current.parent.code if current.parent else None) == parent_code)
        ):
            return Change(n, SAME, what)
        short = current.short_name if current is not None else ""
        name = v["name"]

        def apply(actor: Any) -> None:
            parent = Region.objects.get(code=parent_code) if parent_code else None
            region_upsert(code=code, name=name, level=level, parent=parent, short_name=short, actor=actor)

        return Change(n, NEW if current is None else UPDATE, what, apply)

    def finish(self, changes: list[Change]) -> list[Change]:
        order: dict[str, int] = {Region.Level.PROVINCE: 0, Region.Level.CITY: 1, Region.Level.COUNTY: 2}
        return sorted(changes, key=lambda c: (order[self.level(c.what[:6])], c.row))


# Currencies worth more than a US dollar; the others' rate to US$ is below 1 (a rate above 1 is per dollar).
STRONGER_THAN_USD = {"EUR", "GBP", "CHF", "KWD", "BHD", "OMR", "JOD", "KYD", "GIP", "FKP"}


class RatesImporter(Importer):
    kind = "rates"
    title = "月度参考汇率"
    permission = "rate.write"
    fields = [
        Field(
            "currency",
            "币种",
            required=True,
            aliases=("货币", "币别", "currency"),
            note="欧元、日元、港币、人民币……或 EUR、JPY、HKD、CNY 等代码",
            example="EUR",
        ),
        Field("month", "月份", kind="month", required=True, aliases=("年月", "月度", "month")),
        Field(
            "rate_to_usd",
            "折美元汇率",
            kind="decimal",
            required=True,
            positive=True,
            aliases=("参考汇率", "汇率", "1单位原币折美元", "rate"),
            note="1 单位原币折合多少美元（如 1 欧元 = 1.12 美元 填 1.12）；写成“每美元合多少原币”时会提示并按倒数读取",
        ),
        Field(
            "source", "来源", aliases=("数据来源", "出处"), max_length=128, note="如 国家外汇管理局各种货币对美元折算率"
        ),
    ]

    def prepare(self, rows: list[Row]) -> None:
        self.existing = {(r.currency, r.month): r for r in MonthlyRate.objects.all()}
        self.seen: dict[Any, int] = {}
        self.in_file: dict[tuple[str, date], Decimal] = {}
        for row in rows:
            code = currency_code(row.values.get("currency"))
            if code and row.values.get("month") and row.values.get("rate_to_usd"):
                self.in_file.setdefault((code, row.values["month"]), row.values["rate_to_usd"])

    def _neighbour(self, currency: str, month: date) -> Decimal | None:
        from zhaoshang.common.periods import add_months

        for step in (-1, 1, -2, 2, -12):
            key = (currency, add_months(month, step))
            found = self.in_file.get(key) or (self.existing[key].rate_to_usd if key in self.existing else None)
            if found:
                return found
        return None

    def plan_row(self, row: Row) -> Change | None:
        v, n = row.values, row.number
        before = len(self.errors)
        currency = currency_code(v["currency"])
        if currency is not None and not re.fullmatch(r"[A-Z]{3}", currency):
            self.error(n, "currency", v["currency"], "不是可识别的币种（如 欧元、日元、港币，或 EUR、JPY、HKD）")
        elif currency == "USD":
            self.error(n, "currency", v["currency"], "美元无需参考汇率（恒为1）")
        rate, month = v["rate_to_usd"], v["month"]
        if rate is not None and rate <= 0:
            self.error(n, "rate_to_usd", rate, "必须大于0")
        if self.failed(row, before) or currency is None or rate is None or month is None:
            return None
        if earlier := duplicate_key(self.seen, (currency, month), row):
            self.error(n, "month", month_label(month), f"与第{earlier}行重复（同一币种和月份）")
            return None
        near = self._neighbour(currency, month)
        wrong_side = (rate < 1) if currency in STRONGER_THAN_USD else (rate > 1)
        if near is not None and near != rate:
            check = check_rate(currency, month, rate, near)
            if check.warning and check.rate is not None and check.rate != rate:
                if wrong_side:  # of two rates that are each other's inverse, the one on the wrong side of 1
                    self.warn(
                        n, "rate_to_usd", rate, check.warning.replace(f"{month_label(month)}参考汇率", "相邻月份的汇率")
                    )
                    rate = check.rate
            elif check.warning:
                self.warn(
                    n, "rate_to_usd", rate, check.warning.replace(f"{month_label(month)}参考汇率", "相邻月份的汇率")
                )
        elif near is None and wrong_side:
            flipped, name = inverted(rate), currency_name(currency)
            self.warn(
                n,
                "rate_to_usd",
                rate,
                f"1 {name}折合 {rate} 美元不合常理，似乎写成了每美元合多少{name}；将按 1 {name} = {flipped} 美元读取",
            )
            rate = flipped
        source = v["source"] or ""
        what = f"{currency_name(currency)}（{currency}） {month_label(month)} 1 {currency} = {rate} 美元"
        current = self.existing.get((currency, month))
        if current is not None and (current.rate_to_usd, current.source) == (rate, source):
            return Change(n, SAME, what)
        action = NEW if current is None else UPDATE
        shown = what if current is None else f"{what}（原 {current.rate_to_usd}）"
        final_rate = rate
        return Change(
            n,
            action,
            shown,
            lambda actor: rate_set(currency=currency, month=month, rate_to_usd=final_rate, source=source, actor=actor),
        )


KINDS: dict[str, type[Importer]] = {
    k.kind: k
    for k in (
        ProjectsImporter,
        ArrivalsImporter,
        FollowupsImporter,
        TargetsImporter,
        ProvinceFiguresImporter,
        Fortune500Importer,
        IndustriesImporter,
        DivisionsImporter,
        RatesImporter,
        EnterpriseAnnualImporter,
    )
}


def importer_for(kind: str, *, actor: Any = None, **options: Any) -> Importer:
    return KINDS[kind](actor=actor, **options)


def load_file(
    kind: str,
    source: Any,
    *,
    actor: Any = None,
    dry_run: bool = False,
    table: Table | None = None,
    plan_only: bool = False,
    reader: Callable[[Any], Table] | None = None,  # None: imports.isolation.read_isolated
    **options: Any,
) -> ImportResult:
    """Import one file of a kind: all rows or none; `dry_run` applies and rolls back, showing what would change."""
    return run_import(
        importer_for(kind, actor=actor, **options),
        source,
        dry_run=dry_run,
        table=table,
        plan_only=plan_only,
        reader=reader,
    )


def template_options(kind: str) -> dict[str, list[str]]:
    """Drop-down values that live in the database: units, countries, industries, regions."""
    options: dict[str, list[str]] = {}
    if kind in ("projects", "arrivals", "followups", "targets", "enterprise-annual"):
        options["unit"] = [u.name for u in Unit.objects.filter(is_active=True)]
        if kind == "targets":
            options["unit"] = ["全市", *options["unit"]]
    if kind == "projects":
        options["country"] = [c.name for c in Country.objects.all()]
        options["industry"] = [f"{i.code} {i.name}" for i in Industry.objects.filter(level=Industry.Level.CLASS)]
    if kind == "province-figures":
        options["region"] = [r.name for r in Region.objects.filter(level__in=["province", "city"])]
    return options


def template_for(kind: str) -> bytes:
    from .reconcile import OfficialImporter
    from .xlsx import template

    cls = OfficialImporter if kind == "official" else KINDS[kind]
    return template(list(cls.fields), title=cls.title, options=template_options(kind))
