"""The forecast's pages."""

from django.urls import path

from . import views

app_name = "forecast"

urlpatterns = [
    path("panel/", views.panel, name="panel"),
    path("backtest/", views.backtest_page, name="backtest"),
    path("projects/<str:code>/expectation/", views.expectation, name="expectation"),
]
