"""Reading an uploaded file in a child process with a memory and a time limit, so a file that slips past the
pre-scan can at worst end that child: the site, the worker and the command stay up and say 「文件无法安全读取」.

    read_isolated(source, kind=None, limits=None) -> Table

`source` is the file's bytes or its path; `kind` is the import kind (only named in the log); `limits` defaults to
the settings IMPORT_READ_MEMORY_BYTES (1.5 GB address space, RLIMIT_AS) and IMPORT_READ_SECONDS (120 s, enforced
as CPU time in the child and as wall time by the parent, which kills it). The child runs `read_table` — the same
pre-scan and calamine reading as in-process — and sends back the Table or the Chinese refusal. The child is a
fresh interpreter (`python -m zhaoshang.imports.isolation`), not a fork: nothing of Django, the database
connection or the request is shared with it.
"""

from __future__ import annotations

import logging
import os
import pickle
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ImportRefused, RowError
from .reader import MAX_FILE_BYTES, Table, read_table

logger = logging.getLogger(__name__)

DEFAULT_MEMORY_BYTES = 1536 * 1024 * 1024
DEFAULT_SECONDS = 120.0
UNSAFE = "文件无法安全读取"


@dataclass(frozen=True)
class ReadLimits:
    memory_bytes: int = DEFAULT_MEMORY_BYTES
    seconds: float = DEFAULT_SECONDS
    # False only in the tests that prove the limits hold on their own, with the pre-scan out of the way.
    prescan: bool = True

    @classmethod
    def from_settings(cls) -> ReadLimits:
        from django.conf import settings

        return cls(
            memory_bytes=int(getattr(settings, "IMPORT_READ_MEMORY_BYTES", DEFAULT_MEMORY_BYTES)),
            seconds=float(getattr(settings, "IMPORT_READ_SECONDS", DEFAULT_SECONDS)),
        )


def unsafe(reason: str) -> ImportRefused:
    return ImportRefused([], f"{UNSAFE}：{reason}。未导入任何数据；请在 Excel 中打开后另存为 .xlsx，或拆分后再导入")


def read_isolated(source: bytes | str | Path, kind: str | None = None, limits: ReadLimits | None = None) -> Table:
    """The file read in a limited child process: its Table, or ImportRefused (the reader's own message, or
    「文件无法安全读取」 when the child ran out of memory or time or died)."""
    limits = limits or ReadLimits.from_settings()
    if isinstance(source, bytes):
        data = source
    else:
        path = Path(source)
        if not path.is_file():
            return read_table(path)  # the reader's own message for a missing file or a folder
        if path.stat().st_size > MAX_FILE_BYTES:
            return read_table(path)
        data = path.read_bytes()
    command = [
        sys.executable,
        "-m",
        "zhaoshang.imports.isolation",
        str(limits.memory_bytes),
        str(limits.seconds),
        "1" if limits.prescan else "0",
    ]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join([root, *filter(None, [os.environ.get("PYTHONPATH")])])
    try:
        done = subprocess.run(  # noqa: S603 - our own interpreter and module; no user text on the command line
            command, input=data, capture_output=True, timeout=limits.seconds, env=env, check=False
        )
    except subprocess.TimeoutExpired:
        logger.warning("reading a %s file took longer than %g s; the child was stopped", kind or "", limits.seconds)
        raise unsafe(f"读取超过 {limits.seconds:g} 秒的时限") from None
    if done.returncode != 0 or not done.stdout:
        logger.warning(
            "reading a %s file ended the child (status %s): %s",
            kind or "",
            done.returncode,
            done.stderr[-2000:].decode("utf-8", "replace"),
        )
        if done.returncode in (-9, -24, 152, 137):  # SIGKILL / SIGXCPU: the time limit
            raise unsafe(f"读取超过 {limits.seconds:g} 秒的时限")
        raise unsafe(f"读取时超过 {limits.memory_bytes // (1024 * 1024)} MB 的内存上限或读取程序异常退出")
    try:
        outcome, payload = pickle.loads(done.stdout)  # noqa: S301 - written by our own child just now
    except Exception:
        raise unsafe("读取程序返回的结果不完整") from None
    if outcome == "refused":
        summary, errors = payload
        raise ImportRefused([RowError(*e) for e in errors], summary)
    if not isinstance(payload, Table):
        raise unsafe("读取程序返回的结果不完整")
    return payload


def _limit_self(memory_bytes: int, seconds: float) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    cpu = max(int(seconds + 0.999), 1)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))


def _child(argv: list[str]) -> int:
    memory_bytes, seconds, prescan = int(argv[0]), float(argv[1]), argv[2] == "1"
    _limit_self(memory_bytes, seconds)
    data = sys.stdin.buffer.read()
    result: tuple[str, Any]
    try:
        if prescan:
            table = read_table(data)
        else:
            from . import reader

            reader.check_zip = lambda data, fmt: None  # type: ignore[assignment]
            reader.check_xls = lambda data: None  # type: ignore[assignment]
            table = reader.read_table(data)
        result = ("table", table)
    except ImportRefused as exc:
        result = ("refused", (exc.summary, [(e.row, e.column, e.value, e.reason, e.col) for e in exc.errors]))
    sys.stdout.buffer.write(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1:]))
