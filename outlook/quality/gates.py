"""The two gates and their bookkeeping (see the package notes in ``outlook/quality``)."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from outlook.quality.checks import ERROR, Check, Finding, References, RowCountBand
from outlook.quality.gx_docs import KEEP_RUNS, gx_dir_for
from outlook.quality.suites import (
    CONVENTION_SCHEMAS,
    SUITES_BY_TABLE,
    TABLE_SUITES,
    BatchSuite,
    TableSuite,
    batch_suite,
    convention_suite,
)
from outlook.warehouse import insert_row, now_utc, table_exists

__all__ = [
    "CheckResult",
    "QualityGateFailed",
    "format_results",
    "previous_rows",
    "record_checks",
    "validate_batch",
    "validate_staged_batch",
    "validate_marts",
]

# Tables up to this many rows are validated in GX on a pandas frame; above it, in SQL.
GX_MAX_ROWS = 2_000_000


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one suite on one table (or one batch): a ``meta.checks`` row."""

    suite: str
    table: str
    success: bool
    failed: int  # error-severity checks that failed
    summary: str
    evaluated: int = 0
    status: str = "passed"  # passed | failed | not built
    engine: str = ""  # gx | sql | gx+sql
    docs_path: str | None = None
    seconds: float = 0.0
    findings: tuple[Finding, ...] = ()

    @property
    def failures(self) -> list[Finding]:
        return [f for f in self.findings if not f.success and f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if not f.success and f.severity != ERROR]


class QualityGateFailed(ValueError):
    """A batch was refused: names the source/table, the expectation and failing examples."""

    def __init__(self, source: str, table: str, results: list[CheckResult]) -> None:
        self.source = source
        self.table = table
        self.results = results
        failures = [f.describe() for r in results for f in r.failures]
        super().__init__(
            f"quality gate refused batch of source {source!r} ({table}): " + "; ".join(failures)
        )


def _summarise(findings: list[Finding], evaluated: int) -> str:
    failures = [f.describe() for f in findings if not f.success and f.severity == ERROR]
    warnings = [f"warn: {f.describe()}" for f in findings if not f.success and f.severity != ERROR]
    if failures:
        return "; ".join(failures + warnings)
    return "; ".join([f"{evaluated} expectation(s) passed", *warnings])


def _result(
    suite: str,
    table: str,
    findings: list[Finding],
    *,
    engine: str,
    seconds: float,
    docs_path: str | None = None,
) -> CheckResult:
    evaluated = sum(1 for f in findings if not f.note.startswith("skipped"))
    failed = sum(1 for f in findings if not f.success and f.severity == ERROR)
    return CheckResult(
        suite=suite,
        table=table,
        success=failed == 0,
        failed=failed,
        summary=_summarise(findings, evaluated),
        evaluated=evaluated,
        status="failed" if failed else "passed",
        engine=engine,
        docs_path=docs_path,
        seconds=round(seconds, 3),
        findings=tuple(findings),
    )


# --- the batch gate ---------------------------------------------------------------------


def previous_rows(con: duckdb.DuckDBPyConnection, source_name: str) -> int | None:
    """Rows of the last successful load of this source (the row-count band's reference)."""
    row = con.execute(
        """select rows_loaded from meta.loads
        where source = ? and outcome = 'loaded'
        order by finished_at desc limit 1""",
        [source_name],
    ).fetchone()
    return int(row[0]) if row and row[0] is not None else None


def min_rows(previous: int | None, max_drop: float) -> int:
    """Fewest rows allowed: a drop of ``max_drop`` or more is refused (10 -> 1 is 90%)."""
    if not previous:
        return 0
    # round() first: 10 * (1 - 0.9) is 0.9999999999999998 in floating point.
    return math.floor(round(previous * (1 - max_drop), 9)) + 1


def _table_of(source_name: str) -> str:
    try:
        from outlook.ingest.sources import by_name

        source = by_name().get(source_name)
    except Exception:  # the registry is others' code; a gate must not fail on it
        source = None
    return source.table if source is not None else f"source {source_name}"


