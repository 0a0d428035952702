"""Ingest posting files dropped in a folder: one task per file, loads one after another.

Each file is kept in the raw store, read with its mapping profile, enriched, checked and
loaded with its quarantine rows in one transaction; the same bytes again are a no-op.

With a Dask task runner (``Settings.task_runner``), the keep + read + enrich of each file
runs on the Dask workers, which write Parquet to a staging folder under ``raw_dir``; the
writer (this process) loads each file's Parquet in input order as soon as it is ready,
with the same gate and the same transaction as the serial load.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows.task_runners import StagingArea, dask_task_runner
from outlook.config import Settings
from outlook.ingest.posting_files import (
    PostingsFile,
    PostingsLoad,
    expand_paths,
    identify_postings_file,
    load_postings_file,
)
from outlook.ingest.posting_parquet import StagedParquet, load_staged_file, stage_to_parquet
from outlook.warehouse import connect, previous_load

# (file, the step that loads it, the folder its staged Parquet is in when it has one)
Step = tuple[Path, Callable[[], PostingsLoad], Path | None]


@task(
    retries=0,
    timeout_seconds=3600,
    task_run_name="load-postings-{path.name}",
    cache_policy=NO_CACHE,
)
def load_postings(path: Path, profile: str, settings: Settings, run_id: str) -> PostingsLoad:
    with connect(settings.db) as con:
        return load_postings_file(con, path, profile, settings.raw_dir, run_id)


# No timeout_seconds: in a Dask worker's thread a Prefect timeout cannot interrupt the task
# (Prefect warns so); the writer's load task, which waits for it, has the run's timeout.
@task(
    retries=0,
    task_run_name="stage-postings-{file.path.name}",
    cache_policy=NO_CACHE,
    persist_result=False,  # the manifest travels back through Dask; nothing to keep
)
def stage_postings(file: PostingsFile, raw_dir: Path, folder: Path) -> StagedParquet:
    """On a Dask worker: keep, read and enrich one file into Parquet (no warehouse)."""
    return stage_to_parquet(file, raw_dir, folder)


@task(
    retries=0,
    timeout_seconds=3600,
    task_run_name="load-staged-postings-{file.path.name}",
    cache_policy=NO_CACHE,
)
def load_staged_postings(
    file: PostingsFile,
    staged: Callable[[], StagedParquet] | None,
    settings: Settings,
    run_id: str,
) -> PostingsLoad:
    # ``staged`` is the future's result method, not the future: handed a future, Prefect
    # would skip this task when the staging failed, and the failure must reach meta.loads
    with connect(settings.db) as con:
        return load_staged_file(con, file, file.clock(run_id), staged, settings.raw_dir)


def ingest_postings_files(
    patterns: list[str], profile: str, settings: Settings, run_id: str
) -> tuple[list[PostingsLoad], list[str]]:
    """Load every file; a bad file is reported and the others still load."""
    paths = expand_paths(patterns)
    if settings.task_runner.serial:
        steps = [(p, partial(load_postings, p, profile, settings, run_id), None) for p in paths]
        return _load_each(steps)
    get_run_logger().info("staging %d posting file(s) on %s", len(paths), settings.task_runner)
    with (
        dask_task_runner(settings.task_runner) as runner,
        StagingArea(settings.raw_dir, run_id) as area,
    ):
        return _load_each(_stage_on_workers(runner, area, paths, profile, settings, run_id))


def _stage_on_workers(
    runner, area: StagingArea, paths: list[Path], profile: str, settings: Settings, run_id: str
) -> list[Step]:
    """Send every file not loaded yet to the workers at once; return the writer's steps in
    input order (each waits for its own file only, so loads start with the first file)."""
    steps: list[Step] = []
    sent: set[str] = set()  # the same bytes twice in a run: the second waits for the first
    with connect(settings.db) as con:  # closed before the first load opens its own
        for index, path in enumerate(paths):
            try:
                file = identify_postings_file(path, profile)
            except Exception as exc:  # unreadable, or an unknown profile: this file fails
                steps.append((path, partial(_raise, exc), None))
                continue
            staged, folder = None, None
            if file.sha256 not in sent and previous_load(con, file.source, file.sha256) is None:
                sent.add(file.sha256)
                folder = area.folder(index, path)
                params = {"file": file, "raw_dir": settings.raw_dir, "folder": folder}
                staged = runner.submit(stage_postings, params).result
            load = partial(load_staged_postings, file, staged, settings, run_id)
            steps.append((path, load, folder))
    return steps


def _raise(exc: Exception) -> PostingsLoad:
    raise exc


def _load_each(steps: list[Step]) -> tuple[list[PostingsLoad], list[str]]:
    logger = get_run_logger()
    loads, errors = [], []
    for path, step, folder in steps:
        try:
            report = step()
        except Exception as exc:  # the reader's errors name the file, row/column and reason
            if folder is not None and folder.exists():
                exc = RuntimeError(f"{exc} (its staged Parquet is kept in {folder})")
            logger.error("failed %s: %s", path, exc)
            errors.append(f"postings file {path} failed: {exc}")
            continue
        loads.append(report)
        if report.outcome == "quarantined":  # nothing loaded: a failure, with its counts
            logger.error("failed %s: %s", path, report.message)
            errors.append(f"postings file {path} failed: {report.message}")
        else:
            logger.info(report.message)
    return loads, errors


@flow(name="ingest-postings", log_prints=True)
def ingest_postings(
    settings: Settings, run_id: str, patterns: list[str], profile: str = "generic"
) -> tuple[list[PostingsLoad], list[str]]:
    """Load posting files (paths, folders or globs) with a mapping profile."""
    return ingest_postings_files(patterns, profile, settings, run_id)
