"""Which link an enterprise (or a project) belongs in, judged from its GB/T 4754 code and the words of its names.

Score: a class-level (4-digit) industry code of the link that the enterprise's code falls under gives 2, a
coarser code (section, division, group) gives 1; one or more of the link's keywords found in the enterprise's
name or its projects' names give 2 more. Any score above 0 makes a suggestion; a person confirms it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

CLASS_CODE_SCORE = 2
COARSE_CODE_SCORE = 1
KEYWORD_SCORE = 2


@dataclass(frozen=True)
class Match:
    score: int
    code: str | None
    keywords: tuple[str, ...]

    @property
    def reason(self) -> str:
        parts = []
        if self.code:
            parts.append(f"行业代码{self.code}")
        if self.keywords:
            parts.append("关键词“" + "”“".join(self.keywords) + "”")
        return "；".join(parts)


def code_covers(link_code: str, industry_code: str) -> bool:
    """A link's code covers an enterprise's code when it is the same category or one above it."""
    if link_code.isalpha():
        return False  # sections are matched through their section letter, below
    return industry_code.startswith(link_code)


def match(
    *,
    link_codes: Iterable[str],
    keywords: Iterable[str],
    industry_code: str | None,
    industry_section: str = "",
    texts: Iterable[str],
) -> Match | None:
    best_code: str | None = None
    if industry_code:
        for code in link_codes:
            hit = code_covers(code, industry_code) or (code.isalpha() and code == industry_section)
            if hit and (best_code is None or len(code) > len(best_code)):
                best_code = code
    score = 0
    if best_code is not None:
        score += CLASS_CODE_SCORE if len(best_code) == 4 else COARSE_CODE_SCORE
    text = " ".join(texts)
    found = tuple(k for k in keywords if k and k in text)
    if found:
        score += KEYWORD_SCORE
    if score == 0:
        return None
    return Match(score=score, code=best_code, keywords=found)
