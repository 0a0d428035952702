"""Extra sections of ``outlook status``: name -> function(con) returning data or None."""

from __future__ import annotations

from collections.abc import Callable

import duckdb


def last_checks(con: duckdb.DuckDBPyConnection) -> list[dict[str, object]] | None:
    rows = con.execute(
        """select table_name, suite, success, summary, checked_at from meta.checks
        where run_id = (select run_id from meta.checks order by checked_at desc limit 1)
        order by table_name, suite"""
    ).fetchall()
    keys = ("table", "suite", "success", "summary", "checked_at")
    return [dict(zip(keys, row, strict=True)) for row in rows] or None


def data_docs(con: duckdb.DuckDBPyConnection) -> str | None:
    """Link to the Great Expectations Data Docs of the last validation (git-ignored)."""
    from outlook.quality import docs_index  # no GX import: just a path beside the warehouse

    index = docs_index(con)
    return index.as_uri() if index else None


SECTIONS: dict[str, Callable[[duckdb.DuckDBPyConnection], object]] = {
    "quality checks (last run)": last_checks,
    "quality data docs": data_docs,
}
