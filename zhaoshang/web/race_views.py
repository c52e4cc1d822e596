"""The race board: the weekly ranking with arrows, scores, red flags and snails, the rival, and the weeks so far.

Everything shown comes from zhaoshang.race.selectors (the published board of the day, or the live one).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from zhaoshang.common.clock import today
from zhaoshang.common.validation import first_message
from zhaoshang.race import selectors as race
from zhaoshang.race.models import Competition, Snapshot

from .views import bad_request


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        raise ValueError(f"日期“{text[:20]}”无法识别：应为 2020-09-30 这样的日期") from None


@login_required
@require_GET
def race_board(request: HttpRequest) -> HttpResponse:
    competitions = list(Competition.objects.order_by("-start", "slug"))
    if not competitions:
        return render(request, "web/race.html", {"active": "race", "page_title": "百日竞赛", "competitions": []})
    slug = (request.GET.get("race") or "").strip()
    try:
        comp = race.competition_by_slug(slug) if slug else competitions[0]
        published = sorted(set(Snapshot.objects.filter(competition=comp).values_list("on", flat=True)))
        if text := (request.GET.get("date") or "").strip():
            day = _day(text)
        else:
            # The latest published week up to today, else today within the race.
            now = today()
            day = max((d for d in published if d <= now), default=race.clip(comp, now))
        version_text = (request.GET.get("version") or "").strip()
        if version_text and not version_text.isdigit():
            raise ValueError(f"版本“{version_text[:20]}”无法识别：应为 1、2 这样的数字")
        data = race.board(comp, day, version=int(version_text) if version_text else None)
    except ValidationError as exc:
        return bad_request(request, first_message(exc))
    except ValueError as exc:
        return bad_request(request, str(exc))

    weeks = race.history(comp)
    rows = []
    for u in data.units:
        change = u.rank_change
        rows.append(
            {
                "rank": u.rank,
                "rank_change": change,
                "name": u.name,
                "score": u.score,
                "arrow": "—" if change is None else "↑" if change > 0 else "↓" if change < 0 else "→",
                "arrow_class": "" if not change else "arrow-up" if change > 0 else "arrow-down",
                "cells": [
                    {
                        "money": i.is_money,
                        "achieved": u.figures[i.key].achieved,
                        "target": u.figures[i.key].target,
                        "completion": u.figures[i.key].completion_pct,
                    }
                    for i in data.indicators
                ],
            }
        )
    rival = data.rival
    unit_names = {u.code: u.name for u in data.units}
    chart = {
        "dates": [w["date"][5:] for w in weeks],
        "series": [
            {"name": unit_names.get(code, code), "data": [w["ranks"].get(code) for w in weeks]} for code in unit_names
        ],
        "units": len(unit_names),
    }
    ctx: dict[str, Any] = {
        "active": "race",
        "page_title": data.competition.name,
        "competitions": competitions,
        "comp": comp,
        "data": data,
        "day": data.date,
        "rows": rows,
        "indicators": data.indicators,
        "rival": rival,
        "rival_lead": rival.lead_usd if rival else None,
        "rival_value": rival.actual_use_usd if rival else None,
        "city_value": rival.city_actual_use_usd if rival else None,
        "city": data.city,
        "new_flags": [f for f in data.red_flags if f.new],
        "earlier_flags": [f for f in data.red_flags if not f.new],
        "weeks": weeks,
        "week_units": list(unit_names.items()),
        "published_dates": published,
        "chart": chart,
    }
    return render(request, "web/race.html", ctx)
