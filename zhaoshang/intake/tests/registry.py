"""The registry the article tests read against: the names a small city's registry and chain maps would hold."""

from __future__ import annotations

from zhaoshang.intake.dictionary import Dictionary, Name, Place, build, unit_aliases
from zhaoshang.intake.fortune500_zh import CHINESE_NAMES
from zhaoshang.leads.names import core_name

INVESTORS = [
    "巴斯夫欧洲公司",
    "云顶新耀医药科技有限公司",
    "罗氏集团",
    "采埃孚股份公司",
    "隆基（香港）贸易有限公司",
    "阿特斯阳光电力集团",
    "福莱特（香港）有限公司",
    "三星电子株式会社",
    "丰田汽车公司",
    "雀巢公司",
    "施耐德电气公司",
    "圣戈班集团",
    "罗伯特·博世有限公司",
    "大陆集团",
    "株式会社电装",
    "松下电器产业株式会社",
]
TARGETS = ["日月光投资控股股份有限公司"]
UNITS = [
    ("南湖区", "南湖区"),
    ("秀洲区", "秀洲区"),
    ("嘉善县", "嘉善县"),
    ("海盐县", "海盐县"),
    ("海宁市", "海宁市"),
    ("平湖市", "平湖市"),
    ("桐乡市", "桐乡市"),
    ("嘉兴经济技术开发区", "嘉兴经开区"),
    ("嘉兴港区", "嘉兴港区"),
]


def test_dictionary() -> Dictionary:
    names = []
    for i, n in enumerate(INVESTORS):
        names.append((n, Name("investor", i + 1, n, core_name(n))))
    for i, n in enumerate(TARGETS):
        names.append((n, Name("target", i + 1, n, core_name(n))))
    for chinese in CHINESE_NAMES.values():
        entry = Name("fortune500", None, chinese[0], core_name(chinese[0]))
        names.extend((c, entry) for c in chinese)
    places = []
    for i, (name, short) in enumerate(UNITS):
        for alias in unit_aliases(name, short):
            places.append((alias, Place(f"U{i}", name)))
    return build(names, places)
