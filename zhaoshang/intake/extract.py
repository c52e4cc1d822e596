"""The findings in a text: companies, amounts with their units, places, stage words and dates, each with its
position so the page can highlight it, and per company what the sentences around it say.

Pure functions over a `Dictionary` (no database): the same code serves the page, the API, the command and the
precision/recall test. Damaged text is expected: entity residue is repaired first (text.repair), masked characters
(`*`) are matched against the trade names of the same length, and an amount or a 500-强 whose digits were dropped
is reported as such instead of being guessed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from zhaoshang.leads.names import core_name

from .dictionary import COMMON_WORDS, Dictionary, Name, Place

CJK = r"\u4e00-\u9fff"
_SENTENCE_END = re.compile(r"[。！？!?；;\n]")

# ---------------------------------------------------------------------------------------------- findings


@dataclass
class Finding:
    kind: str  # company | amount | place | stage | date
    start: int
    end: int
    text: str
    label: str = ""  # what it means, in Chinese
    damaged: str = ""  # why it is incomplete, in Chinese
    names: tuple[Name, ...] = ()  # company: the known records it matches
    place: Place | None = None
    value: str = ""  # stage key, or amount "12亿 CNY"
    amount: Decimal | None = None
    currency: str = ""


STAGES = [
    ("利润再投资", "reinvest", "利润再投资"),
    ("再投资", "reinvest", "利润再投资"),
    ("扩大再投资", "reinvest", "利润再投资"),
    ("增资扩产", "increase", "增资"),
    ("增资", "increase", "增资"),
    ("扩产", "increase", "扩产"),
    ("扩大产能", "increase", "扩产"),
    ("洽谈", "negotiating", "洽谈"),
    ("磋商", "negotiating", "洽谈"),
    ("签约", "signed", "签约"),
    ("落户", "registered", "落户"),
    ("新设", "registered", "设立"),
    ("注册", "registered", "设立"),
    ("到资", "arriving", "到资"),
    ("开工", "construction", "开工"),
    ("投产", "production", "投产"),
    ("上市", "listed", "上市"),
]
STAGE_ORDER = ["negotiating", "signed", "registered", "arriving", "construction", "production", "listed"]
_STAGE_RE = re.compile(
    r"扩大[^，。,]{0,4}?产能|" + "|".join(sorted((re.escape(w) for w, _, _ in STAGES), key=len, reverse=True))
)
_STAGE_OF = {w: (k, label) for w, k, label in STAGES}

CURRENCIES = {
    "美元": "USD",
    "欧元": "EUR",
    "日元": "JPY",
    "港元": "HKD",
    "港币": "HKD",
    "英镑": "GBP",
    "韩元": "KRW",
    "瑞士法郎": "CHF",
    "新加坡元": "SGD",
    "人民币": "CNY",
    "元": "CNY",
}
MAGNITUDES = {"万亿": 10**12, "千万": 10**7, "百万": 10**6, "亿": 10**8, "万": 10**4, "千": 10**3}
_AMOUNT_RE = re.compile(
    r"(?P<num>\d+(?:\.\d+)?|[*＊]+)?\s*(?P<mag>万亿|千万|百万|亿|万|千)?"
    r"(?P<cur>美元|欧元|日元|港元|港币|英镑|韩元|瑞士法郎|新加坡元|人民币|元)(?P<rmb>人民币)?"
)
_DATE_RE = re.compile(r"(?:\d{4}年)?(?:\d{1,2}|[*]+)月(?:\d{1,2}日)?|\d{4}年|\d{4}[/-]\d{1,2}[/-]\d{1,2}")

# Company-name patterns: a legal form, and what may stand before it.
_SUFFIX_RE = re.compile(r"股份有限公司|有限责任公司|有限公司|股份公司|株式会社|控股集团|集团|公司")
_NAME_CHARS = re.compile(rf"[{CJK}A-Za-z0-9（）()·&]")
# Words after which a company name starts (what stands before them is the sentence, not the name).
_CUT_WORDS = [
    "引进",
    "签约",
    "落户",
    "会见了",
    "会见",
    "带动",
    "推动",
    "新设",
    "携手",
    "与",
    "和",
    "及",
    "同",
    "由",
    "是",
    "的",
    "在",
    "了",
    "向",
    "对",
    "将",
    "被",
    "从",
    "为",
    "还",
    "也",
    "即",
    "有",
    "等",
]
_PREFIXES = [
    "今年上半年",
    "今年下半年",
    "上半年",
    "下半年",
    "世界500强",
    "世界强",
    "全球",
    "知名",
    "龙头企业",
    "上市企业",
    "另有",
    "同日",
    "近日",
    "今年",
    "目前",
    "德国",
    "日本",
    "美国",
    "韩国",
    "法国",
    "英国",
    "新加坡",
    "瑞士",
    "荷兰",
    "意大利",
    "加拿大",
    "瑞典",
    "丹麦",
    "奥地利",
    "比利时",
    "西班牙",
]
_NOT_COMPANIES = {
    "外资企业",
    "该公司",
    "本公司",
    "子公司",
    "分公司",
    "母公司",
    "上市公司",
    "跨国公司",
    "投资公司",
    "集团公司",
    "企业集团",
    "公司",
    "集团",
    "控股集团",
}
_BAD_STARTS = ("有限", "股份", "公司", "集团", "企业", "项目", "产业")


def _stage_at(text: str, m: re.Match[str]) -> bool:
    """上市 in 上市企业/上市公司 describes a company, not a stage reached."""
    word = m.group(0)
    after = text[m.end() : m.end() + 2]
    return not (word == "上市" and after in ("企业", "公司"))


def _lower(text: str) -> str:
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _latin_boundary(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isascii() and before.isalnum()) and not (after.isascii() and after.isalnum())


def _known_companies(text: str, d: Dictionary) -> list[Finding]:
    if not len(d.automaton):
        return []
    lower = _lower(text)
    hits = []
    for end, (form, names) in d.automaton.iter(lower):
        start = end - len(form) + 1
        if form.isascii() and not _latin_boundary(lower, start, end + 1):
            continue
        hits.append((start, end + 1, names))
    return [Finding("company", s, e, text[s:e], names=n) for s, e, n in _longest(hits)]


def _longest(hits: list[tuple[int, int, object]]) -> list[tuple]:
    """Leftmost-longest, no overlaps."""
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    out: list[tuple] = []
    last_end = -1
    for h in hits:
        if h[0] >= last_end:
            out.append(h)
            last_end = h[1]
        elif h[1] - h[0] > out[-1][1] - out[-1][0] and h[0] < out[-1][1]:
            out[-1] = h
            last_end = h[1]
    return out


def _pattern_companies(text: str) -> list[Finding]:
    out = []
    for m in _SUFFIX_RE.finditer(text):
        start = m.start()
        while start > 0 and m.start() - start < 24 and _NAME_CHARS.match(text[start - 1]):
            start -= 1
        head = text[start : m.start()]
        # Cut at the last function word or verb: the name starts after it.
        cut = 0
        for word in _CUT_WORDS:
            i = head.rfind(word)
            if i >= 0 and i + len(word) > cut and len(head) - (i + len(word)) >= 2:
                cut = i + len(word)
        head = head[cut:]
        start += cut
        stripped = True
        while stripped:
            stripped = False
            for p in _PREFIXES:
                # Japanese legal names often begin with 日本 (日本电产株式会社): a country stays before 株式会社.
                if (p.endswith("国") and m.group(0) == "株式会社") or (p == "日本" and m.group(0) == "株式会社"):
                    continue
                if head.startswith(p) and len(head) - len(p) >= 2:
                    head = head[len(p) :]
                    start += len(p)
                    stripped = True
        name = head + m.group(0)
        core = core_name(name)
        if (
            len(head) < 2
            or name in _NOT_COMPANIES
            or head.startswith(_BAD_STARTS)
            or not re.search(rf"[{CJK}A-Za-z]", head)
            or core in COMMON_WORDS
            or re.fullmatch(r"[（）()·]+", head)
        ):
            continue
        out.append(Finding("company", start, m.end(), name))
    return out


def _masked_companies(text: str, d: Dictionary, taken: list[tuple[int, int]]) -> list[Finding]:
    """A trade name with characters masked by `*` (e.g. 云*新耀): matched against the known trade names of the
    same length; at most half of it masked and at least two characters seen."""
    out = []
    for m in re.finditer(r"[*＊]+", text):
        for length in range(3, 9):
            for start in range(max(0, m.end() - length), m.start() + 1):
                end = start + length
                window = text[start:end]
                if end > len(text) or not re.fullmatch(rf"[{CJK}*＊]+", window):
                    continue
                if any(s < end and start < e for s, e in taken):
                    continue
                seen = sum(1 for c in window if c not in "*＊")
                if seen < 2 or seen * 2 < length:
                    continue
                pattern = re.compile("".join("." if c in "*＊" else re.escape(c) for c in window))
                for core in d.cores_by_length.get(length, []):
                    if pattern.fullmatch(core):
                        out.append(
                            Finding(
                                "company",
                                start,
                                end,
                                window,
                                names=tuple(d.core_names[core]),
                                damaged="有字符被遮盖（*），按字号推定为" + core,
                            )
                        )
                        taken.append((start, end))
                        break
    return out


def _amounts(text: str) -> list[Finding]:
    out = []
    for m in _AMOUNT_RE.finditer(text):
        num, mag, cur = m.group("num"), m.group("mag"), m.group("cur")
        if not num and not mag:
            continue
        if cur == "元" and not num and mag == "千":
            continue
        code = CURRENCIES[cur]
        f = Finding("amount", m.start(), m.end(), m.group(0), currency=code)
        if num and not num.startswith(("*", "＊")):
            value = Decimal(num) * (MAGNITUDES[mag] if mag else 1)
            f.amount = value
            f.label = f"{value:,.0f} {code}"
        else:
            f.damaged = "金额数字缺失或被遮盖"
            f.label = f"金额不详（{code}）"
        out.append(f)
    return out


def _places(text: str, d: Dictionary) -> list[Finding]:
    if not len(d.places):
        return []
    hits = []
    for end, (alias, place) in d.places.iter(text):
        hits.append((end - len(alias) + 1, end + 1, place))
    return [Finding("place", s, e, text[s:e], place=p, label=p.unit_name) for s, e, p in _longest(hits)]


def _stages(text: str) -> list[Finding]:
    out = []
    for m in _STAGE_RE.finditer(text):
        if _stage_at(text, m):
            key, label = _STAGE_OF.get(m.group(0), ("increase", "扩产"))
            out.append(Finding("stage", m.start(), m.end(), m.group(0), value=key, label=label))
    return out


def _dates(text: str) -> list[Finding]:
    out = []
    for m in _DATE_RE.finditer(text):
        f = Finding("date", m.start(), m.end(), m.group(0))
        if "*" in m.group(0):
            f.damaged = "月份被遮盖"
        out.append(f)
    return out


def _overlaps(a: Finding, b: Finding) -> bool:
    return a.start < b.end and b.start < a.end


def _companies(text: str, d: Dictionary) -> list[Finding]:
    known = _known_companies(text, d)
    patterns = _pattern_companies(text)
    merged: list[Finding] = []
    used: set[int] = set()
    for p in patterns:
        inside = [k for k in known if _overlaps(k, p)]
        if inside:
            # The pattern gives the name as written (采埃孚集团), the automaton the record it is.
            names = tuple(n for k in inside for n in k.names)
            used.update(id(k) for k in inside)
            # The name starts where the known name does when the pattern reached further left (上半年世界强采埃孚集团).
            start, end = min(k.start for k in inside), max(p.end, *(k.end for k in inside))
            merged.append(Finding("company", start, end, text[start:end], names=tuple(dict.fromkeys(names))))
        else:
            core = core_name(p.text)
            p.names = tuple(d.core_names.get(core, ()))
            merged.append(p)
    merged.extend(k for k in known if id(k) not in used)
    taken = [(f.start, f.end) for f in merged]
    merged.extend(_masked_companies(text, d, taken))
    for f in merged:
        f.label = "已知：" + "、".join(sorted({n.canonical for n in f.names})) if f.names else "未知企业"
    merged.sort(key=lambda f: f.start)
    return merged


def find_all(text: str, d: Dictionary) -> list[Finding]:
    """Every finding, ordered by position; places and stages inside a company's name are not counted twice."""
    companies = _companies(text, d)
    others = [*_amounts(text), *_places(text, d), *_stages(text), *_dates(text)]
    keep = [f for f in others if not any(_overlaps(f, c) for c in companies)]
    amounts = [f for f in keep if f.kind == "amount"]
    keep = [f for f in keep if f.kind != "date" or not any(_overlaps(f, a) for a in amounts)]
    for m in re.finditer(r"世界强", text):
        keep.append(Finding("stage", m.start(), m.end(), m.group(0), label="世界500强", damaged="“500”缺失"))
    return sorted([*companies, *keep], key=lambda f: (f.start, f.kind))


