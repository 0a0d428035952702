"""One writer at a time: an advisory lock beside the warehouse that names its holder.

DuckDB would refuse a second writer with a lock exception deep inside a load; this lock
refuses (or waits) up front, with a message naming the run that holds it.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path


class WarehouseBusy(RuntimeError):
    """Another run holds the writer lock."""


# Even without --wait a writer retries this long: a reader's probe (busy_holder) holds a
# shared lock for one system call, and must not make a writer starting that instant refuse.
PROBE_GRACE_S = 0.2


def holder(path: Path) -> str:
    """Who holds the lock, as the holder wrote it: pid, command, flow run, since."""
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
    path: Path,
    *,
    command: str,
    flow_run: str | None = None,
    wait_s: float = 0.0,
    subject: str | None = None,
    hint: str | None = None,
) -> Iterator[None]:
    """Hold the writer lock for the duration; raise ``WarehouseBusy`` if it stays taken.

    ``subject`` names what the lock guards in that message (default: the warehouse beside
    it) and ``hint`` what to do (default: wait or pass --wait); the publish folder's lock
    says "publish folder DIR"."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+")  # noqa: SIM115 - held for the duration of the context
    deadline = time.monotonic() + max(wait_s, PROBE_GRACE_S)
    try:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise WarehouseBusy(
                        busy_message(path.with_suffix(""), holder(path), hint or WAIT_HINT, subject)
                    ) from None
                time.sleep(min(0.5, max(left, 0.02)))
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


WAIT_HINT = "try again when it finishes (or pass --wait SECONDS)"


def busy_message(db: Path, who: str, hint: str = WAIT_HINT, subject: str | None = None) -> str:
    """The one line every command prints when another process is writing the warehouse (or
    the ``subject`` a lock guards)."""
    return f"{subject or f'warehouse {db}'} is being written by {who}; {hint}"


def busy_holder(path: Path) -> str | None:
    """Who holds the writer lock now, or None when it is free; never takes it.

    A shared lock attempt conflicts only with a writer's exclusive one and is dropped at
    once; a writer arriving in that instant retries (``PROBE_GRACE_S``) instead of refusing.
    """
    if not path.exists():
        return None
    with open(path) as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return holder(path)
        fcntl.flock(handle, fcntl.LOCK_UN)
    return None


def wait_until_free(path: Path, wait_s: float = 0.0) -> float:
    """Return once no writer holds the lock (seconds of ``wait_s`` left), or raise
    ``WarehouseBusy``. Lets a command fail fast before expensive start-up (Prefect's
    temporary server took 13-37 s to start only to be refused); it does not reserve the
    lock, so the writer still takes it with ``writer_lock``."""
    deadline = time.monotonic() + wait_s
    while (who := busy_holder(path)) is not None:
        if time.monotonic() >= deadline:
            raise WarehouseBusy(busy_message(path.with_suffix(""), who))
        time.sleep(0.5)
    return max(deadline - time.monotonic(), 0.0)


_DUCKDB_PID = re.compile(r"Conflicting lock is held in (?P<exe>\S+) \(PID (?P<pid>\d+)\)")


def is_duckdb_lock_error(exc: BaseException) -> bool:
    """DuckDB refused to open a database file another process holds."""
    import duckdb  # here, not at import time: `outlook --help` stays fast

    return isinstance(exc, duckdb.IOException) and "Could not set lock" in str(exc)


def duckdb_lock_holder(lock_path: Path, exc: BaseException) -> str:
    """Who holds the database DuckDB refused to open: the writer-lock holder when there is
    one, else the pid DuckDB names (a process outside the pipeline, e.g. a DuckDB shell)."""
    who = busy_holder(lock_path)
    if who is None:
        found = _DUCKDB_PID.search(str(exc))
        who = f"pid {found['pid']} ({found['exe']})" if found else "another process"
        who += ", outside the pipeline's writer lock"
    return who


def duckdb_lock_message(db: Path, lock_path: Path, exc: BaseException) -> str:
    """One line for DuckDB's lock error, in the words of ``busy_message``. --wait queues
    behind the writer lock only, so it is suggested only when a pipeline writer holds it."""
    who = duckdb_lock_holder(lock_path, exc)
    outside = who.endswith("outside the pipeline's writer lock")
    return busy_message(db, who, "try again when it closes it" if outside else WAIT_HINT)
