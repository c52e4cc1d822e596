"""The names the intake knows: one Aho-Corasick automaton (pyahocorasick) over every registry investor and
enterprise, the Fortune Global 500 lists with their Chinese names, and the chain maps' target companies — each
with its trade name (字号) as an alias — and the units' names with their short names and aliases."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import ahocorasick

from zhaoshang.leads.names import core_name

# Trade names too common to stand alone in a text (they are words first: places, seas, slogans). A company whose
# trade name is one of them is still found by its full name (太平洋联合银行有限公司), never by the word alone.
COMMON_WORDS = {
    "太平洋",
    "大西洋",
    "印度洋",
    "北海",
    "东海",
    "南海",
    "黄海",
    "莱茵",
    "阿尔卑斯",
    "长三角",
    "长江",
    "亚太",
    "亚洲",
    "欧洲",
    "美洲",
    "非洲",
    "环球",
    "天下",
    "世纪",
    "时代",
    "蓝海",
    "星辰",
    "远航",
    "长青",
    "鼎盛",
    "金桥",
    "明德",
    "天成",
    "三和",
    "大和",
    "高丽",
    "汉城",
    "橡树",
    "枫叶",
    "信达",
    "永昌",
    "华茂",
    "安泰",
    "泰和",
    "恒信",
    "瑞丰",
    "嘉禾",
    "万通",
    "博远",
    "北辰",
    "启明",
    "凯德",
    "宏基",
    "富森",
    "中国",
    "国际",
    "全球",
    "发展",
    "科技",
    "集团",
    "公司",
    "企业",
    "产业",
    "项目",
    "新材料",
    "能源",
    "新能源",
    "电子",
    "智能",
    "未来",
    "东方",
    "华东",
    "恒大",
    "一流",
    "世界",
    "嘉兴",
    "浙江",
    "上海",
    "现代",
    "大众",
    "通用",
    "苹果",
    "联合",
    "三菱",
}
_LATIN = re.compile(r"^[a-z0-9 .&'-]+$")


@dataclass(frozen=True)
class Name:
    """A known company: what kind of record it comes from and which one."""

    kind: str  # investor | enterprise | fortune500 | target
    ref: int | None
    canonical: str  # the record's name
    key: str  # its trade name, shared by every form


@dataclass(frozen=True)
class Place:
    unit_code: str
    unit_name: str


@dataclass
class Dictionary:
    automaton: ahocorasick.Automaton
    places: ahocorasick.Automaton
    size: int
    cores_by_length: dict[int, list[str]] = field(default_factory=dict)
    core_names: dict[str, list[Name]] = field(default_factory=dict)


def _forms(name: str) -> list[str]:
    out = [name]
    core = core_name(name)
    if core and core != name and len(core) >= 2 and core not in COMMON_WORDS:
        out.append(core)
    return out


def build(names: Iterable[tuple[str, Name]], places: Iterable[tuple[str, Place]]) -> Dictionary:
    """Both automatons; surface forms are lower-cased (Latin names match whatever their case)."""
    by_form: dict[str, list[Name]] = defaultdict(list)
    by_core: dict[str, list[Name]] = defaultdict(list)
    for text, name in names:
        for form in _forms(text.strip()):
            key = form.casefold()
            if len(key) < 2 or (_LATIN.match(key) and len(key) < 4) or key in COMMON_WORDS:
                continue
            if name not in by_form[key]:
                by_form[key].append(name)
        if name.key:
            by_core[name.key].append(name)
    auto = ahocorasick.Automaton()
    for form, entries in by_form.items():
        auto.add_word(form, (form, tuple(entries)))
    if len(auto):
        auto.make_automaton()
    place_auto = ahocorasick.Automaton()
    for text, place in places:
        place_auto.add_word(text, (text, place))
    if len(place_auto):
        place_auto.make_automaton()
    cores: dict[int, list[str]] = defaultdict(list)
    for core in by_core:
        if 2 <= len(core) <= 8 and not _LATIN.match(core):
            cores[len(core)].append(core)
    return Dictionary(auto, place_auto, len(by_form), dict(cores), dict(by_core))


def unit_aliases(name: str, short_name: str) -> list[str]:
    """嘉善县 → 嘉善; 嘉兴经济技术开发区 → 嘉兴经开区, 经开区; 嘉兴港区 → 港区."""
    out = {name, short_name}
    for n in (name, short_name):
        if re.fullmatch(r".{2,4}[县区市]", n) and not n.endswith(("开发区", "港区", "新区")):
            out.add(n[:-1])
        if "经济技术开发区" in n:
            out.add(n.replace("经济技术开发区", "经开区"))
            out.add("经开区")
            out.add(n.replace("经济技术开发区", "经济开发区"))
        if n.endswith("港区"):
            out.add("港区")
        if n.endswith("高新技术产业开发区"):
            out.add(n.replace("高新技术产业开发区", "高新区"))
            out.add("高新区")
    return sorted(x for x in out if len(x) >= 2)


_CACHE: dict[str, tuple[tuple, Dictionary]] = {}


def _fingerprint() -> tuple:
    """Changes whenever a name the dictionary holds may have changed (every such model keeps a history)."""
    from django.db.models import Count, Max

    from zhaoshang.chains.models import TargetCompany
    from zhaoshang.projects.models import Enterprise, Fortune500Entry, Investor
    from zhaoshang.units.models import Unit

    parts: list[object] = []
    tracked: tuple[Any, ...] = (Investor, Enterprise, Fortune500Entry)
    for model in tracked:
        parts.append(tuple(model.history.aggregate(n=Count("pk"), last=Max("history_date")).values()))  # type: ignore[attr-defined]
    plain: tuple[Any, ...] = (TargetCompany, Unit)
    for model in plain:
        parts.append(tuple(model.objects.aggregate(n=Count("pk"), last=Max("pk")).values()))  # type: ignore[attr-defined]
    parts.append(tuple(TargetCompany.objects.order_by().values_list("name").aggregate(m=Max("name")).values()))
    parts.append(tuple(Unit.objects.aggregate(m=Max("short_name"), s=Max("name")).values()))
    return tuple(parts)


def from_database() -> Dictionary:
    """The dictionary of the registry as it is now: built once and kept until a name changes (100,000 names take
    a few seconds to build, see bench/intake_bench.py; matching then takes milliseconds)."""
    key = _fingerprint()
    cached = _CACHE.get("registry")
    if cached is not None and cached[0] == key:
        return cached[1]
    built = _build_from_database()
    _CACHE["registry"] = (key, built)
    return built


def _build_from_database() -> Dictionary:
    from zhaoshang.chains.models import TargetCompany
    from zhaoshang.projects.models import Enterprise, Fortune500Entry, Investor
    from zhaoshang.units.models import Unit

    from .fortune500_zh import CHINESE_NAMES

    names: list[tuple[str, Name]] = []
    for pk, name, name_en, parent_name in Investor.objects.values_list("pk", "name", "name_en", "parent__name"):
        key = core_name(parent_name or name)
        entry = Name("investor", pk, name, key)
        names.append((name, entry))
        if name_en:
            names.append((name_en, entry))
    for pk, name in Enterprise.objects.values_list("pk", "name"):
        names.append((name, Name("enterprise", pk, name, core_name(name))))
    for pk, name, name_en in TargetCompany.objects.values_list("pk", "name", "name_en"):
        entry = Name("target", pk, name, core_name(name))
        names.append((name, entry))
        if name_en:
            names.append((name_en, entry))
    listed = {n for n in Fortune500Entry.objects.values_list("name", flat=True)}
    for english, chinese in CHINESE_NAMES.items():
        entry = Name("fortune500", None, chinese[0], core_name(chinese[0]))
        for n in chinese:
            names.append((n, entry))
        if english in listed:
            names.append((english, entry))
    places = []
    for unit in Unit.objects.all():
        for alias in unit_aliases(unit.name, unit.short_name):
            places.append((alias, Place(unit.code, unit.name)))
    return build(names, places)
