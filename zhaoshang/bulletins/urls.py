"""The bulletin pages, mounted at /bulletins/."""

from django.urls import path

from . import views

app_name = "bulletins"

urlpatterns = [
    path("", views.bulletin_index, name="index"),
    path("get/", views.bulletin_get, name="get"),
    path("issue/", views.bulletin_issue_view, name="issue"),
    path("preview/", views.bulletin_preview, name="preview"),
    path("<str:period>.<str:fmt>", views.bulletin_download, name="download"),
]
