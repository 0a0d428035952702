"""Compare every model table of two warehouses by content (issue 17: incremental == full).

    python bench/compare_models.py A.duckdb B.duckdb

Each table's fingerprint is its row count and the sum of its rows' hashes (order-independent);
exits 1 naming the tables that differ.
"""

from __future__ import annotations

import sys

import duckdb

LAYERS = ("staging", "intermediate", "marts")


def fingerprints(path: str) -> dict[str, tuple[int, int]]:
    con = duckdb.connect(path, read_only=True)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "select table_schema || '.' || table_name from information_schema.tables "
                "where table_schema in ? order by 1",
                [list(LAYERS)],
            ).fetchall()
        ]
        return {
            t: con.execute(f"select count(*), sum(hash(t)::hugeint) from {t} as t").fetchone()
            for t in tables
        }
    finally:
        con.close()


def main(a: str, b: str) -> int:
    left, right = fingerprints(a), fingerprints(b)
    differ = sorted(t for t in left.keys() | right.keys() if left.get(t) != right.get(t))
    for table in sorted(left.keys() | right.keys()):
        rows = (left.get(table) or right.get(table) or (0,))[0]
        print(f"{table:<50} {rows:>12,} {'DIFFERS' if table in differ else 'equal'}")
    print(f"{len(differ)} of {len(left.keys() | right.keys())} tables differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
