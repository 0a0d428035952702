"""Load posting files (file drops) into ``raw.postings``, bad records into quarantine.

One file is one load: its bytes are kept in the raw store, it is read with a mapping
profile, enriched (ids, normalised title/employer/place, salary, industry), checked, and
written with its quarantine rows and its ``meta.loads`` row in one transaction. The same
bytes again are a no-op; counts reconcile: rows read = loaded + quarantined.
"""

from __future__ import annotations

import glob
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from outlook.config import EMPLOYER_NAICS_TABLE, NAICS_SECTORS_TABLE, PROFILES_DIR
from outlook.ingest.fetch import keep_dropped_file
from outlook.quality import validate_staged_batch
from outlook.warehouse import (
    LoadClock,
    ensure_table,
    new_id,
    now_utc,
    previous_load,
    registered,
    transaction,
)

POSTINGS_TABLE = "raw.postings"
QUARANTINE_TABLE = "quarantine.postings"

_TEXT = (
    "source source_id title_raw employer_raw location_raw city state country naics_code_raw "
    "industry_text salary_text salary_period_raw currency_raw description file_path "
    "file_sha256 posting_row_id posting_id title_normalised employer_normalised salary_period "
    "salary_currency salary_status salary_reason naics_code naics_sector industry_method "
    "industry_reason description_hash posted_date_precision"
)
_DOUBLE = (
    "salary_min_raw salary_max_raw salary_min salary_max annual_salary_min annual_salary_max "
    "annual_salary_mid industry_confidence"
)
POSTINGS_COLUMNS: dict[str, str] = {
    **{name: "varchar" for name in _TEXT.split()},
    **{name: "double" for name in _DOUBLE.split()},
    "posted_date": "date",
    "close_date": "date",
    "row_number": "bigint",
}
QUARANTINE_COLUMNS: dict[str, str] = {
    "source": "varchar",
    "file_path": "varchar",
    "file_sha256": "varchar",
    "row_number": "bigint",
    "reason": "varchar",
    "raw_record": "varchar",
}


@dataclass(frozen=True)
class PostingsLoad:
    file: str
    source: str
    outcome: str  # loaded | unchanged | quarantined (rows were read, none could be loaded)
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    message: str


def expand_paths(patterns: list[str]) -> list[Path]:
    """Files named directly, matched by a glob, or found in a folder (sorted, no repeats)."""
    found: list[Path] = []
    for pattern in patterns:
        path = Path(pattern)
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
        elif any(ch in pattern for ch in "*?["):
            found += sorted(Path(p) for p in glob.glob(pattern) if Path(p).is_file())
        elif path.is_file():
            found.append(path)
        else:
            raise FileNotFoundError(f"{pattern}: no such file, folder or matching files")
    unique: dict[Path, None] = dict.fromkeys(p.resolve() for p in found)
    return list(unique)


def ensure_postings_tables(con: duckdb.DuckDBPyConnection) -> None:
    ensure_table(con, POSTINGS_TABLE, POSTINGS_COLUMNS)
    # Warehouses created before dates carried their precision: NULL reads as 'day' in
    # staging (the only precision those loaders produced, though year-only H-1B rows loaded
    # then stay 'day' until the file is loaded again into a new warehouse).
    con.execute(
        f"alter table {POSTINGS_TABLE} add column if not exists posted_date_precision varchar"
    )
    con.execute(
        f"create table if not exists {QUARANTINE_TABLE} ("
        + ", ".join(f"{k} {v}" for k, v in QUARANTINE_COLUMNS.items())
        + ", load_id varchar, quarantined_at timestamptz)"
    )


@dataclass(frozen=True)
class PostingsFile:
    """A posting file to load: what the writer knows of it before anything is read."""

    path: Path
    profile_name: str
    profile_source: str
    sha256: str

    @property
    def source(self) -> str:
        return f"postings:{self.profile_source}"

    def clock(self, run_id: str) -> LoadClock:
        return LoadClock(run_id, self.source, POSTINGS_TABLE, self.sha256, release=self.path.name)


def identify_postings_file(path: Path, profile_name: str) -> PostingsFile:
    from transforms.hashing import sha256_file
    from transforms.postings_profile import load_profile

    profile = load_profile(profile_name, PROFILES_DIR)
    return PostingsFile(path, profile_name, profile.source, sha256_file(path))


