"""The demo's leads (线索) and one conflict (撞单), written through the leads services after the registry and the
chains, dated in the last weeks before the demo's business day (2020-12-31). No joint decision: the race and the
targets stay as pinned.

The commissioning article, when it is beside the repository (../shared/source, never copied in), is kept as the
demo's first intake text, for a person to read and confirm on the intake page."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from zhaoshang.accounts.models import User
from zhaoshang.intake.services import intake_document_create
from zhaoshang.leads import services as ls
from zhaoshang.leads.models import Conflict
from zhaoshang.projects.models import Project, Stage
from zhaoshang.units.models import Unit

ARTICLE = Path(__file__).resolve().parents[2].parent / "shared" / "source" / "article-jiaxing-wenwaizi-2020.txt"


def build_leads(*, actor: Any) -> dict[str, int]:
    unit = {u.code: u for u in Unit.objects.all()}
    staff = {u.unit.code: u for u in User.objects.filter(role="unit_staff").select_related("unit") if u.unit}

    def lead(code: str | None, **kw: Any) -> Any:
        who = staff.get(code) if code else actor
        return ls.lead_create(actor=who or actor, unit=unit.get(code) if code else None, **kw)

    a = lead(
        "330481",
        company="浙江禾芯半导体有限公司",
        source="news",
        source_detail="《嘉兴日报》2020年12月1日",
        intention="功率器件封装测试，意向投资12亿元",
        amount="1200000000",
        currency="CNY",
        received_on=date(2020, 12, 1),
    )
    ls.lead_contact(lead=a, on=date(2020, 12, 4), actor=staff.get("330481") or actor)
    lead(
        "3304GQ",
        company="晓星集团",
        source="referral",
        source_detail="韩国商会推荐",
        intention="氨纶项目",
        received_on=date(2020, 12, 10),
    )
    b = lead(
        "3304JK",
        company="舍弗勒集团",
        source="event",
        source_detail="进博会对接",
        intention="轴承项目",
        received_on=date(2020, 11, 20),
    )
    ls.lead_contact(lead=b, on=date(2020, 11, 25), actor=staff.get("3304JK") or actor)
    ls.lead_abandon(lead=b, reason="投资方已选址外省", on=date(2020, 12, 15), actor=staff.get("3304JK") or actor)
    lead(
        "330482",
        company="日本电产株式会社",
        source="inbound",
        intention="精密马达项目",
        received_on=date(2020, 12, 28),
    )
    lead(None, company="晶澳太阳能科技股份有限公司", source="chain_target", received_on=date(2020, 12, 25))
    csi = Project.objects.filter(name="阿特斯高效光伏组件项目").first()
    if csi is not None:
        c = lead(
            csi.unit.code,
            company="阿特斯阳光电力集团",
            source="chain_target",
            source_detail="光伏产业链招商地图",
            received_on=date(2019, 11, 20),
        )
        ls.lead_contact(lead=c, on=date(2019, 11, 25), actor=staff.get(csi.unit.code) or actor)
        ls.lead_convert(lead=c, project=csi, on=date(2020, 5, 15), actor=staff.get(csi.unit.code) or actor)
    # A conflict: another unit's lead on the investor of an open project (the city decides on the page).
    open_project = (
        Project.objects.filter(stage__in=[Stage.NEGOTIATING, Stage.SIGNED], investors__parent__isnull=True)
        .exclude(unit__code="3304JK")
        .order_by("code")
        .first()
    )
    if open_project is not None:
        investor = open_project.investors.first()
        if investor is not None:
            lead(
                "3304JK",
                company=investor.name,
                investor=investor,
                industry=open_project.industry,
                source="inbound",
                received_on=date(2020, 12, 29),
            )
    if ARTICLE.is_file():
        intake_document_create(title=ARTICLE.name, text=ARTICLE.read_text(encoding="utf-8"), actor=actor)
    return {"conflicts": Conflict.objects.count()}
