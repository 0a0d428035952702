"""Publish a read-only snapshot of the marts that readers use instead of the warehouse.

DuckDB lets one process write; a reader holding the warehouse open would block the next
refresh. Analysts, exports and the dashboard read the snapshot, which is written to a
temporary file and swapped in with an atomic rename: a reader sees the old or the new one.

The snapshot is written in an older DuckDB storage format (``Settings.
snapshot_storage_version``, default v1.0.0) so DuckDB 1.x - still bundled by BI drivers and
CLIs - opens it; every mart table and column carries its description as a ``COMMENT``; and
the run record (``meta.runs``) and the quality checks (``meta.checks``) travel with it.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from outlook.config import DEFAULT_SNAPSHOT_STORAGE_VERSION, parse_storage_version

SNAPSHOT_SCHEMAS = ("marts",)
# Published beside the marts: which runs made the data and what the gates said of it.
META_TABLES = ("meta.checks", "meta.runs")


class SnapshotStorageError(ValueError):
    """DuckDB does not know the configured snapshot storage version."""


def published_tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(schema, table) of every mart table, then the published meta tables that exist."""
    rows = con.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_catalog = current_database() and table_type = 'BASE TABLE' "
        "and (table_schema = 'marts' or table_schema || '.' || table_name in "
        f"({', '.join(repr(t) for t in META_TABLES)})) "
        "order by table_schema = 'meta', table_schema, table_name"
    ).fetchall()
    return [(schema, name) for schema, name in rows]


def write_snapshot(
    con: duckdb.DuckDBPyConnection,
    target: Path,
    run_id: str,
    *,
    storage_version: str = DEFAULT_SNAPSHOT_STORAGE_VERSION,
    warehouse: Path | None = None,
) -> dict[str, int]:
    """Copy every mart table (and ``META_TABLES``) into a new DuckDB file at ``target``
    (atomically replaced), in ``storage_version``'s format, with the marts' comments; return
    rows per table. ``snapshot_info`` names the run, the time, the warehouse and the format.
    """
    from outlook.publish.mart_docs import apply_comments

    target.parent.mkdir(parents=True, exist_ok=True)
    # Half-written snapshots of killed runs (the caller holds the writer lock).
    for stale in target.parent.glob(f".{target.name}.*.tmp*"):
        stale.unlink()
    tmp = target.with_name(f".{target.name}.{run_id}.tmp")
    storage_version = parse_storage_version(storage_version)  # formatted into the SQL below
    tables = published_tables(con)
    counts: dict[str, int] = {}
    try:
        con.execute(f"attach '{_quote(tmp)}' as snapshot_out (storage_version '{storage_version}')")
    except duckdb.InvalidInputException as exc:
        raise SnapshotStorageError(
            f"snapshot storage version {storage_version!r} (OUTLOOK_SNAPSHOT_STORAGE_VERSION) "
            f"is not one DuckDB {duckdb.__version__} can write: use vX.Y.Z of a released "
            "DuckDB (e.g. v1.0.0) or latest"
        ) from exc
    try:
        for schema, name in tables:
            con.execute(f"create schema if not exists snapshot_out.{schema}")
            con.execute(
                f"create table snapshot_out.{schema}.{name} as select * from {schema}.{name}"
            )
            counts[f"{schema}.{name}"] = con.execute(
                f"select count(*) from snapshot_out.{schema}.{name}"
            ).fetchone()[0]
        apply_comments(con, "snapshot_out")
        con.execute(
            "create table snapshot_out.main.snapshot_info as select ? as run_id, "
            "now() as published_at, ? as warehouse, ? as storage_version",
            [run_id, str(warehouse.resolve()) if warehouse else None, storage_version],
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


def snapshot_info(con: duckdb.DuckDBPyConnection) -> dict[str, object]:
    """The snapshot's ``snapshot_info`` row (older snapshots lack the warehouse and format;
    a hand-made one may lack the table: empty)."""
    present = con.execute(
        "select count(*) from duckdb_tables() where database_name = current_database() "
        "and schema_name = 'main' and table_name = 'snapshot_info'"
    ).fetchone()[0]
    if not present:
        return {}
    cursor = con.execute("select * from main.snapshot_info")
    names = [d[0] for d in cursor.description]
    row = cursor.fetchone()
    return dict(zip(names, row, strict=True)) if row else {}


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")
