"""The providers of 我的待办 (dotted paths to `tasks_for(user)`); an app that is not installed is skipped."""

PROVIDERS = [
    "zhaoshang.leads.tasks.tasks_for",
]
