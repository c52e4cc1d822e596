"""Figures as the bureau writes them, for templates: 23.74亿美元, +44.4%, 35.1个百分点, 12345万美元."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from zhaoshang.common.money import fmt_pct, fmt_pp, fmt_wan, fmt_yi

register = template.Library()


@register.filter
def yi(value: Decimal | None) -> str:
    return fmt_yi(value)


@register.filter
def wan(value: Decimal | None, places: int = 0) -> str:
    return fmt_wan(value, int(places))


@register.filter
def wan_number(value: Decimal | None) -> str:
    """12345 — a table cell under a heading that states 万美元."""
    text = fmt_wan(value)
    return text.removesuffix("万美元")


@register.filter
def pct(value: Decimal | float | None) -> str:
    return fmt_pct(value)


@register.filter
def pct_plain(value: Decimal | float | None) -> str:
    return fmt_pct(value, signed=False)


@register.filter
def pp(value: Decimal | float | None) -> str:
    return fmt_pp(value)


@register.filter
def growth_class(value: Decimal | float | None) -> str:
    if value is None:
        return ""
    return "up" if value > 0 else "down" if value < 0 else ""


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key) if mapping else None


@register.simple_tag(takes_context=True)
def query_with(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with some parameters changed (pagination links keep the filters)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


@register.simple_tag(takes_context=True)
def sort_th(context: dict[str, Any], key: str, label: str, num: bool = False, first_desc: bool = False) -> str:
    """A sortable column header: a link that sorts by the column, and again the other way; the list refreshes
    through htmx and the address keeps the order."""
    from django.utils.html import format_html

    current = context["request"].GET.get("sort", "")
    if current == key:
        target, mark, aria = f"-{key}", " ▲", "ascending"
    elif current == f"-{key}":
        target, mark, aria = key, " ▼", "descending"
    else:
        target, mark, aria = (f"-{key}" if first_desc else key), "", "none"
    query = query_with(context, sort=target, page=None)
    return format_html(
        '<th class="{}" aria-sort="{}"><a href="?{}" hx-get="?{}" hx-target="#project-table" hx-push-url="true"'
        ' data-sort="{}">{}{}</a></th>',
        "num sortable" if num else "sortable",
        aria,
        query,
        query,
        key,
        label,
        mark,
    )
