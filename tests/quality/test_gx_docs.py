"""The file-backed GX context beside the warehouse: suites as JSON, Checkpoints, Data Docs
that keep each suite's last N runs and show the batch gate too."""

from __future__ import annotations

import json
from pathlib import Path

from outlook.quality import docs_index, gx_runner, validate_marts
from outlook.quality.gx_docs import DOCS_SUBDIR
from tests.quality.test_batch_gate import body, load
from tests.quality.test_mart_gate import DIM, WAGES, by_table, warehouse

BATCH_SUITE = "batch:indeed_us_aggregate"  # the suite name test_batch_gate's loader runs


def results_of(gx: Path, suite: str) -> list[str]:
    """Run names of the stored validation results of one suite, oldest first."""
    folder = gx / "uncommitted" / "validations" / Path(*suite.split("."))
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def test_two_runs_keep_history_suites_as_json_and_the_batch_gate(tmp_path: Path) -> None:
    from outlook.cli.status_sections import data_docs

    with warehouse(tmp_path, WAGES, DIM) as con:
        assert load(con, tmp_path, body(60)).outcome == "loaded"  # the batch gate, in GX
        first = by_table(validate_marts(con, "gate-run-1"))
        gx_runner._STATES.clear()  # as a new process would: the context is read from disk
        second = by_table(validate_marts(con, "gate-run-2"))
        gx = tmp_path / "gx"
        index = gx / DOCS_SUBDIR / "index.html"
        # the context, its suites as JSON (from outlook.quality.suites) and Checkpoints
        assert (gx / "great_expectations.yml").is_file()
        suite = json.loads((gx / "expectations" / "marts" / "occupation_wages.json").read_text())
        kinds = {e["type"] for e in suite["expectations"]}
        assert {
            "expect_column_values_to_match_regex",
            "expect_compound_columns_to_be_unique",
        } <= kinds
        assert (gx / "expectations" / f"{BATCH_SUITE}.json").is_file()
        checkpoint = json.loads((gx / "checkpoints" / "marts.occupation_wages.json").read_text())
        assert checkpoint["name"] == "marts.occupation_wages"
        # both runs stored and listed in the Data Docs index, with the batch gate's run
        assert results_of(gx, "marts.occupation_wages") == ["gate-run-1", "gate-run-2"]
        assert results_of(gx, BATCH_SUITE) == ["run"]
        page = index.read_text()
        assert "gate-run-1" in page and "gate-run-2" in page and BATCH_SUITE in page
        assert len(list((gx / DOCS_SUBDIR / "validations").rglob("*.html"))) == len(
            list((gx / "uncommitted" / "validations").rglob("*.json"))
        )
        # meta.checks, `outlook validate` and `outlook status` point at that index
        assert first["marts.occupation_wages"].docs_path == str(index)
        assert second["marts.occupation_wages"].docs_path == str(index)
        assert docs_index(con) == index and data_docs(con) == index.as_uri()


def test_history_is_pruned_to_the_last_n_runs_per_suite(tmp_path: Path) -> None:
    with warehouse(tmp_path, WAGES, DIM) as con:
        for run in ("gate-run-1", "gate-run-2", "gate-run-3"):
            validate_marts(con, run, keep_runs=2)
    gx = tmp_path / "gx"
    assert results_of(gx, "marts.occupation_wages") == ["gate-run-2", "gate-run-3"]
    page = (gx / DOCS_SUBDIR / "index.html").read_text()
    assert "gate-run-1" not in page and "gate-run-3" in page
    pages = gx / DOCS_SUBDIR / "validations" / "marts" / "occupation_wages"
    assert sorted(p.name for p in pages.iterdir()) == ["gate-run-2", "gate-run-3"]


def test_without_docs_nothing_is_written_beside_the_warehouse(tmp_path: Path) -> None:
    with warehouse(tmp_path, WAGES, DIM) as con:
        assert by_table(validate_marts(con, "r1", build_docs=False))["marts.occupation_wages"]
    assert not (tmp_path / "gx").exists()
