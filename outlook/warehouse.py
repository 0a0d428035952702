"""The DuckDB warehouse: connection, the ``meta`` bookkeeping schema, and raw-table loads.

Layers are schemas: ``raw`` (what loaders wrote, plus lineage columns), ``seeds``,
``staging``, ``intermediate``, ``marts``, ``meta`` (fetches, loads, runs, builds, checks)
``quarantine`` (rows refused, with reasons) and ``cache`` (title classifications by
classifier version).
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

SCHEMAS = ("raw", "seeds", "staging", "intermediate", "marts", "meta", "quarantine", "cache")

META_DDL = """
create table if not exists meta.runs (
    run_id varchar primary key,
    flow_run_id varchar,
    command varchar,
    started_at timestamptz,
    finished_at timestamptz,
    outcome varchar,          -- running | succeeded | failed | crashed
    message varchar,
    mirror varchar
);
create table if not exists meta.fetches (
    fetch_id varchar primary key,
    run_id varchar,
    source varchar,
    url varchar,
    origin varchar,           -- network | mirror
    status varchar,           -- downloaded | not_modified | mirror | skipped | failed
    raw_path varchar,
    sha256 varchar,
    bytes bigint,
    http_status integer,
    etag varchar,
    last_modified varchar,
    retrieved_at timestamptz,
    duration_s double,
    attempts integer,
    message varchar
);
create table if not exists meta.loads (
    load_id varchar primary key,
    run_id varchar,
    fetch_id varchar,
    source varchar,
    table_name varchar,
    release varchar,
    sha256 varchar,
    rows_read bigint,
    rows_loaded bigint,
    rows_quarantined bigint,
    rows_replaced bigint,
    started_at timestamptz,
    finished_at timestamptz,
    duration_s double,
    outcome varchar,          -- loaded | unchanged | superseded | quarantined | failed
    message varchar
);
create table if not exists meta.builds (
    run_id varchar,
    model varchar,
    layer varchar,
    row_count bigint,
    duration_s double,
    built_at timestamptz
);
create table if not exists meta.checks (
    run_id varchar,
    suite varchar,
    table_name varchar,
    success boolean,
    evaluated integer,
    failed integer,
    summary varchar,
    docs_path varchar,
    checked_at timestamptz
);
"""


def now_utc() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return uuid.uuid4().hex


# DuckDB takes 80% of RAM by default; a bounded pipeline spills to disk instead (a 10M-posting
# build reached 20 GB unbounded). Override with OUTLOOK_DUCKDB_MEMORY_LIMIT (e.g. '8GB').
DEFAULT_MEMORY_LIMIT = "1GB"


def _config() -> dict[str, str]:
    return {
        "memory_limit": os.environ.get("OUTLOOK_DUCKDB_MEMORY_LIMIT", DEFAULT_MEMORY_LIMIT),
        # order-preserving operators keep whole inputs in memory; marts sort explicitly
        "preserve_insertion_order": "false",
    }


# A writer (holding the writer lock) that finds the file locked met a reader: `outlook
# status` or `classify` reads for about a second. It retries this long before failing.
WRITE_LOCK_RETRY_S = 5.0


def connect(db: Path | str, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the warehouse, creating its folder, schemas and ``meta`` tables on first use."""
    path = Path(db)
    if read_only:
        return duckdb.connect(str(path), read_only=True, config=_config())
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + WRITE_LOCK_RETRY_S
    while True:
        try:
            con = duckdb.connect(str(path), config=_config())
            break
        except duckdb.IOException as exc:
            if "Could not set lock" not in str(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(0.2)
    for schema in SCHEMAS:
        con.execute(f"create schema if not exists {schema}")
    con.execute(META_DDL)
    return con


def connect_scratch(spill_dir: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the warehouse's settings, spilling to ``spill_dir``: for work
    that must not touch the warehouse (a posting file staged on a Dask worker)."""
    return duckdb.connect(":memory:", config={**_config(), "temp_directory": str(spill_dir)})


def connect_reader(db: Path | str, lock_path: Path) -> duckdb.DuckDBPyConnection:
    """Open the warehouse read-only for a pure reader, unless a writer holds it.

    A reader's read-only connection locks the file too: opened between two of a refresh's
    tasks it would make the writer's next connection fail. So a reader refuses with
    ``WarehouseBusy`` (naming the writer) while the writer lock is held.
    """
    from outlook.lock import WarehouseBusy, busy_holder, busy_message

    who = busy_holder(lock_path)
    if who is not None:
        raise WarehouseBusy(busy_message(Path(db), who, "try again when it finishes"))
    return connect(db, read_only=True)


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All or nothing: an exception rolls back every statement inside."""
    con.execute("begin transaction")
    try:
        yield con
    except BaseException:
        con.execute("rollback")
        raise
    con.execute("commit")


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, **frames: pd.DataFrame) -> Iterator[None]:
    """Make DataFrames queryable by name for the duration, then forget them."""
    for name, frame in frames.items():
        con.register(name, frame)
    try:
        yield
    finally:
        for name in frames:
            con.unregister(name)


def replace_table(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    """``table`` becomes exactly ``frame`` (seeds and Python models are written this way)."""
    with registered(con, _frame=frame):
        con.execute(f"create or replace table {table} as select * from _frame")


def insert_row(con: duckdb.DuckDBPyConnection, table: str, row: dict[str, object]) -> None:
    """Insert one bookkeeping row by column name (values bound as parameters)."""
    columns = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    con.execute(f"insert into {table} ({columns}) values ({marks})", list(row.values()))


def table_exists(con: duckdb.DuckDBPyConnection, qualified: str) -> bool:
    schema, name = qualified.split(".", 1)
    found = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, name],
    ).fetchone()
    return bool(found and found[0])


