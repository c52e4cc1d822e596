"""Producing and issuing bulletins. Issuing freezes the files, closes the months reported and takes in corrections."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhaoshang.accounts.permissions import ensure_can
from zhaoshang.common.audit import save_with_audit
from zhaoshang.common.clock import today
from zhaoshang.common.locks import figures_close_lock
from zhaoshang.common.periods import month_start
from zhaoshang.common.validation import refuse

from .content import build_outline
from .document import render_docx
from .models import Bulletin, Correction, MonthClosure
from .selectors import BulletinData, bulletin_data
from .workbook import render_xlsx


@dataclass
class BulletinFiles:
    data: BulletinData
    docx: bytes
    xlsx: bytes

    @property
    def stem(self) -> str:
        return f"{self.data.city_name}利用外资工作通报-{self.data.month:%Y-%m}"


def attach_race(data: BulletinData) -> BulletinData:
    """Adds the race section: the competitions running in the month (none: no section)."""
    from .race_section import race_section

    data.race = race_section(data)
    return data


def bulletin_build(*, month: date, with_charts: bool = True, issue_on: date | None = None) -> BulletinFiles:
    """The month's bulletin as files: the stored ones when it has been issued, a fresh draft otherwise (or, with
    `issue_on`, the issued version dated that day: what `bulletin_issue` freezes)."""
    data = attach_race(bulletin_data(month))
    if data.issued is not None:
        return BulletinFiles(data, bytes(data.issued.docx), bytes(data.issued.xlsx))
    data.dated = issue_on
    return BulletinFiles(data, render_docx(build_outline(data, with_charts=with_charts)), render_xlsx(data))


@transaction.atomic
def bulletin_issue(*, month: date, actor: Any) -> Bulletin:
    """Issue (签发) the month's bulletin: store its files and figures, close 1月 to that month, list corrections."""
    ensure_can(actor, "bulletin.issue")
    # Every write to an arrival or a stage holds the shared side of this lock to its commit: issuing waits for
    # those in flight, and new ones wait for the closure, so none lands between the figures and the closing.
    figures_close_lock()
    month = month_start(month)
    if month > month_start(today()):
        raise refuse("month", "通报月份", f"{month:%Y-%m}", "晚于本月，尚无数据可通报")
    existing = Bulletin.objects.filter(month=month).first()
    if existing is not None:
        raise refuse(
            "month",
            "通报月份",
            f"{month:%Y-%m}",
            f"的通报已于{existing.issued_at:%Y-%m-%d}签发（第{existing.number}期）",
        )
    issued_on = today()
    files = bulletin_build(month=month, issue_on=issued_on)
    data = files.data
    now = timezone.now()
    bulletin = Bulletin(
        month=month,
        number=data.number,
        title=data.title,
        issued_at=now,
        issued_on=issued_on,
        issued_by=actor,
        figures=_snapshot(data),
        docx=files.docx,
        xlsx=files.xlsx,
    )
    save_with_audit(bulletin, actor=actor, reason="签发通报")
    for m in data.period.iter_months():
        MonthClosure.objects.get_or_create(month=m, defaults={"bulletin": bulletin, "closed_at": now})
    Correction.objects.filter(pk__in=[c.pk for c in data.corrections], listed_in=None).update(listed_in=bulletin)
    return bulletin


def _snapshot(data: BulletinData) -> dict[str, Any]:
    from zhaoshang.stats.serialize import report_json

    return report_json(data.report)
