"""The intake pages, mounted at /intake/: submit a text, then read it highlighted and confirm proposals."""

from django.urls import path

from . import views

app_name = "intake"
urlpatterns = [
    path("", views.intake_index, name="index"),
    path("<int:pk>/", views.intake_document, name="document"),
    path("<int:pk>/confirm/", views.intake_confirm, name="confirm"),
]
