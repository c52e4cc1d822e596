"""URLs of the import pages."""

from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.upload, name="upload"),
    path("template/<str:kind>.xlsx", views.template_download, name="template"),
    path("report/<str:token>.xlsx", views.report_download, name="report"),
    path("reconcile/", views.reconcile_page, name="reconcile"),
    path("jobs/<int:job_id>/", views.job_page, name="job"),
    path("jobs/<int:job_id>/progress/", views.job_progress, name="job_progress"),
]
