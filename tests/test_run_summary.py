"""outlook.run_summary: the refresh's artifacts, built without Prefect."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from outlook.quality import CheckResult
from outlook.quality.checks import Finding
from outlook.run_summary import checks_table, loads_table, summary_markdown


@dataclass(frozen=True)
class Outcome:
    source: str
    status: str
    message: str
    rows: int = 0
    release: str | None = None


SOURCES = [
    Outcome("oews_national", "loaded", "national_M2024_dl.xlsx", 1_234, "2024"),
    Outcome("projections", "unchanged", "same checksum", 0, "2024-34"),
    Outcome("usajobs", "skipped", "no USAJOBS key"),
    Outcome("indeed_us_aggregate", "failed", "aggregate.csv: HTML | error page"),
]
WARN = Finding("wage sane", "expect_column_values_to_be_between", "warn", False, 2, 10)
CHECKS = [
    CheckResult("contract", "marts.role_outlook", True, 0, "12 expectation(s) passed", 12),
    CheckResult(
        "contract", "marts.wages", True, 0, "warn: wages", 5, findings=(WARN,), engine="gx"
    ),
    CheckResult("contract", "marts.role_trend", False, 1, "not null [x]: 3 rows", 4, "failed"),
    CheckResult("contract", "marts.jolts", True, 0, "not built", status="not built"),
]


def test_loads_table_has_one_row_per_source_with_release_and_rows() -> None:
    rows = loads_table(SOURCES)
    assert rows[0] == {
        "source": "oews_national",
        "outcome": "loaded",
        "release": "2024",
        "rows": 1234,
        "message": "national_M2024_dl.xlsx",
    }
    assert [r["outcome"] for r in rows] == ["loaded", "unchanged", "skipped", "failed"]
    assert rows[2]["release"] == "" and rows[2]["rows"] == 0


def test_checks_table_has_one_row_per_suite() -> None:
    rows = checks_table(CHECKS)
    assert [(r["table"], r["status"], r["failed"]) for r in rows] == [
        ("marts.role_outlook", "passed", 0),
        ("marts.wages", "passed", 0),
        ("marts.role_trend", "failed", 1),
        ("marts.jolts", "not built", 0),
    ]


def test_long_messages_are_cut_to_one_short_line() -> None:
    (row,) = loads_table([Outcome("x", "failed", "line one\nline two " + "y" * 1000)])
    assert "\n" not in row["message"] and len(row["message"]) == 300
    assert row["message"].startswith("line one line two") and row["message"].endswith("…")


def test_summary_names_sources_checks_snapshot_links_and_errors(tmp_path: Path) -> None:
    docs, dashboard = tmp_path / "gx" / "index.html", tmp_path / "dashboard" / "index.html"
    text = summary_markdown(
        "run-1",
        SOURCES,
        CHECKS,
        snapshot=tmp_path / "snapshot" / "outlook.duckdb",
        errors=["source indeed_us_aggregate failed: HTML"],
        data_docs=docs,
        dashboard=dashboard,
    )
    assert text.startswith("# Refresh failed\n")
    assert "1 failed, 1 loaded, 1 skipped, 1 unchanged; 1,234 rows loaded." in text
    assert "| oews_national | loaded | 2024 | 1,234 |" in text
    assert "| indeed_us_aggregate | failed |  | 0 |" in text
    assert "2 passed, 1 failed, 1 not built." in text
    assert "- `marts.role_trend`: not null [x]: 3 rows" in text
    assert "Passed with warnings:\n\n- `marts.wages`" in text
    assert f"Published: `{tmp_path / 'snapshot' / 'outlook.duckdb'}`" in text
    assert f"[Data Docs]({docs.as_uri()})" in text and f"[Dashboard]({dashboard.as_uri()})" in text
    assert text.rstrip().endswith("- source indeed_us_aggregate failed: HTML")


def test_summary_of_a_run_that_published_nothing() -> None:
    text = summary_markdown("run-2", [], [], snapshot=None, errors=["warehouse busy"])
    assert "No source was selected." in text and "No check ran" in text
    assert "Not published: the previous snapshot (if any) is unchanged." in text
    assert "Links:" not in text


def test_a_pipe_in_a_source_name_does_not_break_the_table() -> None:
    text = summary_markdown("r", [Outcome("a|b", "loaded", "", 1)], [], snapshot=None, errors=[])
    assert "| a\\|b | loaded |  | 1 |" in text and text.startswith("# Refresh succeeded")
