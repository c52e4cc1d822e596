"""History in words on the project page, and the 审计 page: every change, filtered, exported, for the auditor."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest

from zhaoshang.projects import services as ps

pytestmark = pytest.mark.django_db


@pytest.fixture
def changed(figures, users):
    """The talking project advanced to 签约 on 2020-12-01 by 嘉善's staff, then its officer and contract corrected by
    the city administrator (from US$18,000,000 to US$20,000,000)."""
    talking = figures["talking"]
    ps.project_advance_stage(project=talking, to_stage="signed", on=date(2020, 12, 1), actor=users["staff"])
    ps.project_update(
        project=talking,
        officer=users["staff"],
        contract_foreign="20000000",
        actor=users["admin"],
        reason="核对合同",
    )
    return talking


def test_the_project_history_is_in_words(client, users, changed):
    client.force_login(users["auditor"])
    page = client.get(f"/projects/{changed.code}/").content.decode()
    assert "当前阶段：洽谈 → 签约" in page
    assert "合同外资（美元）：1800万美元 → 2000万美元" in page
    assert "责任人：（空） → 嘉善专员" in page


def test_the_auditor_reads_every_change_filtered(client, users, changed):
    client.force_login(users["auditor"])
    page = client.get("/audit/?user=admin&model=projects.project").content.decode()
    body = page.split('id="audit-table"')[1]
    assert "核对合同" in body
    assert "合同外资（美元）：1800万美元 → 2000万美元" in body
    assert "嘉善专员" not in body.split("<tbody>")[1].split("</td>")[1]  # the user column is the admin's
    by_unit = client.get("/audit/?unit=3304JK").content.decode()
    assert "没有符合条件的修改记录" in by_unit
    staff = client.get(f"/audit/?user=js&since=2020-01-01&until={date.today():%Y-%m-%d}").content.decode()
    assert "推进至签约" in staff


def test_the_export_is_the_same_rows_through_the_exporter(client, users, changed):
    client.force_login(users["auditor"])
    response = client.get("/audit/export.xlsx?user=admin&model=projects.project")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(i for i, r in enumerate(values) if r[0] == "时间")
    assert values[header] == ["时间", "用户", "单位", "记录类型", "记录", "操作", "原因", "修改内容"]
    first = values[header + 1]
    assert first[1:7] == ["管理员", "嘉善县", "外资项目", f"{changed.code} 创新药生产基地项目", "修改", "核对合同"]
    assert "合同外资（美元）：1800万美元 → 2000万美元" in first[7]


@pytest.mark.parametrize("role", ["staff", "leader"])
def test_others_may_not(client, users, role):
    client.force_login(users[role])
    assert client.get("/audit/").status_code == 403
    assert client.get("/audit/export.xlsx").status_code == 403
    assert "审计" not in client.get("/tasks/").content.decode().split("</nav>")[0]


@pytest.mark.parametrize(
    "query", ["unit=nowhere", "model=nope.nope", "since=soon", "since=2020-02-01&until=2020-01-01"]
)
def test_bad_filters_are_a_400(client, users, query):
    client.force_login(users["auditor"])
    assert client.get(f"/audit/?{query}").status_code == 400
