"""Audit entries: every service save goes through `save_with_audit`, which records who, when and why."""

from __future__ import annotations

from typing import Any

from django.db import models


def save_with_audit(obj: models.Model, *, actor: Any, reason: str = "", **save_kwargs: Any) -> None:
    """Save a history-tracked model, tagging its historical record with the actor and the reason."""
    obj._history_user = actor  # type: ignore[attr-defined]
    obj._change_reason = reason  # type: ignore[attr-defined]
    obj.save(**save_kwargs)


def delete_with_audit(obj: models.Model, *, actor: Any, reason: str) -> None:
    obj._history_user = actor  # type: ignore[attr-defined]
    obj._change_reason = reason  # type: ignore[attr-defined]
    obj.delete()
