"""The race through the JSON API: the same board as `zhaoshang race board --format json`."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema

from zhaoshang.accounts.permissions import ensure_can
from zhaoshang.api.schemas import BoardOut, CompetitionListOut, RaceWeekOut
from zhaoshang.race import selectors, services

router = Router(tags=["竞赛"])


def _day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError({"date": [f"日期“{text}”应写成 YYYY-MM-DD"]}) from None


@router.get("/", summary="竞赛列表", response=list[CompetitionListOut])
def competitions(request: HttpRequest) -> list[dict[str, Any]]:
    from zhaoshang.race.models import Competition

    return [
        {"slug": c.slug, "name": c.name, "start": c.start.isoformat(), "end": c.end.isoformat()}
        for c in Competition.objects.all()
    ]


# exclude_unset: the keys a board leaves out (a rival's label and source before it has published a month) stay out
# instead of coming back as null, so the answer is the board's JSON exactly.
@router.get(
    "/{slug}/board",
    summary="周比榜单：得分、名次、升降、红旗项目、蜗牛、对标城市",
    response=BoardOut,
    exclude_unset=True,
)
def board(request: HttpRequest, slug: str, date: str | None = None, version: int | None = None) -> dict[str, Any]:
    comp = selectors.competition_by_slug(slug)
    return selectors.board(comp, _day(date), version=version).to_json()


@router.get("/{slug}/history", summary="历次周比的名次与得分", response=list[RaceWeekOut])
def history(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    return selectors.history(selectors.competition_by_slug(slug))


class SnapshotIn(Schema):
    date: str
    reason: str = ""


@router.post(
    "/{slug}/snapshots",
    summary="发布周比榜单（再次发布须说明原因，生成新版本）",
    response=BoardOut,
    exclude_unset=True,
)
def publish(request: HttpRequest, slug: str, payload: SnapshotIn) -> dict[str, Any]:
    ensure_can(request.user, "race.write")  # type: ignore[arg-type]
    comp = selectors.competition_by_slug(slug)
    day = _day(payload.date)
    if day is None:
        raise ValidationError({"date": ["周比日期不能为空，应写成 YYYY-MM-DD，如 2020-09-25"]})
    snap = services.snapshot_publish(competition=comp, on=day, actor=request.user, reason=payload.reason)
    return selectors.board(comp, snap.on, version=snap.version).to_json()
