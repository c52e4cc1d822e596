"""Every model field that moves a figure leaves a history row — who, when, why, before and after — whichever way
it is changed: through its service, on the admin site (posted as a city administrator), or by an import.

FIGURE_FIELDS is the declared list, reviewed against what `stats/selectors.py`, `stats/caliber.py`,
`common/clock.py` and `race/selectors.py` read. For each field, CHANGES holds one change per path that can change
it; a field the admin shows read-only is listed in ADMIN_READ_ONLY and checked to be so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import pytest
from django.db import models

from zhaoshang.accounts.models import User
from zhaoshang.common.models import SiteConfig
from zhaoshang.imports.kinds import INDICATOR_LABELS, load_file
from zhaoshang.projects import services as ps
from zhaoshang.projects.models import (
    CapitalArrival,
    Country,
    FollowUp,
    Fortune500Entry,
    Fortune500List,
    Investor,
    Project,
)
from zhaoshang.projects.tests.factories import InvestorFactory, ProjectFactory
from zhaoshang.race import services as rs
from zhaoshang.race.models import Competition, CompetitionIndicator, CompetitionTarget
from zhaoshang.race.tests.factories import CompetitionFactory
from zhaoshang.stats import services as ss
from zhaoshang.stats.models import ProvinceFigure, ProvinceIndicator, StatsConfig, Target
from zhaoshang.units.models import Unit

pytestmark = pytest.mark.django_db

M = Decimal(1_000_000)
RULES_JSON = '{"fortune500_stage": 0, "over_100m_stage": 1, "largest_arrivals": 2, "fast_progress_days": 90}'

# model, field: the paths that can change it ("service", "admin", "import").
FIGURE_FIELDS: dict[tuple[type[models.Model], str], tuple[str, ...]] = {
    # projects: 合同外资, 超亿美元, 新设项目, 项目计数时点, 世界500强 (investors), 失联风险 (next_follow_up_on)
    (Project, "kind"): ("service",),
    (Project, "total_investment_usd"): ("service", "import"),
    (Project, "contract_foreign_usd"): ("service", "import"),
    (Project, "stage"): ("service",),
    (Project, "signed_on"): ("service",),
    (Project, "registered_on"): ("service",),
    (Project, "next_follow_up_on"): ("service",),
    (Project, "investors"): ("service",),
    # arrivals: 实际使用外资 and its caliber
    # (an import records a new month's arrival; a differing amount for an existing one is refused, so no import path)
    (CapitalArrival, "amount_usd"): ("service",),
    (CapitalArrival, "kind"): ("service",),
    (CapitalArrival, "is_financial"): ("service",),
    (FollowUp, "next_on"): ("service", "import"),
    # Fortune Global 500: which list applies on a date, and which investor an entry is
    (Investor, "parent"): ("admin",),
    (Fortune500List, "published_on"): ("service", "import"),
    (Fortune500Entry, "investor"): ("service",),
    # the units in statistics (参与统计)
    (Unit, "is_active"): ("admin",),
    # the caliber and "today"
    (StatsConfig, "count_reinvested_profit"): ("service", "admin"),
    (StatsConfig, "count_shareholder_loans"): ("service", "admin"),
    (StatsConfig, "growth_caliber"): ("service", "admin"),
    (StatsConfig, "financial_caliber"): ("service", "admin"),
    (StatsConfig, "project_basis"): ("service", "admin"),
    (StatsConfig, "over_100m_threshold_usd"): ("service", "admin"),
    (StatsConfig, "behind_margin_pp"): ("service", "admin"),
    (SiteConfig, "as_of_date"): ("service", "admin"),
    # targets and the province's published figures
    (Target, "value"): ("service", "import"),
    (ProvinceFigure, "value"): ("service", "import"),
    (ProvinceFigure, "yoy_pct"): ("service", "import"),
    # the race: rules, weights and targets
    (Competition, "score_cap"): ("admin",),
    (Competition, "snail_margin_pp"): ("admin",),
    (Competition, "stall_days"): ("admin",),
    (Competition, "red_flag_rules"): ("admin",),
    (Competition, "units"): ("admin",),
    (CompetitionIndicator, "weight"): ("service", "admin"),
    (CompetitionTarget, "value"): ("service", "admin"),
}

# Fields of the list the admin shows but never changes (they move through a service only).
ADMIN_READ_ONLY: list[tuple[type[models.Model], str]] = [
    (Project, "kind"),
    (Project, "total_investment"),
    (Project, "contract_foreign"),
    (Project, "stage"),
    (Project, "signed_on"),
    (Project, "next_follow_up_on"),
    (Project, "investors"),
    (CapitalArrival, "amount"),
    (FollowUp, "next_on"),
    (Fortune500List, "published_on"),
    (Fortune500Entry, "investor"),
    (Target, "value"),
    (ProvinceFigure, "value"),
]


@dataclass
class Ctx:
    admin: User
    client: Any
    tmp_path: Any
    project: Project
    arrival: CapitalArrival
    competition: Competition
    target: Target
    figure: ProvinceFigure
    units: dict[str, Unit]
    places: dict[str, Any]


@pytest.fixture
def ctx(as_of, users, units, places, project, client, tmp_path) -> Ctx:
    admin = users["admin"]
    project = ps.project_advance_stage(project=project, to_stage="signed", on=date(2020, 2, 1), actor=admin)
    arrival = ps.arrival_record(project=project, month=date(2020, 3, 1), amount=5 * M, kind="paid_in", actor=admin)
    competition = CompetitionFactory.create(
        slug="history", targets={units["jiashan"]: {"actual_use_usd": 10 * M}}, actor=admin
    )
    target = ss.target_set(year=2020, indicator="actual_use_usd", value=100 * M, unit=units["jiashan"], actor=admin)
    figure = ss.province_figure_set(
        region=places["ningbo"],
        first_month=date(2020, 1, 1),
        last_month=date(2020, 6, 1),
        indicator=ProvinceIndicator.ACTUAL_USE,
        value=10 * M,
        yoy_pct=Decimal("5.0"),
        actor=admin,
    )
    ps.fortune500_list_load(
        year=2019, published_on=date(2019, 7, 22), entries=[{"name": "Siemens", "rank": 70}], actor=admin
    )
    client.force_login(admin)
    return Ctx(admin, client, tmp_path, project, arrival, competition, target, figure, units, places)


# ---------------------------------------------------------------- the admin, posted like a browser


class FormFields(HTMLParser):
    """The values a browser would post from the admin's change form."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, Any] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") == "checkbox":
                if "checked" in a:
                    self.data[name] = "on"
            else:
                self.data[name] = a.get("value") or ""
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select] = a.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.data[self._textarea] += data.strip("\n")


