"""Indicators by the MOFCOM caliber, targets, and the city's standing in the province."""

from django.apps import AppConfig

# Every model a figure of `stats_report` is computed from: saving or deleting any of them raises the figures'
# version in the same transaction (zhaoshang.freshness), so a cached figure is never read after it changed.
FIGURE_SOURCES = [
    "projects.Project",
    "projects.ProjectStageEvent",
    "projects.CapitalArrival",
    "projects.FollowUp",
    "projects.Investor",
    "projects.Fortune500List",
    "projects.Fortune500Entry",
    "stats.StatsConfig",
    "stats.Target",
    "stats.ProvinceFigure",
    "units.Unit",
    "units.Region",
    "common.SiteConfig",
]


class StatsConfig(AppConfig):
    name = "zhaoshang.stats"
    label = "stats"
    verbose_name = "统计与任务"

    def ready(self) -> None:
        # A signal, not a call in each service: the version is plumbing of the cache, not business flow, and a
        # receiver sees every save and delete — services, imports, the admin, a shell — inside the writer's own
        # transaction. Bulk paths that bypass save() (bulk_create, update) call figures_changed() themselves.
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from .cache import on_figure_source_change

        for label in FIGURE_SOURCES:
            post_save.connect(on_figure_source_change, sender=label, dispatch_uid=f"figures:{label}:save")
            post_delete.connect(on_figure_source_change, sender=label, dispatch_uid=f"figures:{label}:delete")
        # Who invests in a project decides the Fortune Global 500 figures.
        from zhaoshang.projects.models import Project

        m2m_changed.connect(
            on_figure_source_change, sender=Project.investors.through, dispatch_uid="figures:project-investors"
        )
