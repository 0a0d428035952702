"""`outlook ingest postings`: a file whose every row is quarantined fails; runs are recorded."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from outlook.cli.main import main
from outlook.config import Settings
from tests.conftest import ROOT

pytestmark = pytest.mark.flow

GOOD = ROOT / "data" / "samples" / "postings" / "vendor_postings_api.jsonl"


def ingest(s: Settings, *paths: Path) -> int:
    return main(
        ["ingest", "postings", *map(str, paths), "--profile", "generic"]
        + ["--db", str(s.db), "--raw-dir", str(s.raw_dir)]
    )


def test_a_file_with_every_row_quarantined_fails_with_its_counts(
    prefect_harness, settings: Settings, tmp_path: Path, capsys
) -> None:
    bad = tmp_path / "all_bad.csv"
    bad.write_text(
        "title_raw,employer_raw,posted_date\n"
        "Nurse,Acme,2099-01-01\nNurse,Acme,2099-01-01\nNurse,Acme,2099-01-01\n,Acme,2025-01-02\n"
    )
    assert ingest(settings, bad) == 1  # was 'loaded', exit 0
    out, err = capsys.readouterr()
    errors = [line for line in err.splitlines() if line.startswith("error:")]  # + Prefect's log
    assert len(errors) == 1 and "Traceback" not in err, err
    assert errors[0].startswith(
        f"error: postings file {bad.resolve()} failed: all_bad.csv: 4 read = 0 loaded + "
        "4 quarantined; no row could be loaded (most common reason: posted_date 2099-01-01 "
        "outside [1990-01-01, "
    ), err
    assert errors[0].endswith("(3 rows))")
    assert "quarantined" in out  # the table's status column

    assert ingest(settings, bad) == 1  # the same bytes are read again, not 'unchanged'
    capsys.readouterr()
    with duckdb.connect(str(settings.db), read_only=True) as con:
        loads = con.execute(
            "select outcome, rows_read, rows_loaded, rows_quarantined from meta.loads"
        ).fetchall()
        quarantined = con.execute("select count(*) from quarantine.postings").fetchone()[0]
        runs = con.execute("select command, outcome, message from meta.runs").fetchall()
    assert loads == [("quarantined", 4, 0, 4)] * 2
    assert quarantined == 4, "a second attempt replaces the file's quarantine rows"
    assert [(c, o) for c, o, _ in runs] == [("ingest", "failed")] * 2
    assert "no row could be loaded" in runs[0][2]


def test_cli_ingest_is_recorded_in_meta_runs(prefect_harness, settings: Settings, capsys) -> None:
    assert ingest(settings, GOOD) == 0
    capsys.readouterr()
    with duckdb.connect(str(settings.db), read_only=True) as con:
        runs = con.execute("select run_id, command, outcome, finished_at from meta.runs").fetchall()
        loads = con.execute("select distinct run_id from meta.loads").fetchall()
    assert [(c, o) for _, c, o, _ in runs] == [("ingest", "succeeded")]
    assert runs[0][3] is not None and loads == [(runs[0][0],)]


def test_missing_posting_path_is_exit_2_and_writes_nothing(
    settings: Settings, tmp_path: Path, capsys
) -> None:
    assert ingest(settings, tmp_path / "nope.csv") == 2
    assert capsys.readouterr().err.startswith(f"error: {tmp_path / 'nope.csv'}: no such file")
    assert not settings.db.exists()