def admin_url(obj: models.Model) -> str:
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"


def admin_post(c: Ctx, obj: models.Model, changes: dict[str, Any]) -> None:
    page = c.client.get(admin_url(obj))
    assert page.status_code == 200
    fields = FormFields()
    fields.feed(page.content.decode())
    data = {k: v for k, v in fields.data.items() if k != "csrfmiddlewaretoken"}
    for key, value in changes.items():
        if value is False:
            data.pop(key, None)
        else:
            data[key] = "on" if value is True else value
    answer = c.client.post(admin_url(obj), data)
    assert answer.status_code == 302, answer.content.decode()[-3000:]


def csv_file(c: Ctx, text: str) -> Any:
    path = c.tmp_path / "data.csv"
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- one change per field and path


def weight_row(c: Ctx) -> CompetitionIndicator:
    return c.competition.indicators.get()


def inline_weight(c: Ctx) -> CompetitionIndicator:
    row = weight_row(c)
    admin_post(c, c.competition, {"indicators-0-weight": "80"})
    return row


def inline_target(c: Ctx) -> CompetitionTarget:
    admin_post(c, c.competition, {"targets-0-value": "12000000"})
    return c.competition.targets.get()


def stats_config_admin(field: str, value: Any) -> Callable[[Ctx], Any]:
    def change(c: Ctx) -> Any:
        admin_post(c, StatsConfig.get(), {field: value})
        return StatsConfig.get()

    return change


