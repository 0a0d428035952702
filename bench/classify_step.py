"""Distinct-title classification throughput and cache hit ratio, on a copy of a warehouse.

    python bench/classify_step.py WAREHOUSE_COPY.duckdb

Empties the title cache, classifies every distinct (title, sector) pair in raw.postings
(cold: titles/s), then runs again (warm: the cache hit ratio of a second run).
"""

from __future__ import annotations

import json
import sys

from outlook.build.classification import CACHE_TABLE, STATE_TABLE, classify_new_titles
from outlook.warehouse import connect


def main(db: str) -> int:
    with connect(db) as con:
        con.execute(f"delete from {CACHE_TABLE}")
        con.execute(f"delete from {STATE_TABLE}")
        cold = classify_new_titles(con)
        warm = classify_new_titles(con)
    seen = warm.new_titles + warm.cached_titles
    print(
        json.dumps(
            {
                "distinct_titles": cold.new_titles + cold.cached_titles,
                "classified": cold.new_titles,
                "cold_seconds": round(cold.seconds, 3),
                "titles_per_s": round(cold.new_titles / cold.seconds, 1) if cold.seconds else None,
                "second_run_hit_ratio": round(warm.cached_titles / seen, 4) if seen else None,
                "second_run_seconds": round(warm.seconds, 3),
                "version": cold.version,
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
