"""One writer at a time: an advisory lock beside the warehouse that names its holder.

DuckDB would refuse a second writer with a lock exception deep inside a load; this lock
refuses (or waits) up front, with a message naming the run that holds it.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path


class WarehouseBusy(RuntimeError):
    """Another run holds the writer lock."""


def _holder(path: Path) -> str:
    try:
        info = json.loads(path.read_text() or "{}")
    except (OSError, ValueError):
        return "another process"
    parts = [f"pid {info.get('pid')}"]
    if info.get("command"):
        parts.append(f"command {info['command']!r}")
    if info.get("flow_run"):
        parts.append(f"flow run {info['flow_run']}")
    if info.get("since"):
        parts.append(f"since {info['since']}")
    return ", ".join(parts)


@contextmanager
def writer_lock(
    path: Path, *, command: str, flow_run: str | None = None, wait_s: float = 0.0
) -> Iterator[None]:
    """Hold the writer lock for the duration; raise ``WarehouseBusy`` if it stays taken."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+")  # noqa: SIM115 - held for the duration of the context
    deadline = time.monotonic() + wait_s
    try:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise WarehouseBusy(
                        f"warehouse {path.with_suffix('')} is being written by {_holder(path)}; "
                        "try again when it finishes (or pass --wait SECONDS)"
                    ) from None
                time.sleep(0.5)
        handle.seek(0)
        handle.truncate()
        handle.write(
            json.dumps(
                {
                    "pid": os.getpid(),
                    "command": command,
                    "flow_run": flow_run,
                    "since": datetime.now(UTC).isoformat(timespec="seconds"),
                }
            )
        )
        handle.flush()
        yield
    finally:
        handle.close()  # closing releases the flock; the kernel also releases it on SIGKILL
