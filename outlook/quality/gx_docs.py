"""Where the Great Expectations folder lives, and its Data Docs: history kept, then pruned.

The folder sits beside the warehouse: ``data/warehouse/outlook.duckdb`` -> ``data/gx``
(a warehouse outside a ``warehouse`` folder, ``x/w.duckdb``, gets ``x/gx``), so tests and
benchmarks on other ``--db`` paths never write into the repository's ``data/gx``. Paths
need no GX import (``outlook status`` prints the docs link without paying for it).

Every gate run stores its results there; ``update_docs`` renders the ones not yet rendered
(batch gates of the ingest and this run's mart gate) in one incremental build, after
dropping each suite's results beyond the newest ``keep``. GX's ``UpdateDataDocsAction``
rebuilds the site once per validation result: 27 suites, each through a Checkpoint with
it, took 10-19 s per run here (growing with the history) against 0.6-2 s for one build of
the whole site after them (GX 1.24, 8 runs).
"""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path
from typing import Any

import duckdb

KEEP_RUNS = 30  # validation results kept per suite (Settings.gx_keep_runs)
DOCS_SUBDIR = Path("uncommitted") / "data_docs" / "local_site"


def gx_dir_for(con: duckdb.DuckDBPyConnection) -> Path | None:
    """The GX folder beside the warehouse (None for an in-memory one)."""
    row = con.execute(
        "select path from duckdb_databases() where database_name = current_database()"
    ).fetchone()
    if not row or not row[0]:
        return None
    folder = Path(row[0]).resolve().parent
    if folder.name == "warehouse":
        folder = folder.parent
    return folder / "gx"


def docs_dir_for(con: duckdb.DuckDBPyConnection) -> Path | None:
    """The Data Docs site of the warehouse's GX folder."""
    folder = gx_dir_for(con)
    return folder / DOCS_SUBDIR if folder is not None else None


def docs_index(con: duckdb.DuckDBPyConnection) -> Path | None:
    folder = docs_dir_for(con)
    index = folder / "index.html" if folder else None
    return index if index is not None and index.exists() else None


def prune_results(context: Any, keep: int) -> int:
    """Drop each suite's validation results beyond the newest ``keep``; return how many.
    Their Data Docs pages go at the next index build (GX removes pages without a result)."""
    by_suite: dict[str, list[Any]] = defaultdict(list)
    store = context.validation_results_store
    for key in store.list_keys():
        by_suite[key.expectation_suite_identifier.name].append(key)
    removed = 0
    for keys in by_suite.values():
        keys.sort(key=lambda k: k.run_id.run_time, reverse=True)
        for key in keys[max(keep, 1) :]:
            store.remove_key(key)
            removed += 1
    return removed


def update_docs(gx_dir: Path, keep: int = KEEP_RUNS) -> Path | None:
    """Prune, then render the results stored since the last build and the index page."""
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
    )

    from outlook.quality.gx_runner import LOCK, SITE, context_for

    index = gx_dir / DOCS_SUBDIR / "index.html"
    with LOCK:
        context = context_for(gx_dir)
        pruned = prune_results(context, keep)
        since = index.stat().st_mtime if index.exists() else None
        new = [
            key
            for key in context.validation_results_store.list_keys()
            if since is None or key.run_id.run_time.timestamp() >= since
        ]
        suites = {key.expectation_suite_identifier.name for key in new}
        if new or pruned or not index.exists():
            # an empty list would mean "render everything": pass None only for a first build
            resources = [*new, *(ExpectationSuiteIdentifier(name=n) for n in sorted(suites))]
            context.build_data_docs(site_names=[SITE], resource_identifiers=resources or None)
        if pruned:
            # GX deletes the files but leaves their run folders behind
            for folder in (gx_dir / "uncommitted" / "validations", index.parent / "validations"):
                _drop_empty_folders(folder)
    return index if index.exists() else None


def _drop_empty_folders(root: Path) -> None:
    # bottom-up, and looking again: a folder listed with children may be empty by now
    for folder, _, _ in os.walk(root, topdown=False):
        path = Path(folder)
        if path != root and not any(path.iterdir()):
            path.rmdir()
