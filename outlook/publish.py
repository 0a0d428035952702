"""Publish a read-only snapshot of the marts that readers use instead of the warehouse.

DuckDB lets one process write; a reader holding the warehouse open would block the next
refresh. Analysts, exports and the dashboard read the snapshot, which is written to a
temporary file and swapped in with an atomic rename: a reader sees the old or the new one.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from outlook.config import Settings

SNAPSHOT_SCHEMAS = ("marts",)


@dataclass
class Published:
    """What one publish wrote (counts are rows per table / per lake month)."""

    snapshot: Path
    tables: dict[str, int] = field(default_factory=dict)
    lake: dict[str, dict[str, int]] = field(default_factory=dict)
    dashboard: Path | None = None


def publish_all(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    run_id: str,
    log: Callable[[str], None] | None = None,
) -> Published:
    """Everything a publish writes, in one place for ``refresh`` and ``outlook publish``:
    the snapshot, the postings lake, the versioned exports and the dashboard.

    The caller holds the writer lock and has run the quality gates. The exports and the
    dashboard are rendered from the new snapshot (not the warehouse), so they always show
    what readers see; before this was shared, ``outlook publish`` wrote the snapshot only
    and the dashboard kept saying "No postings" for a snapshot full of postings.
    """
    from outlook.dashboard import publish_outputs  # imports exports/charts: only when publishing
    from outlook.lake import export_postings
    from outlook.warehouse import table_exists

    done = Published(settings.snapshot_path)
    done.tables = write_snapshot(con, settings.snapshot_path, run_id)
    # postings also as month-partitioned Parquet, for readers on other engines/machines
    if table_exists(con, "raw.postings"):
        done.lake = export_postings(con, settings.publish_dir / "lake" / "postings")
    done.dashboard = publish_outputs(settings.snapshot_path, settings.publish_dir, log=log)
    return done


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
