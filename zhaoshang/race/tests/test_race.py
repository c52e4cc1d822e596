"""The race on a small registry whose scores, ranks, proposals and rival gaps are computed by hand below."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhaoshang.projects import services as ps
from zhaoshang.projects.models import CapitalArrival, Stage
from zhaoshang.projects.tests.factories import InvestorFactory
from zhaoshang.race import selectors, services
from zhaoshang.race.models import MonthlyEvaluation, RedFlag, Snail, Snapshot
from zhaoshang.race.selectors import UnitScore, score_units
from zhaoshang.race.tests.factories import CompetitionFactory
from zhaoshang.stats.services import province_figure_set

M = Decimal(1_000_000)
D = Decimal


# ---------------------------------------------------------------------------------------------- pure scoring


def unit(code: str, a: str, ta: str | None, b: str, tb: str | None) -> UnitScore:
    return UnitScore(
        code,
        code,
        {"a": D(a), "b": D(b)},
        {"a": D(ta) if ta else None, "b": D(tb) if tb else None},
    )


def test_scores_ties_and_rank_changes_by_hand():
    """Weights a 60, b 40, cap 1.2.
    X: a 50/100 = 0.5, b 3/2 = 1.5 → capped 1.2: (60×0.5 + 40×1.2) ÷ 100 × 100 = 78.00
    W: the same as X                                                     = 78.00
    Z: a 90/100 = 0.9, b 3/5 = 0.6: 54 + 24                              = 78.00, but a 0.9 > 0.5: ahead of X and W
    Y: a 120/100 = 1.2, b 0/2 = 0: 72 + 0                                = 72.00
    V: no targets                                                        = 0.00
    Ranks: Z 1; X and W tie on everything: 2 and 2; Y 4; V 5.
    Previous week: Z 2, X 1, Y 4 → changes Z +1, X −1, Y 0, W and V new (None)."""
    units = [
        unit("X", "50", "100", "3", "2"),
        unit("W", "50", "100", "3", "2"),
        unit("Z", "90", "100", "3", "5"),
        unit("Y", "120", "100", "0", "2"),
        unit("V", "10", None, "1", "0"),
    ]
    out = score_units(units, [("a", D(60)), ("b", D(40))], D("1.2"), {"Z": 2, "X": 1, "Y": 4})
    got = {u.code: (u.score, u.rank, u.rank_change) for u in out}
    assert got == {
        "Z": (D("78.00"), 1, 1),
        "X": (D("78.00"), 2, -1),
        "W": (D("78.00"), 2, None),
        "Y": (D("72.00"), 4, 0),
        "V": (D("0.00"), 5, None),
    }
    assert [u.code for u in out] == ["Z", "W", "X", "Y", "V"]
    assert out[-1].completion == {"a": None, "b": None}


def test_score_rounds_half_up_to_two_places():
    """a 1/3 weight 1, b 0/1 weight 2: 1 × 0.3333… ÷ 3 × 100 = 11.111… → 11.11; a 1/8 weight 1 alone: 12.5 → 12.50."""
    u = unit("X", "1", "3", "0", "1")
    assert score_units([u], [("a", D(1)), ("b", D(2))], D("1.2"), {})[0].score == D("11.11")
    u = unit("X", "1", "8", "0", "1")
    assert score_units([u], [("a", D(1))], D("1.2"), {})[0].score == D("12.50")


# ---------------------------------------------------------------------------------------------- on the registry


@pytest.fixture
def race(as_of, units, users, places):
    """July 2020, Fridays 3, 10, 17, 24, 31. Indicators: actual use (weight 60), ≥ US$100m projects (40); cap 1.2.
    Targets: 嘉善 J 10M and 1 project; 经开区 Z 4M and 2 projects.
      P1 (J) new, negotiating from 5-01, signed 7-08, total 150M; arrives 6M in July.
      P2 (Z) new, signed 6-20, total 20M; arrives 5M in July.
      P3 (Z) new, signed 7-15, total 120M.
      P4 (J) new, negotiating from 3-01, nothing since.
    Ningbo published 1–6月 10M."""
    admin = users["admin"]
    inv = InvestorFactory.create(name="某外资", name_en="Someone", actor=admin)

    def project(unit_key, name, stage, on, total):
        return ps.project_create(
            unit=units[unit_key],
            name=name,
            kind="new",
            investors=[inv],
            stage=stage,
            stage_on=on,
            total_investment=total,
            contract_foreign=total / 2,
            actor=admin,
        )

    p1 = project("jiashan", "P1", Stage.NEGOTIATING, date(2020, 5, 1), 150 * M)
    ps.project_advance_stage(project=p1, to_stage=Stage.SIGNED, on=date(2020, 7, 8), actor=admin)
    p2 = project("zone", "P2", Stage.SIGNED, date(2020, 6, 20), 20 * M)
    p3 = project("zone", "P3", Stage.SIGNED, date(2020, 7, 15), 120 * M)
    p4 = project("jiashan", "P4", Stage.NEGOTIATING, date(2020, 3, 1), 10 * M)
    ps.arrival_record(project=p1, month=date(2020, 7, 1), amount=6 * M, kind="paid_in", actor=admin)
    ps.arrival_record(project=p2, month=date(2020, 7, 1), amount=5 * M, kind="paid_in", actor=admin)
    province_figure_set(
        region=places["ningbo"],
        first_month=date(2020, 1, 1),
        last_month=date(2020, 6, 1),
        indicator="actual_use_usd",
        value=10 * M,
        yoy_pct=None,
        source="省通报",
        actor=admin,
    )
    comp = CompetitionFactory.create(
        slug="july",
        name="七月竞赛",
        start=date(2020, 7, 1),
        end=date(2020, 7, 31),
        indicators=[("actual_use_usd", 60), ("projects_over_100m", 40)],
        targets={
            units["jiashan"]: {"actual_use_usd": 10 * M, "projects_over_100m": 1},
            units["zone"]: {"actual_use_usd": 4 * M, "projects_over_100m": 2},
        },
        rival=places["ningbo"],
        red_flag_rules={"over_100m_stage": 1, "largest_arrivals": 1, "fortune500_stage": 0, "fast_progress_days": 0},
        arrivals_ended_months_only=False,  # July's arrivals count in July's weekly boards (the rule tested here)
        actor=admin,
    )
    return {"comp": comp, "p1": p1, "p2": p2, "p3": p3, "p4": p4, "admin": admin}


def ranks(board):
    return {u["code"]: (u["score"], u["rank"], u["rank_change"]) for u in board["units"]}


def test_snapshot_days_are_the_fridays_and_the_last_day(race):
    days = selectors.snapshot_dates(race["comp"])
    assert days == [date(2020, 7, d) for d in (3, 10, 17, 24, 31)]


def test_weekly_scores_and_rank_changes(race):
    """7-03: J 6/10 = 0.6 → 36.00; Z 5/4 capped 1.2 → 72.00.  7-10: J signs P1 → +40 = 76.00: J 1st (↑1), Z 2nd (↓1).
    7-17: Z signs P3 → 1/2 → +20 = 92.00: Z 1st (↑1), J 2nd (↓1)."""
    comp, admin = race["comp"], race["admin"]
    expected = {
        date(2020, 7, 3): {"330421": (36.0, 2, None), "3304JK": (72.0, 1, None)},
        date(2020, 7, 10): {"330421": (76.0, 1, 1), "3304JK": (72.0, 2, -1)},
        date(2020, 7, 17): {"330421": (76.0, 2, -1), "3304JK": (92.0, 1, 1)},
    }
    for day, want in expected.items():
        services.snapshot_publish(competition=comp, on=day, actor=admin)
        board = selectors.board(comp, day).to_json()
        assert board["published"]
        assert board["version"] == 1
        assert ranks(board) == want
    assert selectors.board(comp, date(2020, 7, 3)).to_json()["time_progress_pct"] == 9.7  # 3 ÷ 31


def test_rival_gap_on_the_latest_published_month(race, places, users):
    """Ningbo 1–6月 10M, the city nothing before July: lead −10M. With Ningbo 1–7月 9M: the city's 11M leads by 2M."""
    comp = race["comp"]
    rival = selectors.board(comp, date(2020, 7, 3)).to_json()["rival"]
    assert (rival["months"], rival["actual_use_usd"], rival["city_actual_use_usd"], rival["lead_usd"]) == (
        "2020-01..2020-06",
        "10000000.00",
        "0.00",
        "-10000000.00",
    )
    province_figure_set(
        region=places["ningbo"],
        first_month=date(2020, 1, 1),
        last_month=date(2020, 7, 1),
        indicator="actual_use_usd",
        value=9 * M,
        yoy_pct=None,
        source="省通报",
        actor=users["admin"],
    )
    rival = selectors.board(comp, date(2020, 7, 31)).to_json()["rival"]
    assert (rival["months"], rival["lead_usd"]) == ("2020-01..2020-07", "2000000.00")


