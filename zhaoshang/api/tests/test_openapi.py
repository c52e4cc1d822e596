"""The OpenAPI schema keeps its operation ids although the race and chain routes moved into `zhaoshang.api`."""

from zhaoshang.api.urls import api


def test_operation_ids_of_the_moved_routes_are_unchanged():
    ids = {
        op["operationId"]
        for path in api.get_openapi_schema()["paths"].values()
        for op in path.values()
        if isinstance(op, dict) and "operationId" in op
    }
    assert {"zhaoshang_chains_api_chain_map", "zhaoshang_chains_api_list_chains", "zhaoshang_race_api_board"} <= ids
    assert "zhaoshang_urls_list_projects" not in ids
    assert "zhaoshang_api_urls_list_projects" in ids
    assert not {i for i in ids if i.startswith(("zhaoshang_api_race_", "zhaoshang_api_chains_"))}
