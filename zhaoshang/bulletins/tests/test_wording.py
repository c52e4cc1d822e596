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


def test_names_with_their_figures_in_one_clause():
    from zhaoshang.bulletins.wording import falls_phrase, join_pairs

    assert falls_phrase([("桐乡市", Decimal("-7.06"))]) == "桐乡市同比下降7.1%"
    assert falls_phrase([("桐乡市", Decimal("-7.06")), ("南湖区", Decimal("-3.24"))]) == (
        "桐乡市、南湖区同比分别下降7.1%、3.2%"
    )
    assert falls_phrase([]) == ""
    assert join_pairs([("桐乡市", "51.8%"), ("平湖市", "58.6%")]) == "桐乡市51.8%和平湖市58.6%"


def test_money_in_prose_switches_to_yi_from_one_yi():
    from zhaoshang.bulletins.wording import money_phrase

    assert money_phrase(Decimal("316050000")) == "3.16亿美元"
    assert money_phrase(Decimal("70010000")) == "7001万美元"


def test_the_overtaking_sentence_only_within_reach():
    from zhaoshang.bulletins.wording import pace_phrase

    def pace(needed: str, current: str) -> str:
        return pace_phrase(
            ahead="宁波市", rank=3, needed=Decimal(needed), current=Decimal(current), months_left=6,
            reachable_ratio=Decimal("1.5"),
        )  # fmt: skip

    # 3.23 needed a month against 2.37 so far: 1.36 times, within 1.5 → the sentence with both paces.
    assert (
        pace("323000000", "237000000") == "余下月份月均到资提高到3.23亿美元（前期月均2.37亿美元），年内可望赶超宁波市"
    )
    assert pace("200000000", "237000000") == "余下月份保持前期月均2.37亿美元的到资水平，年内可望赶超宁波市"
    # 14.31 against 2.64: out of reach → the gap and the rank held, no pace.
    assert pace("1431000000", "264000000") == "与宁波市差距较大，年内重在稳住全省第三位次"
