"""Refusals in Chinese that name the field and the value, raised before anything is written."""

from __future__ import annotations

from django.core.exceptions import ValidationError


def refuse(field: str, label: str, value: object, reason: str) -> ValidationError:
    """A ValidationError keyed by the model field, saying in Chinese which field and value are wrong."""
    shown = "（空）" if value in (None, "") else f"“{value}”"
    return ValidationError({field: [f"{label}{shown}{reason}"]})


def required_text(value: object, *, field: str, label: str) -> str:
    """The text stripped of surrounding blanks; refused in Chinese when nothing is left."""
    text = str(value or "").strip()
    if not text:
        raise refuse(field, label, text, "不能为空")
    return text


def first_message(error: ValidationError) -> str:
    """One line for a terminal or a flash message."""
    if hasattr(error, "message_dict"):
        return "；".join(m for msgs in error.message_dict.values() for m in msgs)
    return "；".join(error.messages)