def load_postings_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    profile_name: str,
    raw_dir: Path,
    run_id: str,
) -> PostingsLoad:
    """Load one posting file; raises ``SourceFormatError``/``SchemaDriftError`` for a file that
    cannot be read at all (nothing written but a failed ``meta.loads`` row)."""
    file = identify_postings_file(path, profile_name)
    return load_identified(con, file, file.clock(run_id), raw_dir)


def load_identified(
    con: duckdb.DuckDBPyConnection, file: PostingsFile, clock: LoadClock, raw_dir: Path
) -> PostingsLoad:
    """``load_postings_file`` once the file is identified: all of it in this process."""
    unchanged = record_if_loaded(con, file, clock)
    if unchanged is not None:
        return unchanged
    kept = keep_postings_file(file, raw_dir)
    with recording_failure(con, clock, str(file.path)):
        rows_read = stage_postings(con, file, kept)
    return write_staged(con, clock, str(file.path), kept, rows_read)


def record_if_loaded(
    con: duckdb.DuckDBPyConnection, file: PostingsFile, clock: LoadClock
) -> PostingsLoad | None:
    """The same bytes were loaded before: record this run's no-op and say so; else None."""
    ensure_postings_tables(con)
    if previous_load(con, file.source, file.sha256) is None:
        return None
    message = f"{file.path.name}: same file already loaded"
    clock.record(con, "unchanged", message)
    return PostingsLoad(str(file.path), file.source, "unchanged", 0, 0, 0, message)


def keep_postings_file(file: PostingsFile, raw_dir: Path) -> Path:
    """Copy the file into the raw store (the drop folder may be cleaned by others)."""
    rel = Path("file-drop") / file.profile_source
    kept, _ = keep_dropped_file(file.path, rel, raw_dir, now_utc())
    return kept


def stage_postings(con: duckdb.DuckDBPyConnection, file: PostingsFile, kept: Path) -> int:
    """Stage and enrich the kept file into ``_enriched`` and ``_canon_quarantine``; returns the
    records read. The one staging step: the writer runs it on its own connection (serial),
    a Dask worker on a scratch one (``outlook.ingest.posting_parquet``)."""
    from transforms.postings_profile import load_profile

    rows_read = _stage_file(con, kept, load_profile(file.profile_name, PROFILES_DIR), file.sha256)
    _enrich(con)
    return rows_read


def _enrich(con: duckdb.DuckDBPyConnection) -> None:
    from transforms.industry import IndustryResolver
    from transforms.postings_enrich_sql import enrich_staged

    enrich_staged(con, "_canon", IndustryResolver(EMPLOYER_NAICS_TABLE, NAICS_SECTORS_TABLE))


@contextmanager
def recording_failure(
    con: duckdb.DuckDBPyConnection, clock: LoadClock, label: str
) -> Iterator[None]:
    """A step that raises records the load 'failed' (naming the file and why), then re-raises."""
    try:
        yield
    except Exception as exc:
        clock.record(con, "failed", f"{label}: {exc}")
        raise


def _stage_file(con: duckdb.DuckDBPyConnection, kept: Path, profile, sha: str) -> int:
    """Stage the file as ``_canon``/``_canon_quarantine`` (DuckDB reads it; the frame reader
    only for the files DuckDB cannot read faithfully); returns the records read."""
    from transforms.postings_duck import stage_postings_file
    from transforms.postings_io import read_postings_file

    staged = stage_postings_file(con, kept, profile, sha)
    if staged is not None:
        return staged.rows_read
    batch = read_postings_file(kept, profile)
    _stage_frames(con, batch.rows, batch.quarantine)
    return batch.rows_read


def _stage_frames(
    con: duckdb.DuckDBPyConnection, rows: pd.DataFrame, quarantine: pd.DataFrame
) -> None:
    from transforms.postings_profile import CANONICAL_COLUMNS, LINEAGE_COLUMNS

    rows = rows.copy()
    for col in CANONICAL_COLUMNS + LINEAGE_COLUMNS:
        if col not in rows:
            rows[col] = pd.Series(pd.NA, index=rows.index, dtype="string")
    with registered(con, _rows_frame=rows, _quarantine_frame=quarantine):
        con.execute("create or replace temp table _canon as select * from _rows_frame")
        con.execute(
            "create or replace temp table _canon_quarantine as select * from _quarantine_frame"
        )


