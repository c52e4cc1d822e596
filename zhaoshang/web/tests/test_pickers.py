"""Pickers and inline registration: search-as-you-type options, a new investor or enterprise registered with the
project in one step, with the admin's checks (credit code, duplicate names) shown before anything is saved."""

from __future__ import annotations

import re

import pytest

from zhaoshang.projects import services as ps
from zhaoshang.projects.models import Enterprise, Investor, Project

from .test_project_new import FORM

pytestmark = pytest.mark.django_db
USD = {**FORM, "currency": "USD", "rate_to_usd": "1", "confirm": "on"}


def valid_code() -> str:
    from stdnum.cn import uscc

    body = "91330421MA2B0C1D2"
    return body + uscc.calc_check_digit(body)


def test_the_pickers_answer_as_the_user_types(client, users, investor, industry):
    client.force_login(users["staff"])
    got = client.get("/pick/investors/?q=everest").json()["options"]
    assert got == [
        {"value": str(investor.pk), "text": "云顶新耀医药科技有限公司（开曼群岛） Everest Medicines Limited"}
    ]
    assert client.get("/pick/industries/?q=276").json()["options"] == [{"value": "2761", "text": "2761 生物药品制造"}]
    assert client.get("/pick/industries/?q=医药").json()["options"] == [{"value": "27", "text": "27 医药制造业"}]
    assert {"value": "GB", "text": "英国（GB）"} in client.get("/pick/countries/?q=英国").json()["options"]
    assert client.get("/pick/nothing/?q=x").status_code == 404
    client.logout()
    assert client.get("/pick/investors/?q=x").status_code == 302


def test_a_new_investor_and_enterprise_are_registered_with_the_project(client, users, industry, as_of):
    client.force_login(users["staff"])
    code = valid_code()
    response = client.post(
        "/projects/new/",
        {
            **USD,
            "new_investor_name": "博世（中国）投资有限公司",
            "new_investor_name_en": "Bosch (China) Investment Ltd.",
            "new_investor_country": "DE",
            "new_enterprise_name": "博世汽车部件（嘉善）有限公司",
            "new_enterprise_credit_code": code,
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    project = Project.objects.get(name="高端医疗器械项目")
    assert [i.name for i in project.investors.all()] == ["博世（中国）投资有限公司"]
    assert project.investors.get().country.code == "DE"
    enterprise = Enterprise.objects.get(projects=project)
    assert (enterprise.name, enterprise.credit_code, enterprise.unit.code) == (
        "博世汽车部件（嘉善）有限公司",
        code,
        "330421",
    )
    assert Investor.history.filter(name="博世（中国）投资有限公司").get().history_user == users["staff"]


def test_a_similar_investor_is_shown_before_saving(client, users, investor, industry, as_of):
    client.force_login(users["staff"])
    form = {**USD, "new_investor_name": "云顶新耀医药科技", "new_investor_country": "KY"}
    response = client.post("/projects/new/", form)
    assert response.status_code == 400
    page = response.content.decode()
    assert "已有名称相近的投资者：云顶新耀医药科技有限公司（开曼群岛）" in page, re.findall(
        r"role=\"alert\"[^<]*>([^<]*)", page
    )
    assert Investor.objects.count() == 1
    assert not Project.objects.exists()
    # Confirmed as a different investor, it is saved.
    assert client.post("/projects/new/", {**form, "new_investor_confirmed": "on"}).status_code == 302
    assert Investor.objects.count() == 2


def test_a_bad_credit_code_or_a_failing_project_saves_nothing(client, users, industry, as_of):
    client.force_login(users["staff"])
    base = {**USD, "new_investor_name": "新投资者甲", "new_investor_country": "GB"}
    bad = client.post(
        "/projects/new/", {**base, "new_enterprise_name": "甲公司", "new_enterprise_credit_code": "91330421MA2B0C1D2X"}
    )
    assert bad.status_code == 400
    assert "统一社会信用代码“91330421MA2B0C1D2X”的校验位不正确（GB 32100）" in bad.content.decode()
    # The project itself refused (its name empty): the new investor is not kept either.
    refused = client.post("/projects/new/", {**base, "name": " "})
    assert refused.status_code == 400
    assert not Investor.objects.filter(name="新投资者甲").exists()
    assert not Enterprise.objects.exists()
    assert not Project.objects.exists()


def test_an_investor_is_needed(client, users, industry, as_of):
    client.force_login(users["staff"])
    response = client.post("/projects/new/", USD)
    assert "请选择外方投资者，或在下方登记新的投资者" in response.content.decode()
    no_country = client.post("/projects/new/", {**USD, "new_investor_name": "乙"})
    assert "请选择新投资者的国别（地区）" in no_country.content.decode()
    assert not Investor.objects.filter(name="乙").exists()


def test_a_duplicate_enterprise_by_credit_code(client, users, investor, industry, units, as_of):
    code = valid_code()
    ps.enterprise_create(name="某某有限公司", credit_code=code, unit=units["jiashan"], actor=users["admin"])
    client.force_login(users["staff"])
    response = client.post(
        "/projects/new/",
        {**USD, "investor": investor.pk, "new_enterprise_name": "另一个名字", "new_enterprise_credit_code": code},
    )
    assert f"已有名称或信用代码相同的企业：某某有限公司（嘉善县，{code}）" in response.content.decode()
    assert Enterprise.objects.count() == 1
