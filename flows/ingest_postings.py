"""Ingest posting files dropped in a folder: one task per file, loads one after another.

Each file is kept in the raw store, read with its mapping profile, enriched, checked and
loaded with its quarantine rows in one transaction; the same bytes again are a no-op.
"""

from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from outlook.config import Settings
from outlook.ingest.posting_files import PostingsLoad, expand_paths, load_postings_file
from outlook.warehouse import connect


@task(
    retries=0,
    timeout_seconds=3600,
    task_run_name="load-postings-{path.name}",
    cache_policy=NO_CACHE,
)
def load_postings(path: Path, profile: str, settings: Settings, run_id: str) -> PostingsLoad:
    with connect(settings.db) as con:
        return load_postings_file(con, path, profile, settings.raw_dir, run_id)


def ingest_postings_files(
    patterns: list[str], profile: str, settings: Settings, run_id: str
) -> tuple[list[PostingsLoad], list[str]]:
    """Load every file; a bad file is reported and the others still load."""
    logger = get_run_logger()
    loads, errors = [], []
    for path in expand_paths(patterns):
        try:
            report = load_postings(path, profile, settings, run_id)
        except Exception as exc:  # the reader's errors name the file, row/column and reason
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
