"""The site's URL map: the admin and the JSON API."""

from django.contrib import admin
from django.urls import include, path

from zhaoshang.api.urls import api
from zhaoshang.common.views import home

admin.site.site_header = "招商 · 稳外资工作平台"
admin.site.site_title = "招商"
admin.site.index_title = "数据管理"

urlpatterns = [
    path("", home, name="home"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("chains/", include("zhaoshang.chains.urls")),
    path("imports/", include("zhaoshang.imports.urls")),
    path("bulletins/", include("zhaoshang.bulletins.urls")),
]
