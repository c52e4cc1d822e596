"""The race board: the weekly ranking with arrows, scores, red flags and snails, the rival, and the weeks so far.

Everything shown comes from zhaoshang.race.selectors (the published board of the day, or the live one).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from zhaoshang.accounts.permissions import can
from zhaoshang.common.clock import today
from zhaoshang.common.periods import add_months, month_start
from zhaoshang.common.validation import first_message
from zhaoshang.projects.models import Project
from zhaoshang.race import selectors as race
from zhaoshang.race import services as race_services
from zhaoshang.race.models import Competition, MonthlyEvaluation, Snapshot
from zhaoshang.units.models import Unit

from .tasks import forget_count
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
    try:
        comp, day, version = _chosen(request.GET, competitions)
        data = race.board(comp, day, version=version)
    except ValidationError as exc:
        return bad_request(request, first_message(exc))
    except ValueError as exc:
        return bad_request(request, str(exc))
    return render(request, "web/race.html", _board_context(request, competitions, comp, data))


def _chosen(params: Any, competitions: list[Competition]) -> tuple[Competition, date, int | None]:
    slug = (params.get("race") or "").strip()
    comp = race.competition_by_slug(slug) if slug else competitions[0]
    if text := (params.get("date") or "").strip():
        day = _day(text)
    else:
        # The latest published week up to today, else today within the race.
        now = today()
        published = Snapshot.objects.filter(competition=comp, on__lte=now).order_by("-on").values_list("on", flat=True)
        day = published.first() or race.clip(comp, now)
    version_text = (params.get("version") or "").strip()
    if version_text and not version_text.isdigit():
        raise ValueError(f"版本“{version_text[:20]}”无法识别：应为 1、2 这样的数字")
    return comp, day, int(version_text) if version_text else None


def _board_context(
    request: HttpRequest, competitions: list[Competition], comp: Competition, data: Any, **extra: Any
) -> dict[str, Any]:
    published = sorted(set(Snapshot.objects.filter(competition=comp).values_list("on", flat=True)))
    day = data.date

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
        **_desk_context(request.user, comp, day),
        **extra,
    }
    return ctx


RULE_LABELS = {
    "fortune500_stage": "世界500强项目",
    "over_100m_stage": "超亿美元项目",
    "largest_arrivals": "到资额居前",
    "fast_progress": "推进速度快",
    "unit_lag": "进度滞后单位",
    "project_stalled": "停滞项目",
    "manual": "人工添加",
}


def _desk_context(user: Any, comp: Competition, day: date) -> dict[str, Any]:
    """What the city's administrators (and the units, for their practices) act on below the board."""
    publisher, confirmer = can(user, "race.publish"), can(user, "race.confirm")
    in_race = comp.start <= day <= comp.end
    out: dict[str, Any] = {"can_publish": publisher and in_race, "can_confirm": confirmer and in_race}
    if confirmer and in_race:
        flags, snails = race.open_proposals(comp, day)
        out["open_flags"] = [{"p": p, "rule_label": RULE_LABELS.get(p.rule, p.rule)} for p in flags]
        out["open_snails"] = [{"p": p, "rule_label": RULE_LABELS.get(p.rule, p.rule)} for p in snails]
        out["race_units"] = list(comp.units.order_by("sort_order", "code"))
    if publisher or confirmer:
        out["already_published"] = Snapshot.objects.filter(competition=comp, on=day).exists()
    evaluations = list(
        MonthlyEvaluation.objects.filter(competition=comp).order_by("-month").prefetch_related("practices__unit")
    )
    writable = [u for u in comp.units.order_by("sort_order", "code") if can(user, "race.practice", u)]
    out["evaluations"] = [
        {
            "e": e,
            "practices": {p.unit_id: p.text for p in e.practices.all()},
            "rows": [(u, next((p.text for p in e.practices.all() if p.unit_id == u.pk), "")) for u in writable],
        }
        for e in evaluations
    ]
    out["practice_units"] = writable
    if publisher:
        done = {e.month for e in evaluations}
        months = []
        m = month_start(comp.start)
        while m <= min(month_start(today()), month_start(comp.end)):
            if m not in done:
                months.append(m)
            m = add_months(m, 1)
        out["evaluation_months"] = months
    return out


ACTIONS = {
    "publish": "发布周比",
    "confirm_flag": "确认红旗项目",
    "confirm_snail": "确认蜗牛",
    "decline": "不予确认",
    "confirm_all": "确认全部提名",
    "add_flag": "添加红旗项目",
    "add_snail": "添加蜗牛",
    "evaluate": "发布月度评比",
    "practice": "报送经验做法",
}


