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


POSTINGS_SQL = """
select
    postings.source,
    count(*) as rows,
    min(postings.posted_date) as first_posted,
    max(postings.posted_date) as last_posted,
    round(avg((postings.annual_salary_mid is not null)::int), 3) as share_with_salary,
    round(avg((postings.naics_code is not null)::int), 3) as share_with_industry,
    round(1 - avg(dedup.is_canonical::int), 3) as duplicate_share,
    (select count(*) from quarantine.postings as q where q.source = 'postings:' || postings.source)
        as quarantined
from raw.postings as postings
left join intermediate.int_postings__deduplicated as dedup using (posting_row_id)
group by postings.source
order by postings.source
"""


def postings_by_source(con: duckdb.DuckDBPyConnection) -> list[dict[str, object]] | None:
    """Per posting source: rows, date span, salary and industry coverage, duplicates."""
    from outlook.warehouse import table_exists

    if not (
        table_exists(con, "raw.postings")
        and table_exists(con, "intermediate.int_postings__deduplicated")
    ):
        return None
    cursor = con.execute(POSTINGS_SQL)
    keys = [d[0] for d in cursor.description]
    return [dict(zip(keys, row, strict=True)) for row in cursor.fetchall()] or None


SECTIONS: dict[str, Callable[[duckdb.DuckDBPyConnection], object]] = {
    "postings by source": postings_by_source,
    "quality checks (last run)": last_checks,
    "quality data docs": data_docs,
}
