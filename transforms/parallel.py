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
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        return [func(v) for v in values]
    # fork: children inherit the imported modules and compiled regexes, nothing to pickle but
    # the values; they run only the pure function (no warehouse, no network)
    context = multiprocessing.get_context("fork")
    chunk = max(1_000, len(values) // (workers * 4))
    with context.Pool(workers) as pool:
        return pool.map(func, values, chunksize=chunk)


def map_chunks(
    func: Callable[[list[Any]], Any], items: Sequence[Any], size: int = 20_000
) -> list[Any]:
    """``func`` over consecutive chunks of ``items`` (results in order), on every core when
    there are at least ``MIN_PARALLEL`` items. ``func`` may read module state the parent
    set up before the call (a built classifier): fork children inherit it."""
    chunks = [list(items[i : i + size]) for i in range(0, len(items), size)]
    workers = min(os.cpu_count() or 1, 8, len(chunks))
    if (
        len(items) < MIN_PARALLEL
        or workers < 2
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        return [func(chunk) for chunk in chunks]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return pool.map(func, chunks, chunksize=1)