def stats_config_service(field: str, value: Any) -> Callable[[Ctx], Any]:
    return lambda c: ss.stats_config_update(actor=c.admin, reason="测试", **{field: value})


def import_project_money(c: Ctx) -> Project:
    p = c.project
    load_file(
        "projects",
        csv_file(
            c,
            "项目编号,项目名称,招商主体,项目类型,外方投资者,总投资（万美元）,合同外资（万美元）,阶段日期\n"
            f"{p.code},{p.name},嘉善县,新设,{p.investors.get().name},40000,20000,2020-01-10\n",
        ),
        actor=c.admin,
    )
    return p


def fresh_project_to(c: Ctx, stage: str) -> Project:
    fresh = ProjectFactory.create(unit=c.units["jiashan"], actor=c.admin)
    return ps.project_advance_stage(project=fresh, to_stage=stage, on=date(2020, 4, 1), actor=c.admin)


def new_investor_list(c: Ctx) -> Project:
    other = InvestorFactory.create(name="另一外资", actor=c.admin)
    return ps.project_update(project=c.project, investors=[other], actor=c.admin, reason="更正投资方")


CHANGES: dict[tuple[type[models.Model], str, str], tuple[Callable[[Ctx], Any], Any]] = {
    (Project, "kind", "service"): (
        lambda c: ps.project_update(project=c.project, kind="mna", actor=c.admin, reason="更正类型"),
        "mna",
    ),
    (Project, "total_investment_usd", "service"): (
        lambda c: ps.project_update(project=c.project, total_investment=350 * M, actor=c.admin, reason="增资"),
        350 * M,
    ),
    (Project, "total_investment_usd", "import"): (import_project_money, 400 * M),
    (Project, "contract_foreign_usd", "service"): (
        lambda c: ps.project_update(project=c.project, contract_foreign=200 * M, actor=c.admin, reason="增资"),
        200 * M,
    ),
    (Project, "contract_foreign_usd", "import"): (import_project_money, 200 * M),
    (Project, "stage", "service"): (
        lambda c: ps.project_advance_stage(
            project=c.project, to_stage="construction", on=date(2020, 4, 1), actor=c.admin
        ),
        "construction",
    ),
    (Project, "signed_on", "service"): (lambda c: fresh_project_to(c, "signed"), date(2020, 4, 1)),
    (Project, "registered_on", "service"): (lambda c: fresh_project_to(c, "registered"), date(2020, 4, 1)),
    (Project, "next_follow_up_on", "service"): (
        lambda c: (
            ps.followup_log(
                project=c.project,
                on=date(2020, 5, 1),
                channel="call",
                summary="电话",
                next_on=date(2020, 6, 1),
                actor=c.admin,
            ),
            c.project,
        )[1],
        date(2020, 6, 1),
    ),
    (Project, "investors", "service"): (new_investor_list, "另一外资"),
    (CapitalArrival, "amount_usd", "service"): (
        lambda c: ps.arrival_update(arrival=c.arrival, amount=6 * M, reason="核对更正", actor=c.admin),
        6 * M,
    ),
    (CapitalArrival, "kind", "service"): (
        lambda c: ps.arrival_update(arrival=c.arrival, kind="capital_increase", reason="更正类型", actor=c.admin),
        "capital_increase",
    ),
    (CapitalArrival, "is_financial", "service"): (
        lambda c: ps.arrival_update(arrival=c.arrival, is_financial=True, reason="金融业", actor=c.admin),
        True,
    ),
    (FollowUp, "next_on", "service"): (
        lambda c: ps.followup_log(
            project=c.project,
            on=date(2020, 5, 1),
            channel="visit",
            summary="拜访",
            next_on=date(2020, 7, 1),
            actor=c.admin,
        ),
        date(2020, 7, 1),
    ),
    (FollowUp, "next_on", "import"): (
        lambda c: (
            load_file(
                "followups",
                csv_file(
                    c,
                    f"项目编号,跟进日期,跟进方式,情况摘要,下次跟进日期\n{c.project.code},2020-05-02,电话,电话,2020-08-01\n",
                ),
                actor=c.admin,
            ),
            FollowUp.objects.get(project=c.project),
        )[1],
        date(2020, 8, 1),
    ),
    (Investor, "parent", "admin"): (
        lambda c: (
            admin_post(c, c.project.investors.get(), {"parent": str(InvestorFactory.create(name="母公司").pk)}),
            c.project.investors.get(),
        )[1],
        "母公司",
    ),
    (Fortune500List, "published_on", "service"): (
        lambda c: ps.fortune500_list_load(
            year=2019, published_on=date(2019, 8, 1), entries=[{"name": "Siemens", "rank": 70}], actor=c.admin
        )[0],
        date(2019, 8, 1),
    ),
    (Fortune500List, "published_on", "import"): (
        lambda c: (
            load_file(
                "fortune500",
                csv_file(c, "Rank,Company\n70,Siemens\n"),
                actor=c.admin,
                year=2019,
                published_on=date(2019, 7, 30),
            ),
            Fortune500List.objects.get(year=2019),
        )[1],
        date(2019, 7, 30),
    ),
    (Fortune500Entry, "investor", "service"): (
        lambda c: (
            ps.investor_create(
                name="西门子股份公司", name_en="Siemens", country=Country.objects.get(code="DE"), actor=c.admin
            ),
            Fortune500Entry.objects.get(name="Siemens"),
        )[1],
        "西门子股份公司",
    ),
    (Unit, "is_active", "admin"): (
        lambda c: (admin_post(c, c.units["zone"], {"is_active": False}), c.units["zone"])[1],
        False,
    ),
    (StatsConfig, "count_reinvested_profit", "service"): (
        stats_config_service("count_reinvested_profit", False),
        False,
    ),
    (StatsConfig, "count_reinvested_profit", "admin"): (stats_config_admin("count_reinvested_profit", False), False),
    (StatsConfig, "count_shareholder_loans", "service"): (stats_config_service("count_shareholder_loans", True), True),
    (StatsConfig, "count_shareholder_loans", "admin"): (stats_config_admin("count_shareholder_loans", True), True),
    (StatsConfig, "growth_caliber", "service"): (stats_config_service("growth_caliber", "full"), "full"),
    (StatsConfig, "growth_caliber", "admin"): (stats_config_admin("growth_caliber", "comparable"), "comparable"),
    (StatsConfig, "financial_caliber", "service"): (
        stats_config_service("financial_caliber", "mofcom_pre_2022_05"),
        "mofcom_pre_2022_05",
    ),
    (StatsConfig, "financial_caliber", "admin"): (
        stats_config_admin("financial_caliber", "mofcom_pre_2022_05"),
        "mofcom_pre_2022_05",
    ),
    (StatsConfig, "project_basis", "service"): (stats_config_service("project_basis", "registered"), "registered"),
    (StatsConfig, "project_basis", "admin"): (stats_config_admin("project_basis", "registered"), "registered"),
    (StatsConfig, "over_100m_threshold_usd", "service"): (
        stats_config_service("over_100m_threshold_usd", Decimal(50_000_000)),
        Decimal(50_000_000),
    ),
    (StatsConfig, "over_100m_threshold_usd", "admin"): (
        stats_config_admin("over_100m_threshold_usd", "50000000"),
        Decimal(50_000_000),
    ),
    (StatsConfig, "behind_margin_pp", "service"): (stats_config_service("behind_margin_pp", Decimal(3)), Decimal(3)),
    (StatsConfig, "behind_margin_pp", "admin"): (stats_config_admin("behind_margin_pp", "3.0"), Decimal(3)),
    (SiteConfig, "as_of_date", "service"): (
        lambda c: ss.site_config_update(as_of_date=date(2020, 11, 30), actor=c.admin, reason="回看11月"),
        date(2020, 11, 30),
    ),
    (SiteConfig, "as_of_date", "admin"): (
        lambda c: (admin_post(c, SiteConfig.get(), {"as_of_date": "2020-10-31"}), SiteConfig.get())[1],
        date(2020, 10, 31),
    ),
    (Target, "value", "service"): (
        lambda c: ss.target_set(
            year=2020, indicator="actual_use_usd", value=120 * M, unit=c.units["jiashan"], actor=c.admin
        ),
        120 * M,
    ),
    (Target, "value", "import"): (
        lambda c: (
            load_file(
                "targets",
                csv_file(
                    c, f"年度,招商主体,指标,目标值（万美元）\n2020,嘉善县,{INDICATOR_LABELS['actual_use_usd']},13000\n"
                ),
                actor=c.admin,
            ),
            c.target,
        )[1],
        130 * M,
    ),
    (ProvinceFigure, "value", "service"): (
        lambda c: ss.province_figure_set(
            region=c.places["ningbo"],
            first_month=date(2020, 1, 1),
            last_month=date(2020, 6, 1),
            indicator=ProvinceIndicator.ACTUAL_USE,
            value=11 * M,
            yoy_pct=Decimal("5.0"),
            actor=c.admin,
        ),
        11 * M,
    ),
    (ProvinceFigure, "value", "import"): (
        lambda c: (
            load_file(
                "province-figures",
                csv_file(
                    c,
                    f"地区,起始月份,截止月份,指标,数值（万美元）,同比增长（%）\n"
                    f"宁波市,2020-01,2020-06,{ProvinceIndicator.ACTUAL_USE.label},1200,6.5\n",
                ),
                actor=c.admin,
            ),
            c.figure,
        )[1],
        12 * M,
    ),
    (ProvinceFigure, "yoy_pct", "service"): (
        lambda c: ss.province_figure_set(
            region=c.places["ningbo"],
            first_month=date(2020, 1, 1),
            last_month=date(2020, 6, 1),
            indicator=ProvinceIndicator.ACTUAL_USE,
            value=10 * M,
            yoy_pct=Decimal("7.5"),
            actor=c.admin,
        ),
        Decimal("7.5"),
    ),
    (ProvinceFigure, "yoy_pct", "import"): (
        lambda c: (
            load_file(
                "province-figures",
                csv_file(
                    c,
                    f"地区,起始月份,截止月份,指标,数值（万美元）,同比增长（%）\n"
                    f"宁波市,2020-01,2020-06,{ProvinceIndicator.ACTUAL_USE.label},1000,6.5\n",
                ),
                actor=c.admin,
            ),
            c.figure,
        )[1],
        Decimal("6.5"),
    ),
    (Competition, "score_cap", "admin"): (
        lambda c: (admin_post(c, c.competition, {"score_cap": "1.50"}), c.competition)[1],
        Decimal("1.50"),
    ),
    (Competition, "snail_margin_pp", "admin"): (
        lambda c: (admin_post(c, c.competition, {"snail_margin_pp": "8.0"}), c.competition)[1],
        Decimal("8.0"),
    ),
    (Competition, "stall_days", "admin"): (
        lambda c: (admin_post(c, c.competition, {"stall_days": "30"}), c.competition)[1],
        30,
    ),
    (Competition, "red_flag_rules", "admin"): (
        lambda c: (
            admin_post(
                c,
                c.competition,
                {"red_flag_rules": RULES_JSON},
            ),
            c.competition,
        )[1],
        {"fortune500_stage": 0, "over_100m_stage": 1, "largest_arrivals": 2, "fast_progress_days": 90},
    ),
    (Competition, "units", "admin"): (
        lambda c: (admin_post(c, c.competition, {"units": [str(c.units["zone"].pk)]}), c.competition)[1],
        "嘉兴经济技术开发区",
    ),
    (CompetitionIndicator, "weight", "service"): (
        lambda c: rs.competition_weight_set(
            competition=c.competition, indicator="actual_use_usd", weight=Decimal(70), actor=c.admin
        ),
        Decimal(70),
    ),
    (CompetitionIndicator, "weight", "admin"): (inline_weight, Decimal(80)),
    (CompetitionTarget, "value", "service"): (
        lambda c: (
            rs.competition_target_set(
                competition=c.competition,
                unit=c.units["jiashan"],
                indicator="actual_use_usd",
                value=11 * M,
                actor=c.admin,
            ),
            c.competition.targets.get(),
        )[1],
        11 * M,
    ),
    (CompetitionTarget, "value", "admin"): (inline_target, 12 * M),
}


