"""The Dask task runner a ``TaskRunnerSpec`` names, and the staging area its workers write to.

``dask://HOST:PORT`` connects to a running scheduler (its workers need this package
installed and ``raw_dir`` on storage they share with the writer); ``dask:local:N`` starts a
LocalCluster of N single-threaded worker processes, closed (processes and all) when the
runner's ``with`` block ends.
"""

from __future__ import annotations

import logging
import re
import shutil
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from outlook.config import TaskRunnerSpec

if TYPE_CHECKING:
    from prefect_dask import DaskTaskRunner

STAGING = ".staging"  # under raw_dir, beside the raw store's .incoming


def dask_task_runner(spec: TaskRunnerSpec) -> DaskTaskRunner:
    from prefect_dask import DaskTaskRunner

    # the scheduler and nannies of a LocalCluster log in this process: their INFO lines
    # (ports, workers joining and leaving) would drown the run's own
    logging.getLogger("distributed").setLevel(logging.WARNING)
    if spec.address is not None:
        return DaskTaskRunner(address=f"tcp://{spec.address}")
    return DaskTaskRunner(
        cluster_class="distributed.LocalCluster",
        cluster_kwargs={
            "n_workers": spec.local_workers,
            # one file per worker at a time: DuckDB already uses the worker's cores
            "threads_per_worker": 1,
            "processes": True,
            # the scheduler serves HTTP even without a dashboard: on a random port, so two
            # runs (or a run and a test) never compete for 8787
            "dashboard_address": "127.0.0.1:0",
        },
    )


class StagingArea:
    """``raw_dir/.staging/<run>-<random>/``: one folder per file, numbered in input order.
    A file's folder goes once its load is written; the run's folder goes at the end when
    nothing is left in it (a failed file's Parquet is kept for a look, and named)."""

    def __init__(self, raw_dir: Path, run_id: str) -> None:
        name = re.sub(r"[^A-Za-z0-9_.-]", "_", run_id)
        self.root = raw_dir / STAGING / f"{name}-{uuid.uuid4().hex[:8]}"

    def folder(self, index: int, path: Path) -> Path:
        return self.root / f"{index:05d}-{path.name}"

    def __enter__(self) -> StagingArea:
        self.root.mkdir(parents=True, exist_ok=True)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.root.is_dir() and not any(self.root.iterdir()):
            shutil.rmtree(self.root, ignore_errors=True)
