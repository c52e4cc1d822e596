"""Named locks held to the end of the current transaction, so two pieces of work that must not interleave don't.

    import_lock(kind)        one import of a kind at a time: the second waits, then refuses with the reason
    figures_write_lock()     taken (shared) by every write to an arrival or a stage
    figures_close_lock()     taken (exclusive) by issuing a bulletin: no write is half-way while months close

On PostgreSQL these are advisory locks (pg_advisory_xact_lock / _shared), released by the commit or rollback. On
SQLite, which lets one transaction write at a time, the lock is the write of a row in `common_operationlock` at
the start of the transaction: it takes the database's write lock at once (BEGIN IMMEDIATE semantics) instead of
on the first real write, so the transaction is serialised with every other before it reads anything.
"""

from __future__ import annotations

import hashlib

from django.core.exceptions import ValidationError
from django.db import OperationalError, connection, transaction
from django.utils import timezone

DEFAULT_WAIT_SECONDS = 30.0


class LockBusy(ValidationError):
    """The lock stayed taken for the whole wait; the message says what holds it."""


def _key(name: str) -> int:
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)


def _wait_seconds() -> float:
    from django.conf import settings

    return float(getattr(settings, "ZHAOSHANG_LOCK_WAIT_SECONDS", DEFAULT_WAIT_SECONDS))


def acquire(name: str, *, shared: bool = False, busy: str, wait: float | None = None) -> None:
    """Take the named lock for the rest of the current transaction, waiting up to `wait` seconds, or refuse with
    `busy` (a Chinese sentence saying what is in progress)."""
    if not connection.in_atomic_block:
        raise RuntimeError("a named lock is held to the end of a transaction: call it inside transaction.atomic()")
    wait = _wait_seconds() if wait is None else wait
    if connection.vendor == "postgresql":
        _advisory_lock(_key(name), shared=shared, busy=busy, wait=wait)
        return
    _sqlite_row_lock(name, busy)


def _advisory_lock(key: int, *, shared: bool, busy: str, wait: float) -> None:
    # A real wait in PostgreSQL's lock manager (visible in pg_locks), bounded by lock_timeout for this statement.
    function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('lock_timeout')")
        before = cursor.fetchone()[0]
        try:
            with transaction.atomic():
                cursor.execute("SELECT set_config('lock_timeout', %s, true)", [f"{max(int(wait * 1000), 1)}ms"])
                cursor.execute(f"SELECT {function}(%s)", [key])
        except OperationalError as exc:  # lock_timeout: the savepoint's rollback also undoes the setting
            raise LockBusy(busy, code="busy") from exc
        cursor.execute("SELECT set_config('lock_timeout', %s, true)", [before])


def _sqlite_row_lock(name: str, busy: str) -> None:
    from .models import OperationLock

    try:
        with transaction.atomic():
            updated = OperationLock.objects.filter(name=name).update(taken_at=timezone.now())
            if not updated:
                OperationLock.objects.create(name=name, taken_at=timezone.now())
    except OperationalError as exc:  # "database is locked": another writer held it past the database's timeout
        raise LockBusy(busy, code="busy") from exc


def import_lock(kind: str, title: str) -> None:
    acquire(f"import:{kind}", busy=f"另一个“{title}”导入正在进行，请等它完成后再试（本次未导入任何数据）")


def figures_write_lock() -> None:
    acquire("figures", shared=True, busy="通报正在签发、月份正在关账，请稍后再保存（本次未保存）")


def figures_close_lock() -> None:
    acquire("figures", busy="有数据正在写入（导入或录入），请稍后再签发通报")
