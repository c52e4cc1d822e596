"""Check characters for the demo's made-up enterprise codes."""

from __future__ import annotations


def org_code_check(body: str) -> str:
    """GB 11714 check character of an 8-character organisation code."""
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    total = sum(alphabet.index(c) * w for c, w in zip(body, (3, 7, 9, 10, 5, 8, 4, 2), strict=True))
    c9 = 11 - total % 11
    return {10: "X", 11: "0"}.get(c9, str(c9))
