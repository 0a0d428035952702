"""Posting file drops: idempotent loads, quarantine, counts that reconcile, all-or-nothing."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from outlook.ingest.posting_files import expand_paths, load_postings_file
from outlook.warehouse import connect
from transforms.errors import SchemaDriftError

HEADER = "source_id,title_raw,employer_raw,location_raw,posted_date,salary_text\n"
GOOD = [
    'A1,Director of Performance Improvement,Mercy Health,"Dayton, OH",2026-01-05,$150K - $180K a year',
    'A2,Registered Nurse,Mercy Health,"Dayton, OH",2026-01-06,$45/hr',
    'A3,Data Scientist,Acme Analytics Inc.,"Austin, TX",2026-02-01,',
]


def write_csv(path: Path, lines: list[str], gz: bool = False) -> Path:
    text = HEADER + "\n".join(lines) + "\n"
    if gz:
        path.write_bytes(gzip.compress(text.encode()))
    else:
        path.write_text(text)
    return path


def count(con, table: str) -> int:
    return con.execute(f"select count(*) from {table}").fetchall()[0][0]


def test_load_is_idempotent_and_counts_reconcile(tmp_path: Path) -> None:
    drop = write_csv(tmp_path / "drop.csv", [*GOOD, "A4,Broken row with,too,many,fields,here,x,y"])
    with connect(tmp_path / "w.duckdb") as con:
        first = load_postings_file(con, drop, "generic", tmp_path / "raw", "r1")
        assert (first.rows_read, first.rows_loaded, first.rows_quarantined) == (4, 3, 1)
        assert first.rows_read == first.rows_loaded + first.rows_quarantined
        second = load_postings_file(con, drop, "generic", tmp_path / "raw", "r2")
        assert second.outcome == "unchanged"
        assert count(con, "raw.postings") == 3 and count(con, "quarantine.postings") == 1
        reason = con.execute("select reason, row_number from quarantine.postings").fetchall()
        assert "field" in reason[0][0].lower() and reason[0][1] == 4
        kept = [p for p in (tmp_path / "raw/file-drop/generic").rglob("drop.csv") if p.is_file()]
        assert kept and kept[0].read_bytes() == drop.read_bytes()


def test_enriched_columns_are_filled(tmp_path: Path) -> None:
    drop = write_csv(tmp_path / "d.csv.gz", GOOD, gz=True)
    with connect(tmp_path / "w.duckdb") as con:
        load_postings_file(con, drop, "generic", tmp_path / "raw", "r1")
        row = con.execute(
            "select title_normalised, employer_normalised, state, annual_salary_min, "
            "annual_salary_max, salary_status from raw.postings where source_id = 'A2'"
        ).fetchall()[0]
        assert row == ("registered nurse", "mercy health", "OH", 93600.0, 93600.0, "ok")


def test_missing_required_column_fails_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("source_id,employer_raw,posted_date\nA1,Acme,2026-01-01\n")
    with connect(tmp_path / "w.duckdb") as con:
        with pytest.raises(SchemaDriftError, match="title_raw"):
            load_postings_file(con, bad, "generic", tmp_path / "raw", "r1")
        assert count(con, "raw.postings") == 0
        outcome = con.execute("select outcome, message from meta.loads").fetchall()[0]
        assert outcome[0] == "failed" and "bad.csv" in outcome[1]


def test_expand_paths_accepts_files_folders_and_globs(tmp_path: Path) -> None:
    a = write_csv(tmp_path / "a.csv", GOOD)
    b = write_csv(tmp_path / "b.csv", GOOD)
    assert expand_paths([str(tmp_path)]) == [a.resolve(), b.resolve()]
    assert expand_paths([str(tmp_path / "*.csv"), str(a)]) == [a.resolve(), b.resolve()]
    with pytest.raises(FileNotFoundError, match="nope"):
        expand_paths([str(tmp_path / "nope.csv")])
