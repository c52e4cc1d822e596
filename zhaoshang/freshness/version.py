"""The figures' version: raised in the same transaction by every write that can move a figure, read by caches.

Writers only ever add a row (`FigureChange`), never update a shared one, so a long import does not hold a lock that
every other writer would queue behind; the version is the sum of the rows' `n` as the reader's snapshot sees it,
which grows by one with every committed change and never goes back (a rolled-back change leaves nothing). A
transaction adds its row once, however many rows it writes. The rows are folded into one now and then (the sum is
kept), so reading the version stays a one-row scan.

The version is compared only within one epoch (`FiguresEpoch`): an emptied and refilled database draws a new token,
so a cache that outlived it (Redis, the cache directory) cannot answer for the new data with the old figures.
"""

from __future__ import annotations

from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction

from .models import FigureChange, FiguresEpoch

# Rows beyond which reading the version folds them into one.
COMPACT_AFTER = 500
_MARKER = "_zhaoshang_figures_marker"


def figures_changed(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """Record that something a figure is computed from changed, inside the caller's transaction (if any)."""
    conn = connections[using]
    if conn.in_atomic_block:
        marker = getattr(conn, _MARKER, None)
        # Our on-commit marker is still queued exactly as long as this transaction's row is alive: a rollback (of
        # the transaction or of the savepoint that added it) drops both.
        if marker is not None and any(entry[1] is marker for entry in conn.run_on_commit):
            return
        FigureChange.objects.using(using).create()

        def marker() -> None:
            """Marks this transaction's change row (does nothing when run)."""

        setattr(conn, _MARKER, marker)
        transaction.on_commit(marker, using=using)
        return
    FigureChange.objects.using(using).create()


def forget_transaction_marker(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """Let the next `figures_changed` in this transaction add its own row (tests that check each write path inside
    one test transaction)."""
    setattr(connections[using], _MARKER, None)


def figures_version(*, using: str = DEFAULT_DB_ALIAS) -> str:
    """The version as `epoch:count`; one query (a second, once, to draw the epoch of an emptied database)."""
    qn = connections[using].ops.quote_name
    epoch, change = qn(FiguresEpoch._meta.db_table), qn(FigureChange._meta.db_table)
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT token FROM {epoch} WHERE id = 1), "  # noqa: S608 (quoted table names only)
            f"(SELECT COALESCE(SUM(n), 0) FROM {change}), (SELECT COUNT(*) FROM {change})"
        )
        token, total, rows = cursor.fetchone()
    if token is None:
        token = FiguresEpoch.objects.using(using).get_or_create(pk=1)[0].token
    if rows > COMPACT_AFTER and not connections[using].in_atomic_block:
        compact(using=using)
    return f"{token}:{total}"


def compact(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """Fold the change rows into one holding their sum: the version stays what it was. Rows a concurrent
    transaction has not yet committed are left alone (the DELETE does not see them) and count when it commits."""
    conn = connections[using]
    table = conn.ops.quote_name(FigureChange._meta.db_table)
    with transaction.atomic(using=using):
        top = FigureChange.objects.using(using).order_by("-id").values_list("id", flat=True).first()
        if top is None:
            return
        with conn.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE id <= %s RETURNING n", [top])  # noqa: S608
            folded: list[Any] = cursor.fetchall()
        FigureChange.objects.using(using).create(n=sum(row[0] for row in folded))