def write_postings_batch(
    con: duckdb.DuckDBPyConnection,
    clock: LoadClock,
    rows: pd.DataFrame,
    quarantine: pd.DataFrame,
    label: str,
    kept: Path,
    rows_read: int,
) -> PostingsLoad:
    """Enrich canonical rows, run the batch gate, and write rows + quarantine + the
    ``meta.loads`` row in one transaction (API pages; files are staged by DuckDB and share
    the same enrichment, gate and write)."""
    _stage_frames(con, rows, quarantine)
    with recording_failure(con, clock, label):
        _enrich(con)
    return write_staged(con, clock, label, kept, rows_read)


def write_staged(
    con: duckdb.DuckDBPyConnection,
    clock: LoadClock,
    label: str,
    kept: Path,
    rows_read: int,
) -> PostingsLoad:
    """Gate the staged ``_enriched`` rows, and write rows + quarantine (``_canon_quarantine``)
    + the ``meta.loads`` row in one transaction. The one writing step, whichever way the
    file was staged."""
    source = str(clock.base["source"])
    with recording_failure(con, clock, label):
        # files differ in size by nature: no row-count band against the previous file
        validate_staged_batch(source, con, "_enriched", previous_rows=None)
    loaded = con.execute("select count(*) from _enriched").fetchall()[0][0]
    quarantined = con.execute("select count(*) from _canon_quarantine").fetchall()[0][0]
    name = Path(label).name
    message = f"{name}: {rows_read:,} read = {loaded:,} loaded + {quarantined:,} quarantined"
    # Every row refused is a file (or profile) problem, not a load: say so, and do not
    # record it 'loaded', so the same bytes are read again (e.g. with the right profile).
    outcome = "quarantined" if rows_read and not loaded else "loaded"
    if outcome == "quarantined":
        message += f"; no row could be loaded ({_top_reason(con)})"
    load_id = new_id()
    columns = ", ".join(POSTINGS_COLUMNS)
    with transaction(con):
        ensure_postings_tables(con)
        if outcome == "quarantined":
            # an earlier attempt on the same bytes quarantined them already: replace, not add
            con.execute(
                f"delete from {QUARANTINE_TABLE} where source = ? and file_sha256 = ?",
                [source, clock.base["sha256"]],
            )
        con.execute(
            f"insert into {POSTINGS_TABLE} by name select {columns}, ? as _release, "
            "? as _load_id, ? as _source_file, ? as _loaded_at from _enriched",
            [name, load_id, str(kept), now_utc()],
        )
        con.execute(
            f"insert into {QUARANTINE_TABLE} by name select ? as source, file_path, "
            "? as file_sha256, row_number, reason, raw_record, ? as load_id, "
            "? as quarantined_at from _canon_quarantine",
            [source, clock.base["sha256"], load_id, now_utc()],
        )
        clock.record(
            con,
            outcome,
            message,
            load_id=load_id,
            rows_read=rows_read,
            rows_loaded=loaded,
            rows_quarantined=quarantined,
        )
    _drop_staging(con)
    return PostingsLoad(label, source, outcome, rows_read, loaded, quarantined, message)


def _drop_staging(con: duckdb.DuckDBPyConnection) -> None:
    """Free the staged tables (they hold the file's rows) once the load is written."""
    staged = con.execute(
        "select table_name, 'table' from duckdb_tables() where temporary "
        "union all select view_name, 'view' from duckdb_views() where temporary"
    ).fetchall()
    for name, kind in staged:
        if name.startswith("_"):
            con.execute(f'drop {kind} if exists "{name}"').fetchall()


def _top_reason(con: duckdb.DuckDBPyConnection) -> str:
    """The commonest quarantine reason, for a one-line diagnosis of a refused file."""
    top = con.execute(
        "select reason, count(*) from _canon_quarantine group by reason "
        "order by count(*) desc, reason limit 1"
    ).fetchall()
    if not top:
        return "no reasons recorded"
    return f"most common reason: {top[0][0]} ({int(top[0][1]):,} rows)"
