"""The desk's URL map."""

from django.apps import apps
from django.urls import path

from . import audit_views, project_views, reminder_views, target_views, task_views, verification_views, views

app_name = "web"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("projects/", project_views.project_index, name="projects"),
    path("projects/new/", project_views.project_new, name="project_new"),
    path("projects/export.xlsx", project_views.project_export, name="projects_export"),
    path("projects/<str:code>/", project_views.project_detail, name="project"),
    path("projects/<str:code>/evidence/<int:pk>/", project_views.evidence_download, name="evidence_download"),
    path("projects/<str:code>/<str:action>/", project_views.project_action, name="project_action"),
    path("targets/", target_views.targets, name="targets"),
    path("verifications/", verification_views.verification_queue, name="verifications"),
    path("tasks/", task_views.my_tasks, name="tasks"),
    path("pick/<str:kind>/", project_views.pick, name="pick"),
    path("audit/", audit_views.audit_page, name="audit"),
    path("audit/export.xlsx", audit_views.audit_export, name="audit_export"),
    path("tasks/reminders/", reminder_views.reminder_settings, name="reminders"),
]

if apps.is_installed("zhaoshang.aftercare"):
    from . import aftercare_views as av

    urlpatterns += [
        path("enterprises/", av.enterprise_index, name="enterprises"),
        path("enterprises/requests/", av.request_board, name="enterprise_requests"),
        path("enterprises/signals/", av.signal_board, name="enterprise_signals"),
        path("enterprises/<str:key>/", av.enterprise_detail, name="enterprise"),
        path("enterprises/<str:key>/<str:action>/", av.enterprise_action, name="enterprise_action"),
    ]

if apps.is_installed("zhaoshang.race"):
    from . import race_views

    urlpatterns.append(path("race/", race_views.race_board, name="race"))
    urlpatterns.append(path("race/act/", race_views.race_action, name="race_action"))
