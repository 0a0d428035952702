"""``meta.runs``: one row per writing command (refresh, ingest, build, publish).

Every writer records itself the same way, so ``outlook status`` shows CLI runs beside
refreshes. Callers hold the writer lock: that is what makes the 'crashed' sweep safe (no
other run can be genuinely running while we hold it).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from outlook.config import Settings
from outlook.warehouse import connect, insert_row, now_utc

CRASHED_MESSAGE = "ended without finishing (killed or crashed); the next run redid its work"


def start_run(
    settings: Settings, run_id: str, command: str, *, flow_run_id: str | None = None
) -> None:
    """Record ``run_id`` as running; any run still 'running' died mid-way (we hold the lock)."""
    from outlook.ingest.fetch import sweep_incoming

    sweep_incoming(settings.raw_dir)  # partial downloads of a killed run
    with connect(settings.db) as con:
        con.execute(
            "update meta.runs set outcome = 'crashed', finished_at = ?, message = ? "
            "where outcome = 'running'",
            [now_utc(), CRASHED_MESSAGE],
        )
        insert_row(
            con,
            "meta.runs",
            {
                "run_id": run_id,
                "flow_run_id": flow_run_id,
                "command": command,
                "started_at": now_utc(),
                "outcome": "running",
                "mirror": str(settings.mirror) if settings.mirror else None,
            },
        )


def finish_run(settings: Settings, run_id: str, errors: Sequence[str]) -> None:
    """Close the run: 'failed' with every error joined, or 'succeeded'."""
    with connect(settings.db) as con:
        con.execute(
            "update meta.runs set finished_at = ?, outcome = ?, message = ? where run_id = ?",
            [now_utc(), "failed" if errors else "succeeded", "; ".join(errors)[:4000], run_id],
        )


@contextmanager
def recorded_run(settings: Settings, run_id: str, command: str) -> Iterator[list[str]]:
    """Start the run, yield a list the caller appends errors to, finish it.

    An exception is recorded as the run's failure and re-raised; a KeyboardInterrupt too,
    so an interrupted command is 'failed' rather than left 'running' until the next sweep.
    """
    errors: list[str] = []
    start_run(settings, run_id, command)
    try:
        yield errors
    except BaseException as exc:
        errors.append(str(exc) or type(exc).__name__)
        finish_run(settings, run_id, errors)
        raise
    finish_run(settings, run_id, errors)
