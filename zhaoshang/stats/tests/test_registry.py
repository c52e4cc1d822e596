"""One definition per figure: the registry's figures, the desk's 超亿 badge, filter and export, and the race's city
total all agree — on a small case built by hand, where the copies used to disagree."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.db.models import Q

from zhaoshang.common.periods import MonthRange
from zhaoshang.projects import services as ps
from zhaoshang.projects.models import Country, Project, Stage
from zhaoshang.race import selectors as race
from zhaoshang.race import services as race_services
from zhaoshang.stats import indicators as registry
from zhaoshang.stats.caliber import Caliber
from zhaoshang.stats.selectors import stats_report, unit_figures
from zhaoshang.units.models import Unit
from zhaoshang.units.services import unit_create
from zhaoshang.web.exports import projects_xlsx
from zhaoshang.web.selectors import parse_project_filters, project_list

M = Decimal(1_000_000)
JULY = MonthRange.parse("2020-07")


@pytest.fixture
def case(as_of, units, users, places):
    """July 2020, figures in US$ millions.

    嘉善 (active):   N1 新设 signed 7-03, total 150 → 超亿;   A1 并购 signed 7-06, total 400 → NOT 超亿 (an M&A);
                     I1 增资 signed 7-09, total 99.99 → not 超亿; arrivals N1 6 (paid-in), A1 30 (M&A consideration).
    经开区 (active): nothing.
    南湖 (outside statistics, 参与统计 off): X1 新设 signed 7-10, total 200, arrival 9.
    By hand: 超亿美元项目 in July = 1 in 嘉善, 1 in 南湖; the city (active units) counts 1.
    实际使用外资 in July: 嘉善 36, 南湖 9; the city 36 — the race's city total too.
    """
    admin = users["admin"]
    nanhu = unit_create(
        code="330402",
        name="南湖区",
        short_name="南湖区",
        kind="county",
        city=places["city"],
        region=places["nanhu"],
        sort_order=3,
        actor=admin,
    )
    Unit.objects.filter(pk=nanhu.pk).update(is_active=False)
    nanhu.refresh_from_db()
    inv = ps.investor_create(name="某外资", name_en="Someone", country=Country.objects.get(code="DE"), actor=admin)

    def project(unit, name, kind, on, total):
        return ps.project_create(
            unit=unit,
            name=name,
            kind=kind,
            investors=[inv],
            stage=Stage.SIGNED,
            stage_on=on,
            total_investment=total,
            contract_foreign=total / 2,
            actor=admin,
        )

    n1 = project(units["jiashan"], "N1", "new", date(2020, 7, 3), 150 * M)
    a1 = project(units["jiashan"], "A1", "mna", date(2020, 7, 6), 400 * M)
    project(units["jiashan"], "I1", "increase", date(2020, 7, 9), Decimal("99990000"))
    x1 = project(nanhu, "X1", "new", date(2020, 7, 10), 200 * M)
    ps.arrival_record(project=n1, month=date(2020, 7, 1), amount=6 * M, kind="paid_in", actor=admin)
    ps.arrival_record(project=a1, month=date(2020, 7, 1), amount=30 * M, kind="mna", actor=admin)
    ps.arrival_record(project=x1, month=date(2020, 7, 1), amount=9 * M, kind="paid_in", actor=admin)
    comp = race_services.competition_create(
        slug="july",
        name="七月竞赛",
        start=date(2020, 7, 1),
        end=date(2020, 7, 31),
        units=[units["jiashan"], units["zone"], nanhu],
        indicators=[("actual_use_usd", 60), ("projects_over_100m", 40)],
        rival=None,
        red_flag_rules={"over_100m_stage": 0, "largest_arrivals": 0, "fortune500_stage": 0, "fast_progress_days": 0},
        actor=admin,
    )
    return {"nanhu": nanhu, "comp": comp, "n1": n1, "a1": a1, "x1": x1}


def _big_codes_in_list(**params: str) -> set[str]:
    filters = parse_project_filters({"big": "1", **params})
    return {p.code for p in project_list(filters, on=date(2020, 12, 31), caliber=Caliber.current())}


@pytest.mark.django_db
def test_desk_filter_badge_and_export_mark_what_projects_over_100m_counts(case, units, client, users):
    caliber = Caliber.current()
    figures = unit_figures(JULY, caliber)
    # The figure, by hand: N1 in 嘉善 and X1 in 南湖; not the ≥ US$100m M&A, not the increase under the line.
    assert figures[units["jiashan"].pk].over_100m == 1
    assert figures[case["nanhu"].pk].over_100m == 1
    assert stats_report(JULY).city.over_100m == 1  # 南湖 is outside statistics

    # The same predicate, period-less, on the desk's filter: exactly the two counted projects.
    counted = {case["n1"].code, case["x1"].code}
    assert _big_codes_in_list() == counted
    assert case["a1"].code not in _big_codes_in_list()
    # And per unit, the filter counts what the unit's figure counts.
    assert len(_big_codes_in_list(unit=units["jiashan"].code)) == figures[units["jiashan"].pk].over_100m

    # The badge on the list page.
    client.force_login(users["admin"])
    page = client.get("/projects/").content.decode()
    rows = {line.split("</tr>")[0] for line in page.split("<tr")}  # the table's rows, not the phone's cards
    rows = {row for row in rows if "badge big" in row}
    badged = {code for code in (case["n1"].code, case["a1"].code, case["x1"].code) if any(code in r for r in rows)}
    assert badged == counted

    # The export's 超亿美元 column.
    qs = project_list(parse_project_filters({}), on=date(2020, 12, 31), caliber=caliber)
    book = openpyxl.load_workbook(io.BytesIO(projects_xlsx(qs, on=date(2020, 12, 31), caliber=caliber, title="t")))
    sheet = book.active
    header = [c.value for c in sheet[2]]
    col_code, col_big = header.index("项目编号"), header.index("超亿美元")
    marked = {row[col_code] for row in sheet.iter_rows(min_row=3, values_only=True) if row[col_big] == "是"}
    assert marked == counted

    # The registry's predicate is the figure's filter: the same set from a plain query.
    assert (
        set(Project.objects.filter(registry.project_q("projects_over_100m", caliber)).values_list("code", flat=True))
        == counted
    )


@pytest.mark.django_db
def test_race_city_total_is_the_statistics_city_total(case, units):
    board = race.compute_board(case["comp"], date(2020, 7, 31)).to_json()
    report = stats_report(JULY)
    # By hand: 嘉善 6 + 30 = 36; 南湖's 9 is outside statistics, so outside the city's total everywhere.
    assert report.city.actual_use == 36 * M
    assert Decimal(board["city"]["actual_use_race_usd"]) == report.city.actual_use
    assert board["city"]["projects_over_100m_race"] == report.city.over_100m == 1
    # 南湖 still races on its own figures.
    nanhu = next(u for u in board["units"] if u["code"] == "330402")
    assert nanhu["figures"]["actual_use_usd"]["achieved"] == "9000000.00"


@pytest.mark.django_db
def test_value_by_key_reads_every_figure_the_targets_and_race_use(case, units):
    f = unit_figures(JULY, Caliber.current())[units["jiashan"].pk]
    got = {k: registry.value(f, k) for k in registry.TARGETABLE}
    assert got == {
        "actual_use_usd": 36 * M,
        "contract_usd": Decimal("324995000.00"),  # (150 + 400 + 99.99) ÷ 2
        "new_projects": 2,  # N1 新设 and A1 并购
        "projects_over_100m": 1,
        "fortune500_projects": 0,
    }


def test_every_key_is_declared_once_and_the_keys_agree_across_models():
    from zhaoshang.race.models import RaceIndicator
    from zhaoshang.stats.models import ProvinceIndicator

    keys = [i.key for i in registry.INDICATORS]
    assert len(keys) == len(set(keys))
    assert set(RaceIndicator.values) <= set(registry.TARGETABLE)
    assert set(ProvinceIndicator.values) == {i.key for i in registry.INDICATORS if i.published}
    for ind in registry.INDICATORS:
        if ind.additive and ind.where is not None:
            assert ind.field, ind.key


@pytest.mark.django_db
def test_at_risk_predicate_is_the_one_the_figure_counts(as_of, project, users):
    """A project under negotiation whose next follow-up (2020-12-30) is before the business date (12-31)."""
    ps.followup_log(
        project=project,
        on=date(2020, 12, 1),
        channel="call",
        summary="电话沟通",
        next_on=date(2020, 12, 30),
        actor=users["admin"],
    )
    caliber = Caliber.current()
    flags = registry.project_flags(project, caliber)
    assert flags["is_at_risk"] is True
    assert unit_figures(JULY, caliber)[project.unit.pk].at_risk == 1
    assert Project.objects.filter(Q(pk=project.pk) & registry.project_q("at_risk", caliber)).exists()