def history_value(row: Any, field: str) -> Any:
    if field == "investors":  # a history row lists the links (investor_id); a project, the investors
        links = row.investors.all()
        ids = [getattr(link, "investor_id", link.pk) for link in links]
        return "、".join(sorted(Investor.objects.filter(pk__in=ids).values_list("name", flat=True)))
    if field == "units":  # the same for a competition's units
        ids = [getattr(link, "unit_id", link.pk) for link in row.units.all()]
        return "、".join(sorted(Unit.objects.filter(pk__in=ids).values_list("name", flat=True)))
    if field in ("parent", "investor"):
        related = getattr(row, field)
        return related.name if related is not None else None
    return getattr(row, field)


def test_the_list_is_complete_and_every_model_in_it_keeps_history():
    declared = {(model, field, path) for (model, field), paths in FIGURE_FIELDS.items() for path in paths}
    assert set(CHANGES) == declared
    for model, field in FIGURE_FIELDS:
        assert hasattr(model, "history"), model
        model._meta.get_field(field)


@pytest.mark.parametrize(
    ("model", "field", "path"),
    [pytest.param(*key, id=f"{key[0].__name__}.{key[1]}-{key[2]}") for key in CHANGES],
)
def test_changing_a_figure_field_leaves_a_history_row(ctx, model, field, path):
    change, new = CHANGES[model, field, path]
    rows_before = model.history.count()
    obj = change(ctx)
    assert isinstance(obj, model)
    rows = list(model.history.filter(id=obj.pk).order_by("-history_date", "-history_id").select_related("history_user"))
    assert model.history.count() > rows_before
    latest = rows[0]
    assert latest.history_user == ctx.admin
    assert latest.history_change_reason, "a history row without a reason"
    assert history_value(latest, field) == new
    # before/after: going back from the latest row, past the rows that hold the new value (a change may save twice,
    # e.g. an arrival and then its claim state), the row before holds the value it had — unless it was created.
    older = iter(rows)
    first_new = next(older)
    for row in older:
        if history_value(row, field) != new:
            assert first_new.history_type == "~"
            break
        first_new = row
    else:
        assert first_new.history_type == "+", "no row holds the value before the change"


