"""The `zhaoshang chains` word: the investment map of a chain as a table, JSON or .xlsx; lists; suggestions."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zhaoshang.chains.models import Chain


def add_parser(sub: argparse._SubParsersAction) -> None:
    chains = sub.add_parser("chains", help="产业链招商地图：环节状态、招引目标清单、国别清单")
    words = chains.add_subparsers(dest="chains_command", required=True)
    map_ = words.add_parser("map", help="一条产业链的招商地图")
    map_.add_argument("--chain", required=True, help="产业链标识，如 pv")
    map_.add_argument("--format", choices=["table", "json", "xlsx"], default="table")
    map_.add_argument("--out", help="输出文件（xlsx 默认 chain-map-标识.xlsx；table、json 默认打印）")
    words.add_parser("list", help="全部产业链及各环节状态数")
    country = words.add_parser("country", help="国别精准招商：某国的合作园区和各链目标企业")
    country.add_argument("code", help="国家（地区）代码，如 DE")
    country.add_argument("--format", choices=["table", "json"], default="table")
    suggest = words.add_parser("suggest", help="按行业代码和关键词重新生成企业匹配建议")
    suggest.add_argument("--chain", required=True, help="产业链标识，如 pv")
    chains.set_defaults(func=run)


def _write(text: str, out: str | None) -> None:
    if out:
        Path(out).write_text(text + "\n", encoding="utf-8")
        print(f"已写入 {out}")
    else:
        print(text)


def _chain(slug: str) -> Chain | None:
    from zhaoshang.chains.selectors import chain_by_slug, chains

    chain = chain_by_slug(slug)
    if chain is None:
        known = "、".join(chains().values_list("slug", flat=True)) or "（尚无产业链）"
        print(f"错误：产业链“{slug}”不存在；现有：{known}", file=sys.stderr)
    return chain


def run(args: argparse.Namespace) -> int:
    from decimal import Decimal

    from zhaoshang.chains import selectors as sel
    from zhaoshang.chains.serialize import country_json, map_json, render_table, render_xlsx
    from zhaoshang.common.money import fmt_yi

    if args.chains_command == "map":
        chain = _chain(args.chain)
        if chain is None:
            return 1
        cmap = sel.chain_map(chain)
        if args.format == "json":
            _write(json.dumps(map_json(cmap), ensure_ascii=False, indent=2), args.out)
        elif args.format == "xlsx":
            out = Path(args.out or f"chain-map-{chain.slug}.xlsx")
            out.write_bytes(render_xlsx(cmap))
            print(f"已导出 {chain.name}产业链招商地图：{out}")
        else:
            _write(render_table(cmap), args.out)
        return 0
    if args.chains_command == "list":
        if not sel.chains().exists():
            print("尚无产业链：运行 zhaoshang demo 生成演示数据，或在管理页面添加")
        for chain in sel.chains():
            cmap = sel.chain_map(chain)
            c = cmap.state_counts()
            f500 = sum(1 for lv in cmap.links for tr in lv.targets if tr.target.fortune500_rank)
            total = sum((lv.investment_usd for lv in cmap.links), start=Decimal(0))
            print(
                f"{chain.slug:<20} {chain.name}：{len(cmap.links)}个环节（空白{c['blank']}、薄弱{c['weak']}、"
                f"较强{c['strong']}），本地项目总投资{fmt_yi(total)}，目标中世界500强{f500}家"
            )
        return 0
    if args.chains_command == "country":
        found = sel.country_list(args.code)
        if found is None:
            print(f"错误：国家（地区）代码“{args.code}”不存在", file=sys.stderr)
            return 1
        if args.format == "json":
            print(json.dumps(country_json(found), ensure_ascii=False, indent=2))
            return 0
        print(f"{found.country_name}：国际产业合作园 {len(found.parks)} 个")
        for park in found.parks:
            print(f"  {park.name}（{park.unit.short_name if park.unit else '全市'}）")
        print(f"目标企业 {len(found.targets)} 家")
        for chain, lv, tr in found.targets:
            mark = f"，{tr.pipeline_text}" if tr.pipeline else ""
            print(f"  {chain.name}·{lv.link.name}（{lv.state_text}）：{tr.target.name}{mark}")
        return 0
    if args.chains_command == "suggest":
        from zhaoshang.chains.services import chain_suggest

        chain = _chain(args.chain)
        if chain is None:
            return 1
        made = chain_suggest(chain=chain, actor=None)
        print(f"{chain.name}：更新匹配建议 {len(made)} 条（已确认、已否决的不变）")
        return 0
    return 2
