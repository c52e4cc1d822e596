"""The desk's forms: they only read and shape input; every rule is checked again by the service they feed."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError

from zhaoshang.common.periods import FIRST_YEAR, LAST_YEAR
from zhaoshang.projects.evidence import ACCEPT_ATTR
from zhaoshang.projects.models import (
    STAGE_ORDER,
    ArrivalKind,
    EvidenceKind,
    FollowUp,
    Project,
    ProjectStatus,
    Stage,
    StallObstacle,
    stage_index,
)
from zhaoshang.stats.indicators import BY_KEY, TARGETABLE
from zhaoshang.units.models import Unit

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def apply_service_error(form: forms.Form, error: ValidationError, aliases: dict[str, str] | None = None) -> None:
    """Puts a service's refusal next to the field it names (or above the form when no field matches)."""
    aliases = aliases or {}
    if hasattr(error, "error_dict"):
        for key, messages in error.message_dict.items():
            name = aliases.get(key, key)
            for message in messages:
                form.add_error(name if name in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


class AdvanceStageForm(forms.Form):
    to_stage = forms.ChoiceField(label="推进至", choices=())
    on = forms.DateField(label="日期", widget=DATE_WIDGET)
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if project.stage == Stage.DROPPED:
            later: list[Stage] = []
        else:
            later = [s for s in STAGE_ORDER if stage_index(s) > stage_index(project.stage)]
        field = cast(forms.ChoiceField, self.fields["to_stage"])
        field.choices = [(s.value, s.label) for s in later]


MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


WAN = Decimal(10_000)
CURRENCY_HELP = "美元、港币、欧元、日元、人民币，或 USD、HKD 等代码"
RATE_HELP = "1 单位原币折合美元；空则取当月参考汇率（美元为1）"


def wan_to_units(value: Decimal, field: str) -> Decimal:
    """An amount typed in 万 of its currency, in whole units of it (to the cent)."""
    amount = value * WAN
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({field: f"“{value}”万元精确到分最多六位小数"})
    return amount.quantize(Decimal("0.01"))


class ConfirmingForm(forms.Form):
    """A form that asks before saving what looks implausible: the warnings are shown and a checkbox appears."""

    confirm = forms.BooleanField(label="已核对以上警告，确认保存", required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["confirm"] = self.fields.pop("confirm")  # last, after the fields it confirms
        self.warnings: list[str] = []

    def ask(self, warnings: list[str]) -> None:
        self.warnings = warnings
        self.fields["confirm"].widget = forms.CheckboxInput()


class ArrivalForm(ConfirmingForm):
    month = forms.CharField(label="到资月份", widget=forms.TextInput(attrs={"type": "month", "placeholder": "2020-09"}))
    kind = forms.ChoiceField(label="到资类型", choices=ArrivalKind.choices)
    amount = forms.DecimalField(
        label="到资金额（原币万元）", max_digits=18, decimal_places=6, help_text="按所选币种，以万元计；必须大于0"
    )
    currency = forms.CharField(label="币种", max_length=8, initial="USD", help_text=CURRENCY_HELP)
    rate_to_usd = forms.DecimalField(
        label="折美元汇率", max_digits=16, decimal_places=8, required=False, help_text=RATE_HELP
    )
    is_financial = forms.BooleanField(label="金融业（银行、证券、保险）", required=False)
    note = forms.CharField(label="备注", max_length=200, required=False)
    reason = forms.CharField(
        label="更正原因（补录已关账月份时必填）", max_length=200, required=False, help_text="将记入下期通报的更正说明"
    )
    merge = forms.BooleanField(label="合并到本月已有的同类记录（金额相加）", required=False, widget=forms.HiddenInput)

    def ask_merge(self, message: str) -> None:
        """A record of the same project, month and type exists: say so, and offer to add to it instead."""
        self.add_error("month", message)
        self.fields["merge"].widget = forms.CheckboxInput()

    def clean_amount(self) -> Decimal:
        value = self.cleaned_data["amount"]
        if value <= 0:
            raise ValidationError("到资金额必须大于0")
        return value

    def clean_month(self) -> date:
        text = self.cleaned_data["month"].strip()
        m = MONTH.match(text)
        if not m or not 1 <= int(m[2]) <= 12:
            raise ValidationError(f"到资月份“{text}”无法识别：应为 2020-09 这样的年月")
        return date(int(m[1]), int(m[2]), 1)


class StatusForm(forms.Form):
    """The project's status beside its stage; what each status asks for is checked by `project_status_set`."""

    status = forms.ChoiceField(label="状态", choices=ProjectStatus.choices)
    on = forms.DateField(label="日期", widget=DATE_WIDGET)
    reason = forms.CharField(label="原因", max_length=200, required=False, help_text="延期、停滞、流失、中止必填")
    expected_on = forms.DateField(label="延期后的预计日期", widget=DATE_WIDGET, required=False)
    obstacle = forms.ChoiceField(label="停滞原因类别", choices=[("", "—"), *StallObstacle.choices], required=False)
    destination = forms.CharField(
        label="去向（城市或国家）", max_length=64, required=False, help_text="流失、中止时填写；未流向他处填“无”"
    )


class EvidenceForm(forms.Form):
    """An evidence file for a stage to come or reached, or for an arrival; the content is checked by the service."""

    kind = forms.ChoiceField(label="材料类型", choices=EvidenceKind.choices)
    target = forms.ChoiceField(label="证明", choices=())
    file = forms.FileField(label="文件", help_text="PDF、JPEG、PNG、OFD、Word（.docx）、Excel（.xlsx）")
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stages = [(f"stage:{s.value}", f"阶段：{s.label}") for s in [*STAGE_ORDER[1:], Stage.DROPPED]]
        arrivals = [
            (f"arrival:{a.pk}", f"到资：{a.month:%Y-%m} {a.get_kind_display()}")
            for a in project.arrivals.order_by("month", "id")
        ]
        field = cast(forms.ChoiceField, self.fields["target"])
        field.choices = stages + arrivals
        self.fields["file"].widget.attrs["accept"] = ACCEPT_ATTR


class FollowUpForm(forms.Form):
    on = forms.DateField(label="跟进日期", widget=DATE_WIDGET)
    channel = forms.ChoiceField(label="方式", choices=FollowUp.Channel.choices)
    summary = forms.CharField(label="情况摘要", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    next_on = forms.DateField(label="下次跟进日期", widget=DATE_WIDGET, required=False)


MONEY_TARGETS = {"actual_use_usd", "contract_usd"}


class TargetForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=FIRST_YEAR, max_value=LAST_YEAR)
    unit = forms.ChoiceField(label="单位", choices=(), required=False)
    indicator = forms.ChoiceField(label="指标", choices=[(k, BY_KEY[k].label) for k in TARGETABLE])
    value = forms.DecimalField(label="目标值", max_digits=18, decimal_places=2, help_text="金额以万美元计，项目以个计")
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(is_active=True).order_by("sort_order", "code")
        field = cast(forms.ChoiceField, self.fields["unit"])
        field.choices = [("", "全市"), *[(u.code, u.short_name) for u in units]]

    def target_unit(self) -> Unit | None:
        code = self.cleaned_data.get("unit") or ""
        return Unit.objects.get(code=code) if code else None

    def target_value(self) -> Any:
        """Money targets are entered in 万美元 and stored in US$; counts as they are."""
        value = self.cleaned_data["value"]
        return value * 10_000 if self.cleaned_data["indicator"] in MONEY_TARGETS else value


class PickerSelect(forms.Select):
    """A <select> that Tom Select turns into a search-as-you-type picker fed by /pick/<kind>/; only the chosen
    option is rendered, so the page stays small however long the list grows."""

    def __init__(self, kind: str, placeholder: str) -> None:
        super().__init__(attrs={"data-picker": kind, "data-placeholder": placeholder})


class NewProjectForm(ConfirmingForm):
    """Register a project: the unit (staff: their own), the investor (found by search, or a new one registered in
    the same step), the enterprise (optional, likewise), kind, stage, money and industry."""

    unit = forms.ChoiceField(label="招商主体", choices=())
    name = forms.CharField(label="项目名称", max_length=128)
    kind = forms.ChoiceField(label="项目类型", choices=())
    investor = forms.CharField(
        label="外方投资者",
        required=False,
        widget=PickerSelect("investors", "输入中文或英文名称搜索"),
        help_text="找不到时，在下方“新的投资者”中登记",
    )
    new_investor_name = forms.CharField(label="新的投资者：名称", max_length=128, required=False)
    new_investor_name_en = forms.CharField(label="新的投资者：英文名称", max_length=128, required=False)
    new_investor_country = forms.CharField(
        label="新的投资者：国别（地区）", required=False, widget=PickerSelect("countries", "输入国家或地区搜索")
    )
    new_investor_confirmed = forms.BooleanField(label="已核对相近名称，确是新的投资者", required=False)
    enterprise = forms.CharField(
        label="外资企业（可选）",
        required=False,
        widget=PickerSelect("enterprises", "输入企业名称或信用代码搜索"),
        help_text="已设立的外资企业；找不到时在下方登记",
    )
    new_enterprise_name = forms.CharField(label="新的外资企业：名称", max_length=128, required=False)
    new_enterprise_credit_code = forms.CharField(
        label="新的外资企业：统一社会信用代码", max_length=24, required=False, help_text="18位，按 GB 32100 校验"
    )
    new_enterprise_confirmed = forms.BooleanField(label="已核对相近名称，确是新的企业", required=False)
    stage = forms.ChoiceField(label="起始阶段", choices=())
    stage_on = forms.DateField(label="阶段日期", widget=DATE_WIDGET)
    currency = forms.CharField(label="币种", max_length=8, initial="USD", help_text=CURRENCY_HELP)
    rate_to_usd = forms.DecimalField(
        label="折美元汇率", max_digits=16, decimal_places=8, required=False, help_text=RATE_HELP
    )
    total_investment = forms.DecimalField(
        label="总投资（原币万元）",
        max_digits=18,
        decimal_places=6,
        min_value=0,
        help_text="按所选币种，以万元计（美元项目即万美元）",
    )
    contract_foreign = forms.DecimalField(
        label="合同外资（原币万元）",
        max_digits=18,
        decimal_places=6,
        min_value=0,
        help_text="按所选币种，以万元计（美元项目即万美元）",
    )
    industry = forms.CharField(
        label="行业（GB/T 4754）",
        max_length=8,
        required=False,
        widget=PickerSelect("industries", "输入行业代码或名称搜索"),
    )
    leader = forms.CharField(label="包抓领导", max_length=32, required=False)
    note = forms.CharField(label="备注", widget=forms.Textarea(attrs={"rows": 2}), required=False)

    GROUPS = {
        "new_investor": ["new_investor_name", "new_investor_name_en", "new_investor_country", "new_investor_confirmed"],
        "new_enterprise": ["new_enterprise_name", "new_enterprise_credit_code", "new_enterprise_confirmed"],
    }

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        from zhaoshang.projects.models import ProjectKind

        super().__init__(*args, **kwargs)
        choices = {
            "unit": [(u.code, u.short_name) for u in units],
            "kind": list(ProjectKind.choices),
            "stage": [(s.value, s.label) for s in STAGE_ORDER],
        }
        for name, values in choices.items():
            field = cast(forms.ChoiceField, self.fields[name])
            field.choices = values
        self._chosen_options()

    def _chosen_options(self) -> None:
        """Each picker renders the option already chosen (after a refusal the page keeps the choice)."""
        from zhaoshang.projects.models import Country, Enterprise, Industry, Investor

        def chosen(name: str) -> str:
            raw = self.data.get(name) if self.is_bound else self.initial.get(name)
            return str(raw or "").strip()

        labels: dict[str, str] = {}
        if (value := chosen("investor")).isdigit():
            inv = Investor.objects.select_related("country").filter(pk=int(value)).first()
            if inv:
                labels["investor"] = f"{inv.name}（{inv.country.name}）"
        if (value := chosen("enterprise")).isdigit():
            ent = Enterprise.objects.filter(pk=int(value)).first()
            if ent:
                labels["enterprise"] = ent.name
        if value := chosen("industry"):
            ind = Industry.objects.filter(code=value).first()
            labels["industry"] = f"{ind.code} {ind.name}" if ind else value
        if value := chosen("new_investor_country"):
            country = Country.objects.filter(code=value.upper()).first()
            labels["new_investor_country"] = country.name if country else value
        for name in ("investor", "enterprise", "industry", "new_investor_country"):
            widget = cast(forms.Select, self.fields[name].widget)
            value = chosen(name)
            widget.choices = [("", "")] + ([(value, labels.get(name, value))] if value else [])

    @property
    def new_investor_fields(self) -> list[Any]:
        return [self[name] for name in self.GROUPS["new_investor"]]

    @property
    def new_enterprise_fields(self) -> list[Any]:
        return [self[name] for name in self.GROUPS["new_enterprise"]]

    def main_fields(self) -> list[Any]:
        hidden = {n for names in self.GROUPS.values() for n in names}
        return [f for f in self if f.name not in hidden]


REASON_HELP = "必填；已关账月份的更正将记入下期通报的更正说明"


class ArrivalCorrectForm(forms.Form):
    """Correct one of the project's arrivals: its amount, month or type, with the reason (the record keeps its id)."""

    arrival = forms.ChoiceField(label="到资记录", choices=())
    month = forms.CharField(
        label="更正后月份", required=False, widget=forms.TextInput(attrs={"type": "month", "placeholder": "不变"})
    )
    kind = forms.ChoiceField(label="更正后类型", choices=(), required=False)
    amount = forms.DecimalField(
        label="更正后金额（原币万元）", max_digits=18, decimal_places=6, required=False, help_text="留空为不变"
    )
    reason = forms.CharField(label="更正原因", max_length=200, help_text=REASON_HELP)

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rows = project.arrivals.filter(voided_at__isnull=True).order_by("month", "id")
        cast(forms.ChoiceField, self.fields["arrival"]).choices = [
            (str(a.pk), f"第{a.pk}号 {a.month:%Y-%m} {a.get_kind_display()} {a.amount / WAN:.2f}万{a.currency}")
            for a in rows
        ]
        cast(forms.ChoiceField, self.fields["kind"]).choices = [("", "不变"), *ArrivalKind.choices]

    def clean_month(self) -> date | None:
        text = (self.cleaned_data.get("month") or "").strip()
        if not text:
            return None
        m = MONTH.match(text)
        if not m or not 1 <= int(m[2]) <= 12:
            raise ValidationError(f"到资月份“{text}”无法识别：应为 2020-09 这样的年月")
        return date(int(m[1]), int(m[2]), 1)

    def clean_amount(self) -> Decimal | None:
        value = self.cleaned_data.get("amount")
        if value is not None and value <= 0:
            raise ValidationError("到资金额必须大于0")
        return value


class ArrivalVoidForm(forms.Form):
    """Void one of the project's arrivals (a duplicate, a transfer that never came), with the reason: it keeps its
    id and history, and counts 0 on every caliber."""

    arrival = forms.ChoiceField(label="作废的到资记录", choices=())
    reason = forms.CharField(label="作废原因", max_length=200, help_text=REASON_HELP)

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rows = project.arrivals.filter(voided_at__isnull=True).order_by("month", "id")
        cast(forms.ChoiceField, self.fields["arrival"]).choices = [
            (str(a.pk), f"第{a.pk}号 {a.month:%Y-%m} {a.get_kind_display()} {a.amount / WAN:.2f}万{a.currency}")
            for a in rows
        ]


class ProjectEditForm(forms.Form):
    """Correct a project's facts with a reason; the city administrator may also change its unit and kind."""

    name = forms.CharField(label="项目名称", max_length=128)
    leader = forms.CharField(label="包抓领导", max_length=32, required=False)
    total_investment = forms.DecimalField(label="总投资（原币万元）", max_digits=18, decimal_places=6, min_value=0)
    contract_foreign = forms.DecimalField(label="合同外资（原币万元）", max_digits=18, decimal_places=6, min_value=0)
    kind = forms.ChoiceField(label="项目类型", choices=(), required=False)
    unit = forms.ChoiceField(label="招商主体", choices=(), required=False)
    reason = forms.CharField(label="修改原因", max_length=200)

    def __init__(self, *args: Any, project: Project, city: bool = False, **kwargs: Any) -> None:
        from zhaoshang.projects.models import ProjectKind

        kwargs.setdefault(
            "initial",
            {
                "name": project.name,
                "leader": project.leader,
                "total_investment": (project.total_investment / WAN).normalize(),
                "contract_foreign": (project.contract_foreign / WAN).normalize(),
                "kind": project.kind,
                "unit": project.unit.code,
            },
        )
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = list(ProjectKind.choices)
        units = Unit.objects.filter(is_active=True).order_by("sort_order", "code")
        cast(forms.ChoiceField, self.fields["unit"]).choices = [(u.code, u.short_name) for u in units]
        if not city:  # unit staff see neither: the unit and kind are the city's to correct
            del self.fields["kind"]
            del self.fields["unit"]


class WithdrawStageForm(forms.Form):
    reason = forms.CharField(label="撤回原因", max_length=200)