def test_a_published_board_never_changes_and_a_correction_is_a_new_version(race):
    """After 7-10 is published (J 76.00), a correction adds 2M for P1 in July: J 8/10 = 0.8 → 48 + 40 = 88.00."""
    comp, admin = race["comp"], race["admin"]
    services.snapshot_publish(competition=comp, on=date(2020, 7, 10), actor=admin)
    # One record per project, month and type: the second transfer is added to July's record.
    july = CapitalArrival.objects.get(project=race["p1"], month=date(2020, 7, 1), kind="paid_in")
    ps.arrival_update(arrival=july, amount=july.amount + 2 * M, reason="七月第二笔到资", actor=admin)
    assert ranks(selectors.board(comp, date(2020, 7, 10)).to_json())["330421"] == (76.0, 1, None)
    with pytest.raises(ValidationError, match="须说明原因"):
        services.snapshot_publish(competition=comp, on=date(2020, 7, 10), actor=admin)
    assert Snapshot.objects.count() == 1
    services.snapshot_publish(competition=comp, on=date(2020, 7, 10), actor=admin, reason="补录P1七月到资")
    latest = selectors.board(comp, date(2020, 7, 10)).to_json()
    first = selectors.board(comp, date(2020, 7, 10), version=1).to_json()
    assert latest["version"] == 2
    assert latest["reason"] == "补录P1七月到资"
    assert ranks(latest)["330421"] == (88.0, 1, None)
    assert ranks(first)["330421"] == (76.0, 1, None)
    assert [v["version"] for v in latest["versions"]] == [1, 2]
    assert [v["reason"] for v in latest["versions"]] == ["", "补录P1七月到资"]
    with pytest.raises(ValidationError, match="没有第3版榜单"):
        selectors.board(comp, date(2020, 7, 10), version=3).to_json()


