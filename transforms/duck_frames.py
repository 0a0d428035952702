"""Write a pandas frame of looked-up values into a DuckDB temporary table.

The DuckDB reader and enrichment compute values per distinct input in Python and join them
back in SQL; this is the one way they hand a frame to DuckDB.
"""

from __future__ import annotations

import duckdb
import pandas as pd

_NAME = "_lookup_frame"


def write_temp(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    """``table`` (temporary) becomes exactly ``frame``."""
    _with_frame(con, frame, f"create or replace temp table {table} as select * from {_NAME}")


def append(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    """``frame``'s rows are added to ``table`` (same columns, same order)."""
    _with_frame(con, frame, f"insert into {table} select * from {_NAME}")


def _with_frame(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame, sql: str) -> None:
    con.register(_NAME, frame)
    try:
        con.execute(sql)
    finally:
        con.unregister(_NAME)
