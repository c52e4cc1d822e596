"""The docs and schema are for logged-in people and come from our own static files; a bad body is a 400 in Chinese."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.test import override_settings

from zhaoshang.race import services as rs


@pytest.mark.django_db
def test_docs_and_schema_need_a_login(client, users):
    docs = client.get("/api/docs")
    assert docs.status_code == 302
    assert docs["Location"].startswith("/login/")
    schema = client.get("/api/openapi.json")
    assert schema.status_code == 401
    assert schema.json() == {"detail": "请先登录后再查看接口说明"}
    client.force_login(users["auditor"])
    assert client.get("/api/openapi.json").json()["info"]["title"] == "招商 API"
    page = client.get("/api/docs").content.decode()
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in page
    assert "/static/vendor/swagger-ui/swagger-ui.css" in page
    assert "cdn" not in page.lower()
    assert "https://" not in page


@pytest.fixture
def competition(as_of, units, users):
    return rs.competition_create(
        slug="race-2020",
        name="竞赛",
        start=date(2020, 7, 1),
        end=date(2020, 9, 30),
        units=[units["jiashan"], units["zone"]],
        indicators=[("actual_use_usd", 100)],
        actor=users["admin"],
    )


@pytest.mark.django_db
@override_settings(DEBUG=True)  # the demo's settings: still no traceback in the body
def test_an_empty_snapshot_date_is_a_400_with_the_reason(client, users, competition):
    client.raise_request_exception = False
    client.force_login(users["admin"])
    for body in ({"date": ""}, {"date": "2020-02-30"}, {"date": None}, {}):
        response = client.post(
            f"/api/race/{competition.slug}/snapshots", json.dumps(body), content_type="application/json"
        )
        assert response.status_code == 400, (body, response.content[:300])
        text = response.content.decode()
        assert "Traceback" not in text
        assert "AssertionError" not in text
    response = client.post(
        f"/api/race/{competition.slug}/snapshots", json.dumps({"date": ""}), content_type="application/json"
    )
    assert response.json() == {"detail": "周比日期不能为空，应写成 YYYY-MM-DD，如 2020-09-25"}
