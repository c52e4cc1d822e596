"""The race in the bulletin and the weekly push, on a small race whose figures are worked out by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from zhaoshang.bulletins.content import build_outline
from zhaoshang.bulletins.race_section import weekly_markdown
from zhaoshang.bulletins.selectors import bulletin_data
from zhaoshang.bulletins.services import attach_race
from zhaoshang.projects import services as ps
from zhaoshang.race import selectors as race_selectors
from zhaoshang.race import services as rs
from zhaoshang.race.tests.factories import CompetitionFactory


@pytest.fixture
def race(project, units, users):
    admin = users["admin"]
    ps.project_advance_stage(project=project, to_stage="signed", on=date(2020, 7, 5), actor=users["staff"])
    ps.arrival_record(
        project=project, month=date(2020, 7, 1), amount=Decimal("6000000"), kind="paid_in", actor=users["staff"]
    )
    comp = CompetitionFactory.create(
        slug="test-race",
        name="测试竞赛",
        targets={
            units["jiashan"]: {"actual_use_usd": Decimal("10000000")},
            units["zone"]: {"actual_use_usd": Decimal("5000000")},
        },
        arrivals_ended_months_only=False,  # July's arrivals count in July's weekly boards (the rule tested here)
        actor=admin,
    )
    rs.red_flag_confirm(competition=comp, project=project, on=date(2020, 7, 10), reason="签约落地", actor=admin)
    for day in (date(2020, 7, 10), date(2020, 7, 17)):
        rs.snail_confirm(competition=comp, unit=units["zone"], on=day, reason="进度滞后", actor=admin)
    return comp


def outline_text(month: date) -> str:
    return build_outline(attach_race(bulletin_data(month)), with_charts=False).text()


@pytest.mark.django_db
def test_the_race_section_of_july(race):
    text = outline_text(date(2020, 7, 1))
    # 嘉善 6,000,000 of 10,000,000 = 60.00 points; 经开区 0 of 5,000,000 = 0.00. 31 of the race's 92 days = 33.7%.
    assert "三、百日竞赛\n（一）竞赛排名\n测试竞赛于7月1日开赛，至7月31日时间进度33.7%。" in text
    assert "按综合得分，嘉善县、嘉兴经开区居前二位，分别为60.00分、0.00分。" in text
    assert "竞赛以来全市实际使用外资0.06亿美元（到资数据截至7月），引进超亿美元项目1个、世界500强投资项目0个。" in text
    assert "（本榜单尚未发布，为实时计算结果。）" in text
    assert (
        "（二）红旗项目\n本月新评红旗项目1个（竞赛以来累计1个）：\n1.嘉善县“创新药生产基地项目”：签约落地（7月10日评定）。"
        in text
    )
    assert "（三）蜗牛\n本月共2次评出蜗牛，涉及进度滞后单位1个、停滞项目0个" in text
    assert "1.嘉兴经开区：本月2次被评为蜗牛，进度滞后。" in text
    assert "四、重点项目" in text
    assert "五、工作要求" in text
    assert "数据更正" not in text  # no correction: no section
    # The table: rank, unit, score, completion.
    assert "1  嘉善县  60.00  60.0%  —" in text
    assert "2  嘉兴经开区  0.00  0.0%  —" in text


@pytest.mark.django_db
def test_a_month_without_new_flags_or_snails_and_one_before_the_race(race):
    august = outline_text(date(2020, 8, 1))
    assert "本月未新评红旗项目（竞赛以来累计1个）。本月无单位和项目被评为蜗牛。" in august
    assert "红旗项目\n" not in august
    assert "蜗牛\n" not in august
    june = outline_text(date(2020, 6, 1))
    assert "百日竞赛" not in june
    assert "重点项目" not in june
    assert "三、工作要求" in june


@pytest.mark.django_db
def test_the_weekly_push_text(race):
    board = race_selectors.board(race, date(2020, 7, 10))
    title, text = weekly_markdown(board)
    assert title == "测试竞赛周比（7月10日）"
    lines = text.splitlines()
    assert lines[0] == "### 测试竞赛周比（7月10日）（未发布，实时计算）"
    assert "时间进度 **10.9%**" in lines  # 10 of 92 days
    assert "1. 嘉善县 60.00分 —" in lines
    assert "2. 嘉兴经开区 0.00分 —" in lines
    assert "**本周红旗项目**（1个，累计1个）" in lines
    assert "- 嘉善县 创新药生产基地项目：签约落地" in lines
    assert "**本周蜗牛**（1个）" in lines
    assert "- 嘉兴经开区：进度滞后" in lines


HOSTILE = "MD项目[点击领取补贴](http://evil.example/p) ![x](http://evil.example/t.png)\n# 通知 **紧急** @all <@user>"


@pytest.mark.django_db
def test_hostile_names_are_inert_in_the_weekly_push(race, project, users):
    from zhaoshang.bulletins.push.markdown import md_text

    ps.project_update(project=project, name=HOSTILE, reason="测试", actor=users["admin"])
    race.name = "竞赛_" + HOSTILE
    race.save()
    _, text = weekly_markdown(race_selectors.board(race, date(2020, 7, 10)))
    for mark in ("](", "![", "http://", "@all", "<@", "**紧急**", "\n# ", "_"):
        assert mark not in text, mark
    assert md_text(HOSTILE) == (
        "MD项目［点击领取补贴］（http：//evil.example/p） ！［x］（http：//evil.example/t.png） "
        "＃ 通知 ＊＊紧急＊＊ ＠all ＜＠user＞"
    )
    assert f"- 嘉善县 {md_text(HOSTILE)}：签约落地" in text.splitlines()
