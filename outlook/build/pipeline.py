"""Pipeline steps shared by the flows and the CLI, so both do exactly the same thing."""

from __future__ import annotations

import duckdb

from outlook.build.classification import classify_new_titles
from outlook.build.models import BuildReport, build
from outlook.build.posting_requirements import extract_new_texts
from outlook.build.seeds import seed_inputs, seed_loaders
from outlook.ingest import jolts
from outlook.ingest.posting_files import ensure_postings_tables
from outlook.ingest.sources import ALL_SOURCES
from outlook.warehouse import ensure_table


def prepare_inputs(con: duckdb.DuckDBPyConnection) -> None:
    """Before the models: every raw table exists (empty until loaded) so models can read it,
    every new posting title is classified and every new posting text read into the caches."""
    for source in ALL_SOURCES:
        ensure_table(con, source.table, source.columns)
    ensure_postings_tables(con)
    ensure_table(con, jolts.TABLE, jolts.COLUMNS)
    classify_new_titles(con)
    extract_new_texts(con)
    release_freed_memory()


def release_freed_memory() -> None:
    """Give the memory the title classification freed back to the system before the SQL
    models take DuckDB's share. Arrow's allocator and glibc keep freed pages for reuse,
    which nothing after this step needs: at 10M postings the build's peak (1,577 MB) was
    this kept memory on top of DuckDB's 1 GB (2026-12-04, `outlook bench --large`)."""
    import ctypes
    import ctypes.util
    import gc

    import pyarrow

    gc.collect()
    pyarrow.default_memory_pool().release_unused()
    libc = ctypes.util.find_library("c")
    trim = getattr(ctypes.CDLL(libc), "malloc_trim", None) if libc else None
    if trim is not None:  # glibc only; elsewhere the allocator decides
        trim(0)


def build_warehouse(
    con: duckdb.DuckDBPyConnection, run_id: str, *, full_refresh: bool = False
) -> BuildReport:
    """Seeds, then staging -> intermediate -> marts, in one transaction: incremental for the
    posting models unless ``full_refresh`` (or something they depend on changed). Then the
    marts' descriptions as comments, so analysts on the warehouse see them too."""
    from outlook.publish.mart_docs import apply_comments

    report = build(
        con,
        run_id,
        seed_loaders=seed_loaders(),
        before_models=prepare_inputs,
        seed_inputs=seed_inputs(),
        full_refresh=full_refresh,
    )
    apply_comments(con)  # a rebuilt table lost them (CREATE TABLE AS carries none)
    return report
