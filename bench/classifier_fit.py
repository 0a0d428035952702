"""Classifier fit time, one process vs several, and whether they fit the same weights.

    python bench/classifier_fit.py WAREHOUSE_COPY.duckdb [WORKERS]

Builds the classifier from the warehouse's O*NET lists (no saved models used) once on one
process and once on WORKERS (default 2), and reports both times and whether the saved
states (every key, index entry and weight) are byte for byte the same.
"""

from __future__ import annotations

import json
import sys
import time

from outlook.build.classification import onet_frames
from outlook.warehouse import connect
from transforms.classify import TitleClassifier


def main(db: str, workers: int) -> int:
    with connect(db, read_only=True) as con:
        onet = onet_frames(con)
    if onet is None:
        raise SystemExit(f"no O*NET release in {db}")
    frames, _ = onet
    seconds: dict[str, float] = {}
    blobs: dict[str, bytes] = {}
    for n in (1, workers):
        started = time.perf_counter()
        clf = TitleClassifier.from_onet(frames, "bench", naics_priors={}, fit_workers=n)
        seconds[f"workers_{n}"] = round(time.perf_counter() - started, 2)
        blobs[f"workers_{n}"] = clf.state_blob()
    same = len(set(blobs.values())) == 1
    print(json.dumps({**seconds, "identical_state": same, "state_bytes": len(blobs["workers_1"])}))
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 2))
