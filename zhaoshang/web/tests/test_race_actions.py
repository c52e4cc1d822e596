"""The race run from the page: publish the week, confirm or decline proposals, add by hand, the monthly evaluation
and the units' practices, each through the race services with their refusals shown in place."""

from __future__ import annotations

from datetime import date

import pytest

from zhaoshang.race.models import MonthlyEvaluation, ProposalDecline, RedFlag, Snail, Snapshot, UnitPractice

pytestmark = pytest.mark.django_db


def act(client, **data):
    return client.post("/race/act/", {"race": "spring-2020", **data})


def test_the_city_admin_publishes_a_week_and_a_second_time_only_with_a_reason(client, users, race):
    client.force_login(users["admin"])
    page = client.get("/race/?date=2020-02-14").content.decode()
    assert 'id="publish"' in page
    assert "发布 2月14日 周比榜单" in page
    response = act(client, action="publish", date="2020-02-14")
    assert response.status_code == 302
    assert response["Location"] == "/race/?race=spring-2020&date=2020-02-14#publish"
    assert Snapshot.objects.get(competition=race, on=date(2020, 2, 14)).version == 1
    refused = act(client, action="publish", date="2020-02-14")
    assert refused.status_code == 400
    assert "重算原因（空）2020-02-14 的榜单已发布第1版；更正后重算须说明原因" in refused.content.decode()
    assert Snapshot.objects.filter(competition=race, on=date(2020, 2, 14)).count() == 1
    assert act(client, action="publish", date="2020-02-14", reason="更正到资").status_code == 302
    assert list(Snapshot.objects.filter(competition=race, on=date(2020, 2, 14)).values_list("version", "reason")) == [
        (1, ""),
        (2, "更正到资"),
    ]


def test_the_lagging_unit_is_proposed_and_confirmed_or_declined(client, users, units, race):
    client.force_login(users["admin"])
    page = client.get("/race/?date=2020-03-31").content.decode()
    # 经开区 scores 0.00 with the time progress at 100%: the rule proposes it as a snail.
    assert 'data-proposal="snail-3304JK-"' in page
    refused = act(client, action="decline", date="2020-03-31", unit="3304JK", kind="snail", reason="")
    assert refused.status_code == 400
    assert "不予确认的理由（空）不能为空" in refused.content.decode()
    assert not ProposalDecline.objects.exists()
    ok = act(client, action="confirm_snail", date="2020-03-31", unit="3304JK", reason="任务进度0%，落后时间进度")
    assert ok.status_code == 302
    snail = Snail.objects.get(competition=race, on=date(2020, 3, 31))
    assert (snail.unit, snail.project, snail.rule, snail.reason) == (
        units["zone"],
        None,
        "unit_lag",
        "任务进度0%，落后时间进度",
    )
    assert 'data-proposal="snail-3304JK-"' not in client.get("/race/?date=2020-03-31").content.decode()


def test_a_red_flag_is_added_by_hand_with_a_reason(client, users, figures, race):
    client.force_login(users["admin"])
    code = figures["signed"].code
    refused = act(client, action="add_flag", date="2020-03-31", project=code, reason="  ")
    assert refused.status_code == 400
    assert "理由（空）不能为空" in refused.content.decode()
    unknown = act(client, action="add_flag", date="2020-03-31", project="XM0000-9999", reason="好")
    assert "项目编号“XM0000-9999”不存在" in unknown.content.decode()
    assert not RedFlag.objects.exists()
    assert act(client, action="add_flag", date="2020-03-31", project=code, reason="3月到资1.5亿美元").status_code == 302
    flag = RedFlag.objects.get()
    assert (flag.project.code, flag.rule, flag.reason, flag.confirmed_by) == (
        code,
        "manual",
        "3月到资1.5亿美元",
        users["admin"],
    )
    again = act(client, action="add_flag", date="2020-03-31", project=code, reason="再次")
    assert f"项目“{code}”已是本竞赛的红旗项目" in again.content.decode()


def test_the_monthly_evaluation_and_each_units_practice(client, users, units, race):
    client.force_login(users["admin"])
    assert act(client, action="evaluate", date="2020-03-31", month="2020-03").status_code == 302
    evaluation = MonthlyEvaluation.objects.get(competition=race)
    assert evaluation.month == date(2020, 3, 1)
    twice = act(client, action="evaluate", date="2020-03-31", month="2020-03")
    assert "月份“2020-03”的月度评比已发布" in twice.content.decode()
    client.force_login(users["staff"])
    page = client.get("/race/?date=2020-03-31").content.decode()
    assert "嘉善县经验做法" in page
    assert "嘉兴经济技术开发区经验做法" not in page  # another unit's practice is not the staff's to write
    ok = act(client, action="practice", date="2020-03-31", evaluation=evaluation.pk, unit="330421", text="专班推进")
    assert ok.status_code == 302
    assert UnitPractice.objects.get(evaluation=evaluation).text == "专班推进"
    forged = act(client, action="practice", date="2020-03-31", evaluation=evaluation.pk, unit="3304JK", text="x")
    assert forged.status_code == 403
    assert UnitPractice.objects.count() == 1


@pytest.mark.parametrize("role", ["staff", "leader", "auditor"])
def test_only_the_city_admin_publishes_and_confirms(client, users, race, role):
    client.force_login(users[role])
    page = client.get("/race/?date=2020-03-31").content.decode()
    assert 'id="publish"' not in page
    assert 'id="proposals"' not in page
    before = (Snapshot.objects.count(), Snail.objects.count(), RedFlag.objects.count())
    assert act(client, action="publish", date="2020-03-14").status_code == 403
    assert act(client, action="add_snail", date="2020-03-31", unit="3304JK", reason="x").status_code == 403
    assert act(client, action="confirm_all", date="2020-03-31").status_code == 403
    assert (Snapshot.objects.count(), Snail.objects.count(), RedFlag.objects.count()) == before


def test_an_unknown_action_is_a_400(client, users, race):
    client.force_login(users["admin"])
    assert act(client, action="explode", date="2020-03-31").status_code == 400
    assert act(client, action="publish", date="soon").status_code == 400
