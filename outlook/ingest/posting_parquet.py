"""Posting files staged on Dask workers and handed to the single writer as Parquet.

A worker keeps the file in the raw store, then stages and enriches it exactly as the serial
load does (``posting_files.stage_postings``), on a scratch in-memory DuckDB: workers never
open the warehouse. It writes the enriched rows as month-partitioned Parquet
(``rows/month=YYYY-MM/``, ``rows/month=undated/`` for rows without a posted date, hive
layout as the lake) and the quarantine rows beside them, in a folder of its own under the
run's staging area, and returns a ``StagedParquet``: a few paths and counts.

The writer reads the Parquet back into the same staged tables (``_enriched``,
``_canon_quarantine``) and runs the same ``write_staged``: gate, rows, quarantine and the
``meta.loads`` row in one transaction.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from outlook.ingest.posting_files import (
    PostingsFile,
    PostingsLoad,
    keep_postings_file,
    load_identified,
    record_if_loaded,
    recording_failure,
    stage_postings,
    write_staged,
)
from outlook.warehouse import LoadClock, connect_scratch

ROWS = "rows"
QUARANTINE = "quarantine.parquet"
SPILL = ".spill"


@dataclass(frozen=True)
class StagedParquet:
    """What a worker hands back to the writer (small: it travels through the scheduler)."""

    file: PostingsFile
    kept: Path  # the raw-store copy the rows' file_path names
    folder: Path
    rows_read: int
    rows: int
    quarantined: int
    months: dict[str, int]  # rows per partition


def stage_to_parquet(file: PostingsFile, raw_dir: Path, folder: Path) -> StagedParquet:
    """Keep, stage and enrich one file, and write what the writer needs to ``folder``."""
    kept = keep_postings_file(file, raw_dir)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with connect_scratch(folder / SPILL) as con:
            rows_read = stage_postings(con, file, kept)
            months = _write_rows(con, folder / ROWS)
            _copy(con, "select * from _canon_quarantine", folder / QUARANTINE)
            quarantined = con.execute("select count(*) from _canon_quarantine").fetchall()[0][0]
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)  # half-written: nothing in it to look at
        raise
    shutil.rmtree(folder / SPILL, ignore_errors=True)
    return StagedParquet(file, kept, folder, rows_read, sum(months.values()), quarantined, months)


def _write_rows(con: duckdb.DuckDBPyConnection, target: Path) -> dict[str, int]:
    month = "coalesce(strftime(posted_date, '%Y-%m'), 'undated')"
    months = dict(
        con.execute(f"select {month}, count(*) from _enriched group by 1 order by 1").fetchall()
    )
    if not months:
        # no partition would be written, and the writer needs the columns all the same
        target.mkdir(parents=True, exist_ok=True)
        _copy(con, "select * from _enriched", target / "empty.parquet")
        return {}
    # the partition column is kept out of the files: they hold exactly _enriched's columns
    _copy(con, f"select *, {month} as month from _enriched", target, "partition_by (month)")
    return months


def _copy(con: duckdb.DuckDBPyConnection, query: str, target: Path, options: str = "") -> None:
    extra = f", {options}" if options else ""
    con.execute(f"copy ({query}) to {_literal(target)} (format parquet{extra})")


def read_staged(con: duckdb.DuckDBPyConnection, staged: StagedParquet) -> None:
    """``_enriched`` and ``_canon_quarantine`` again, on the writer's connection."""
    rows = _literal(staged.folder / ROWS / "**" / "*.parquet")
    con.execute(
        "create or replace temp table _enriched as select * from "
        f"read_parquet({rows}, hive_partitioning = false)"
    )
    con.execute(
        "create or replace temp table _canon_quarantine as select * from "
        f"read_parquet({_literal(staged.folder / QUARANTINE)})"
    )


def load_staged_file(
    con: duckdb.DuckDBPyConnection,
    file: PostingsFile,
    clock: LoadClock,
    staged: Callable[[], StagedParquet] | None,
    raw_dir: Path,
) -> PostingsLoad:
    """Load one file a worker staged (``staged`` waits for it). None: the file was not sent
    (its bytes were loaded before, or sent already in this run), so it loads as serially,
    which makes it a no-op once those bytes are loaded. A staging error is this file's
    failure, recorded as serially."""
    if staged is None:
        return load_identified(con, file, clock, raw_dir)
    unchanged = record_if_loaded(con, file, clock)
    if unchanged is not None:
        _discard(staged)
        return unchanged
    label = str(file.path)
    with recording_failure(con, clock, label):
        got = staged()
        read_staged(con, got)
    load = write_staged(con, clock, label, got.kept, got.rows_read)
    shutil.rmtree(got.folder, ignore_errors=True)  # kept only when the load failed
    return load


def _discard(staged: Callable[[], StagedParquet]) -> None:
    """Wait for a staging the writer no longer needs, and remove what it wrote."""
    try:
        folder = staged().folder
    except Exception:  # a failed staging removes its own folder, and is moot here
        return
    shutil.rmtree(folder, ignore_errors=True)


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"
