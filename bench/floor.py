"""The floor: DuckDB parsing the same file into a table, ``CREATE TABLE AS read_csv(...)``.

Run as a subprocess by bench/run.py (so its time and peak RSS are its own):
    python bench/floor.py POSTINGS.csv.gz WORK.duckdb

A *parsed* floor. DuckDB's default sniffer gives up on the generated posting file (about
0.2% malformed rows) and reads each line as ONE varchar column, which is not parsing the
file at all and made the floor too cheap. So the dialect is passed explicitly (header,
comma, double-quote quote and escape), every column is read as varchar, malformed rows are
skipped (``strict_mode=false``) and stored as rejects. It prints rows, columns (of the
created table), rejects and seconds.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import duckdb

READ_OPTIONS = (
    "header=true, all_varchar=true, strict_mode=false, store_rejects=true, "
    "delim=',', quote='\"', escape='\"'"
)


def read_csv_sql(csv_path: str) -> str:
    path = csv_path.replace("'", "''")
    return f"read_csv('{path}', {READ_OPTIONS})"


def rejected_lines(con: duckdb.DuckDBPyConnection) -> int:
    """Lines DuckDB rejected (``reject_errors`` has a row per error, several per line)."""
    query = "select count(*) from (select distinct scan_id, file_id, line from reject_errors)"
    return con.execute(query).fetchone()[0]


def main(csv_path: str, db_path: str) -> int:
    Path(db_path).unlink(missing_ok=True)
    started = time.perf_counter()
    con = duckdb.connect(db_path)
    con.execute("set enable_progress_bar = false")
    con.execute(f"create table postings as select * from {read_csv_sql(csv_path)}")
    rows = con.execute("select count(*) from postings").fetchone()[0]
    columns = len(con.execute("select * from postings limit 0").description)
    rejects = rejected_lines(con)
    con.close()
    print(json.dumps({"rows": rows, "columns": columns, "rejects": rejects,
                      "seconds": round(time.perf_counter() - started, 3)}))  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:3]))
