"""The leads pages, mounted at /leads/: the list per unit and for the city, one lead, and the conflicts page."""

from django.urls import path

from . import views

app_name = "leads"
urlpatterns = [
    path("", views.lead_index, name="list"),
    path("new/", views.lead_new, name="new"),
    path("conflicts/", views.conflict_index, name="conflicts"),
    path("conflicts/<int:pk>/decide/", views.conflict_decide_view, name="decide"),
    path("<int:pk>/", views.lead_detail, name="detail"),
    path("<int:pk>/<str:action>/", views.lead_action, name="action"),
]