GX_BATCH_MAX_ROWS = 200_000


def _batch_by_sql(frame: pd.DataFrame, checks: list[Check], floor: int) -> list[Finding]:
    """Batch checks run in an in-memory DuckDB over the frame (no copy into pandas objects)."""
    import duckdb

    with duckdb.connect() as con:
        con.register("batch", frame)
        return _batch_checks_in(con, "batch", len(frame), checks, floor)


def _batch_checks_in(
    con: duckdb.DuckDBPyConnection, table: str, rows: int, checks: list[Check], floor: int
) -> list[Finding]:
    from outlook.quality.sql_runner import run_sql_check

    findings = []
    for check in checks:
        if isinstance(check, RowCountBand):
            ok = rows >= floor
            note = "" if ok else f"{rows:,} rows, expected at least {floor:,}"
            findings.append(
                Finding(
                    check=check.label(),
                    expectation=check.expectation,
                    severity=check.severity,
                    success=ok,
                    rows=rows,
                    note=note,
                )
            )
        else:
            findings.append(run_sql_check(con, table, check, rows))
    return findings


def validate_batch(
    source_name: str,
    frame: pd.DataFrame,
    *,
    previous_rows: int | None,
    max_drop: float | None = None,
    gx_dir: Path | None = None,
    run_name: str | None = None,
) -> list[CheckResult]:
    """Validate one parsed batch before it is merged; raise ``QualityGateFailed`` if bad.

    Checks whose columns the frame lacks are skipped (column presence is the parser's
    job); every batch gets the row-count band against ``previous_rows``. With ``gx_dir``
    the GX result is kept there under ``run_name`` for the Data Docs (``gx_dir_for``).
    """
    from outlook.quality.gx_runner import run_gx

    started = time.monotonic()
    suite, checks, skipped, floor = _batch_plan(source_name, set(frame.columns), previous_rows,
                                                max_drop)  # fmt: skip
    engine = "gx"
    if len(frame) > GX_BATCH_MAX_ROWS:
        # Large drops (a 1M-row vendor file): the same checks as exact DuckDB aggregates over
        # the frame itself; GX on pandas took ~19 s per million rows here.
        findings = _batch_by_sql(frame, checks, floor)
        engine = "sql"
    else:
        findings = run_gx(f"batch:{suite.name}", frame, checks, min_rows=floor,
                          gx_dir=gx_dir, run_name=run_name)  # fmt: skip
    return _batch_verdict(source_name, suite, findings + skipped, len(frame), previous_rows,
                          engine, started)  # fmt: skip


def validate_staged_batch(
    source_name: str,
    con: duckdb.DuckDBPyConnection,
    table: str,
    *,
    previous_rows: int | None,
    max_drop: float | None = None,
) -> list[CheckResult]:
    """``validate_batch`` for a batch staged in a DuckDB table: the same checks, as SQL
    aggregates over the table (the batch is never copied into pandas)."""
    started = time.monotonic()
    present = {d[0] for d in con.execute(f"select * from {table} limit 0").description}
    rows = con.execute(f"select count(*) from {table}").fetchone()[0]
    suite, checks, skipped, floor = _batch_plan(source_name, present, previous_rows, max_drop)
    findings = _batch_checks_in(con, table, rows, checks, floor)
    return _batch_verdict(source_name, suite, findings + skipped, rows, previous_rows, "sql",
                          started)  # fmt: skip


def _batch_plan(
    source_name: str, present: set[str], previous_rows: int | None, max_drop: float | None
) -> tuple[BatchSuite, list[Check], list[Finding], int]:
    """The batch suite, the checks a batch with ``present`` columns runs (the row-count band
    first), the findings for those it skips, and the row-count floor."""
    from outlook.quality.gx_runner import gx_supports

    suite = batch_suite(source_name)
    drop = suite.max_drop if max_drop is None else max_drop
    checks: list[Check] = [RowCountBand(max_drop=drop)]
    skipped: list[Finding] = []
    for check in suite.checks:
        if set(check.columns) <= present and gx_supports(check):
            checks.append(check)
        else:
            skipped.append(_skipped(check, present))
    return suite, checks, skipped, min_rows(previous_rows, drop)


def _batch_verdict(
    source_name: str,
    suite: BatchSuite,
    findings: list[Finding],
    rows: int,
    previous_rows: int | None,
    engine: str,
    started: float,
) -> list[CheckResult]:
    """The batch's result; raises ``QualityGateFailed`` when an error-severity check failed.
    Without a previous load the row-count band (the first finding) has nothing to compare."""
    if not previous_rows:
        findings[0] = Finding(
            findings[0].check, findings[0].expectation, findings[0].severity, True,
            rows=rows, note="skipped: no previous load to compare with",
        )  # fmt: skip
    table = _table_of(source_name)
    result = _result(
        f"batch:{suite.name}", table, findings, engine=engine, seconds=time.monotonic() - started
    )
    if not result.success:
        raise QualityGateFailed(source_name, table, [result])
    return [result]


def _skipped(check: Check, present: set[str]) -> Finding:
    missing = sorted(set(check.columns) - present)
    reason = f"column(s) {missing} absent" if missing else "not supported on a batch"
    return Finding(
        check.label(), check.expectation, check.severity, True, note=f"skipped: {reason}"
    )


# --- the mart gate ----------------------------------------------------------------------


def _suites(con: duckdb.DuckDBPyConnection) -> list[TableSuite]:
    """Registered suites, then convention suites for unregistered staging/mart tables."""
    schemas = ", ".join(f"'{s}'" for s in CONVENTION_SCHEMAS)
    tables = con.execute(
        f"""select table_schema || '.' || table_name from information_schema.tables
        where table_catalog = current_database() and table_schema in ({schemas})
        order by 1"""
    ).fetchall()
    extra = []
    for (table,) in tables:
        if table not in SUITES_BY_TABLE:
            suite = convention_suite(table, _columns(con, table))
            if suite is not None:
                extra.append(suite)
    return [*TABLE_SUITES, *extra]


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    schema, name = table.split(".", 1)
    return [
        r[0]
        for r in con.execute(
            """select column_name from information_schema.columns
            where table_catalog = current_database() and table_schema = ? and table_name = ?
            order by ordinal_position""",
            [schema, name],
        ).fetchall()
    ]


def _run_table(
    con: duckdb.DuckDBPyConnection,
    suite: TableSuite,
    max_gx_rows: int,
    gx_dir: Path | None,
    run_name: str,
) -> tuple[list[Finding], str]:
    from outlook.quality.sql_runner import run_sql_check

    present = set(_columns(con, suite.table))
    rows = int(con.execute(f"select count(*) from {suite.table}").fetchone()[0])
    use_gx = suite.engine == "auto" and rows <= max_gx_rows
    findings: dict[int, Finding] = {}
    gx_checks: list[tuple[int, Check]] = []
    for index, check in enumerate(suite.checks):
        missing = sorted(set(check.columns) - present)
        if missing:
            # The contract names these columns: a mart without them is broken.
            findings[index] = Finding(
                check.label(), check.expectation, check.severity, False,
                note=f"column(s) {missing} missing from {suite.table}",
            )  # fmt: skip
            continue
        if isinstance(check, References) and not table_exists(con, check.ref_table):
            findings[index] = Finding(
                check.label(), check.expectation, check.severity, True,
                note=f"skipped: {check.ref_table} not built",
            )  # fmt: skip
            continue
        if use_gx and _gx_capable(check):
            gx_checks.append((index, check))
            continue
        try:
            findings[index] = run_sql_check(con, suite.table, check, rows)
        except duckdb.Error as exc:
            findings[index] = Finding(
                check.label(), check.expectation, check.severity, False,
                note=f"could not be evaluated: {str(exc).splitlines()[0][:200]}",
            )  # fmt: skip
    engine = "sql"
    if gx_checks:
        from outlook.quality.gx_runner import run_gx

        needed = sorted({c for _, check in gx_checks for c in check.columns})
        cols = ", ".join(f'"{c}"' for c in needed) or "*"
        frame = con.execute(f"select {cols} from {suite.table}").df()
        results = run_gx(suite.table, frame, [c for _, c in gx_checks], gx_dir=gx_dir,
                         run_name=run_name)  # fmt: skip
        findings.update({index: f for (index, _), f in zip(gx_checks, results, strict=True)})
        engine = "gx" if len(gx_checks) == len(suite.checks) else "gx+sql"
    return [findings[i] for i in sorted(findings)], engine


def _gx_capable(check: Check) -> bool:
    from outlook.quality.gx_runner import gx_supports

    return gx_supports(check)


def validate_marts(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    *,
    gx_dir: Path | None = None,
    max_gx_rows: int = GX_MAX_ROWS,
    build_docs: bool = True,
    keep_runs: int = KEEP_RUNS,
) -> list[CheckResult]:
    """Run every table suite; record each result in ``meta.checks``; update the Data Docs.

    GX results go to the file-backed context in ``gx_dir`` (default: beside the warehouse)
    under run name ``run_id``, and the Data Docs keep each suite's last ``keep_runs``
    results. ``build_docs=False`` validates in an ephemeral context and writes nothing there.
    """
    folder = (gx_dir or gx_dir_for(con)) if build_docs else None
    results: list[CheckResult] = []
    used_gx = False
    for suite in _suites(con):
        started = time.monotonic()
        if not table_exists(con, suite.table):
            results.append(
                CheckResult(
                    suite=_suite_name(suite), table=suite.table, success=True, failed=0,
                    summary="not built", status="not built",
                )
            )  # fmt: skip
            continue
        findings, engine = _run_table(con, suite, max_gx_rows, folder, run_id)
        used_gx = used_gx or engine.startswith("gx")
        results.append(
            _result(
                _suite_name(suite),
                suite.table,
                findings,
                engine=engine,
                seconds=time.monotonic() - started,
            )
        )
    if used_gx and folder is not None:
        from outlook.quality.gx_docs import update_docs

        index = update_docs(folder, keep_runs)
        if index is not None:
            results = [
                _with_docs(r, str(index)) if r.engine.startswith("gx") else r for r in results
            ]
    record_checks(con, run_id, results)
    return results


def _suite_name(suite: TableSuite) -> str:
    return "conventions" if suite.why == "column-name conventions" else "contract"


def _with_docs(result: CheckResult, path: str) -> CheckResult:
    from dataclasses import replace

    return replace(result, docs_path=path)


def record_checks(con: duckdb.DuckDBPyConnection, run_id: str, results: list[CheckResult]) -> None:
    for result in results:
        insert_row(
            con,
            "meta.checks",
            {
                "run_id": run_id,
                "suite": result.suite,
                "table_name": result.table,
                "success": result.success,
                "evaluated": result.evaluated,
                "failed": result.failed,
                "summary": result.summary[:8000],
                "docs_path": result.docs_path,
                "checked_at": now_utc(),
            },
        )


def format_results(results: list[CheckResult]) -> list[str]:
    """Lines for ``outlook validate``: one per table, then one per failing expectation."""
    lines = []
    for r in results:
        flag = {"passed": "ok  ", "failed": "FAIL", "not built": "skip"}.get(r.status, r.status)
        head = (
            f"{flag} {r.table:<45} {r.engine or '-':<6} {r.evaluated:>3} checks {r.seconds:6.2f}s"
        )
        lines.append(head if r.status != "not built" else f"{flag} {r.table:<45} not built")
        for finding in r.findings:
            if not finding.success:
                tag = "error" if finding.severity == ERROR else "warn "
                lines.append(f"     {tag} {finding.describe()}")
    return lines
