"""No request answers 500: every GET of the API and the main pages, with odd path and query values."""

from __future__ import annotations

import itertools
import re

import pytest

ODD = ["x", "0", "-1", "99999999999999999999", "2020-13", "0001-01-01", "%00", "<script>", "", "2020-01..2019-01"]


@pytest.mark.django_db
def test_no_api_get_answers_500(client, users, project):
    client.raise_request_exception = False
    client.force_login(users["admin"])
    schema = client.get("/api/openapi.json").json()
    tried = 0
    for path, ops in schema["paths"].items():
        op = ops.get("get")
        if op is None:
            continue
        query = [p["name"] for p in op.get("parameters", []) if p["in"] == "query"]
        names = re.findall(r"{(\w+)}", path)
        for value in ODD:
            url = re.sub(r"{\w+}", value or "x", path) if names else path
            params = dict.fromkeys(query, value)
            response = client.get(url, params)
            tried += 1
            assert response.status_code != 500, (url, params, response.content[:300])
    assert tried > 20


PAGES = ["/", "/projects/", "/targets/", "/race/", "/chains/", "/imports/"]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["admin", "staff", "leader", "auditor"])
def test_no_page_answers_500(client, users, project, who):
    client.raise_request_exception = False
    client.force_login(users[who])
    for page in PAGES:
        assert client.get(page).status_code in (200, 403), page
    for page, (key, value) in itertools.product(PAGES, [("period", v) for v in ODD] + [("page", "-1"), ("date", "x")]):
        response = client.get(page, {key: value})
        assert response.status_code != 500, (page, key, value, response.content[:300])


@pytest.mark.django_db
def test_a_nul_character_is_refused_before_any_view(client, users):
    client.force_login(users["admin"])
    for url, params in [
        ("/api/race/%00/board", {}),
        ("/api/stats", {"period": "2020\x00"}),
        ("/projects/", {"q": "\x00"}),
    ]:
        response = client.get(url, params)
        assert response.status_code == 400
        assert "空字符" in response.content.decode()
