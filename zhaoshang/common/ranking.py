"""Competition ranking (1, 2, 2, 4): the rank is one more than the number of items strictly better."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")


def competition_ranks(items: Sequence[T], key: Callable[[T], Any]) -> list[int]:
    """Ranks in the items' order, highest key first; equal keys share a rank and the next rank is skipped.

    Items whose key is None are not ranked by the caller (filter them out first)."""
    keys = [key(i) for i in items]
    ordered = sorted(keys, reverse=True)
    first_at: dict[Hashable, int] = {}
    for pos, k in enumerate(ordered):
        first_at.setdefault(k, pos + 1)
    return [first_at[k] for k in keys]
