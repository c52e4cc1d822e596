"""User text made inert inside a robot's markdown: no link, image, emphasis, heading, quote, list or @mention.

DingTalk and WeCom render different subsets of markdown and neither documents backslash escapes, so the marks are
replaced by their full-width forms, which read the same to a Chinese reader and mean nothing to either renderer;
a line break becomes a space, so user text cannot start a line of its own (a heading, a quote, a list item), and
"://" loses its colon's half-width form, so no bare address turns into a link.
"""

from __future__ import annotations

_FULL_WIDTH = str.maketrans(
    {
        "[": "［",
        "]": "］",
        "(": "（",
        ")": "）",
        "*": "＊",
        "_": "＿",
        "#": "＃",
        ">": "＞",
        "<": "＜",
        "!": "！",
        "`": "｀",
        "~": "～",
        "|": "｜",
        "@": "＠",
        "\\": "＼",
        "\r": " ",
        "\n": " ",
        "\t": " ",
    }
)


def md_text(value: object) -> str:
    """`value` as plain text for a markdown message."""
    text = str(value).translate(_FULL_WIDTH)
    return text.replace("://", "：//").replace("www.", "www．")
