"""schemathesis against /api/openapi.json with a logged-in session: every operation of the schema, a bounded number
of generated requests each (paths, parameters, bodies), and no answer is a server error. Marked slow (about a
minute here); the number of examples per operation is kept small so the run stays bounded."""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

EXAMPLES_PER_OPERATION = 6


@pytest.mark.slow
@pytest.mark.django_db
def test_no_api_request_is_a_server_error(client, users, project):
    client.force_login(users["admin"])
    # The schema is for logged-in users only: read it with the session; every call then goes to the WSGI app.
    schema = schemathesis.openapi.from_dict(client.get("/api/openapi.json").json())
    schema.app = get_wsgi_application()
    token = _get_new_csrf_string()
    cookies = {"sessionid": client.cookies["sessionid"].value, "csrftoken": token}
    tried: list[str] = []
    seen: list[tuple[str, int]] = []
    # As Django's test client does: the test's transaction holds the connection, so no request may close it.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        for result in schema.get_all_operations():
            operation = result.ok()

            @given(case=operation.as_strategy())
            @settings(
                max_examples=EXAMPLES_PER_OPERATION,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                database=None,
            )
            def call(case: schemathesis.Case) -> None:
                response = case.call(headers={"X-CSRFToken": token}, cookies=cookies)
                assert response.status_code != 401, f"{case.operation.label}: the session was not sent"
                seen.append((case.operation.label, response.status_code))
                case.validate_response(response, checks=[not_a_server_error])

            call()
            tried.append(operation.label)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    assert len(tried) >= 10, tried
    # The session and its CSRF token got through: writes were answered, not refused as anonymous or forged.
    assert any(label.startswith("POST") and code != 403 for label, code in seen), str(sorted(set(seen)))
