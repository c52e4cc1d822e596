"""Reminders: a user's choice of them (a service with its audit row), and each unit's daily digest of tasks
pushed to the unit's group robot with @-mentions of the officers' phone numbers, at most once a unit and day."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from zhaoshang.accounts.models import Role, User
from zhaoshang.accounts.permissions import ensure_can
from zhaoshang.bulletins.push.markdown import md_text
from zhaoshang.bulletins.push.service import Target, client_for, push
from zhaoshang.common.audit import save_with_audit
from zhaoshang.common.clock import today
from zhaoshang.common.todo import Task
from zhaoshang.common.validation import refuse
from zhaoshang.units.models import Unit

from .models import REMINDER_KINDS, DigestRobot, DigestSend, ReminderSetting
from .tasks import tasks_for

KIND_LABELS = dict(REMINDER_KINDS)
MAX_LINES = 8  # per person in the digest; the rest is counted ("另有N项")


def setting_of(user: Any) -> ReminderSetting:
    return ReminderSetting.objects.filter(user=user).first() or ReminderSetting(user=user)


@transaction.atomic
def reminder_setting_set(*, user: Any, daily_digest: bool, kinds: list[str], actor: Any) -> ReminderSetting:
    """A user sets their own reminders (a city administrator may set anyone's)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise refuse("user", "用户", None, "未登录")
    if actor.pk != user.pk:
        ensure_can(actor, "user.write")
    unknown = [k for k in kinds if k not in KIND_LABELS]
    if unknown:
        raise refuse("kinds", "提醒的事项", unknown[0], "不存在")
    setting = setting_of(user)
    setting.daily_digest = bool(daily_digest)
    setting.kinds = [k for k, _ in REMINDER_KINDS if k in kinds]
    save_with_audit(setting, actor=actor, reason="修改提醒设置")
    return setting


@dataclass
class DigestSection:
    who: str
    phone: str
    tasks: list[Task] = field(default_factory=list)


@dataclass
class Digest:
    unit: Unit
    on: date
    sections: list[DigestSection]
    shared: list[Task]
    shared_phones: list[str]

    @property
    def count(self) -> int:
        return sum(len(s.tasks) for s in self.sections) + len(self.shared)

    @property
    def mentions(self) -> list[str]:
        phones = [s.phone for s in self.sections if s.phone and s.tasks] + self.shared_phones
        return list(dict.fromkeys(p for p in phones if p))

    @property
    def title(self) -> str:
        return f"{self.unit.short_name or self.unit.name}每日待办提醒"

    def markdown(self) -> str:
        lines = [f"### {md_text(self.unit.name)}每日待办提醒（{self.on:%Y年%-m月%-d日}）", ""]
        lines.append(f"共{self.count}项待办，请及时办理（登录招商平台“我的待办”查看）。")
        for s in self.sections:
            if s.tasks:
                lines += ["", f"**{md_text(s.who)}**" + (f" @{s.phone}" if s.phone else "") + f"：{len(s.tasks)}项"]
                lines += _task_lines(s.tasks)
        if self.shared:
            at = " ".join(f"@{p}" for p in self.shared_phones)
            lines += ["", f"**本单位未指定责任人的事项** {at}".rstrip() + f"：{len(self.shared)}项"]
            lines += _task_lines(self.shared)
        return "\n".join(lines)


def _task_lines(tasks: list[Task]) -> list[str]:
    out = [
        f"- {md_text(t.kind_label)}：{md_text(t.title)}" + (f"（{md_text(t.detail)}）" if t.detail else "")
        for t in tasks[:MAX_LINES]
    ]
    if len(tasks) > MAX_LINES:
        out.append(f"- 另有{len(tasks) - MAX_LINES}项")
    return out


def unit_digest(unit: Unit, *, on: date | None = None) -> Digest:
    """The unit's staff's tasks, each person's under their name; a task several of them share (a project with no
    responsible officer) is listed once, for all of them."""
    on = on or today()
    staff = list(
        User.objects.filter(unit=unit, role=Role.UNIT_STAFF, is_active=True)
        .select_related("reminder_setting")
        .order_by("username")
    )
    per_user: list[tuple[User, list[Task]]] = []
    for user in staff:
        setting = getattr(user, "reminder_setting", None) or ReminderSetting(user=user)
        if not setting.daily_digest:
            continue
        per_user.append((user, [t for t in tasks_for(user) if setting.wants(t.kind)]))
    seen: dict[tuple[str, str], int] = {}
    for _, tasks in per_user:
        for t in tasks:
            seen[(t.kind, t.url + t.title)] = seen.get((t.kind, t.url + t.title), 0) + 1
    shared: list[Task] = []
    shared_keys: set[tuple[str, str]] = set()
    shared_phones: list[str] = []
    sections = []
    for user, tasks in per_user:
        own = []
        for t in tasks:
            key = (t.kind, t.url + t.title)
            if seen[key] > 1:
                if key not in shared_keys:
                    shared_keys.add(key)
                    shared.append(t)
                if user.phone and user.phone not in shared_phones:
                    shared_phones.append(user.phone)
            else:
                own.append(t)
        sections.append(DigestSection(user.display_name, user.phone, own))
    return Digest(unit, on, sections, shared, shared_phones)


@dataclass
class DigestOutcome:
    unit: str
    sent: bool
    message: str
    failed: bool = False


def digests_send(*, actor: Any, on: date | None = None, **client_kwargs: Any) -> list[DigestOutcome]:
    """Send each unit's digest to its robot, once a unit and day: a unit already sent today is skipped, one with
    no task sends nothing. A failed send is recorded and tried again on the next run of the day."""
    ensure_can(actor, "push.send")
    on = on or today()
    out = []
    for link in DigestRobot.objects.filter(is_active=True, robot__is_active=True).select_related("unit", "robot"):
        unit = link.unit
        if DigestSend.objects.filter(unit=unit, on=on, ok=True).exists():
            out.append(DigestOutcome(unit.name, False, "今日已发送"))
            continue
        digest = unit_digest(unit, on=on)
        if not digest.count:
            out.append(DigestOutcome(unit.name, False, "无待办事项，未发送"))
            continue
        text = digest.markdown()
        target = Target(link.robot.name, client_for(link.robot, **client_kwargs))
        result = push([target], digest.title, text, actor=actor, at_mobiles=digest.mentions)[0]
        values = {
            "sent_at": timezone.now(),
            "tasks": digest.count,
            "mentions": digest.mentions,
            "text": text,
            "result": result.message[:300],
            "ok": result.ok,
        }
        try:
            with transaction.atomic():
                DigestSend.objects.update_or_create(unit=unit, on=on, defaults=values)
        except IntegrityError:  # another worker recorded the same unit and day a moment before
            pass
        out.append(DigestOutcome(unit.name, result.ok, result.message, failed=not result.ok))
    return out
