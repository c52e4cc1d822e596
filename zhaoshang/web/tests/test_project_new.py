"""Registering a project on the desk: through project_create, refusals in place, nothing saved on a refusal."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zhaoshang.projects.models import Project

FORM = {
    "unit": "330421",
    "name": "高端医疗器械项目",
    "kind": "new",
    "stage": "negotiating",
    "stage_on": "2020-03-02",
    "currency": "EUR",
    "rate_to_usd": "1.1",
    "total_investment": "10000",  # 万欧元
    "contract_foreign": "5000",
    "industry": "2761",
    "leader": "副县长",
    "note": "",
}


@pytest.mark.django_db
def test_staff_register_a_project_of_their_own_unit(client, users, investor, industry, as_of):
    client.force_login(users["staff"])
    assert "登记新项目" in client.get("/projects/").content.decode()
    page = client.get("/projects/new/").content.decode()
    assert 'value="330421"' in page
    assert 'value="3304JK"' not in page
    # No reference rate for EUR in 2020-03 here: the desk asks before saving, and saves once confirmed.
    asked = client.post("/projects/new/", {**FORM, "investor": investor.pk})
    assert asked.status_code == 400
    assert Project.objects.count() == 0
    page = asked.content.decode()
    assert "警告：2020年3月没有欧元（EUR）的参考汇率，无法核对所填汇率 1.1" in page
    assert 'type="checkbox" name="confirm"' in page
    assert "已核对以上警告，确认保存" in page
    response = client.post("/projects/new/", {**FORM, "investor": investor.pk, "confirm": "on"})
    assert response.status_code == 302
    p = Project.objects.get(name="高端医疗器械项目")
    # 10,000 万欧元 = EUR 100,000,000 × 1.1 = US$110,000,000.00; 5,000 万欧元 × 1.1 = US$55,000,000.00
    assert (p.unit.code, p.total_investment_usd, p.contract_foreign_usd) == (
        "330421",
        Decimal("110000000.00"),
        Decimal("55000000.00"),
    )
    assert response["Location"] == f"/projects/{p.code}/"


@pytest.mark.django_db
def test_refusals_are_shown_in_place_and_nothing_is_saved(client, users, investor, industry, as_of):
    client.force_login(users["staff"])
    for change, message in [
        ({"unit": "3304JK"}, "3304JK"),  # another unit: not a valid choice for this user
        ({"industry": "9999"}, "行业代码“9999”不存在"),
        ({"stage_on": "2021-06-01"}, "2021-06-01"),  # after the business date
        ({"name": "  "}, "项目名称"),
    ]:
        response = client.post("/projects/new/", {**FORM, "investor": investor.pk, **change})
        assert response.status_code == 400, change
        assert message in response.content.decode(), change
    assert Project.objects.count() == 0


@pytest.mark.django_db
def test_leaders_and_auditors_cannot_register(client, users):
    for who in ("leader", "auditor"):
        client.force_login(users[who])
        assert "登记新项目" not in client.get("/projects/").content.decode()
        assert client.get("/projects/new/").status_code == 403
        assert client.post("/projects/new/", FORM).status_code == 403
    assert Project.objects.count() == 0
