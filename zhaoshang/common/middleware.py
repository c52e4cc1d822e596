"""Refuse, before any view runs, what no database can store: a NUL character in the path or a parameter.

PostgreSQL rejects NUL in text (SQLite takes it), so such a request would otherwise end in a 500 on one database
and not the other.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest


class RejectNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any("\x00" in v for v in request.GET.values()):
            return HttpResponseBadRequest(
                "请求无效：地址或参数中含有空字符（\\x00）".encode(), content_type="text/plain; charset=utf-8"
            )
        return self.get_response(request)
