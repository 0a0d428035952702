"""Save the title cache's answers, and compare two saved sets row by row.

    python bench/classify_answers.py dump WAREHOUSE.duckdb OUT.parquet
    python bench/classify_answers.py compare BEFORE.parquet AFTER.parquet

A speed-up of the classifier must not change its answers: run bench/classify_step.py on a
copy of a warehouse with the old code and dump, then with the new code and dump, and
compare. Every ``CACHE_COLUMNS`` value is compared (scores within 1e-9); exit 1 when any
row differs or is missing.
"""

from __future__ import annotations

import json
import sys

import duckdb
import numpy as np
import pandas as pd

from outlook.build.classification import CACHE_COLUMNS, CACHE_TABLE

KEY = ["title_normalised", "naics_sector"]
SCORES = ("confidence", "runner_up_confidence", "role_score")


def dump(db: str, out: str) -> int:
    con = duckdb.connect(db, read_only=True)
    columns = ", ".join(CACHE_COLUMNS)
    path = out.replace("'", "''")
    con.execute(
        f"copy (select {columns} from {CACHE_TABLE} order by title_normalised, naics_sector) "
        f"to '{path}' (format parquet)"
    )
    print(json.dumps({"rows": con.execute(f"select count(*) from {CACHE_TABLE}").fetchall()[0][0]}))
    return 0


def compare(before: str, after: str) -> int:
    a, b = pd.read_parquet(before), pd.read_parquet(after)
    both = a.merge(b, on=KEY, how="outer", suffixes=("_a", "_b"), indicator=True)
    differ = np.array(both["_merge"] != "both", dtype=bool)
    by_column: dict[str, int] = {}
    for column in CACHE_COLUMNS:
        if column in KEY:
            continue
        x, y = both[column + "_a"], both[column + "_b"]
        same = x.isna() & y.isna()
        if column in SCORES:
            same |= (x - y).abs() <= 1e-9
        else:
            same |= (x == y).fillna(False)
        bad = ~np.asarray(same, dtype=bool)
        by_column[column] = int(bad.sum())
        differ |= bad
    report = {
        "rows_before": len(a),
        "rows_after": len(b),
        "differing_rows": int(differ.sum()),
        "by_column": {c: n for c, n in by_column.items() if n},
    }
    print(json.dumps(report))
    return 1 if report["differing_rows"] or len(a) != len(b) else 0


if __name__ == "__main__":
    command, *rest = sys.argv[1:]
    raise SystemExit({"dump": dump, "compare": compare}[command](*rest))
