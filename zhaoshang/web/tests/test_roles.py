"""Role × action, in the pages and the API alike: every refusal is asserted, and a refused write changes nothing.

City administrator: everything. Unit staff: read everything, write their own unit's projects, read their own
unit's change history. Leader: read only, no history. Auditor: read, and every change history.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from zhaoshang.projects.models import CapitalArrival, FollowUp, Project, ProjectStageEvent
from zhaoshang.stats.models import Target

pytestmark = pytest.mark.django_db

ROLES = ["admin", "staff", "zone_staff", "leader", "auditor"]
PROJECT_WRITERS = {"admin", "staff"}  # the project is 嘉善's; zone_staff belongs to 经开区
TARGET_WRITERS = {"admin"}
HISTORY_READERS = {"admin", "staff", "auditor"}


def snapshot() -> tuple[Any, ...]:
    """Everything a write could touch, history rows included."""
    projects = tuple(
        Project.objects.order_by("pk").values_list(
            "stage", "stage_on", "signed_on", "next_follow_up_on", "name", "kind"
        )
    )
    return (
        projects,
        FollowUp.objects.count(),
        CapitalArrival.objects.count(),
        ProjectStageEvent.objects.count(),
        tuple(Target.objects.values_list("unit_id", "year", "indicator", "value")),
        sum(m.history.count() for m in (Project, ProjectStageEvent, CapitalArrival, FollowUp, Target)),
    )


def page_followup(client, p):
    return client.post(f"/projects/{p.code}/followup/", {"on": "2020-12-20", "channel": "call", "summary": "电话"})


def page_advance(client, p):
    return client.post(f"/projects/{p.code}/advance/", {"to_stage": "construction", "on": "2020-12-01"})


def page_arrival(client, p):
    # 500 万美元 = US$5,000,000 (the desk takes amounts in 万 of the currency; the API in whole units)
    data = {"month": "2020-11", "kind": "capital_increase", "amount": "500", "currency": "USD", "rate_to_usd": "1"}
    return client.post(f"/projects/{p.code}/arrival/", data)


def page_target(client, p):
    return client.post("/targets/", {"year": "2020", "unit": "330421", "indicator": "actual_use_usd", "value": "9"})


def api(client, method: str, url: str, body: dict[str, Any]):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def api_followup(client, p):
    body = {"on": "2020-12-20", "channel": "call", "summary": "电话"}
    return api(client, "post", f"/api/projects/{p.code}/followups", body)


def api_advance(client, p):
    return api(client, "post", f"/api/projects/{p.code}/stage", {"to_stage": "construction", "on": "2020-12-01"})


def api_arrival(client, p):
    body = {"month": "2020-11-01", "amount": "5000000", "kind": "capital_increase"}
    return api(client, "post", f"/api/projects/{p.code}/arrivals", body)


def api_target(client, p):
    return api(
        client, "put", "/api/targets", {"year": 2020, "indicator": "actual_use_usd", "value": "9", "unit": "330421"}
    )


def _march(p):
    return CapitalArrival.objects.filter(project=p).order_by("month", "id").last()


def page_correct(client, p):
    return client.post(f"/projects/{p.code}/correct/", {"arrival": _march(p).pk, "amount": "100", "reason": "核对"})


def page_edit(client, p):
    form = {"name": "改名", "leader": "", "total_investment": "12000", "contract_foreign": "10000", "reason": "核对"}
    return client.post(f"/projects/{p.code}/edit/", form)


def api_patch_arrival(client, p):
    return api(client, "patch", f"/api/arrivals/{_march(p).pk}", {"amount": "1000000", "reason": "核对"})


def api_patch_project(client, p):
    return api(client, "patch", f"/api/projects/{p.code}", {"name": "改名", "reason": "核对"})


def api_patch_kind(client, p):
    return api(client, "patch", f"/api/projects/{p.code}", {"kind": "mna", "reason": "更正类型"})


WRITES: dict[str, tuple[Callable[..., Any], set[str], int]] = {
    "page.correct": (page_correct, PROJECT_WRITERS, 302),
    "page.edit": (page_edit, PROJECT_WRITERS, 302),
    "api.patch_arrival": (api_patch_arrival, PROJECT_WRITERS, 200),
    "api.patch_project": (api_patch_project, PROJECT_WRITERS, 200),
    "api.patch_kind": (api_patch_kind, {"admin"}, 200),
    "page.followup": (page_followup, PROJECT_WRITERS, 302),
    "page.advance": (page_advance, PROJECT_WRITERS, 302),
    "page.arrival": (page_arrival, PROJECT_WRITERS, 302),
    "page.target": (page_target, TARGET_WRITERS, 302),
    "api.followup": (api_followup, PROJECT_WRITERS, 200),
    "api.advance": (api_advance, PROJECT_WRITERS, 200),
    "api.arrival": (api_arrival, PROJECT_WRITERS, 200),
    "api.target": (api_target, TARGET_WRITERS, 200),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(WRITES))
def test_write_matrix(client, users, figures, role, action):
    perform, allowed, ok_status = WRITES[action]
    client.force_login(users[role])
    before = snapshot()
    response = perform(client, figures["signed"])
    if role in allowed:
        assert response.status_code == ok_status, response.content.decode()[:500]
        assert snapshot() != before
    else:
        assert response.status_code == 403, (role, action, response.status_code)
        assert snapshot() == before
        body = response.json()["detail"] if action.startswith("api.") else response.content.decode()
        assert "权限" in body  # a Chinese refusal, in the page or in the JSON detail


@pytest.mark.parametrize("role", ROLES)
def test_history_matrix(client, users, figures, role):
    client.force_login(users[role])
    p = figures["signed"]
    page = client.get(f"/projects/{p.code}/").content.decode()
    answer = client.get(f"/api/projects/{p.code}/history")
    if role in HISTORY_READERS:
        assert 'id="history"' in page
        assert "登记到资" in page
        assert answer.status_code == 200
        assert [e["what"] for e in answer.json()].count("新增到资") == 3
    else:
        assert 'id="history"' not in page
        assert answer.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_every_page(client, users, figures, role):
    client.force_login(users[role])
    for url in [
        "/",
        "/projects/",
        f"/projects/{figures['signed'].code}/",
        "/targets/",
        "/projects/export.xlsx",
        "/race/",
    ]:
        assert client.get(url).status_code == 200, (role, url)


@pytest.mark.parametrize("role", ROLES)
def test_edit_controls_show_only_to_those_who_may_use_them(client, users, figures, role):
    client.force_login(users[role])
    detail = client.get(f"/projects/{figures['signed'].code}/").content.decode()
    targets = client.get("/targets/").content.decode()
    assert ("data-form=" in detail) == (role in PROJECT_WRITERS)
    assert ('id="target-form"' in targets) == (role in TARGET_WRITERS)
    nav = client.get("/").content.decode()
    assert ('data-nav="admin"' in nav) == (role == "admin")


def test_the_api_refuses_anonymous_writes(client, figures):
    before = snapshot()
    assert api_followup(client, figures["signed"]).status_code == 401
    assert api_target(client, figures["signed"]).status_code == 401
    assert snapshot() == before


def test_the_api_needs_the_csrf_token_of_the_session(users, figures):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(users["admin"])
    before = snapshot()
    assert api_followup(strict, figures["signed"]).status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize(
    "body",
    [{"on": "yesterday", "channel": "call", "summary": "x"}, {"channel": "call"}, {"on": "2020-12-01", "channel": 5}],
)
def test_a_malformed_api_body_is_a_400_and_changes_nothing(client, users, figures, body):
    client.force_login(users["admin"])
    before = snapshot()
    response = api(client, "post", f"/api/projects/{figures['signed'].code}/followups", body)
    assert response.status_code == 400
    assert response.json()["detail"].startswith("请求数据有误")
    assert snapshot() == before


def test_a_refused_api_write_names_the_field_in_chinese(client, users, figures):
    client.force_login(users["staff"])
    before = snapshot()
    response = api(
        client, "post", f"/api/projects/{figures['signed'].code}/stage", {"to_stage": "signed", "on": "2020-12-01"}
    )
    assert response.status_code == 400
    assert "阶段只能向前推进" in response.json()["detail"]
    assert snapshot() == before
    assert (
        api(client, "post", "/api/projects/NOPE/stage", {"to_stage": "signed", "on": "2020-12-01"}).status_code == 404
    )
