"""Unified social credit codes (GB 32100-2015): folded as clerks type them, checked as the standard says.

python-stdnum's `cn.uscc.validate` (2.2) wants the first eight characters to be digits, so it refuses codes from
registration authorities written with a letter — A (the military's establishment office), N (agriculture) and Y
(other authorities) — which the standard allows. We keep its check-character computation (`calc_check_digit`,
the standard's weights over its 31-character set) and apply the standard's character rules ourselves.
"""

from __future__ import annotations

import re
import unicodedata

from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100: digits and capitals without I, O, S, V, Z
AUTHORITIES = "123456789ANY"  # 第1位：登记管理部门代码
_SHAPE = re.compile(rf"[{AUTHORITIES}][1-9]\d{{6}}[{ALPHABET}]{{10}}")


def fold(raw: str) -> str:
    """Full-width forms to ASCII, spaces (also the ideographic one) and hyphens out, upper case."""
    s = unicodedata.normalize("NFKC", str(raw))
    return re.sub(r"[\s\-‐－]", "", s).upper()


def validate(raw: str) -> str:
    """The folded code when valid; stdnum's InvalidLength / InvalidFormat / InvalidChecksum otherwise."""
    code = fold(raw)
    if len(code) != 18:
        raise InvalidLength()
    if not _SHAPE.fullmatch(code):
        raise InvalidFormat()
    if code[-1] != uscc.calc_check_digit(code[:17]):
        raise InvalidChecksum()
    return code