@pytest.mark.parametrize(("model", "field"), ADMIN_READ_ONLY, ids=lambda v: getattr(v, "__name__", v))
def test_the_admin_shows_read_only_what_only_a_service_may_change(ctx, model, field):
    obj = {
        Project: ctx.project,
        CapitalArrival: ctx.arrival,
        FollowUp: None,
        Fortune500List: Fortune500List.objects.first(),
        Fortune500Entry: Fortune500Entry.objects.first(),
        Target: ctx.target,
        ProvinceFigure: ctx.figure,
    }[model]
    if obj is None:
        obj = ps.followup_log(
            project=ctx.project,
            on=date(2020, 5, 1),
            channel="call",
            summary="电话",
            next_on=date(2020, 6, 1),
            actor=ctx.admin,
        )
    obj.refresh_from_db()
    page = ctx.client.get(admin_url(obj))
    assert page.status_code == 200
    assert f'name="{field}"'.encode() not in page.content
    history_before = model.history.count()
    value_before = history_value(obj, field)
    ctx.client.post(admin_url(obj), {field: "1"})  # refused (403) or ignored: the field is not in the form
    obj.refresh_from_db()
    assert model.history.count() == history_before
    assert history_value(obj, field) == value_before


def test_the_project_history_names_the_investors_before_and_after(ctx):
    from zhaoshang.projects.selectors import project_history

    before = ctx.project.investors.get().name
    new_investor_list(ctx)
    latest = project_history(ctx.project)[0]
    assert (latest.who, latest.reason) == ("管理员", "更正投资方")
    assert ("外方投资者", before, "另一外资") in latest.changes