def test_outside_the_race_or_without_rights_nothing_is_written(race, users):
    comp = race["comp"]
    with pytest.raises(ValidationError, match="不在竞赛期间"):
        services.snapshot_publish(competition=comp, on=date(2020, 8, 1), actor=race["admin"])
    for who in ("staff", "leader", "auditor"):
        with pytest.raises(PermissionDenied):
            services.snapshot_publish(competition=comp, on=date(2020, 7, 3), actor=users[who])
        with pytest.raises(PermissionDenied):
            services.red_flag_confirm(
                competition=comp, project=race["p3"], on=date(2020, 7, 17), reason="好", actor=users[who]
            )
    assert Snapshot.objects.count() == 0
    assert RedFlag.objects.count() == 0


def proposals(flags):
    return [(p.project.name, p.rule, p.reason) for p in flags]


def test_red_flag_rules_propose_exactly_the_expected_projects(race):
    """Week 7-01..7-03: the largest July arrival is P1's 6M. Confirmed, P1 drops out of later weeks.
    Week 7-04..7-10: P1 signs (≥100m) but is flagged already; the largest arrival left is P2's 5M.
    Week 7-11..7-17: P3 signs, total 120M."""
    comp, admin = race["comp"], race["admin"]
    week1 = selectors.propose_red_flags(comp, date(2020, 7, 1), date(2020, 7, 3))
    assert proposals(week1) == [("P1", "largest_arrivals", "期内到资0.06亿美元，在尚未获评红旗的项目中最多")]
    services.proposals_confirm(competition=comp, on=date(2020, 7, 3), actor=admin, project_snails=0)
    services.snapshot_publish(competition=comp, on=date(2020, 7, 3), actor=admin)
    week2 = selectors.propose_red_flags(comp, date(2020, 7, 4), date(2020, 7, 10))
    assert proposals(week2) == [("P2", "largest_arrivals", "期内到资0.05亿美元，在尚未获评红旗的项目中最多")]
    services.red_flag_confirm(
        competition=comp, project=race["p2"], on=date(2020, 7, 10), reason="当月到资快", actor=admin
    )
    week3 = selectors.propose_red_flags(comp, date(2020, 7, 11), date(2020, 7, 17))
    assert proposals(week3) == [("P3", "over_100m_stage", "总投资1.20亿美元，7月15日签约")]
    board = selectors.board(comp, date(2020, 7, 10)).to_json()
    assert [(f["project_name"], f["rule"], f["new"]) for f in board["red_flags"]] == [
        ("P1", "largest_arrivals", False),
        ("P2", "manual", True),
    ]
    with pytest.raises(ValidationError, match="已是本竞赛的红旗项目"):
        services.red_flag_confirm(competition=comp, project=race["p2"], on=date(2020, 7, 17), reason="再", actor=admin)


