"""The parsed floor and the plain-DuckDB-SQL baseline on a small CSV.gz with malformed rows."""

from __future__ import annotations

import csv
import gzip
import io
import json
import subprocess
import sys
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[2]
HEADER = ["source_id", "title_raw", "employer_raw", "location_raw", "posted_date",
          "close_date", "naics_code_raw", "industry_text", "salary_text", "salary_min_raw",
          "salary_max_raw", "salary_period_raw", "currency_raw"]  # fmt: skip


def _write(path: Path) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\n")
    w.writerow(HEADER)
    for i in range(196):
        w.writerow([f"S-{i}", f"Unique Title {i}", f"Employer {i} Inc.", "Miami, FL",
                    "2024-03-05", "", "54", "", "", "", "", "", ""])  # fmt: skip
    # an exact duplicate, a 30-day repost, two salaries
    w.writerow(["S-0", "Unique Title 0", "Employer 0 Inc.", "Miami, FL", "2024-03-05",
                "", "", "", "", "", "", "", ""])  # fmt: skip
    w.writerow(["X-1", "Senior Nurse (RN)", "Care Co", "Austin, TX", "2024-01-10", "", "",
                "", "$50k-$70k", "", "", "", ""])  # fmt: skip
    w.writerow(["X-2", "Nurse", "Care Co", "Austin, TX", "2024-02-09", "", "", "",
                "$25/hour", "", "", "", ""])  # fmt: skip
    w.writerow(["X-3", "Welder", "Weld Co", "Reno, NV", "2024-05-01", "", "", "",
                "$25/hour", "", "", "", ""])  # fmt: skip
    lines = buf.getvalue().splitlines(keepends=True)
    bad = ['"bad","row"\n', '"a","b","c"\n', '"M-1","too","many",' + '"x",' * 14 + '"y"\n']
    text = "".join(lines[:100] + bad + lines[100:])
    path.write_bytes(gzip.compress(text.encode()))


def _run(script: str, *args: str) -> dict:
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / script), *args],
                          capture_output=True, text=True, timeout=60, check=True)  # fmt: skip
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_floor_parses_columns_and_counts_rejects(tmp_path: Path) -> None:
    csv_path = tmp_path / "p.csv.gz"
    _write(csv_path)
    out = _run("floor.py", str(csv_path), str(tmp_path / "f.duckdb"))
    assert out["columns"] >= 13
    assert out["rejects"] >= 1
    assert out["rows"] >= 200


def test_duckdb_sql_baseline_dedups_and_parses_salary(tmp_path: Path) -> None:
    csv_path = tmp_path / "p.csv.gz"
    _write(csv_path)
    parquet = tmp_path / "out.parquet"
    out = _run("baseline_duckdb_sql.py", str(csv_path), str(parquet))
    assert out["rows_loaded"] == 200
    # 200 rows - 1 exact duplicate - 1 repost within 60 days
    assert out["canonical_postings"] == 198
    con = duckdb.connect()
    monthly = con.execute(f"select title_norm, postings, median_salary "
                          f"from read_parquet('{parquet}')").fetchall()  # fmt: skip
    assert sum(r[1] for r in monthly) == out["canonical_postings"]
    # the repost is merged into the January posting ($50k-$70k -> 60000 a year)
    assert [r for r in monthly if r[0] == "nurse"] == [("nurse", 1, 60000.0)]
    assert [r for r in monthly if r[0] == "welder"] == [("welder", 1, 52000.0)]

    con.close()
