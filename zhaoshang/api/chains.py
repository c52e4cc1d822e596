"""The chain map's JSON API (mounted at /api/chains): the same selectors and JSON as `zhaoshang chains`."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from zhaoshang.api.schemas import ChainListOut, ChainMapOut, CountryListOut, LinkOut, PlacementOut
from zhaoshang.chains import selectors as sel
from zhaoshang.chains.models import Chain, LinkEnterprise
from zhaoshang.chains.serialize import country_json, map_json, render_xlsx
from zhaoshang.chains.services import placement_confirm, placement_reject
from zhaoshang.common.validation import refuse

router = Router(tags=["产业链招商"])


def _chain(slug: str) -> Chain:
    chain = sel.chain_by_slug(slug)
    if chain is None:
        raise refuse("chain", "产业链", slug, "不存在")
    return chain


@router.get("", response=list[ChainListOut], summary="产业链列表及各环节状态数")
def list_chains(request: HttpRequest) -> list[dict]:
    out = []
    for chain in sel.chains():
        cmap = sel.chain_map(chain)
        out.append({"slug": chain.slug, "name": chain.name, "links": len(cmap.links), **cmap.state_counts()})
    return out


@router.get("/countries/{code}", response=CountryListOut, summary="国别精准招商：某国的合作园区和目标企业")
def country(request: HttpRequest, code: str) -> dict:
    found = sel.country_list(code)
    if found is None:
        raise refuse("country", "国家（地区）代码", code, "不存在")
    return country_json(found)


@router.get("/{slug}", response=ChainMapOut, summary="一条产业链的招商地图（同 zhaoshang chains map --format json）")
def chain_map(request: HttpRequest, slug: str) -> dict:
    return map_json(sel.chain_map(_chain(slug)))


@router.get("/{slug}/xlsx", summary="导出招商地图（.xlsx）")
def chain_map_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    chain = _chain(slug)
    response = HttpResponse(
        render_xlsx(sel.chain_map(chain)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="chain-map-{chain.slug}.xlsx"'
    return response


@router.get("/{slug}/links/{link_id}", response=LinkOut, summary="一个环节：企业、目标企业与项目")
def link_detail(request: HttpRequest, slug: str, link_id: str) -> dict:
    data = map_json(sel.chain_map(_chain(slug)))
    for link in data["links"]:
        if str(link["id"]) == link_id:
            return link
    raise refuse("link", "环节", link_id, "不在这条产业链中")


class DecisionIn(Schema):
    decision: str = ""
    reason: str = ""


@router.post("/placements/{placement_id}", response=PlacementOut, summary="确认或否决企业所属环节的建议")
def decide(request: HttpRequest, placement_id: str, body: DecisionIn) -> dict:
    placement = None
    if placement_id.isdigit():
        placement = LinkEnterprise.objects.select_related("enterprise__unit", "link").filter(pk=placement_id).first()
    if placement is None:
        raise refuse("placement", "匹配建议", placement_id, "不存在")
    if body.decision == "confirm":
        placement = placement_confirm(placement=placement, actor=request.user)
    elif body.decision == "reject":
        placement = placement_reject(placement=placement, actor=request.user, reason=body.reason)
    else:
        raise refuse("decision", "决定", body.decision, "无效；应为 confirm（确认）或 reject（否决）")
    return {"id": placement.pk, "status": placement.status, "status_label": placement.get_status_display()}
