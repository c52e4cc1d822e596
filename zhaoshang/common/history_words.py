"""A recorded change in words: a choice by its Chinese label, a linked record by its name, money in 万美元.

History rows keep raw values (stage codes, ids, US$ amounts); pages and exports that show them to people read them
through `value_words` so that "当前阶段：signed → registered" reads "当前阶段：签约 → 设立".
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models
from django.utils import timezone

from .money import fmt_wan, round_half_up

WAN = Decimal(10_000)
EMPTY = "（空）"


def _wan_original(value: Decimal, currency: str | None) -> str:
    """An amount in the record's own currency, in 万 of it."""
    number = f"{round_half_up(value / WAN, 2).normalize():f}万"
    if not currency or currency == "USD":
        return number + "美元" if currency == "USD" else number
    return f"{number}（{currency}）"


def value_words(
    field: models.Field[Any, Any] | None,
    value: Any,
    *,
    names: dict[tuple[Any, Any], str] | None = None,
    currency: str | None = None,
) -> str:
    """One recorded value as a reader wants it. `names` caches linked records' names across a page of changes;
    `currency` is the record's own currency, for amounts kept in it."""
    if value is None or value == "":
        return EMPTY
    if field is None:
        return str(value)
    if field.choices:
        label = dict(field.flatchoices).get(value)
        if label is not None:
            return str(label)
    if isinstance(field, models.BooleanField):
        return "是" if value in (True, "True", "true", 1) else "否"
    if field.is_relation and field.related_model is not None and not field.many_to_many:
        key = (field.related_model, value)
        if names is not None and key in names:
            return names[key]
        found = field.related_model._default_manager.filter(pk=value).first()
        text = str(found) if found is not None else f"（已删除的记录 {value}）"
        if names is not None:
            names[key] = text
        return text
    if isinstance(field, models.DecimalField):
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            return str(value)
        if field.name.endswith("_usd"):
            places = 0 if amount % WAN == 0 else 2
            return fmt_wan(amount, places)
        if "rate" in field.name:
            return f"{amount.normalize():f}"
        return _wan_original(amount, currency)
    if isinstance(value, datetime):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return f"{value:%Y-%m-%d}"
    return str(value)


def field_of(model: type[models.Model], name: str) -> models.Field[Any, Any] | None:
    try:
        found = model._meta.get_field(name)
    except Exception:
        return None
    return found if isinstance(found, models.Field) else None
