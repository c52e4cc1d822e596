"""Every JSON route with a typed output schema answers exactly the serialiser's JSON, and documents it.

Ninja filters an answer through the route's schema, so a key the schema forgets is dropped from the answer: each
route is compared here with the plain serialiser (`stats.serialize.report_json`, the race board's JSON,
`chains.serialize.map_json` / `country_json`) on a small registry, key for key and type for type.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from zhaoshang.api.urls import api
from zhaoshang.chains import selectors as chain_selectors
from zhaoshang.chains.models import LinkEnterprise
from zhaoshang.chains.serialize import country_json, map_json
from zhaoshang.chains.tests.conftest import pv, pv_industries  # noqa: F401  (fixtures of `mapped`)
from zhaoshang.chains.tests.test_cli_api_page import mapped  # noqa: F401
from zhaoshang.common.periods import MonthRange
from zhaoshang.projects import services as ps
from zhaoshang.projects.models import CapitalArrival
from zhaoshang.race import selectors as race_selectors
from zhaoshang.race import services as race_services
from zhaoshang.race.models import Snapshot
from zhaoshang.race.tests.test_race import race  # noqa: F401
from zhaoshang.stats.models import ProvinceFigure
from zhaoshang.stats.selectors import stats_report
from zhaoshang.stats.serialize import report_json
from zhaoshang.stats.services import province_figure_set

from .contract import assert_same_json

M = Decimal(1_000_000)


def board_json(comp: Any, day: date, version: int | None = None) -> dict[str, Any]:
    return race_selectors.board(comp, day, version=version).to_json()


# ---------------------------------------------------------------------------------------------- /api/stats


@pytest.fixture
def registry(project, users, places):
    """One 嘉善 project signed in January with US$6m in March, and Ningbo's published 1–9月 (no growth given)."""
    admin = users["admin"]
    ps.project_advance_stage(project=project, to_stage="signed", on=date(2020, 1, 20), actor=admin)
    ps.arrival_record(project=project, month=date(2020, 3, 1), amount=6 * M, kind="paid_in", actor=admin)
    province_figure_set(
        region=places["ningbo"],
        first_month=date(2020, 1, 1),
        last_month=date(2020, 9, 1),
        indicator="actual_use_usd",
        value=10 * M,
        yoy_pct=None,
        source="省通报",
        actor=admin,
    )
    return project


@pytest.mark.parametrize(("period", "unit"), [("2020-01..2020-09", None), ("2020Q1", "330421"), ("2019", None)])
def test_stats_answers_the_reports_json(registry, users, client, period, unit):
    client.force_login(users["leader"])
    params = {"period": period, **({"unit": unit} if unit else {})}
    want = report_json(stats_report(MonthRange.parse(period), unit_code=unit))
    assert_same_json(client.get("/api/stats", params), want)


# ---------------------------------------------------------------------------------------------- /api/race


def test_race_routes_answer_the_boards_json(race, users, places, client):  # noqa: F811
    """A live board (reason null), a board published through the API (reason, versions), confirmed red flags and
    snails, an older version, a rival with no published month (no label, no source), the history and the list."""
    comp, admin = race["comp"], race["admin"]
    client.force_login(admin)
    url = f"/api/race/{comp.slug}"
    assert_same_json(client.get(f"{url}/board", {"date": "2020-07-03"}), board_json(comp, date(2020, 7, 3)))
    assert client.get(f"{url}/board", {"date": "2020-07-03"}).json()["reason"] is None

    race_services.proposals_confirm(competition=comp, on=date(2020, 7, 3), actor=admin)
    published = client.post(f"{url}/snapshots", {"date": "2020-07-03"}, content_type="application/json")
    assert_same_json(published, board_json(comp, date(2020, 7, 3)))
    assert published.json()["published"] is True
    assert published.json()["red_flags"]

    # One record per project, month and type: the second July transfer is added to the month's record.
    july = CapitalArrival.objects.get(project=race["p1"], month=date(2020, 7, 1), kind="paid_in")
    ps.arrival_update(arrival=july, amount=july.amount + 2 * M, reason="七月第二笔到资", actor=admin)
    again = {"date": "2020-07-03", "reason": "补录P1七月到资"}
    assert_same_json(
        client.post(f"{url}/snapshots", again, content_type="application/json"), board_json(comp, date(2020, 7, 3))
    )
    assert_same_json(
        client.get(f"{url}/board", {"date": "2020-07-03", "version": 1}), board_json(comp, date(2020, 7, 3), 1)
    )
    assert_same_json(client.get(f"{url}/board", {"date": "2020-07-31"}), board_json(comp, date(2020, 7, 31)))

    # A board stored before the type (schema version 1: the same keys, no schema_version) answers the same way.
    first = Snapshot.objects.get(competition=comp, on=date(2020, 7, 3), version=1)
    first.data = {k: v for k, v in first.data.items() if k != "schema_version"}
    first.save()
    old = client.get(f"{url}/board", {"date": "2020-07-03", "version": 1})
    assert_same_json(old, board_json(comp, date(2020, 7, 3), 1))
    assert old.json()["schema_version"] == 2
    assert old.json()["version"] == 1

    ProvinceFigure.objects.filter(region=places["ningbo"]).delete()
    silent = client.get(f"{url}/board", {"date": "2020-07-17"})
    assert_same_json(silent, board_json(comp, date(2020, 7, 17)))
    assert silent.json()["rival"]["months"] is None
    assert "label" not in silent.json()["rival"]

    assert_same_json(client.get(f"{url}/history"), race_selectors.history(comp))
    competitions = [{"slug": "july", "name": "七月竞赛", "start": "2020-07-01", "end": "2020-07-31"}]
    assert_same_json(client.get("/api/race/"), competitions)


