"""Quality gates: bad data never reaches an article.

Two gates, one set of declarative suites (``outlook.quality.suites``):

- the batch gate, ``validate_batch``, runs on a parsed file before the loader opens its
  transaction; a refused batch raises ``QualityGateFailed`` and the warehouse keeps its
  last good rows;
- the mart gate, ``validate_marts``, runs after the build on every staging table and mart
  that has a suite (a table not built yet is reported 'not built', not failed); a failed
  error-severity check fails the refresh and ``publish`` refuses to write.

Where checks run: tables up to ``GX_MAX_ROWS`` rows (batches up to ``GX_BATCH_MAX_ROWS``)
are pulled into pandas (only the columns the suite needs) and validated by Great
Expectations through a Checkpoint per suite, in the file-backed context beside the
warehouse (``data/gx``, see ``gx_runner`` and ``gx_docs``): suites saved as JSON, results
kept for the Data Docs history (each suite's last ``Settings.gx_keep_runs``). Bigger tables,
bigger batches, staged posting files and the posting facts (``engine='sql'``) run the same
checks as exact SQL aggregates in DuckDB (a sample would miss one bad row in ten million,
and ten million rows of forty columns do not belong in pandas); those results are in
``meta.checks`` only, not in the Data Docs. Cross-table references and custom rules are SQL
everywhere. Every result goes to ``meta.checks``; GX is imported only when a gate runs.
"""

from outlook.quality.gates import (
    CheckResult,
    QualityGateFailed,
    format_results,
    previous_rows,
    record_checks,
    validate_batch,
    validate_marts,
    validate_staged_batch,
)
from outlook.quality.gx_docs import docs_dir_for, docs_index, gx_dir_for

__all__ = [
    "CheckResult",
    "QualityGateFailed",
    "docs_dir_for",
    "docs_index",
    "format_results",
    "gx_dir_for",
    "previous_rows",
    "record_checks",
    "validate_batch",
    "validate_staged_batch",
    "validate_marts",
]
