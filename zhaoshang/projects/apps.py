"""The registry: investors, enterprises, projects, stages, capital arrivals and follow-ups."""

from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "zhaoshang.projects"
    label = "projects"
    verbose_name = "外资项目库"
