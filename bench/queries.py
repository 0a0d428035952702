"""Analyst query latency on the published snapshot (read-only), median of repeated runs.

    python bench/queries.py SNAPSHOT.duckdb [--repeat 30] [--role NAME]

The two queries an analyst runs most: the role-by-industry monthly trend and the role's
outlook rows. One read-only connection (an analyst's session); 3 warm-up runs, then
``--repeat`` timed runs of each query.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import duckdb

TREND_SQL = """
select industry_sector, month, unique_postings, new_postings, yoy_change_pct
from marts.role_industry_monthly
where role = ?
order by industry_sector, month
"""
OUTLOOK_SQL = """
select *
from marts.role_outlook
where role = ?
order by industry_sector
"""


def _time(con: duckdb.DuckDBPyConnection, sql: str, role: str, repeat: int) -> dict[str, float]:
    for _ in range(3):
        con.execute(sql, [role]).fetchall()
    times, rows = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        rows = len(con.execute(sql, [role]).fetchall())
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[min(len(times) - 1, int(0.95 * len(times)))], 2),
        "rows": rows,
        "runs": repeat,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("snapshot")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--role", default="Registered Nurse")
    args = parser.parse_args()
    con = duckdb.connect(args.snapshot, read_only=True)
    out = {"role": args.role}
    for name, sql in (("trend", TREND_SQL), ("outlook", OUTLOOK_SQL)):
        try:
            out[name] = _time(con, sql, args.role, args.repeat)
        except duckdb.Error as exc:
            out[name] = {"error": str(exc)[:200]}
    out["fct_postings_rows"] = con.execute("select count(*) from marts.fct_postings").fetchone()[0]
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
