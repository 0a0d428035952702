"""What one refresh did, as an operator reads it in the Prefect UI: plain data, no Prefect.

``flows/refresh.py`` hands these to ``prefect.artifacts``: one markdown artifact per run
(sources with releases and rows, checks passed/failed, the snapshot, links to the Data Docs
and the dashboard, the errors) and two table artifacts, one row per load and one per check.
Built here, as pure functions, so the content is tested without a server.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from outlook.quality import CheckResult

# Prefect artifact keys: lowercase letters, digits and dashes. One key per kind, so the UI's
# Artifacts page shows each kind's history across runs.
SUMMARY_KEY = "outlook-refresh-summary"
LOADS_KEY = "outlook-refresh-loads"
CHECKS_KEY = "outlook-refresh-checks"

MESSAGE_CHARS = 300  # a cell long enough for a failure's reason, short enough for a table


class SourceLine(Protocol):
    """One source's outcome as the ingest step reports it (``flows.ingest.SourceOutcome``)."""

    source: str
    status: str
    message: str
    rows: int
    release: str | None


def loads_table(sources: Sequence[SourceLine]) -> list[dict[str, object]]:
    """One row per source (or posting file): what happened to it, its release and rows."""
    return [
        {
            "source": s.source,
            "outcome": s.status,
            "release": s.release or "",
            "rows": int(s.rows or 0),
            "message": _short(s.message),
        }
        for s in sources
    ]


def checks_table(checks: Sequence[CheckResult]) -> list[dict[str, object]]:
    """One row per suite run: the table, passed/failed/not built, how many checks, why."""
    return [
        {
            "table": c.table,
            "suite": c.suite,
            "status": c.status,
            "engine": c.engine,
            "evaluated": c.evaluated,
            "failed": c.failed,
            "summary": _short(c.summary),
        }
        for c in checks
    ]


def summary_markdown(
    run_id: str,
    sources: Sequence[SourceLine],
    checks: Sequence[CheckResult],
    *,
    snapshot: Path | str | None,
    errors: Sequence[str],
    data_docs: Path | None = None,
    dashboard: Path | None = None,
) -> str:
    """The run's one-page summary in Markdown."""
    outcome = "failed" if errors else "succeeded"
    lines = [f"# Refresh {outcome}", "", f"Run `{run_id}`.", ""]
    lines += _sources_section(sources)
    lines += _checks_section(checks)
    lines += ["## Snapshot", ""]
    if snapshot:
        lines.append(f"Published: `{snapshot}`")
    else:
        lines.append("Not published: the previous snapshot (if any) is unchanged.")
    links = [f"[{label}]({path.resolve().as_uri()})" for label, path in
             (("Data Docs", data_docs), ("Dashboard", dashboard)) if path is not None]  # fmt: skip
    if links:
        lines += ["", "Links: " + " · ".join(links)]
    if errors:
        lines += ["", "## Errors", ""] + [f"- {_short(e)}" for e in errors]
    return "\n".join(lines) + "\n"


def _sources_section(sources: Sequence[SourceLine]) -> list[str]:
    lines = ["## Sources", ""]
    if not sources:
        return lines + ["No source was selected.", ""]
    counts = Counter(s.status for s in sources)
    rows = sum(int(s.rows or 0) for s in sources if s.status == "loaded")
    said = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    lines += [f"{said}; {rows:,} rows loaded.", ""]
    lines += ["| source | outcome | release | rows |", "|---|---|---|---:|"]
    for s in sources:
        lines.append(f"| {_cell(s.source)} | {s.status} | {_cell(s.release or '')} | {s.rows:,} |")
    return lines + [""]


def _checks_section(checks: Sequence[CheckResult]) -> list[str]:
    lines = ["## Checks", ""]
    if not checks:
        return lines + ["No check ran (the run stopped before the quality gate).", ""]
    counts = Counter(c.status for c in checks)
    lines.append(", ".join(f"{counts[s]} {s}" for s in ("passed", "failed", "not built")) + ".")
    failed = [c for c in checks if c.status == "failed"]
    warned = [c for c in checks if c.status == "passed" and c.warnings]
    for title, group in (("Failed", failed), ("Passed with warnings", warned)):
        if group:
            lines += ["", f"{title}:", ""] + [f"- `{c.table}`: {_short(c.summary)}" for c in group]
    return lines + [""]


def _short(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= MESSAGE_CHARS else text[: MESSAGE_CHARS - 1] + "…"


def _cell(text: str) -> str:
    return _short(text).replace("|", "\\|")
