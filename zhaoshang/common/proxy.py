"""The client's address behind trusted reverse proxies, for django-axes' lockout (username + address).

With ZHAOSHANG_PROXY_COUNT = N trusted proxies in front of the site, each appending the address it received the
request from to X-Forwarded-For (nginx: `proxy_add_x_forwarded_for`), the right-most N entries were written by our
proxies and the N-th from the right is the client; anything further left came from the client and is not trusted.
With no proxy (N = 0), or a header shorter than N, the connection's own address (REMOTE_ADDR) is used.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    count = int(getattr(settings, "ZHAOSHANG_PROXY_COUNT", 0) or 0)
    remote = request.META.get("REMOTE_ADDR") or None
    if count <= 0:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    if len(hops) < count:
        return remote
    candidate = hops[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
