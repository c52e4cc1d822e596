"""Writes for the race: set up a competition, publish boards (never changing one), name red flags and snails,
publish the monthly evaluation with practices and awards. Every write is checked, validated and audited."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from zhaoshang.accounts.permissions import ensure_can
from zhaoshang.common.audit import save_with_audit
from zhaoshang.common.money import to_decimal
from zhaoshang.common.periods import add_months, month_start
from zhaoshang.common.validation import refuse, required_text
from zhaoshang.projects.models import Project
from zhaoshang.units.models import Region, Unit

from . import selectors
from .board import Board
from .models import (
    Award,
    Competition,
    CompetitionIndicator,
    CompetitionTarget,
    MonthlyEvaluation,
    ProposalDecline,
    RaceIndicator,
    RedFlag,
    Snail,
    Snapshot,
    UnitPractice,
)


@transaction.atomic
def competition_create(
    *,
    slug: str,
    name: str,
    start: date,
    end: date,
    units: Iterable[Unit],
    indicators: list[tuple[str, Decimal | int | str]],
    rival: Region | None = None,
    actor: Any,
    **options: Any,
) -> Competition:
    """indicators: (indicator, weight) in tie-break order."""
    ensure_can(actor, "race.setup")
    if end < start:
        raise refuse("end", "结束日期", end.isoformat(), f"早于开始日期 {start.isoformat()}")
    if Competition.objects.filter(slug=slug).exists():
        raise refuse("slug", "竞赛代号", slug, "已被使用")
    unit_list = list(units)
    if not unit_list:
        raise refuse("units", "参赛单位", "", "至少需要一个")
    if not indicators:
        raise refuse("indicators", "竞赛指标", "", "至少需要一个")
    comp = Competition(slug=slug, name=name, start=start, end=end, rival=rival, **options)
    comp.full_clean(exclude=["units"])
    save_with_audit(comp, actor=actor, reason="新建竞赛")
    comp.units.set(unit_list)
    seen = set()
    for order, (key, weight) in enumerate(indicators):
        if key not in RaceIndicator.values:
            raise refuse("indicators", "竞赛指标", key, f"不存在；可选：{'、'.join(RaceIndicator.values)}")
        if key in seen:
            raise refuse("indicators", "竞赛指标", key, "重复")
        seen.add(key)
        w = to_decimal(weight)
        if w <= 0:
            raise refuse("weight", "权重", weight, "必须大于0")
        weighted = CompetitionIndicator(competition=comp, indicator=key, weight=w, order=order)
        save_with_audit(weighted, actor=actor, reason="新建竞赛")
    return comp


@transaction.atomic
def competition_target_set(*, competition: Competition, unit: Unit, indicator: str, value: Any, actor: Any) -> None:
    ensure_can(actor, "race.setup")
    if not competition.units.filter(pk=unit.pk).exists():
        raise refuse("unit", "单位", unit.name, f"未参加“{competition.name}”")
    if not competition.indicators.filter(indicator=indicator).exists():
        raise refuse("indicator", "指标", indicator, f"不是“{competition.name}”的竞赛指标")
    amount = to_decimal(value)
    if amount < 0:
        raise refuse("value", "竞赛目标", value, "不能为负数")
    target = CompetitionTarget.objects.filter(
        competition=competition, unit=unit, indicator=indicator
    ).first() or CompetitionTarget(competition=competition, unit=unit, indicator=indicator)
    before = target.value if target.pk else None
    target.value = amount
    save_with_audit(target, actor=actor, reason="设定竞赛目标" if before is None else f"调整竞赛目标（原 {before}）")


@transaction.atomic
def competition_weight_set(
    *, competition: Competition, indicator: str, weight: Any, actor: Any, reason: str = ""
) -> CompetitionIndicator:
    """Change one indicator's weight in a competition; the board's scores move with it, so the reason is kept."""
    ensure_can(actor, "race.setup")
    row = competition.indicators.filter(indicator=indicator).first()
    if row is None:
        raise refuse("indicator", "指标", indicator, f"不是“{competition.name}”的竞赛指标")
    try:
        w = to_decimal(weight)
    except (ValueError, TypeError):
        raise refuse("weight", "权重", weight, "不是有效的数字") from None
    if not w.is_finite() or w <= 0:
        raise refuse("weight", "权重", weight, "必须大于0")
    if w.as_tuple().exponent < -2:  # type: ignore[operator]
        raise refuse("weight", "权重", weight, "最多保留两位小数")
    if w != row.weight:
        before = row.weight
        row.weight = w
        save_with_audit(row, actor=actor, reason=reason or f"调整权重（原 {before}）")
    return row


def _in_race(comp: Competition, on: date, field: str = "on") -> None:
    if not comp.start <= on <= comp.end:
        raise refuse(field, "日期", on.isoformat(), f"不在竞赛期间（{comp.start} 至 {comp.end}）")


@transaction.atomic
def snapshot_publish(*, competition: Competition, on: date, actor: Any, reason: str = "") -> Snapshot:
    """Publish the week's board. A board once published never changes; publishing the same day again is a
    recomputation: it needs a reason and becomes the next version, the earlier ones staying visible."""
    ensure_can(actor, "race.publish")
    _in_race(competition, on)
    reason = (reason or "").strip()
    last = Snapshot.objects.filter(competition=competition, on=on).order_by("-version").first()
    if last is not None and not reason:
        raise refuse("reason", "重算原因", "", f"{on.isoformat()} 的榜单已发布第{last.version}版；更正后重算须说明原因")
    board = selectors.compute_board(competition, on)
    snap = Snapshot(
        competition=competition,
        on=on,
        version=(last.version + 1) if last else 1,
        reason=reason,
        data=board.stored_json(),
        created_by=actor,
    )
    snap.save()
    return snap


@transaction.atomic
def red_flag_confirm(
    *, competition: Competition, project: Project, on: date, reason: str, actor: Any, rule: str = "manual"
) -> RedFlag:
    """Name a red-flag project: a rule's proposal confirmed, or one the bureau adds (rule 'manual')."""
    ensure_can(actor, "race.confirm")
    _in_race(competition, on)
    reason = required_text(reason, field="reason", label="理由")
    if not competition.units.filter(pk=project.unit_id).exists():
        raise refuse("project", "项目", project.code, "所属单位未参加本竞赛")
    if RedFlag.objects.filter(competition=competition, project=project).exists():
        raise refuse("project", "项目", project.code, "已是本竞赛的红旗项目")
    flag = RedFlag(competition=competition, project=project, on=on, rule=rule, reason=reason, confirmed_by=actor)
    save_with_audit(flag, actor=actor, reason="确认红旗项目")
    return flag


