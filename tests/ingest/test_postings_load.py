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


def test_dateless_file_with_an_unnamed_index_column_loads_with_constant_dates(
    tmp_path: Path,
) -> None:
    """A pandas export (first header cell empty) with no date column: the profile's constant
    posted_date is parsed like a file value (year precision), and the unnamed column reads."""
    profile = tmp_path / "dateless.toml"
    profile.write_text(
        'source = "dateless"\nrequired = ["title"]\n[columns]\ntitle_raw = "title"\n'
        'employer_raw = "company"\ndescription = "description"\n'
        '[dates]\nformats = ["ISO8601", "%Y"]\n[constants]\nposted_date = "2020"\n'
    )
    drop = tmp_path / "ds.csv"
    drop.write_text(
        ",title,company,description\n0,Data Scientist,Acme,SQL and Python\n"
        '1,Analyst,Beta,"Excel, 3+ years"\n'
    )
    with connect(tmp_path / "w.duckdb") as con:
        result = load_postings_file(con, drop, str(profile), tmp_path / "raw", "r1")
        assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (2, 2, 0)
        rows = con.execute(
            "select posted_date::varchar, posted_date_precision, description "
            "from raw.postings order by title_raw"
        ).fetchall()
    assert rows == [
        ("2020-01-01", "year", "Excel, 3+ years"),
        ("2020-01-01", "year", "SQL and Python"),
    ]
