"""Currencies as clerks write them (美元, 港币, 日元, 人民币 …) and as ISO 4217 codes."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# The word a clerk writes → ISO 4217. 元 alone is 人民币: it is how a county's own forms write yuan.
CURRENCY_WORDS: dict[str, str] = {
    "美元": "USD",
    "美金": "USD",
    "us$": "USD",
    "$": "USD",
    "港币": "HKD",
    "港元": "HKD",
    "港币元": "HKD",
    "欧元": "EUR",
    "日元": "JPY",
    "日圆": "JPY",
    "人民币": "CNY",
    "人民币元": "CNY",
    "元": "CNY",
    "英镑": "GBP",
    "新加坡元": "SGD",
    "新元": "SGD",
    "韩元": "KRW",
    "新台币": "TWD",
    "台币": "TWD",
    "澳门元": "MOP",
    "澳元": "AUD",
    "加元": "CAD",
    "瑞士法郎": "CHF",
}
CURRENCY_NAMES: dict[str, str] = {
    "USD": "美元",
    "HKD": "港元",
    "EUR": "欧元",
    "JPY": "日元",
    "CNY": "人民币",
    "GBP": "英镑",
    "SGD": "新加坡元",
    "KRW": "韩元",
    "TWD": "新台币",
    "MOP": "澳门元",
    "AUD": "澳元",
    "CAD": "加元",
    "CHF": "瑞士法郎",
}


@lru_cache(maxsize=1024)
def currency_code(text: str | None) -> str | None:
    """'港币' → 'HKD', ' usd ' → 'USD', '' → None; an unknown word is returned as typed, upper-cased, for the
    caller's own message (a three-letter code it does not know is still a code)."""
    if text is None:
        return None
    s = unicodedata.normalize("NFKC", str(text)).strip().replace(" ", "")
    if not s:
        return None
    found = CURRENCY_WORDS.get(s.lower()) or CURRENCY_WORDS.get(s)
    return found or s.upper()


def currency_name(code: str) -> str:
    return CURRENCY_NAMES.get(code, code)
