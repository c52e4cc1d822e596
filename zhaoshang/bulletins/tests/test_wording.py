"""Sentences generated from figures: rank words, rises and falls, margins and progress."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zhaoshang.bulletins.wording import (
    cn_number,
    growth_phrase,
    join_names,
    margin_phrase,
    progress_phrase,
    rank_move_phrase,
    rank_word,
)


@pytest.mark.parametrize(
    ("n", "word"),
    [
        (1, "第一"),
        (2, "第二"),
        (3, "第三"),
        (9, "第九"),
        (10, "第十"),
        (11, "第十一"),
        (20, "第二十"),
        (23, "第二十三"),
    ],
)
def test_rank_words(n, word):
    assert rank_word(n) == word


def test_rank_word_without_rank_and_numbers_out_of_range():
    assert rank_word(None) == "—"
    assert cn_number(0) == "零"
    assert cn_number(100) == "100"


@pytest.mark.parametrize(
    ("pct", "phrase"),
    [
        (Decimal("44.4039"), "同比增长44.4%"),
        (Decimal("-7.06"), "同比下降7.1%"),
        (Decimal("0.04"), "与上年同期持平"),  # rounds to 0.0
        (Decimal("-0.05"), "同比下降0.1%"),  # half-up away from zero, as the bureau rounds
        (None, "上年同期无可比数据"),
    ],
)
def test_growth_phrase(pct, phrase):
    assert growth_phrase(pct) == phrase


def test_margin_over_the_province():
    assert margin_phrase(Decimal("44.4039") - Decimal("9.3")) == "增速高于全省平均35.1个百分点"
    assert margin_phrase(Decimal("-2.25")) == "增速低于全省平均2.3个百分点"
    assert margin_phrase(Decimal("0")) == "增速与全省平均持平"
    assert margin_phrase(None) == ""


def test_rank_moves():
    assert rank_move_phrase(2, 3, "1-8月") == "位次较1-8月上升1位"
    assert rank_move_phrase(5, 2, "1-8月") == "位次较1-8月下降3位"
    assert rank_move_phrase(2, 2, "1-8月") == "位次与1-8月持平"
    assert rank_move_phrase(2, None, "1-8月") == ""


def test_progress_against_time():
    # 23.74 of a 32 target = 74.1875% at 9/12 = 75%: 0.8 points behind.
    done = Decimal("2374000000") / Decimal("3200000000") * 100
    assert progress_phrase(done, Decimal(75)) == "完成年度目标的74.2%，慢于时间进度0.8个百分点"
    assert progress_phrase(Decimal("80.04"), Decimal(75)) == "完成年度目标的80.0%，快于时间进度5.0个百分点"
    assert progress_phrase(Decimal("75.0"), Decimal(75)) == "完成年度目标的75.0%，与时间进度持平"
    assert progress_phrase(None, Decimal(75)) == ""


def test_join_names():
    assert join_names([]) == ""
    assert join_names(["嘉善县"]) == "嘉善县"
    assert join_names(["嘉善县", "秀洲区", "平湖市"]) == "嘉善县、秀洲区和平湖市"
