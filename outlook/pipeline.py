"""Pipeline steps shared by the flows and the CLI, so both do exactly the same thing."""

from __future__ import annotations

import duckdb

from outlook.models import BuildReport, build
from outlook.python_models import python_models
from outlook.seeds import seed_loaders
from outlook.sources import ALL_SOURCES
from outlook.warehouse import ensure_table


def ensure_raw_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Every registered source's raw table exists (empty until loaded), so models can read it."""
    for source in ALL_SOURCES:
        ensure_table(con, source.table, source.columns)


def build_warehouse(con: duckdb.DuckDBPyConnection, run_id: str) -> BuildReport:
    """Seeds, then staging -> intermediate -> marts, in one transaction."""
    return build(
        con,
        run_id,
        seed_loaders=seed_loaders(),
        before_models=ensure_raw_tables,
        python_models=python_models(),
    )