def test_snail_rules_propose_exactly_the_lagging_unit_and_the_stalled_projects(race):
    """7-03: nothing since 5-04 (60 days) for P1 (negotiating since 5-01: 63 days idle) and P4 (3-01: 124 days).
    Scores are ahead of time progress (9.7%), so no unit lags.
    7-31: time progress 100%; J scores 76.00: 24.0 points behind (> 10) → snail; Z 92.00: 8.0 behind → not.
    Only P4 is still stalled (since 6-01): 152 days."""
    comp, admin = race["comp"], race["admin"]
    board = selectors.compute_board(comp, date(2020, 7, 3)).to_json()
    got = sorted((s["project_name"], s["reason"]) for s in board["proposed_snails"])
    assert got == [("P1", "自5月1日以来63天无阶段推进、无跟进"), ("P4", "自3月1日以来124天无阶段推进、无跟进")]
    end = selectors.compute_board(comp, date(2020, 7, 31)).to_json()
    assert [(s["kind"], s["unit_code"], s["project_name"], s["reason"]) for s in end["proposed_snails"]] == [
        ("unit", "330421", None, "任务进度76.0%，低于时间进度24.0个百分点（时间进度100.0%）"),
        ("project", "330421", "P4", "自3月1日以来152天无阶段推进、无跟进"),
    ]
    # A follow-up wakes a stalled project.
    ps.followup_log(project=race["p4"], on=date(2020, 7, 20), channel="online", summary="视频洽谈", actor=admin)
    end = selectors.compute_board(comp, date(2020, 7, 31)).to_json()
    assert [s["project_name"] for s in end["proposed_snails"]] == [None]
    services.proposals_confirm(competition=comp, on=date(2020, 7, 31), actor=admin)
    assert list(Snail.objects.values_list("kind", "unit__code")) == [("unit", "330421")]
    assert selectors.board(comp, date(2020, 7, 31)).to_json()["snails"][0]["reason"].startswith("任务进度76.0%")


