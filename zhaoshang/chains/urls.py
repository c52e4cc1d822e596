"""URLs of the chain map pages, mounted at /chains/."""

from django.urls import path

from . import views

app_name = "chains"
urlpatterns = [
    path("", views.chain_list, name="list"),
    path("country/<str:code>/", views.country_detail, name="country"),
    path("<slug:slug>/", views.chain_detail, name="detail"),
]
