"""A small model tree for SQL-model tests: the models under test copied from ``sql/``, the
models they read replaced by stand-ins over hand-made tables, built in a fresh warehouse
through the real ``outlook.build.models.build``."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import duckdb
import pandas as pd

from outlook.build.models import build
from outlook.config import SQL_DIR
from outlook.warehouse import connect, replace_table


def build_tree(
    tmp: Path,
    *,
    models: Iterable[str],
    stand_ins: Mapping[str, str],
    tables: Mapping[str, pd.DataFrame],
    seed_loaders: list[Callable[[duckdb.DuckDBPyConnection], None]] | None = None,
) -> duckdb.DuckDBPyConnection:
    """Build ``models`` (paths under ``sql/``, e.g. ``marts/role_skills.sql``) with each
    stand-in path reading ``select * from <table>`` and ``tables`` written first (schema
    created as needed); returns the open warehouse."""
    root = tmp / "sql"
    for folder in ("staging", "intermediate", "marts"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    for path, table in stand_ins.items():
        (root / path).write_text(f"select * from {table}")
    for path in models:
        shutil.copy(SQL_DIR / path, root / path)
    con = connect(tmp / "w.duckdb")
    for table, frame in tables.items():
        con.execute(f"create schema if not exists {table.split('.')[0]}")
        replace_table(con, table, frame)
    build(con, "t1", sql_dir=root, seed_loaders=seed_loaders or [])
    return con
