"""Load posting files the way the ingest flow's task does, without Prefect around it.

    python bench/ingest_step.py WAREHOUSE RAW_DIR PROFILE FILE [FILE ...]

The flow's task (``flows/ingest_postings.py:load_postings``) opens the warehouse and calls
``outlook.ingest.posting_files.load_postings_file`` for each file; this does the same calls in
one process, so its wall time is "ingest excluding Prefect start-up" measured directly. (The
bench once subtracted a separately measured start-up from the CLI's time: the start-up varies
by several seconds between runs, and the +1% run's difference came out negative.)
"""

from __future__ import annotations

import json
import sys
import time
import uuid
from pathlib import Path

from outlook.ingest.posting_files import load_postings_file
from outlook.warehouse import connect


def main(db: str, raw_dir: str, profile: str, files: list[str]) -> int:
    started = time.perf_counter()
    run_id = f"bench-ingest-{uuid.uuid4().hex[:8]}"
    loads = []
    with connect(db) as con:
        for name in files:
            loads.append(load_postings_file(con, Path(name), profile, Path(raw_dir), run_id))
    failed = [load.file for load in loads if load.outcome not in ("loaded", "unchanged")]
    print(
        json.dumps(
            {
                "files": len(loads),
                "rows_read": sum(load.rows_read for load in loads),
                "rows_loaded": sum(load.rows_loaded for load in loads),
                "rows_quarantined": sum(load.rows_quarantined for load in loads),
                "failed": failed,
                "seconds": round(time.perf_counter() - started, 3),
            }
        )
    )
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) < 5:
        raise SystemExit(__doc__)
    raise SystemExit(main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]))
