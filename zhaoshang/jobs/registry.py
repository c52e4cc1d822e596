"""Which function does which kind of job. Each app declares its own in its `jobs.py` with `@job_function`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.module_loading import import_string


@dataclass
class JobOutcome:
    """What a job function returns: 0 for done, like a command's exit status, and what to show."""

    exit_code: int = 0
    result: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


JobFunction = Callable[..., JobOutcome]
FUNCTIONS: dict[str, JobFunction] = {}


def job_function(kind: str) -> Callable[[JobFunction], JobFunction]:
    def register(fn: JobFunction) -> JobFunction:
        FUNCTIONS[kind] = fn
        return fn

    return register


def function_for(kind: str) -> JobFunction:
    """The function of a kind; a kind written as `module:function` names a function above the apps (the CLI)."""
    if kind in FUNCTIONS:
        return FUNCTIONS[kind]
    if ":" in kind:
        module, name = kind.split(":", 1)
        fn: JobFunction = import_string(f"{module}.{name}")
        return fn
    raise LookupError(f"没有这种后台任务：{kind}")
