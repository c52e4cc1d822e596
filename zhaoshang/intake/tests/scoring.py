"""Precision and recall of the extractor on the articles we wrote (articles/*.txt against articles/expected.json).

A found company is right when its name as written and an expected one contain each other (采埃孚集团 / 采埃孚);
companies are counted once per article."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from zhaoshang.intake.extract import find_all
from zhaoshang.intake.text import repair

from .registry import test_dictionary

ARTICLES = Path(__file__).parent / "articles"


def _same(a: str, b: str) -> bool:
    a, b = a.replace("*", ""), b.replace("*", "")
    return a in b or b in a


@dataclass
class Score:
    found: int = 0
    found_right: int = 0
    expected: int = 0
    expected_found: int = 0
    known_expected: int = 0
    known_found: int = 0
    amounts_expected: int = 0
    amounts_found: int = 0
    misses: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.found_right / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.expected_found / self.expected if self.expected else 1.0

    @property
    def known_recall(self) -> float:
        return self.known_found / self.known_expected if self.known_expected else 1.0

    @property
    def amount_recall(self) -> float:
        return self.amounts_found / self.amounts_expected if self.amounts_expected else 1.0

    def lines(self) -> list[str]:
        return [
            f"articles: {len(list(ARTICLES.glob('*.txt')))}",
            f"companies precision: {self.precision:.1%} ({self.found_right}/{self.found})",
            f"companies recall: {self.recall:.1%} ({self.expected_found}/{self.expected})",
            f"registry companies recall: {self.known_recall:.1%} ({self.known_found}/{self.known_expected})",
            f"amounts recall: {self.amount_recall:.1%} ({self.amounts_found}/{self.amounts_expected})",
            f"missed: {'、'.join(self.misses) or '—'}; wrong: {'、'.join(self.wrong) or '—'}",
        ]


def score() -> Score:
    expected = json.loads((ARTICLES / "expected.json").read_text(encoding="utf-8"))
    d = test_dictionary()
    s = Score()
    for path in sorted(ARTICLES.glob("*.txt")):
        want = expected[path.name]
        findings = find_all(repair(path.read_text(encoding="utf-8")), d)
        found: list[str] = []
        for f in findings:
            if f.kind == "company" and not any(_same(f.text, x) for x in found):
                found.append(f.text)
        names = [c["name"] for c in want["companies"]]
        s.found += len(found)
        for text in found:
            if any(_same(text, n) for n in names):
                s.found_right += 1
            else:
                s.wrong.append(f"{path.name}:{text}")
        for c in want["companies"]:
            s.expected += 1
            s.known_expected += c["known"]
            hit = any(_same(f, c["name"]) for f in found)
            s.expected_found += hit
            s.known_found += hit and c["known"]
            if not hit:
                s.misses.append(f"{path.name}:{c['name']}")
        amounts = [f.text for f in findings if f.kind == "amount"]
        s.amounts_expected += len(want["amounts"])
        s.amounts_found += sum(1 for a in want["amounts"] if a in amounts)
    return s
