"""Background jobs: the record pages and commands read progress from, the runner, the worker and its schedule."""

from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "zhaoshang.jobs"
    label = "jobs"
    verbose_name = "后台任务"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("jobs")  # each app's jobs.py declares its job functions and periodic jobs
