"""Checks as SQL aggregates inside DuckDB: exact on the whole table, nothing copied out.

Used for tables too big for pandas (``fct_postings``, ``role_postings``, or any table over
the GX row limit) and for the checks only SQL can say (references across tables, custom
rules). Each check is one ``count(*)`` plus, when it fails, one ``limit`` query for
examples, so a 10M-row table costs a few vectorised scans.
"""

from __future__ import annotations

from datetime import date, timedelta

import duckdb

from outlook.quality.checks import (
    Between,
    Check,
    DateWithin,
    Finding,
    InSet,
    Matches,
    NotAbove,
    NotNull,
    References,
    RowCountBand,
    SqlAssert,
    Unique,
)

EXAMPLES = 5


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(value: object) -> str:
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, date):
        return f"date '{value.isoformat()}'"
    return repr(value)


def _bad_rows(check: Check, table: str) -> tuple[str, str] | None:
    """(where clause selecting offending rows, the expression shown as an example)."""
    if isinstance(check, NotNull):
        return f"{_q(check.column)} is null", "null"
    if isinstance(check, Matches):
        pattern = _lit(check.pattern)
        col = f"cast({_q(check.column)} as varchar)"
        return f"{col} is not null and not regexp_matches({col}, {pattern})", col
    if isinstance(check, InSet):
        values = ", ".join(_lit(v) for v in check.values)
        col = _q(check.column)
        return f"{col} is not null and {col} not in ({values})", col
    if isinstance(check, Between | DateWithin):
        col = _q(check.column)
        if isinstance(check, DateWithin):
            low: object = check.earliest
            high: object = date.today() + timedelta(days=check.days_ahead)
            col = f"cast({col} as date)"
        else:
            low, high = check.low, check.high
        parts = []
        if low is not None:
            parts.append(f"{col} < {_lit(low)}")
        if high is not None:
            parts.append(f"{col} > {_lit(high)}")
        return f"({' or '.join(parts) or 'false'})", col
    if isinstance(check, NotAbove):
        low_col, high_col = _q(check.low), _q(check.high)
        return f"{low_col} > {high_col}", f"({low_col}, {high_col})"
    return None


def run_sql_check(con: duckdb.DuckDBPyConnection, table: str, check: Check, rows: int) -> Finding:
    """Run one check on ``table`` (a table name or a registered view) inside DuckDB."""
    base = {"check": check.label(), "expectation": check.expectation, "severity": check.severity}
    if isinstance(check, Unique):
        cols = ", ".join(_q(c) for c in check.key)
        not_null = " and ".join(f"{_q(c)} is not null" for c in check.key)
        groups = f"select {cols}, count(*) as n from {table} where {not_null} group by all having count(*) > 1"
        bad = con.execute(f"select coalesce(sum(n), 0) from ({groups})").fetchone()[0]
        examples = (
            con.execute(f"{groups} order by n desc limit {EXAMPLES}").fetchall() if bad else []
        )
        shown = tuple(dict(zip([*check.key, "rows"], row, strict=True)) for row in examples)
        return Finding(**base, success=not bad, unexpected=int(bad), rows=rows, examples=shown)
    if isinstance(check, References):
        where = f"and ({check.where})" if check.where else ""
        ref_col = _q(check.ref_column)
        ref_filter = f"{ref_col} is not null" + (
            f" and ({check.ref_where})" if check.ref_where else ""
        )
        col = _q(check.column)
        orphans = (
            f"select distinct {col} as value from {table} where {col} is not null {where} "
            f"and {col} not in (select {ref_col} from {check.ref_table} where {ref_filter})"
        )
        bad = con.execute(f"select count(*) from ({orphans})").fetchone()[0]
        examples = (
            tuple(r[0] for r in con.execute(f"{orphans} order by 1 limit {EXAMPLES}").fetchall())
            if bad
            else ()
        )
        return Finding(
            **base,
            success=not bad,
            unexpected=int(bad),
            examples=examples,
            note="" if not bad else f"{bad:,} distinct value(s) not found, e.g. {list(examples)}",
        )
    if isinstance(check, SqlAssert):
        query = check.sql.replace("{table}", table)  # not format(): regexes hold braces
        bad = con.execute(f"select count(*) from ({query})").fetchone()[0]
        cursor = con.execute(f"select * from ({query}) limit {EXAMPLES}") if bad else None
        examples: tuple[object, ...] = ()
        if cursor is not None:
            names = [d[0] for d in cursor.description]
            examples = tuple(dict(zip(names, r, strict=True)) for r in cursor.fetchall())
        return Finding(**base, success=not bad, unexpected=int(bad), rows=rows, examples=examples)
    if isinstance(check, RowCountBand):
        return Finding(**base, success=True, note="row-count band applies to batches only")
    clause = _bad_rows(check, table)
    if clause is None:
        raise TypeError(f"no SQL for check {check!r}")
    where, shown = clause
    bad = con.execute(f"select count(*) from {table} where {where}").fetchone()[0]
    examples = ()
    if bad and shown != "null":
        examples = tuple(
            r[0]
            for r in con.execute(
                f"select distinct {shown} from {table} where {where} limit {EXAMPLES}"
            ).fetchall()
        )
    return Finding(**base, success=not bad, unexpected=int(bad), rows=rows, examples=examples)