def test_monthly_evaluation_awards_and_practices(race, users):
    comp, admin = race["comp"], race["admin"]
    ev = services.evaluation_publish(
        competition=comp, month=date(2020, 7, 1), actor=admin, practices={"330421": "线上签约P1"}
    )
    # At 7-31: Z 92.00 first, J 76.00 second; no earlier month, so no 进步最快.
    assert [(a.unit.code, a.title) for a in ev.awards.all()] == [("3304JK", "月度第一")]
    assert ev.practices.get().text == "线上签约P1"
    # Unit staff report their own unit's practice, not another's.
    services.evaluation_practice_set(evaluation=ev, unit=race["p1"].unit, text="云招商", actor=users["staff"])
    with pytest.raises(PermissionDenied):
        services.evaluation_practice_set(evaluation=ev, unit=race["p2"].unit, text="x", actor=users["staff"])
    with pytest.raises(ValidationError, match="已发布"):
        services.evaluation_publish(competition=comp, month=date(2020, 7, 1), actor=admin)
    assert MonthlyEvaluation.objects.count() == 1


# ---------------------------------------------------------------------------------------------- ended months, caps


def test_with_ended_months_only_a_weekly_board_leaves_out_the_running_month(race):
    """The same race counting ended months only (the default): on 7-10 July has not ended, so J has no arrivals:
    J 0/10 → 0 + P1 signed 1/1 → 40 = 40.00; Z 0/4 → 0 + 0/2 → 0.00. The rival's 1–6月 still compares (June ended).
    On 7-31 July has ended: the figures are those of the race above (J 76.00, Z 92.00)."""
    comp = race["comp"]
    comp.arrivals_ended_months_only = True
    comp.save()
    board = selectors.compute_board(comp, date(2020, 7, 10)).to_json()
    assert ranks(board) == {"330421": (40.0, 1, None), "3304JK": (0.0, 2, None)}
    assert board["city"]["actual_use_race_usd"] == "0.00"
    assert board["city"]["projects_over_100m_race"] == 1
    assert board["arrivals"] == {
        "race_months": None,
        "ytd_months": "2020-01..2020-06",
        "through": None,
        "label": "尚无已结束的月份，到资暂不计入",
    }
    assert board["rival"]["months"] == "2020-01..2020-06"
    end = selectors.compute_board(comp, date(2020, 7, 31)).to_json()
    assert ranks(end) == {"3304JK": (92.0, 1, None), "330421": (76.0, 2, None)}
    assert end["arrivals"]["label"] == "到资数据截至7月"
    assert end["city"]["actual_use_race_usd"] == "11000000.00"


def test_the_largest_arrival_of_an_ended_month_is_judged_once_by_its_rank(race):
    """Counting ended months only, July is judged in the week holding 7-31: P1 (6M) first, P2 (5M) second."""
    comp = race["comp"]
    comp.arrivals_ended_months_only = True
    comp.red_flag_rules = {**comp.red_flag_rules, "largest_arrivals": 2, "over_100m_stage": 0}
    comp.save()
    assert selectors.propose_red_flags(comp, date(2020, 7, 18), date(2020, 7, 24)) == []
    got = proposals(selectors.propose_red_flags(comp, date(2020, 7, 25), date(2020, 7, 31)))
    assert got == [
        ("P1", "largest_arrivals", "7月到资0.06亿美元，在参赛单位各项目中居首位"),
        ("P2", "largest_arrivals", "7月到资0.05亿美元，在参赛单位各项目中居第2位"),
    ]


