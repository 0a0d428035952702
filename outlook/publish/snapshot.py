"""Publish a read-only snapshot of the marts that readers use instead of the warehouse.

DuckDB lets one process write; a reader holding the warehouse open would block the next
refresh. Analysts, exports and the dashboard read the snapshot, which is written to a
temporary file and swapped in with an atomic rename: a reader sees the old or the new one.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

SNAPSHOT_SCHEMAS = ("marts",)


def write_snapshot(con: duckdb.DuckDBPyConnection, target: Path, run_id: str) -> dict[str, int]:
    """Copy every mart table into a new DuckDB file at ``target`` (atomically replaced)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    # Half-written snapshots of killed runs (the caller holds the writer lock).
    for stale in target.parent.glob(f".{target.name}.*.tmp*"):
        stale.unlink()
    tmp = target.with_name(f".{target.name}.{run_id}.tmp")
    tables = con.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_schema in ('marts') and table_type = 'BASE TABLE' "
        "order by table_schema, table_name"
    ).fetchall()
    counts: dict[str, int] = {}
    con.execute(f"attach '{_quote(tmp)}' as snapshot_out")
    try:
        for schema, name in tables:
            con.execute(f"create schema if not exists snapshot_out.{schema}")
            con.execute(
                f"create table snapshot_out.{schema}.{name} as select * from {schema}.{name}"
            )
            counts[f"{schema}.{name}"] = con.execute(
                f"select count(*) from snapshot_out.{schema}.{name}"
            ).fetchone()[0]
        con.execute(
            "create table snapshot_out.main.snapshot_info as "
            "select ? as run_id, now() as published_at",
            [run_id],
        )
    finally:
        con.execute("detach snapshot_out")
    os.chmod(tmp, 0o444)
    os.replace(tmp, target)
    return counts


def open_snapshot(path: Path) -> duckdb.DuckDBPyConnection:
    """Readers open the snapshot read-only; it is never written in place."""
    if not path.exists():
        raise FileNotFoundError(f"no published snapshot at {path}: run `outlook refresh` first")
    return duckdb.connect(str(path), read_only=True)


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")