@transaction.atomic
def snail_confirm(
    *,
    competition: Competition,
    unit: Unit,
    on: date,
    reason: str,
    actor: Any,
    project: Project | None = None,
    rule: str = "manual",
) -> Snail:
    ensure_can(actor, "race.confirm")
    _in_race(competition, on)
    reason = required_text(reason, field="reason", label="理由")
    if not competition.units.filter(pk=unit.pk).exists():
        raise refuse("unit", "单位", unit.name, "未参加本竞赛")
    if project is not None and project.unit_id != unit.pk:
        raise refuse("project", "项目", project.code, f"不属于{unit.name}")
    if Snail.objects.filter(competition=competition, on=on, unit=unit, project=project).exists():
        raise refuse("on", "日期", on.isoformat(), f"{project or unit} 当日已被评为蜗牛")
    snail = Snail(
        competition=competition,
        kind=Snail.Kind.PROJECT if project else Snail.Kind.UNIT,
        unit=unit,
        project=project,
        on=on,
        rule=rule,
        reason=reason,
        confirmed_by=actor,
    )
    save_with_audit(snail, actor=actor, reason="确认蜗牛")
    return snail


@transaction.atomic
def proposals_confirm(
    *, competition: Competition, on: date, actor: Any, project_snails: int | None = None
) -> tuple[int, int]:
    """Confirm what the rules propose for the week ending `on` (their reasons stand as the bureau's), keeping
    the `project_snails` longest-stalled projects when a limit is given. Returns (red flags, snails)."""
    ensure_can(actor, "race.confirm")
    flags, snails = selectors.open_proposals(competition, on)  # those confirmed or declined already left out
    for p in flags:
        if p.project is None:  # a red-flag proposal always names its project
            raise RuntimeError("red-flag proposal without a project")
        red_flag_confirm(competition=competition, project=p.project, on=on, reason=p.reason, rule=p.rule, actor=actor)
    unit_snails = [s for s in snails if s.project is None]
    stalled = [s for s in snails if s.project is not None]
    project_snails_list = sorted(stalled, key=lambda s: (s.sort, s.project.code if s.project else ""))
    if project_snails is not None:
        project_snails_list = project_snails_list[:project_snails]
    for s in [*unit_snails, *project_snails_list]:
        snail_confirm(
            competition=competition, unit=s.unit, project=s.project, on=on, reason=s.reason, rule=s.rule, actor=actor
        )
    return len(flags), len(unit_snails) + len(project_snails_list)


