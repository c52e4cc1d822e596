"""The trade name (字号) inside a Chinese company name: "云顶新耀医药科技有限公司" and "云顶新耀" meet on one key.

Used for conflicts (撞单) and by the intake's company matcher."""

from __future__ import annotations

import re

# Legal forms and their neighbours, longest first: stripped from the end of a name.
LEGAL_FORMS = [
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "股份公司",
    "欧洲公司",
    "集团公司",
    "株式会社",
    "控股集团",
    "集团",
    "公司",
    "控股",
]
# Trade descriptions that may follow the trade name (行业表述), stripped repeatedly from the end.
TRADE_WORDS = [
    "医药科技",
    "生物医药",
    "生物科技",
    "阳光电力",
    "新能源",
    "太阳能",
    "光伏",
    "能源",
    "电力",
    "科技",
    "技术",
    "医药",
    "生物",
    "贸易",
    "投资",
    "实业",
    "国际",
    "全球",
    "中国",
    "电子",
    "新材料",
    "材料",
    "化工",
    "汽车",
    "制药",
    "玻璃",
    "传动系统",
    "汽车电子",
    "工业",
    "工程",
    "发展",
    "管理",
    "咨询",
    "服务",
    "产业",
    "智能",
    "精密",
    "机械",
    "设备",
    "食品",
]
# Places that may open a name (行政区划) and may be put in brackets: "（香港）", "（嘉兴）", "（中国）".
PLACES = ["中国", "香港", "澳门", "台湾", "浙江", "嘉兴", "上海", "江苏", "苏州", "杭州", "宁波", "北京", "深圳"]
_SUFFIXES = sorted([*LEGAL_FORMS, *TRADE_WORDS], key=len, reverse=True)
_BRACKETS = re.compile(r"[（(][^）)]{0,12}[）)]")


def core_name(name: str) -> str:
    """The trade name: brackets, places, legal forms and trade words removed; the whole name when nothing is left
    of at least two characters. Latin names are case-folded with punctuation removed."""
    s = (name or "").strip()
    if not s:
        return ""
    if not re.search(r"[\u4e00-\u9fff]", s):
        s = re.sub(r"[^\w]+", " ", s.casefold()).strip()
        s = re.sub(r"\b(co|ltd|limited|inc|corp|corporation|gmbh|ag|se|sa|plc|llc|group|holdings?)\b", " ", s)
        return " ".join(s.split())
    s = _BRACKETS.sub("", s).replace(" ", "")
    if s.startswith("株式会社") and len(s) > 5:
        s = s[4:]
    for place in PLACES:
        if s.startswith(place) and len(s) - len(place) >= 2:
            s = s[len(place) :]
            break
    changed = True
    while changed:
        changed = False
        for word in _SUFFIXES:
            if s.endswith(word) and len(s) - len(word) >= 2:
                s = s[: -len(word)]
                changed = True
                break
    return s