# ---------------------------------------------------------------------------------------------- per company


@dataclass
class Mention:
    sentence: str
    start: int


@dataclass
class CompanyProfile:
    key: str  # the trade name: mentions of one company share it
    text: str  # the fullest form written
    names: tuple[Name, ...]
    mentions: list[Mention] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    stage: str = ""  # the furthest stage the sentences about it name
    stage_words: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)  # increase / reinvest
    amounts: list[Finding] = field(default_factory=list)
    damaged: list[str] = field(default_factory=list)

    @property
    def known(self) -> bool:
        return bool(self.names)


def _spans(text: str, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    out = []
    start = 0
    for m in pattern.finditer(text):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return [s for s in out if s[1] > s[0]]


def profiles(text: str, findings: list[Finding]) -> list[CompanyProfile]:
    """Group mentions of one company and collect what its sentences say (place: the sentence's, else the
    paragraph's)."""
    sentences = _spans(text, _SENTENCE_END)
    paragraphs = _spans(text, re.compile(r"\n\s*\n"))
    by_key: dict[str, CompanyProfile] = {}
    companies = [f for f in findings if f.kind == "company"]
    for c in companies:
        key = c.names[0].key if c.names and c.names[0].key else core_name(c.text) or c.text
        prof = by_key.get(key)
        if prof is None:
            prof = by_key[key] = CompanyProfile(key, c.text, c.names)
        if len(c.text) > len(prof.text) and "*" not in c.text:
            prof.text = c.text
        prof.names = tuple(dict.fromkeys([*prof.names, *c.names]))
        if c.damaged:
            prof.damaged.append(c.damaged)
        s0, s1 = next((s for s in sentences if s[0] <= c.start < s[1]), (c.start, c.end))
        p0, p1 = next((p for p in paragraphs if p[0] <= c.start < p[1]), (s0, s1))
        prof.mentions.append(Mention(text[s0:s1].strip(), c.start))
        others = [o for o in companies if o is not c and s0 <= o.start < s1]
        in_sentence = [f for f in findings if s0 <= f.start < s1 and f.kind != "company"]
        places = [f.place for f in in_sentence if f.kind == "place" and f.place]
        if not places:
            places = [f.place for f in findings if f.kind == "place" and f.place and p0 <= f.start < p1]
        for p in places:
            if p not in prof.places:
                prof.places.append(p)
        for f in in_sentence:
            if f.kind == "stage" and f.value:
                if f.value in ("increase", "reinvest"):
                    if f.value not in prof.kinds:
                        prof.kinds.append(f.value)
                elif not prof.stage or STAGE_ORDER.index(f.value) > STAGE_ORDER.index(prof.stage):
                    prof.stage = f.value
                if f.text not in prof.stage_words:
                    prof.stage_words.append(f.text)
            if f.kind == "amount" and not others:
                prof.amounts.append(f)
    return list(by_key.values())
