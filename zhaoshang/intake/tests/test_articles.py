"""The extractor against the articles we wrote, with their expected lists (committed before the extractor)."""

from __future__ import annotations

import json

from .scoring import ARTICLES, score


def test_at_least_ten_articles_each_with_an_expected_list():
    expected = json.loads((ARTICLES / "expected.json").read_text(encoding="utf-8"))
    articles = sorted(p.name for p in ARTICLES.glob("*.txt"))
    assert len(articles) >= 10
    assert set(articles) <= set(expected)


def test_precision_and_recall_meet_the_bar(capsys):
    s = score()
    with capsys.disabled():
        print("\n" + "\n".join(s.lines()))
    assert s.known_recall >= 0.95, s.misses
    assert s.precision >= 0.90, s.wrong
    assert s.amount_recall >= 0.90
