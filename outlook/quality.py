"""Quality gates on the marts before they are published.

Each published mart declares its key; a gate fails when a key is NULL or repeated. The
results go to ``meta.checks``; a failed gate stops ``publish``.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from outlook.warehouse import insert_row, now_utc, table_exists

MART_KEYS: dict[str, tuple[str, ...]] = {
    "marts.indeed_postings_monthly": ("country_code", "scope", "month"),
}


@dataclass(frozen=True)
class CheckResult:
    suite: str
    table: str
    success: bool
    failed: int
    summary: str


def check_keys(con: duckdb.DuckDBPyConnection, table: str, keys: tuple[str, ...]) -> CheckResult:
    cols = ", ".join(keys)
    nulls = " or ".join(f"{k} is null" for k in keys)
    null_rows = con.execute(f"select count(*) from {table} where {nulls}").fetchone()[0]
    dupes = con.execute(
        f"select {cols}, count(*) as n from {table} group by all having count(*) > 1 limit 3"
    ).fetchall()
    problems = []
    if null_rows:
        problems.append(f"{null_rows} row(s) with a NULL key ({cols})")
    if dupes:
        problems.append(f"duplicate key(s) ({cols}), e.g. {[tuple(d[:-1]) for d in dupes]}")
    summary = "; ".join(problems) or f"key ({cols}) unique and not null"
    return CheckResult("keys", table, not problems, int(null_rows) + len(dupes), summary)


def validate_marts(con: duckdb.DuckDBPyConnection, run_id: str) -> list[CheckResult]:
    results = [
        check_keys(con, table, keys)
        for table, keys in MART_KEYS.items()
        if table_exists(con, table)
    ]
    for result in results:
        insert_row(
            con,
            "meta.checks",
            {
                "run_id": run_id,
                "suite": result.suite,
                "table_name": result.table,
                "success": result.success,
                "evaluated": 1,
                "failed": result.failed,
                "summary": result.summary,
                "checked_at": now_utc(),
            },
        )
    return results
