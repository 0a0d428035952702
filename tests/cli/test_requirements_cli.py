"""`outlook requirements`: one output row per input row, bad input in one line."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from outlook.cli.main import main
from tests.build.test_requirements import technology_skills_warehouse


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


ROWS = [
    {"id": "1", "description": "<p>Bachelor&#39;s degree required, MBA preferred.</p>",
     "requirements": "5+ years of experience; Excel; PMP required; Lean Six Sigma a plus"},
    {"id": "2", "description": "", "requirements": ""},
    {"id": "3", "description": "High school diploma. 2-4 years experience.",
     "requirements": "CPHQ preferred"},
    {"id": "4", "description": "<p>Bachelor&#39;s degree required, MBA preferred.</p>",
     "requirements": "5+ years of experience; Excel; PMP required; Lean Six Sigma a plus"},
]  # fmt: skip


def run(tmp_path: Path, capsys, *extra: str, db: Path | None = None):
    source = write_csv(tmp_path / "postings.csv", ROWS)
    out = tmp_path / "out.csv"
    code = main(
        ["requirements", "--file", str(source), "--text-columns", "description,requirements",
         "--out", str(out), "--db", str(db or tmp_path / "none.duckdb"), *extra]
    )  # fmt: skip
    captured = capsys.readouterr()
    rows = list(csv.DictReader(open(out, newline="", encoding="utf-8"))) if out.exists() else []
    return code, rows, captured.err


def test_one_row_per_input_row_in_order_seeds_only(tmp_path: Path, capsys) -> None:
    code, rows, err = run(tmp_path, capsys)
    assert code == 0
    assert "skills taxonomy: seeds only" in err
    assert "wrote 4 rows" in err and "1 without text" in err
    assert len(rows) == 4
    assert list(rows[0])[:4] == ["education_min", "experience_years_min", "certifications",
                                 "skills"]  # fmt: skip
    first, empty, third, repeat = rows
    assert first["education_min"] == "bachelor" and first["education_preferred"] == "master"
    assert first["experience_years_min"] == "5"
    assert first["certifications"] == "PMP"
    assert first["skills"] == "Lean Six Sigma;Lean;Six Sigma"  # Excel needs O*NET
    assert empty["has_text"] == "False" and empty["education_min"] == ""
    assert third["education_min"] == "high_school" and third["experience_years_min"] == "2"
    assert third["certifications_preferred"] == "CPHQ"
    assert repeat == first


def test_skills_from_the_warehouse_onet_tables(tmp_path: Path, capsys) -> None:
    db = technology_skills_warehouse(tmp_path / "w.duckdb")
    code, rows, err = run(tmp_path, capsys, db=db)
    assert code == 0
    assert "skills taxonomy: O*NET 29.3 Technology Skills" in err
    assert rows[0]["skills"] == "Microsoft Excel;Lean Six Sigma;Lean;Six Sigma"
    assert rows[0]["skill_categories"] == "Spreadsheet software"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--file", "{tmp}/absent.csv", "--text-columns", "description"],
         "error: {tmp}/absent.csv: no such file"),
        (["--file", "{tmp}/postings.csv", "--text-columns", "description,qualifications"],
         "error: {tmp}/postings.csv: no column 'qualifications'"),
        (["--file", "{tmp}/postings.csv", "--text-columns", " , "],
         "error: --text-columns names no column"),
        (["--file", "{tmp}/empty.csv", "--text-columns", "description"],
         "error: {tmp}/empty.csv: not a readable CSV file"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, capsys, args, message) -> None:
    write_csv(tmp_path / "postings.csv", ROWS)
    (tmp_path / "empty.csv").write_text("")
    argv = ["requirements", *(a.format(tmp=tmp_path) for a in args),
            "--db", str(tmp_path / "none.duckdb")]  # fmt: skip
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith(message.format(tmp=tmp_path))
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
