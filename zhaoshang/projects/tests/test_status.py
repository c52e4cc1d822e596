"""Project status beside the stage: what each status asks for, its dated history, and 中止 as the stage `dropped`."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhaoshang.accounts.tests.test_permission_table import database_state
from zhaoshang.common.validation import first_message
from zhaoshang.projects import services as ps
from zhaoshang.projects.models import Project, ProjectStatusEvent

pytestmark = pytest.mark.django_db


def test_a_status_history_with_who_when_and_why(project, users):
    staff = users["staff"]
    ps.project_status_set(
        project=project, status="delayed", on=date(2020, 3, 1), reason="董事会推迟", expected_on=date(2020, 9, 30),
        actor=staff,
    )  # fmt: skip
    ps.project_status_set(
        project=project, status="stalled", on=date(2020, 5, 1), reason="用地指标未落实", obstacle="land", actor=staff
    )
    p = ps.project_status_set(project=project, status="normal", on=date(2020, 7, 1), reason="", actor=staff)
    assert (p.status, p.status_on, p.status_note, p.stage) == (
        "normal",
        date(2020, 7, 1),
        "恢复正常推进",
        "negotiating",
    )
    rows = list(
        ProjectStatusEvent.objects.filter(project=project)
        .order_by("on")
        .values_list("status", "on", "reason", "expected_on", "obstacle", "destination", "recorded_by__username")
    )
    assert rows == [
        ("delayed", date(2020, 3, 1), "董事会推迟", date(2020, 9, 30), "", "", "js"),
        ("stalled", date(2020, 5, 1), "用地指标未落实", None, "land", "", "js"),
        ("normal", date(2020, 7, 1), "恢复正常推进", None, "", "", "js"),
    ]
    reasons = list(p.history.order_by("history_date").values_list("history_change_reason", flat=True))[-3:]
    assert reasons == [
        "项目状态：延期（董事会推迟）",
        "项目状态：停滞（用地指标未落实）",
        "项目状态：正常（恢复正常推进）",
    ]


def test_lost_keeps_the_stage_and_names_where_it_went(project, users):
    p = ps.project_status_set(
        project=project, status="lost", on=date(2020, 6, 1), reason="落户苏州", destination="江苏苏州",
        actor=users["staff"],
    )  # fmt: skip
    assert (p.stage, p.status, p.destination) == ("negotiating", "lost", "江苏苏州")


def test_terminated_drops_the_project(project, users):
    p = ps.project_status_set(
        project=project, status="terminated", on=date(2020, 6, 1), reason="投资方撤回", destination="无",
        actor=users["staff"],
    )  # fmt: skip
    assert (p.stage, p.stage_on, p.dropped_reason, p.status, p.status_on) == (
        "dropped", date(2020, 6, 1), "投资方撤回", "terminated", date(2020, 6, 1),
    )  # fmt: skip
    assert list(p.status_events.values_list("status", "reason", "destination")) == [("terminated", "投资方撤回", "无")]
    assert p.stage_events.filter(stage="dropped").exists()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"status": "paused"}, "项目状态“paused”不存在；可选：正常、延期、停滞、流失、中止"),
        ({"status": "delayed", "reason": ""}, "“延期”的原因（空）不能为空"),
        ({"status": "delayed"}, "延期后的预计日期（空）不能为空"),
        (
            {"status": "delayed", "expected_on": date(2020, 5, 1)},
            "延期后的预计日期“2020-05-01”应晚于状态日期 2020-06-01",
        ),
        ({"status": "stalled"}, "停滞原因类别（空）应为：土地、资金、审批、环评、其他"),
        ({"status": "stalled", "obstacle": "weather"}, "停滞原因类别“weather”应为：土地、资金、审批、环评、其他"),
        ({"status": "lost"}, "流失去向（城市或国家）（空）不能为空"),
        ({"status": "terminated", "reason": ""}, "“中止”的原因（空）不能为空"),
        ({"status": "normal"}, "项目状态“正常”未改变"),
        (
            {"status": "stalled", "obstacle": "land", "on": date(2021, 1, 1)},
            "状态日期“2021-01-01”晚于今天（2020-12-31）",
        ),
    ],
)
def test_bad_status_changes_are_refused_and_change_nothing(project, users, kwargs, message):
    args = {"project": project, "on": date(2020, 6, 1), "reason": "原因", "actor": users["staff"], **kwargs}
    before = database_state()
    with pytest.raises(ValidationError) as exc:
        ps.project_status_set(**args)
    assert first_message(exc.value) == message
    assert database_state() == before


def test_a_dropped_project_keeps_its_status_and_dates_only_move_forward(project, users):
    ps.project_status_set(
        project=project, status="stalled", on=date(2020, 6, 1), reason="资金", obstacle="funds", actor=users["staff"]
    )
    with pytest.raises(ValidationError, match="早于上一次状态变化的日期 2020-06-01"):
        ps.project_status_set(project=project, status="normal", on=date(2020, 5, 1), reason="", actor=users["staff"])
    ps.project_drop(project=project, on=date(2020, 7, 1), reason="撤回", actor=users["staff"])
    with pytest.raises(ValidationError, match="已中止，状态不能再改"):
        ps.project_status_set(project=project, status="normal", on=date(2020, 8, 1), reason="", actor=users["staff"])
    assert Project.objects.get(pk=project.pk).status == "terminated"


def test_only_the_unit_and_the_city_set_a_status(project, users):
    before = database_state()
    for role in ("zone_staff", "leader", "auditor"):
        with pytest.raises(PermissionDenied, match="设置项目状态"):
            ps.project_status_set(
                project=project, status="stalled", on=date(2020, 6, 1), reason="x", obstacle="land",
                actor=users[role],
            )  # fmt: skip
    assert database_state() == before
