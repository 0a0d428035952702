"""The floor: DuckDB's own ``CREATE TABLE AS SELECT * FROM read_csv(...)`` of the same file.

Run as a subprocess by bench/run.py (so its time and peak RSS are its own):
    python bench/floor.py POSTINGS.csv.gz WORK.duckdb
Default read_csv options: the floor is what DuckDB does with no help at all.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import duckdb


def main(csv_path: str, db_path: str) -> int:
    Path(db_path).unlink(missing_ok=True)
    started = time.perf_counter()
    con = duckdb.connect(db_path)
    con.execute("set enable_progress_bar = false")
    path = csv_path.replace("'", "''")
    con.execute(f"create table postings as select * from read_csv('{path}')")
    rows = con.execute("select count(*) from postings").fetchone()[0]
    con.close()
    print(json.dumps({"rows": rows, "seconds": round(time.perf_counter() - started, 3)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:3]))