# ---------------------------------------------------------------------------------------------- /api/chains


def test_chain_routes_answer_the_maps_json(mapped, users, client):  # noqa: F811
    """组件 strong, 光伏玻璃 weak, 逆变器 blank (see `mapped`); Siemens and SMA are German targets."""
    client.force_login(users["admin"])
    want = map_json(chain_selectors.chain_map(mapped))
    assert_same_json(client.get("/api/chains/pv"), want)
    for link in want["links"]:
        assert_same_json(client.get(f"/api/chains/pv/links/{link['id']}"), link)
    assert_same_json(
        client.get("/api/chains"),
        [{"slug": "pv", "name": "光伏", "links": 3, "blank": 1, "weak": 1, "strong": 1}],
    )
    found = chain_selectors.country_list("DE")
    assert found is not None
    assert found.targets
    assert_same_json(client.get("/api/chains/countries/DE"), country_json(found))

    placement = LinkEnterprise.objects.filter(status="suggested").order_by("pk").first()
    assert placement is not None
    decided = client.post(
        f"/api/chains/placements/{placement.pk}", {"decision": "confirm"}, content_type="application/json"
    )
    placement.refresh_from_db()
    assert_same_json(
        decided, {"id": placement.pk, "status": "confirmed", "status_label": placement.get_status_display()}
    )


# ---------------------------------------------------------------------------------------------- OpenAPI


def _resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _untyped_objects(schema: dict[str, Any], components: dict[str, Any], path: str, seen: set[str]) -> list[str]:
    """Objects in a response schema that say nothing of their keys (`response=dict` gives such a bare object)."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return []
        seen.add(name)
    schema = _resolve(schema, components)
    found = []
    if schema.get("type") == "object" and not schema.get("properties"):
        extra = schema.get("additionalProperties")
        if not isinstance(extra, dict) or not extra:
            found.append(path)
    for key, sub in schema.get("properties", {}).items():
        found += _untyped_objects(sub, components, f"{path}.{key}", seen)
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            found += _untyped_objects(schema[key], components, f"{path}[]", seen)
    for key in ("anyOf", "oneOf", "allOf"):
        for sub in schema.get(key, []):
            found += _untyped_objects(sub, components, path, seen)
    return found


def test_every_json_route_documents_its_keys(client, users):
    client.force_login(users["admin"])
    openapi = client.get("/api/openapi.json").json()
    components = openapi["components"]["schemas"]
    untyped = []
    for url, operations in openapi["paths"].items():
        for method, op in operations.items():
            for status, answer in op.get("responses", {}).items():
                schema = answer.get("content", {}).get("application/json", {}).get("schema")
                if schema is not None and status.startswith("2"):
                    untyped += _untyped_objects(schema, components, f"{method.upper()} {url} {status}", set())
    assert untyped == []


@pytest.mark.parametrize(
    ("url", "method", "keys"),
    [
        ("/api/stats", "get", {"period", "as_of", "caliber", "city", "units", "province", "pipeline"}),
        ("/api/race/{slug}/board", "get", {"competition", "units", "city", "rival", "red_flags", "versions"}),
        ("/api/race/{slug}/snapshots", "post", {"competition", "units", "published", "version", "reason"}),
        ("/api/chains/{slug}", "get", {"chain", "thresholds", "state_counts", "links", "target_list", "platforms"}),
    ],
)
def test_the_schemas_are_in_the_openapi_document_with_their_properties(url, method, keys):
    openapi = api.get_openapi_schema()
    components = openapi["components"]["schemas"]
    schema = openapi["paths"][url][method]["responses"][200]["content"]["application/json"]["schema"]
    properties = _resolve(schema, components)["properties"]
    assert keys <= set(properties)
    if url == "/api/stats":
        city = _resolve(properties["city"], components)["properties"]
        assert city["actual_use_usd"]["type"] == "string"
        assert city["yoy_pct"]["anyOf"][0]["type"] == "number"
        by_stage = _resolve(properties["pipeline"], components)["properties"]["by_stage"]
        assert by_stage["type"] == "object"
        assert by_stage["additionalProperties"] == {"type": "integer"}
