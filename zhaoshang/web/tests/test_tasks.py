"""我的待办 and the daily digest: which tasks each role gets, the page and the menu's count, and the digest's text and
@-mentions as the local DingTalk stand-in receives them, sent at most once a unit and day by the schedule."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache

from zhaoshang.bulletins.models import Robot
from zhaoshang.bulletins.push.testserver import DingTalkRobot, RobotServer
from zhaoshang.jobs import schedule
from zhaoshang.jobs.models import Job
from zhaoshang.projects import services as ps
from zhaoshang.web.models import DigestRobot, DigestSend, ReminderSetting
from zhaoshang.web.reminders import digests_send, reminder_setting_set, unit_digest
from zhaoshang.web.tasks import PROVIDERS, task_count, tasks_for

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def kinds(tasks) -> list[tuple[str, str]]:
    return [(t.kind, t.title) for t in tasks]


class TestProviders:
    def test_every_listed_provider_is_importable(self):
        from django.utils.module_loading import import_string

        for path in PROVIDERS:
            assert callable(import_string(path)), path

    def test_unit_staff_get_their_units_followups_and_stalled_projects(self, figures, users):
        # figures: 创新药生产基地项目 (洽谈) with its next follow-up on 2020-11-30, the business date 2020-12-31;
        # 生物药扩产项目 signed 2019-02-01, then arrivals only (到资 2019-03-01): no follow-up since → stalled.
        tasks = tasks_for(users["staff"])
        talking, signed = figures["talking"], figures["signed"]
        # Both overdue: the one due earlier first (the stalled project was due a follow-up by 2019-04-30).
        assert kinds(tasks) == [
            ("project_stalled", f"推进或说明 {signed.code} 生物药扩产项目"),
            ("followup_due", f"跟进 {talking.code} 创新药生产基地项目"),
        ]
        due = tasks[1]
        assert due.overdue
        assert due.due == date(2020, 11, 30)
        assert due.detail == "计划 2020-11-30 跟进，已逾期31天（失联风险）"
        assert due.url == f"/projects/{talking.code}/#followup"
        assert tasks[0].detail == "自 2019-03-01 起671天无阶段推进、无跟进（当前阶段：到资）"
        # Another unit's staff, the leader and the auditor have none of these.
        assert tasks_for(users["zone_staff"]) == []
        assert tasks_for(users["leader"]) == []
        assert tasks_for(users["auditor"]) == []

    def test_logging_the_followup_clears_the_task(self, figures, users):
        talking = figures["talking"]
        ps.followup_log(
            project=talking,
            on=date(2020, 12, 30),
            channel="call",
            summary="再次电话",
            next_on=date(2021, 2, 1),
            actor=users["staff"],
        )
        assert [k for k, _ in kinds(tasks_for(users["staff"]))] == ["project_stalled"]

    def test_the_city_admin_is_asked_to_issue_last_months_bulletin(self, figures, users):
        tasks = tasks_for(users["admin"])
        assert ("bulletin_issue", "签发2020年11月利用外资工作通报") in kinds(tasks)
        assert all(t.kind != "followup_due" for t in tasks)

    def test_the_count_is_cached_per_user(self, figures, users, django_assert_num_queries):
        assert task_count(users["staff"]) == 2
        with django_assert_num_queries(0):
            assert task_count(users["staff"]) == 2


class TestPage:
    def test_the_page_lists_the_tasks_and_the_menu_counts_them(self, client, figures, users):
        client.force_login(users["staff"])
        page = client.get("/tasks/").content.decode()
        assert "共 2 项，其中逾期 2 项" in page
        assert "跟进逾期" in page
        assert "项目停滞" in page
        assert "我的待办（2）" in page

    def test_unit_staff_land_on_their_units_dashboard_with_the_city_one_click_away(self, client, figures, users):
        client.force_login(users["staff"])
        page = client.get("/?period=2020-01..2020-03").content.decode()
        assert "2020年1-3月 嘉善县" in page
        assert 'id="city-link"' in page
        assert 'data-figure="actual_use">1.50亿美元' in page
        assert "项目储备（按阶段，共 2 个）" in page
        city = client.get("/?scope=city&period=2020-01..2020-03").content.decode()
        assert 'id="unit-link"' in city
        assert "全市利用外资" in city

    def test_a_bad_scope_is_a_400(self, client, users):
        client.force_login(users["staff"])
        assert client.get("/?scope=nowhere").status_code == 400
        assert client.get("/?unit=nowhere").status_code == 400


class TestSettings:
    def test_a_user_sets_their_reminders_with_an_audit_row(self, client, users):
        client.force_login(users["staff"])
        response = client.post("/tasks/reminders/", {"daily_digest": "1", "kinds": ["followup_due"]})
        assert response.status_code == 302
        setting = ReminderSetting.objects.get(user=users["staff"])
        assert setting.kinds == ["followup_due"]
        assert setting.daily_digest
        row = setting.history.latest()
        assert row.history_user == users["staff"]
        assert row.history_change_reason == "修改提醒设置"

    def test_an_unknown_kind_is_refused_in_place(self, client, users):
        client.force_login(users["staff"])
        response = client.post("/tasks/reminders/", {"kinds": ["nope"]})
        assert response.status_code == 400
        assert "提醒的事项“nope”不存在" in response.content.decode()
        assert not ReminderSetting.objects.exists()

    def test_nobody_sets_another_users_reminders_but_the_city_admin(self, users):
        from django.core.exceptions import PermissionDenied

        with pytest.raises(PermissionDenied):
            reminder_setting_set(user=users["staff"], daily_digest=False, kinds=[], actor=users["zone_staff"])
        reminder_setting_set(user=users["staff"], daily_digest=False, kinds=[], actor=users["admin"])
        assert ReminderSetting.objects.get(user=users["staff"]).daily_digest is False


@pytest.fixture
def robots():
    srv = RobotServer(dingtalk={"tok": DingTalkRobot(secret="SECx", keyword="提醒")})
    with srv:
        yield srv


@pytest.fixture
def digest_setup(figures, users, units, robots):
    from zhaoshang.accounts.tests.factories import UserFactory

    staff = users["staff"]
    staff.phone = "13800000001"
    staff.save()
    second = UserFactory.create(
        username="js2",
        password="x",
        full_name="嘉善二号",
        role="unit_staff",
        unit=units["jiashan"],
    )
    second.phone = "13800000002"
    second.save()
    # The talking project is the first staff member's: its follow-up is theirs alone.
    ps.project_update(project=figures["talking"], officer=staff, actor=users["admin"], reason="指定责任人")
    robot = Robot.objects.create(
        name="嘉善招商群",
        kind=Robot.Kind.DINGTALK,
        webhook=robots.dingtalk_webhook("tok"),
        secret="SECx",
        keyword="提醒",
    )
    DigestRobot.objects.create(unit=units["jiashan"], robot=robot)
    return {"staff": staff, "second": second}


class TestDigest:
    def test_the_digest_names_each_officer_and_the_shared_tasks(self, digest_setup, figures, units):
        digest = unit_digest(units["jiashan"])
        talking, signed = figures["talking"], figures["signed"]
        assert digest.markdown() == "\n".join(
            [
                "### 嘉善县每日待办提醒（2020年12月31日）",
                "",
                "共2项待办，请及时办理（登录招商平台“我的待办”查看）。",
                "",
                "**嘉善专员** @13800000001：1项",
                f"- 跟进逾期：跟进 {talking.code} 创新药生产基地项目（计划 2020-11-30 跟进，已逾期31天（失联风险））",
                "",
                "**本单位未指定责任人的事项** @13800000001 @13800000002：1项",
                f"- 项目停滞：推进或说明 {signed.code} 生物药扩产项目"
                "（自 2019-03-01 起671天无阶段推进、无跟进（当前阶段：到资））",
            ]
        )
        assert digest.mentions == ["13800000001", "13800000002"]

    def test_sent_to_the_dingtalk_stand_in_with_the_mentions_once_a_day(self, digest_setup, robots, users, units):
        outcomes = digests_send(actor=users["admin"])
        assert [(o.unit, o.sent) for o in outcomes] == [("嘉善县", True)]
        assert len(robots.received) == 1
        body = robots.received[0]
        assert body["at"] == {"isAtAll": False, "atMobiles": ["13800000001", "13800000002"]}
        assert body["markdown"]["title"] == "嘉善县每日待办提醒"
        assert body["markdown"]["text"] == unit_digest(units["jiashan"]).markdown()  # the keyword 提醒 is in it
        sent = DigestSend.objects.get(unit=units["jiashan"], on=date(2020, 12, 31))
        assert sent.ok
        assert sent.tasks == 2
        again = digests_send(actor=users["admin"])
        assert [(o.sent, o.message) for o in again] == [(False, "今日已发送")]
        assert len(robots.received) == 1

    def test_a_user_who_opts_out_is_neither_listed_nor_mentioned(self, digest_setup, units):
        reminder_setting_set(user=digest_setup["second"], daily_digest=False, kinds=[], actor=digest_setup["second"])
        digest = unit_digest(units["jiashan"])
        assert digest.mentions == ["13800000001"]
        assert digest.count == 2
        assert not digest.shared

    def test_only_the_city_may_push(self, digest_setup, users):
        from django.core.exceptions import PermissionDenied

        with pytest.raises(PermissionDenied):
            digests_send(actor=users["staff"])

    def test_the_schedule_queues_it_once_a_day_from_0830(self, digest_setup, robots, settings):
        assert schedule.SCHEDULE["desk.digest"].kind == "web.digest"
        early = schedule.run_due(datetime(2020, 12, 31, 8, 0, tzinfo=SHANGHAI))
        assert all(j.kind != "web.digest" for j in early)
        queued = [j for j in schedule.run_due(datetime(2020, 12, 31, 8, 31, tzinfo=SHANGHAI)) if j.kind == "web.digest"]
        assert len(queued) == 1
        later = schedule.run_due(datetime(2020, 12, 31, 17, 0, tzinfo=SHANGHAI))
        assert all(j.kind != "web.digest" for j in later)
        job = Job.objects.get(pk=queued[0].pk)
        assert job.status == "succeeded", job.errors
        assert len(robots.received) == 1
