"""Behind a proxy each person is locked out by their own address, not the proxy's; a forged header changes nothing."""

from __future__ import annotations

import pytest
from django.test import RequestFactory, override_settings

from zhaoshang.common.proxy import client_address

PROXY = "10.0.0.2"


def address(xff: str | None, count: int) -> str | None:
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY)
    if xff is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = xff
    with override_settings(ZHAOSHANG_PROXY_COUNT=count):
        return client_address(request)


def test_the_client_behind_one_or_two_proxies_and_a_forged_header():
    assert address(None, 0) == PROXY
    assert address("1.2.3.4", 0) == PROXY
    assert address("1.2.3.4", 1) == "1.2.3.4"
    assert address("6.6.6.6, 1.2.3.4", 1) == "1.2.3.4"  # the client wrote 6.6.6.6 itself
    assert address("6.6.6.6, 1.2.3.4, 10.0.0.9", 2) == "1.2.3.4"
    assert address(None, 1) == PROXY
    assert address("not-an-address", 1) == PROXY


@pytest.mark.django_db
def test_a_lockout_behind_the_proxy_locks_only_that_address(client, users, settings):
    settings.ZHAOSHANG_PROXY_COUNT = 1
    settings.AXES_FAILURE_LIMIT = 2
    username = users["staff"].username
    for _ in range(3):
        client.post(
            "/login/", {"username": username, "password": "wrong"}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="6.6.6.6"
        )
    from axes.models import AccessAttempt

    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["6.6.6.6"]