@login_required
@require_POST
def race_action(request: HttpRequest) -> HttpResponse:
    """One of the board's actions, through the race services; a refusal is shown in place and nothing saved."""
    action = (request.POST.get("action") or "").strip()
    if action not in ACTIONS:
        return bad_request(request, f"操作“{action[:20]}”不存在")
    competitions = list(Competition.objects.order_by("-start", "slug"))
    if not competitions:
        return bad_request(request, "尚无竞赛")
    try:
        comp, day, _ = _chosen(request.POST, competitions)
    except ValidationError as exc:
        return bad_request(request, first_message(exc))
    except ValueError as exc:
        return bad_request(request, str(exc))
    try:
        done = _perform(action, comp, day, request.POST, request.user)
    except PermissionDenied:
        raise
    except ValidationError as exc:
        error = first_message(exc)
    except ValueError as exc:
        error = str(exc)
    else:
        forget_count(request.user)
        messages.success(request, done)
        return redirect(f"{reverse('web:race')}?race={comp.slug}&date={day.isoformat()}#{_anchor(action)}")
    data = race.board(comp, day)
    ctx = _board_context(request, competitions, comp, data, action_error={"action": action, "message": error})
    ctx["posted"] = request.POST
    return render(request, "web/race.html", ctx, status=400)


def _anchor(action: str) -> str:
    if action == "publish":
        return "publish"
    if action in ("evaluate", "practice"):
        return "evaluation"
    return "proposals"


def _project(code: str) -> Project:
    code = (code or "").strip()
    project = Project.objects.filter(code=code).select_related("unit").first()
    if project is None:
        raise ValidationError({"project": [f"项目编号“{code[:30]}”不存在" if code else "项目编号（空）不能为空"]})
    return project


def _unit(code: str) -> Unit:
    unit = Unit.objects.filter(code=(code or "").strip()).first()
    if unit is None:
        raise ValidationError({"unit": [f"单位“{(code or '')[:20]}”不存在"]})
    return unit


def _perform(action: str, comp: Competition, day: date, post: Any, actor: Any) -> str:
    reason = (post.get("reason") or "").strip()
    if action == "publish":
        snap = race_services.snapshot_publish(competition=comp, on=day, actor=actor, reason=reason)
        return f"已发布 {day:%Y年%-m月%-d日} 周比榜单（第{snap.version}版）"
    if action in ("confirm_flag", "add_flag"):
        flagged = _project(post.get("project", ""))
        rule = "manual" if action == "add_flag" else _proposal_rule(comp, day, "red_flag", flagged.unit, flagged)
        race_services.red_flag_confirm(competition=comp, project=flagged, on=day, reason=reason, rule=rule, actor=actor)
        return f"已确认红旗项目：{flagged.code} {flagged.name}"
    if action in ("confirm_snail", "add_snail"):
        project: Project | None = _project(post["project"]) if (post.get("project") or "").strip() else None
        unit = project.unit if project else _unit(post.get("unit", ""))
        rule = "manual" if action == "add_snail" else _proposal_rule(comp, day, "snail", unit, project)
        race_services.snail_confirm(
            competition=comp, unit=unit, project=project, on=day, reason=reason, rule=rule, actor=actor
        )
        return f"已确认蜗牛：{project.name if project else unit.name}"
    if action == "decline":
        project = _project(post["project"]) if (post.get("project") or "").strip() else None
        unit = project.unit if project else _unit(post.get("unit", ""))
        kind = (post.get("kind") or "").strip()
        race_services.proposal_decline(
            competition=comp, kind=kind, on=day, unit=unit, project=project, reason=reason, actor=actor
        )
        return f"已不予确认：{project.name if project else unit.name}"
    if action == "confirm_all":
        flags, snails = race_services.proposals_confirm(competition=comp, on=day, actor=actor)
        return f"已确认红旗项目{flags}个、蜗牛{snails}个"
    if action == "evaluate":
        month = _month(post.get("month", ""))
        race_services.evaluation_publish(competition=comp, month=month, actor=actor)
        return f"已发布{month.year}年{month.month}月月度评比"
    # practice
    evaluation = MonthlyEvaluation.objects.filter(competition=comp, pk=_int(post.get("evaluation"))).first()
    if evaluation is None:
        raise ValidationError({"evaluation": ["月度评比不存在"]})
    unit = _unit(post.get("unit", ""))
    race_services.evaluation_practice_set(evaluation=evaluation, unit=unit, text=post.get("text", ""), actor=actor)
    return f"已报送{unit.name}{evaluation.month.month}月经验做法"


def _proposal_rule(comp: Competition, day: date, kind: str, unit: Unit, project: Project | None) -> str:
    flags, snails = race.open_proposals(comp, day)
    pool = flags if kind == "red_flag" else snails
    for p in pool:
        if p.unit.pk == unit.pk and (p.project.pk if p.project else None) == (project.pk if project else None):
            return p.rule
    what = project.code if project else unit.name
    raise ValidationError({"project": [f"“{what}”不在{day.isoformat()}的待确认提名之中"]})


def _month(text: str) -> date:
    try:
        return date.fromisoformat(f"{text.strip()[:7]}-01")
    except ValueError:
        raise ValueError(f"月份“{text[:20]}”无法识别：应为 2020-08 这样的月份") from None


def _int(text: Any) -> int:
    try:
        return int(str(text or "").strip())
    except ValueError:
        return 0