def test_red_flags_are_capped_per_month(race):
    """Cap 1: with P1 confirmed on 7-03, July has no room left; the over-100m rule's P3 is not proposed."""
    comp, admin = race["comp"], race["admin"]
    comp.red_flags_per_month = 1
    comp.save()
    services.red_flag_confirm(competition=comp, project=race["p1"], on=date(2020, 7, 3), reason="签约", actor=admin)
    assert selectors.propose_red_flags(comp, date(2020, 7, 11), date(2020, 7, 17)) == []
    comp.red_flags_per_month = 2
    comp.save()
    assert proposals(selectors.propose_red_flags(comp, date(2020, 7, 11), date(2020, 7, 17)))[0][0] == "P3"
    assert len(selectors.propose_red_flags(comp, date(2020, 7, 11), date(2020, 7, 17))) == 1


def test_stalled_projects_are_capped_ranked_and_the_dormant_offered_to_their_unit(race):
    """7-03: P4 idle 124 days, P1 63 days, both 嘉善. One a unit: P4 (the longest). Dormant after 100 days: P4 leaves
    the weekly list for the unit's list to stop or explain, and P1 is named instead."""
    comp = race["comp"]
    comp.stalled_per_unit = 1
    comp.save()
    board = selectors.compute_board(comp, date(2020, 7, 3)).to_json()
    assert [s["project_name"] for s in board["proposed_snails"]] == ["P4"]
    assert board["dormant_projects"] == []
    comp.dormant_days = 100
    comp.save()
    board = selectors.compute_board(comp, date(2020, 7, 3)).to_json()
    assert [s["project_name"] for s in board["proposed_snails"]] == ["P1"]
    assert board["dormant_projects"] == [{"unit_code": "330421", "unit_name": "嘉善县", "projects": 1}]
    comp.stalled_max = 0
    comp.save()
    assert selectors.compute_board(comp, date(2020, 7, 3)).proposed_snails == []


def test_once_months_are_closed_a_weekly_board_counts_closed_months_only(race, users):
    """June is closed by its bulletin on 7-03; July has ended by 7-31 but is not closed yet: the board on 7-31 leaves
    July's arrivals out (J 0/10 → 0 + P1 signed 1/1 → 40.00; Z 0/4 → 0 + P3 signed 7-15, 1/2 → 20.00). Once July is
    closed on 7-31 itself, the board of that day holds July's arrivals again (J 76.00, Z 92.00, the race's figures)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from zhaoshang.bulletins.services import bulletin_issue
    from zhaoshang.projects.models import MonthClosure

    shanghai = ZoneInfo("Asia/Shanghai")
    comp = race["comp"]
    comp.arrivals_ended_months_only = True
    comp.save()
    bulletin_issue(month=date(2020, 6, 1), actor=users["admin"])
    MonthClosure.objects.update(closed_at=datetime(2020, 7, 3, 10, tzinfo=shanghai))
    assert selectors.arrivals_through(comp, date(2020, 7, 31)) == date(2020, 6, 1)
    board = selectors.compute_board(comp, date(2020, 7, 31)).to_json()
    assert ranks(board) == {"330421": (40.0, 1, None), "3304JK": (20.0, 2, None)}
    assert board["city"]["actual_use_race_usd"] == "0.00"
    assert board["arrivals"]["ytd_months"] == "2020-01..2020-06"
    bulletin_issue(month=date(2020, 7, 1), actor=users["admin"])
    MonthClosure.objects.filter(month=date(2020, 7, 1)).update(closed_at=datetime(2020, 7, 31, 18, tzinfo=shanghai))
    assert selectors.arrivals_through(comp, date(2020, 7, 31)) == date(2020, 7, 1)
    closed = selectors.compute_board(comp, date(2020, 7, 31)).to_json()
    assert ranks(closed) == {"3304JK": (92.0, 1, None), "330421": (76.0, 2, None)}
    assert closed["arrivals"]["label"] == "到资数据截至7月"
    # A closure dated after the board's day does not count on that day.
    assert selectors.arrivals_through(comp, date(2020, 7, 30)) == date(2020, 6, 1)