@transaction.atomic
def evaluation_publish(
    *, competition: Competition, month: date, actor: Any, practices: dict[str, str] | None = None
) -> MonthlyEvaluation:
    """The month's evaluation: the board at the month's end (or the race's end), the units' reported practices,
    and the awards the rules give: 月度第一 to the top unit(s), 进步最快 to the largest rise since last month."""
    ensure_can(actor, "race.publish")
    first = month_start(month)
    last_day = add_months(first, 1).toordinal() - 1
    end = min(date.fromordinal(last_day), competition.end)
    if end < competition.start or first > competition.end:
        raise refuse("month", "月份", f"{first:%Y-%m}", f"不在竞赛期间（{competition.start} 至 {competition.end}）")
    if MonthlyEvaluation.objects.filter(competition=competition, month=first).exists():
        raise refuse("month", "月份", f"{first:%Y-%m}", "的月度评比已发布")
    board = selectors.compute_board(competition, end)
    evaluation = MonthlyEvaluation.objects.create(
        competition=competition, month=first, data=board.stored_json(), created_by=actor
    )
    units = {u.code: u for u in competition.units.all()}
    for code, text in (practices or {}).items():
        evaluation_practice_set(evaluation=evaluation, unit=units[code], text=text, actor=actor)
    previous = MonthlyEvaluation.objects.filter(competition=competition, month__lt=first).order_by("-month").first()
    prev_ranks = Board.from_json(previous.data).ranks() if previous else {}
    for u in board.units:
        if u.rank == 1:
            Award.objects.create(
                evaluation=evaluation, unit=units[u.code], title="月度第一", reason=f"月末得分{u.score}，全市第一"
            )
    rises = {u.code: prev_ranks[u.code] - u.rank for u in board.units if u.code in prev_ranks}
    best = max(rises.values(), default=0)
    for code, rise in sorted(rises.items()):
        if rise == best and best > 0:
            Award.objects.create(
                evaluation=evaluation, unit=units[code], title="进步最快", reason=f"排名较上月上升{rise}位"
            )
    return evaluation


@transaction.atomic
def evaluation_practice_set(*, evaluation: MonthlyEvaluation, unit: Unit, text: str, actor: Any) -> UnitPractice:
    """A unit reports its practices for the month: its own staff, or the bureau."""
    ensure_can(actor, "race.practice", unit)
    text = required_text(text, field="text", label="经验做法")
    if len(text) > 500:
        raise refuse("text", "经验做法", f"{text[:20]}…", "不能超过500字")
    practice = UnitPractice.objects.filter(evaluation=evaluation, unit=unit).first() or UnitPractice(
        evaluation=evaluation, unit=unit
    )
    practice.text = text
    save_with_audit(practice, actor=actor, reason="报送经验做法")
    return practice


@transaction.atomic
def proposal_decline(
    *,
    competition: Competition,
    kind: str,
    on: date,
    unit: Unit,
    reason: str,
    actor: Any,
    project: Project | None = None,
    rule: str = "",
) -> ProposalDecline:
    """Decline what a rule proposes: a red flag is then not proposed again in this competition, a snail not again
    on this day. Only the week's open proposals can be declined."""
    ensure_can(actor, "race.confirm")
    _in_race(competition, on)
    reason = required_text(reason, field="reason", label="不予确认的理由")
    if kind not in ProposalDecline.Kind.values:
        raise refuse("kind", "类型", kind, "不存在")
    flags, snails = selectors.open_proposals(competition, on)
    pool = flags if kind == ProposalDecline.Kind.RED_FLAG else snails
    match = next(
        (
            p
            for p in pool
            if p.unit.pk == unit.pk and (p.project.pk if p.project else None) == (project.pk if project else None)
        ),
        None,
    )
    if match is None:
        what = project.code if project else unit.name
        raise refuse("project", "提名", what, f"不在{on.isoformat()}的待确认提名之中")
    decline = ProposalDecline(
        competition=competition,
        kind=kind,
        on=on,
        unit=unit,
        project=project,
        rule=rule or match.rule,
        reason=reason,
        declined_by=actor,
    )
    save_with_audit(decline, actor=actor, reason=f"不予确认：{reason}")
    return decline
