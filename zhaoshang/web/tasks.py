"""我的待办: the apps that give a user tasks, each as the dotted path of its `tasks_for(user) -> list[Task]`.

An app that is not installed is skipped."""

PROVIDERS = [
    "zhaoshang.leads.tasks.tasks_for",
    "zhaoshang.aftercare.tasks.tasks_for",
]
