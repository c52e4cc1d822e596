"""A hand-written SQL floor for `stats_report`: the same per-unit figures in two plain queries, for the bench's ratio.

Per unit, for the period and the same months a year earlier: actual use, reinvested profits (arrivals), contract
capital, new projects, ≥ US$100m projects and Fortune Global 500 projects (projects introduced in the period); the
Fortune Global 500 list in force is found per project by a correlated lookup. Written once by hand against the
tables, for the installation's caliber settings, with nothing from the registry but the table names: it is what a
careful person would write for one report, and the bench checks that it gives the app's figures exactly.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

ZERO = Decimal(0)
FIELDS = (
    "actual_use",
    "actual_use_prev",
    "reinvested",
    "reinvested_prev",
    "contract",
    "contract_prev",
    "new_projects",
    "new_projects_prev",
    "over_100m",
    "over_100m_prev",
    "fortune500_projects",
    "fortune500_projects_prev",
)


def cents(v: Any) -> Decimal:
    """A money sum to the cent (SQLite sums decimals as floats; PostgreSQL's numeric is already exact)."""
    return Decimal(str(v or 0)).quantize(Decimal("0.01"))


def floor_figures(period: Any, caliber: Any) -> dict[int, dict[str, Any]]:
    from django.db import connection

    from zhaoshang.projects.models import CapitalArrival, Fortune500Entry, Fortune500List, Investor, Project

    t_arr, t_prj = CapitalArrival._meta.db_table, Project._meta.db_table
    t_link, t_inv = Project.investors.through._meta.db_table, Investor._meta.db_table
    t_entry, t_list = Fortune500Entry._meta.db_table, Fortune500List._meta.db_table
    prev = period.previous_year()
    money = "a.verified_amount_usd" if caliber.verified else "a.amount_usd"
    kinds = ", ".join(f"'{k}'" for k in caliber.counted_kinds())
    fin = ""
    if caliber.financial_caliber == "mofcom_pre_2022_05":
        fin = "AND (NOT a.is_financial OR a.month >= '2022-05-01')"
    c0, c1, p0, p1 = period.first, period.last, prev.first, prev.last
    arrivals = f"""
        SELECT p.unit_id,
          SUM(CASE WHEN a.month >= %s AND a.month <= %s AND a.kind IN ({kinds}) {fin} THEN {money} END),
          SUM(CASE WHEN a.month >= %s AND a.month <= %s AND a.kind IN ({kinds}) {fin} THEN {money} END),
          SUM(CASE WHEN a.month >= %s AND a.month <= %s AND a.kind = 'reinvested_profit' THEN {money} END),
          SUM(CASE WHEN a.month >= %s AND a.month <= %s AND a.kind = 'reinvested_profit' THEN {money} END)
        FROM {t_arr} a JOIN {t_prj} p ON p.id = a.project_id
        WHERE (a.month >= %s AND a.month <= %s) OR (a.month >= %s AND a.month <= %s)
        GROUP BY p.unit_id"""  # noqa: S608
    basis = "registered_on" if caliber.project_basis == "registered" else "signed_on"
    verified = ""
    if caliber.verified:
        verified = "AND p.registration_verified" if caliber.project_basis == "registered" else "AND p.signing_verified"
    # The list in force on a date: each list's window runs from its publication to the next list's.
    windows = f"""SELECT fl.id, fl.published_on AS since,
        LEAD(fl.published_on) OVER (ORDER BY fl.published_on) AS until FROM {t_list} fl"""  # noqa: S608
    listed = f"""SELECT w.since, w.until, e.investor_id FROM ({windows}) w
        JOIN {t_entry} e ON e.listing_id = w.id WHERE e.investor_id IS NOT NULL"""  # noqa: S608
    in_window = "p.signed_on >= m.since AND (m.until IS NULL OR p.signed_on < m.until)"
    sp, pp = period, period.previous_year()
    in_periods = (
        f"((p.{basis} >= '{sp.start_date}' AND p.{basis} <= '{sp.end_date}') "
        f"OR (p.{basis} >= '{pp.start_date}' AND p.{basis} <= '{pp.end_date}'))"
    )
    f500_ids = f"""SELECT l.project_id FROM {t_link} l JOIN {t_prj} p ON p.id = l.project_id
            JOIN ({listed}) m ON m.investor_id = l.investor_id AND {in_window} WHERE {in_periods}
        UNION SELECT l.project_id FROM {t_link} l JOIN {t_prj} p ON p.id = l.project_id
            JOIN {t_inv} i ON i.id = l.investor_id JOIN ({listed}) m ON m.investor_id = i.parent_id AND {in_window}
            WHERE {in_periods}"""  # noqa: S608
    f500 = "f.project_id IS NOT NULL"
    big = f"p.kind IN ('new', 'increase', 'reinvest') AND p.total_investment_usd >= {caliber.over_100m_usd}"
    s0, s1, q0, q1 = period.start_date, period.end_date, prev.start_date, prev.end_date
    projects = f"""
        SELECT p.unit_id,
          SUM(CASE WHEN p.{basis} >= %s AND p.{basis} <= %s THEN p.contract_foreign_usd END),
          SUM(CASE WHEN p.{basis} >= %s AND p.{basis} <= %s THEN p.contract_foreign_usd END),
          COUNT(CASE WHEN p.{basis} >= %s AND p.{basis} <= %s AND p.kind IN ('new', 'mna') THEN 1 END),
          COUNT(CASE WHEN p.{basis} >= %s AND p.{basis} <= %s AND p.kind IN ('new', 'mna') THEN 1 END),
          COUNT(CASE WHEN p.{basis} >= %s AND p.{basis} <= %s AND {big} THEN 1 END),
          COUNT(CASE WHEN p.{basis} >= %s AND p.{basis} <= %s AND {big} THEN 1 END),
          COUNT(CASE WHEN p.{basis} >= %s AND p.{basis} <= %s AND {f500} THEN 1 END),
          COUNT(CASE WHEN p.{basis} >= %s AND p.{basis} <= %s AND {f500} THEN 1 END)
        FROM {t_prj} p LEFT JOIN ({f500_ids}) f ON f.project_id = p.id
        WHERE ((p.{basis} >= %s AND p.{basis} <= %s) OR (p.{basis} >= %s AND p.{basis} <= %s)) {verified}
        GROUP BY p.unit_id"""  # noqa: S608
    out: dict[int, dict[str, Any]] = {}
    with connection.cursor() as cursor:
        cursor.execute(arrivals, [c0, c1, p0, p1, c0, c1, p0, p1, c0, c1, p0, p1])
        for unit_id, *sums in cursor.fetchall():
            row = out.setdefault(unit_id, {})
            for name, v in zip(FIELDS[:4], sums, strict=True):
                row[name] = cents(v)
        cursor.execute(projects, [s0, s1, q0, q1] * 4 + [s0, s1, q0, q1])
        for unit_id, *sums in cursor.fetchall():
            row = out.setdefault(unit_id, {})
            for name, v in zip(FIELDS[4:], sums, strict=True):
                row[name] = cents(v) if name.startswith("contract") else int(v or 0)
    return out


def check_equal(report: Any, floor: dict[int, dict[str, Any]]) -> None:
    """The floor's figures are the app's, unit by unit (a mismatch stops the bench: a ratio to a wrong floor is
    no ratio)."""
    for row in report.units:
        mine = floor.get(row.unit.pk, {})
        for name in FIELDS:
            app = getattr(row.figures, name)
            hand = mine.get(name, ZERO if isinstance(app, Decimal) else 0)
            if Decimal(app) != Decimal(hand):
                raise SystemExit(f"floor differs from the app: unit {row.unit.code} {name}: app {app}, floor {hand}")
