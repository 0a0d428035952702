"""Partitioned Parquet staging: ``<lake>/<source>/month=YYYY-MM/*.parquet`` (hive layout).

The warehouse has one writer; the lake has none to wait for. Workers on other machines
can write a source's files side by side, and DuckDB (or Spark, Trino, Polars) reads them
back with ``hive_partitioning`` and prunes by month. Each export replaces one source's
folder as a whole, via a temporary folder and a rename, so a reader lists the old set or
the new one.
"""

from __future__ import annotations

import re
import shutil
import uuid
from pathlib import Path

import duckdb

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")


def export_partitioned(
    con: duckdb.DuckDBPyConnection,
    table: str,
    date_column: str,
    lake_dir: Path,
    source: str,
    where: str = "true",
) -> dict[str, int]:
    """Write ``table`` to ``lake_dir/source/month=YYYY-MM/``; return rows per month."""
    for name in (table, date_column, source):
        if not _NAME.match(name):
            raise ValueError(f"not a plain identifier: {name!r}")
    target = lake_dir / source
    tmp = lake_dir / f".{source}.{uuid.uuid4().hex[:8]}.tmp"
    query = (
        f"select *, strftime({date_column}, '%Y-%m') as month from {table} "
        f"where {date_column} is not null and ({where})"
    )
    lake_dir.mkdir(parents=True, exist_ok=True)
    try:
        con.execute(
            f"copy ({query}) to '{_quote(tmp)}' "
            "(format parquet, partition_by (month), compression zstd)"
        )
        counts = dict(
            con.execute(f"select month, count(*) from ({query}) group by 1 order by 1").fetchall()
        )
        swap_folder(tmp, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return counts


def swap_folder(new: Path, target: Path) -> None:
    """Put folder ``new`` in ``target``'s place by renames: readers list the old or the new."""
    old = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.old")
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")


def export_postings(
    con: duckdb.DuckDBPyConnection, lake_dir: Path, table: str = "raw.postings"
) -> dict[str, dict[str, int]]:
    """Every posting source to ``lake_dir/<source>/month=YYYY-MM/`` by ``posted_date``."""
    sources = [r[0] for r in con.execute(f"select distinct source from {table}").fetchall()]
    out: dict[str, dict[str, int]] = {}
    for source in sources:
        folder = re.sub(r"[^A-Za-z0-9_.]", "_", source or "unknown")
        literal = (source or "").replace("'", "''")
        out[folder] = export_partitioned(
            con, table, "posted_date", lake_dir, folder, where=f"source = '{literal}'"
        )
    return out
