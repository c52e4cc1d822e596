"""Writes of the forecast app: a project's expectations (expected months and likelihood), set by its officer."""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from typing import Any

from django.db import transaction

from zhaoshang.accounts.permissions import ensure_can
from zhaoshang.common.audit import save_with_audit
from zhaoshang.common.periods import month_start, year_in_bounds
from zhaoshang.common.validation import refuse
from zhaoshang.projects.models import Project

from .models import Likelihood, ProjectExpectation

LIKELIHOOD_BY_LABEL = {label: value for value, label in Likelihood.choices}
FIELDS = {
    "expected_signing": "预计签约月份",
    "expected_registration": "预计设立月份",
    "expected_first_arrival": "预计首笔到资月份",
}


def parse_likelihood(value: str | None) -> str:
    """'高'/'中'/'低' or high/medium/low (or empty, which clears it); anything else is refused in Chinese."""
    text = (value or "").strip()
    if not text:
        return ""
    if text in LIKELIHOOD_BY_LABEL:
        return LIKELIHOOD_BY_LABEL[text]
    if text in Likelihood.values:
        return text
    raise refuse("likelihood", "落地可能性", text, "无法识别：应为 高、中 或 低")


def parse_month(value: object, *, field: str) -> date | None:
    """A month as 2020-10, 2020-10-01 or a date; empty clears it."""
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return month_start(value)
    text = str(value).strip().replace("年", "-").replace("月", "").replace("/", "-")
    parts = text.split("-")
    try:
        year, month = int(parts[0]), int(parts[1])
        if not year_in_bounds(year) or not 1 <= month <= 12:
            raise ValueError(text)
    except (ValueError, IndexError):
        raise refuse(field, FIELDS[field], value, "不是有效的月份：应写作 2020-10") from None
    return date(year, month, 1)


@transaction.atomic
def expectation_set(
    *,
    project: Project,
    actor: Any,
    expected_signing: date | None = None,
    expected_registration: date | None = None,
    expected_first_arrival: date | None = None,
    likelihood: str = "",
    note: str = "",
    reason: str = "",
) -> ProjectExpectation:
    """Set a project's expectations (all fields at once; an empty one is cleared). The project's own right applies:
    the city bureau, or the staff of the project's unit."""
    ensure_can(actor, "project.write", project.unit)
    if likelihood and likelihood not in Likelihood.values:
        raise refuse("likelihood", "落地可能性", likelihood, "无法识别：应为 高、中 或 低")
    months = {
        "expected_signing": expected_signing,
        "expected_registration": expected_registration,
        "expected_first_arrival": expected_first_arrival,
    }
    for name, value in months.items():
        if value is not None and value.day != 1:
            months[name] = month_start(value)
    order = [(k, months[k]) for k in FIELDS if months[k] is not None]
    for (a, da), (b, db) in pairwise(order):
        if da is not None and db is not None and db < da:
            raise refuse(b, FIELDS[b], f"{db:%Y-%m}", f"早于{FIELDS[a]} {da:%Y-%m}")
    if len(note) > 200:
        raise refuse("note", "说明", note[:20] + "…", "超过200字")
    exp = ProjectExpectation.objects.filter(project=project).first() or ProjectExpectation(project=project)
    created = exp.pk is None
    for name, value in months.items():
        setattr(exp, name, value)
    exp.likelihood = likelihood
    exp.note = note
    save_with_audit(exp, actor=actor, reason=reason or ("填写项目预期" if created else "修改项目预期"))
    return exp
