"""The site's URL map: the admin, the JSON API and the desk."""

from django.contrib import admin
from django.urls import include, path

from zhaoshang.api.urls import api
from zhaoshang.web.views import dashboard

admin.site.site_header = "招商 · 稳外资工作平台"
admin.site.site_title = "招商"
admin.site.index_title = "数据管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("chains/", include("zhaoshang.chains.urls")),
    path("leads/", include("zhaoshang.leads.urls")),
    path("intake/", include("zhaoshang.intake.urls")),
    path("imports/", include("zhaoshang.imports.urls")),
    path("bulletins/", include("zhaoshang.bulletins.urls")),
    path("", include("zhaoshang.web.urls")),
    path("", dashboard, name="home"),  # the site's front page under its old name, for `{% url 'home' %}`
]
