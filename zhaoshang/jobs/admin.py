"""Jobs in the admin: read-only, for looking up what ran and how it ended."""

from django.apps import apps
from django.contrib import admin

from .models import Job, ScheduledRun

if apps.is_installed("django_tasks_db"):
    # The queue's own rows (English, one per delivery) are plumbing; people look at our jobs, below. Registered
    # first by importing its admin, so that it can be taken off the site.
    import django_tasks_db.admin  # noqa: F401
    from django_tasks_db.models import DBTaskResult

    if admin.site.is_registered(DBTaskResult):
        admin.site.unregister(DBTaskResult)


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["id", "label", "kind", "created_by", "created_at", "status", "checked", "written", "total"]
    list_filter = ["status", "kind"]
    readonly_fields = [f.name for f in Job._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(ScheduledRun)
class ScheduledRunAdmin(admin.ModelAdmin):
    list_display = ["name", "last_run_on", "last_job"]
