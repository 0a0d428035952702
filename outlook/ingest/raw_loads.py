"""Load one fetched file into its raw table, all or nothing, and record it in ``meta``.

Parsing happens before the transaction opens, so a bad file never touches the warehouse;
the ``meta.loads`` row is written in the same transaction as the data, so a load is either
recorded and present or neither.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from outlook.ingest.fetch import FetchError, FetchResult, Validators, redact_url
from outlook.ingest.sources.base import FileSource
from outlook.quality import QualityGateFailed, gx_dir_for, previous_rows, validate_batch
from outlook.warehouse import (
    LoadClock,
    ensure_table,
    insert_row,
    new_id,
    now_utc,
    previous_load,
    replace_rows,
    transaction,
)
from transforms.errors import MemberAbsent, SourceFormatError


@dataclass(frozen=True)
class LoadReport:
    source: str
    outcome: str  # loaded | unchanged | superseded | failed | skipped
    release: str | None
    rows_loaded: int
    message: str


def record_fetch(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    source: FileSource | str,
    result: FetchResult | None,
    *,
    url: str | None = None,
    status: str | None = None,
    message: str = "",
    redact: Callable[[str], str] = redact_url,
) -> str:
    """One ``meta.fetches`` row per attempt, including skipped and failed ones.

    ``source`` is a file source, or an API source's name with the ``url`` requested;
    ``redact`` blanks credentials in the URL and message before they are stored.
    """
    fetch_id = new_id()
    name = source if isinstance(source, str) else source.name
    requested = url if url is not None else source.url  # type: ignore[union-attr]
    row: dict[str, object] = {
        "fetch_id": fetch_id,
        "run_id": run_id,
        "source": name,
        "url": redact(requested),
        "message": redact(message),
        "retrieved_at": now_utc(),
        "status": status,
    }
    if result is not None:
        row.update(
            origin=result.origin,
            status=status or result.status,
            raw_path=str(result.path),
            sha256=result.sha256,
            bytes=result.size,
            http_status=result.http_status,
            etag=result.etag,
            last_modified=result.last_modified,
            retrieved_at=result.retrieved_at,
            duration_s=result.duration_s,
            attempts=result.attempts,
        )
    insert_row(con, "meta.fetches", row)
    return fetch_id


def last_validators(con: duckdb.DuckDBPyConnection, source: FileSource) -> Validators | None:
    """Validators of the last good network fetch of this URL, for a conditional GET."""
    row = con.execute(
        """select etag, last_modified, raw_path, sha256 from meta.fetches
        where url = ? and origin = 'network' and status in ('downloaded', 'not_modified')
        order by retrieved_at desc limit 1""",
        [redact_url(source.url)],
    ).fetchone()
    if not row:
        return None
    return Validators(etag=row[0], last_modified=row[1], raw_path=Path(row[2]), sha256=row[3])


def load_fetched(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    source: FileSource,
    fetched: FetchResult,
    fetch_id: str,
) -> LoadReport:
    """Parse and load one fetched file; identical bytes already loaded are a no-op."""
    clock = LoadClock(run_id, source.name, source.table, fetched.sha256, fetch_id=fetch_id)
    earlier = previous_load(con, source.name, fetched.sha256)
    if earlier is not None:
        message = f"same file already loaded (release {earlier[1]})"
        clock.record(con, "unchanged", message, release=earlier[1])
        return LoadReport(source.name, "unchanged", earlier[1], 0, message)

    location = redact_url(source.url)
    try:
        frame = source.parse(fetched.path, location)
        missing = [c for c in source.columns if c not in frame.columns]
        if missing:
            raise SourceFormatError(location, f"parser returned no column(s) {missing}")
        frame = frame[list(source.columns)]
        release = source.release(frame, source.url)
        # Quality gate before the transaction: a refused batch never touches the tables.
        validate_batch(
            source.name,
            frame,
            previous_rows=previous_rows(con, source.name),
            gx_dir=gx_dir_for(con),  # kept for the Data Docs beside the warehouse
            run_name=run_id,
        )
    except MemberAbsent as exc:
        clock.record(con, "skipped", str(exc))
        return LoadReport(source.name, "skipped", None, 0, str(exc))
    except (SourceFormatError, FetchError, QualityGateFailed) as exc:
        clock.record(con, "failed", str(exc))
        raise

    load_id = new_id()
    with transaction(con):
        ensure_table(con, source.table, source.columns)
        outcome = replace_rows(
            con,
            source.table,
            frame,
            release=release,
            mode=source.mode,
            load_id=load_id,
            source_file=str(fetched.path),
        )
        clock.record(
            con,
            outcome.outcome,
            outcome.message,
            load_id=load_id,
            release=release,
            rows_read=len(frame),
            rows_loaded=outcome.rows_loaded,
            rows_replaced=outcome.rows_replaced,
        )
    return LoadReport(source.name, outcome.outcome, release, outcome.rows_loaded, outcome.message)
