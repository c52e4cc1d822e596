"""The chain map pages: the list of chains, and one chain drawn with ECharts (its data embedded as JSON)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from . import selectors as sel
from .serialize import map_json

# Drawn inside the desk's frame (its navigation, user and logout), with the 产业链 entry marked.
FRAME = {"active": "chains"}


@login_required
def chain_list(request: HttpRequest) -> HttpResponse:
    rows = []
    for chain in sel.chains():
        cmap = sel.chain_map(chain)
        rows.append({"chain": chain, "links": len(cmap.links), "counts": cmap.state_counts(), "pilots": cmap.pilots})
    return render(
        request,
        "chains/list.html",
        {"rows": rows, "overview": sel.platform_overview(), **FRAME, "page_title": "产业链招商地图"},
    )


@login_required
def country_detail(request: HttpRequest, code: str) -> HttpResponse:
    found = sel.country_list(code)
    if found is None:
        raise Http404(f"国家（地区）代码“{code}”不存在")
    return render(
        request, "chains/country.html", {"found": found, **FRAME, "page_title": f"国别精准招商：{found.country_name}"}
    )


@login_required
def chain_detail(request: HttpRequest, slug: str) -> HttpResponse:
    chain = sel.chain_by_slug(slug)
    if chain is None:
        raise Http404(f"产业链“{slug}”不存在")
    cmap = sel.chain_map(chain)
    return render(
        request,
        "chains/detail.html",
        {
            "chain": chain,
            "cmap": cmap,
            "data": map_json(cmap),
            "ordered": cmap.ordered_targets(),
            "colors": sel.STATE_COLORS,
            **FRAME,
            "page_title": f"{chain.name}产业链招商地图",
        },
    )