def ensure_table(con: duckdb.DuckDBPyConnection, qualified: str, columns: dict[str, str]) -> None:
    """Create a raw table with its declared columns plus lineage, if it does not exist yet."""
    cols = ",\n    ".join(f"{name} {sql_type}" for name, sql_type in columns.items())
    con.execute(
        f"""create table if not exists {qualified} (
    {cols},
    _release varchar,
    _load_id varchar,
    _source_file varchar,
    _loaded_at timestamptz
)"""
    )


@dataclass(frozen=True)
class LoadOutcome:
    outcome: str  # loaded | unchanged | superseded
    rows_loaded: int
    rows_replaced: int
    message: str


def previous_load(
    con: duckdb.DuckDBPyConnection, source: str, sha256: str
) -> tuple[str, str] | None:
    """The (load_id, release) of an earlier successful load of these exact bytes, if any."""
    row = con.execute(
        """select load_id, release from meta.loads
        where source = ? and sha256 = ? and outcome = 'loaded'
        order by finished_at desc limit 1""",
        [source, sha256],
    ).fetchone()
    return (row[0], row[1]) if row else None


def latest_release(con: duckdb.DuckDBPyConnection, table: str) -> str | None:
    row = con.execute(f"select max(_release) from {table}").fetchone()
    return row[0] if row else None


def replace_rows(
    con: duckdb.DuckDBPyConnection,
    table: str,
    frame: pd.DataFrame,
    *,
    release: str,
    mode: str,
    load_id: str,
    source_file: str,
) -> LoadOutcome:
    """Write one parsed file into its raw table; the caller wraps this in a transaction.

    ``mode='release'``: the file is one release among several (OEWS M2023, M2024):
    its rows replace that release's rows only. ``mode='snapshot'``: every file is a full
    vintage of the same series (Indeed): a newer vintage replaces the table's rows, an
    older one changes nothing.
    """
    if mode == "snapshot":
        current = latest_release(con, table)
        if current is not None and current > release:
            return LoadOutcome("superseded", 0, 0, f"warehouse holds newer vintage {current}")
        where, params = "true", []
    elif mode == "release":
        where, params = "_release = ?", [release]
    else:
        raise ValueError(f"unknown load mode {mode!r}")
    replaced = con.execute(f"select count(*) from {table} where {where}", params).fetchone()[0]
    con.execute(f"delete from {table} where {where}", params)
    with registered(con, _incoming=frame):
        con.execute(
            f"""insert into {table} by name
            select *, ? as _release, ? as _load_id, ? as _source_file, ? as _loaded_at
            from _incoming""",
            [release, load_id, source_file, now_utc()],
        )
    return LoadOutcome("loaded", len(frame), int(replaced), f"release {release}")


class LoadClock:
    """What every ``meta.loads`` row shares, plus the start time to measure duration from."""

    def __init__(self, run_id: str, source: str, table: str, sha256: str, **extra: object):
        self.started = time.monotonic()
        self.base: dict[str, object] = {
            "run_id": run_id,
            "source": source,
            "table_name": table,
            "sha256": sha256,
            "started_at": now_utc(),
            **extra,
        }

    def record(
        self,
        con: duckdb.DuckDBPyConnection,
        outcome: str,
        message: str,
        *,
        load_id: str | None = None,
        release: str | None = None,
        rows_read: int = 0,
        rows_loaded: int = 0,
        rows_quarantined: int = 0,
        rows_replaced: int = 0,
    ) -> str:
        """Write the ``meta.loads`` row (inside the caller's transaction when there is one)."""
        row = {
            **self.base,
            "load_id": load_id or new_id(),
            "outcome": outcome,
            "message": message[:4000],
            "rows_read": rows_read,
            "rows_loaded": rows_loaded,
            "rows_quarantined": rows_quarantined,
            "rows_replaced": rows_replaced,
            "finished_at": now_utc(),
            "duration_s": time.monotonic() - self.started,
        }
        if release is not None:
            row["release"] = release
        insert_row(con, "meta.loads", row)
        return str(row["load_id"])
