"""The API's documentation page, served from our own static files (swagger-ui-dist from npm, copied by ./run), and
the rule that only a logged-in person reads the docs or the schema."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from ninja.openapi.docs import Swagger


class OwnSwagger(Swagger):
    """Swagger UI from /static/vendor/swagger-ui/, never a CDN: the intranet has none."""

    def render_page(self, request: HttpRequest, api: Any, **kwargs: Any) -> HttpResponse:
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {"swagger_settings": json.dumps(self.settings), "api": api}
        return render(request, "api/swagger.html", context)


def login_required_for_docs(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous visitors are sent to the login page (the docs) or told to log in (the schema, 401)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            if request.path.endswith(".json"):
                return JsonResponse({"detail": "请先登录后再查看接口说明"}, status=401)
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped
