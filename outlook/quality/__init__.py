"""Quality gates: bad data never reaches an article.

Two gates, one set of declarative suites (``outlook.quality.suites``):

- the batch gate, ``validate_batch``, runs on a parsed file before the loader opens its
  transaction; a refused batch raises ``QualityGateFailed`` and the warehouse keeps its
  last good rows;
- the mart gate, ``validate_marts``, runs after the build on every staging table and mart
  that has a suite (a table not built yet is reported 'not built', not failed); a failed
  error-severity check fails the refresh and ``publish`` refuses to write.

Where checks run: tables up to ``GX_MAX_ROWS`` rows are pulled into pandas (only the
columns the suite needs) and validated by Great Expectations, which also renders the Data
Docs; bigger tables and the posting facts (``engine='sql'``) run the same checks as exact
SQL aggregates in DuckDB (a sample would miss one bad row in ten million, and ten million
rows of forty columns do not belong in pandas). Cross-table references and custom rules are
SQL everywhere. Results go to ``meta.checks``; GX is imported only when a gate runs.
"""

from outlook.quality.gates import (
    CheckResult,
    QualityGateFailed,
    docs_dir_for,
    docs_index,
    format_results,
    previous_rows,
    record_checks,
    validate_batch,
    validate_marts,
    validate_staged_batch,
)

__all__ = [
    "CheckResult",
    "QualityGateFailed",
    "docs_dir_for",
    "docs_index",
    "format_results",
    "previous_rows",
    "record_checks",
    "validate_batch",
    "validate_staged_batch",
    "validate_marts",
]
