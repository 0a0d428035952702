"""Map a pure function over many distinct values on every core.

Title normalisation is pure Python and the hot spot of a large load (hundreds of thousands
of distinct raw titles: requisition numbers make many unique). Below ``MIN_PARALLEL`` values
the pool's start-up costs more than it saves, so small loads (and tests) stay serial.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import Any

MIN_PARALLEL = 50_000


def map_values(func: Callable[[Any], Any], values: Sequence[Any]) -> list[Any]:
    """``[func(v) for v in values]``, split across the machine's cores when worth it."""
    workers = min(os.cpu_count() or 1, 8)
    if (
        len(values) < MIN_PARALLEL
        or workers < 2
        or "forkserver" not in multiprocessing.get_all_start_methods()
        # a daemonic process may not have children: a Dask worker is one, and its cluster
        # already spreads the files over the cores
        or multiprocessing.current_process().daemon
    ):
        return [func(v) for v in values]
    # forkserver, not fork: the caller may run threads (Prefect's) whose locks a forked child
    # would inherit held, and hang (seen in the 10M benchmark). ``func`` must be importable.
    context = multiprocessing.get_context("forkserver")
    chunk = max(1_000, len(values) // (workers * 4))
    with context.Pool(workers) as pool:
        return pool.map(func, values, chunksize=chunk)
