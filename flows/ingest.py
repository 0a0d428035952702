"""Ingest upstream files: fetch each into the raw store, then load it into its raw table.

The story of one source: fetch (network or mirror, retried) -> record the fetch ->
parse and load in one transaction -> record the load. A source the mirror does not hold
is skipped with a notice; a source that is present but bad fails, after the others ran.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.client.schemas.objects import TaskRun
from prefect.states import State

from outlook.api_postings import ingest_adzuna, ingest_usajobs
from outlook.config import Settings
from outlook.fetch import (
    FetchError,
    FetchOptions,
    FetchResult,
    SourceNotInMirror,
    fetch,
)
from outlook.ingest import LoadReport, last_validators, load_fetched, record_fetch
from outlook.jolts import ingest_jolts
from outlook.server import guard_temporary_server
from outlook.sources import select, wants_api
from outlook.sources.base import FileSource
from outlook.warehouse import connect

# A flow run here without PREFECT_API_URL makes Prefect start a temporary server: it must
# not outlive this process when this process is killed.
guard_temporary_server()


def _retry_transient(task: object, task_run: TaskRun, state: State) -> bool:
    """Retry network trouble; a missing file, a 4xx or a bad body will not get better."""
    try:
        state.result()
    except FetchError as exc:
        return exc.transient
    except Exception:
        return False
    return False


def fetch_options(settings: Settings, source: FileSource) -> FetchOptions:
    return FetchOptions.from_settings(settings, source.expect)


def download_cache_key(context: object, parameters: dict[str, Any]) -> str | None:
    """Cache a network download on its URL plus the ETag/Last-Modified/sha256 of the last
    good fetch, whose raw file must still exist: a re-run within the hour (a retried or
    re-triggered refresh) reuses it without asking upstream again. None (no cache) for the
    first download, when the raw file is gone, and in mirror mode, where a copy is cheap and
    a cached result could point into a raw store that has since been rebuilt."""
    source: FileSource = parameters["source"]
    settings: Settings = parameters["settings"]
    if settings.mirror is not None:
        return None
    with connect(settings.db) as con:
        previous = last_validators(con, source)
    if previous is None or previous.raw_path is None or not previous.raw_path.exists():
        return None
    token = f"{previous.etag}|{previous.last_modified}|{previous.sha256}|{previous.raw_path}"
    key = f"{source.url}|{settings.raw_dir.resolve()}|{token}"
    return "download-" + hashlib.sha256(key.encode()).hexdigest()


@task(
    retries=2,
    retry_delay_seconds=[30, 120],
    retry_condition_fn=_retry_transient,
    timeout_seconds=1800,
    task_run_name="fetch-{source.name}",
    cache_key_fn=download_cache_key,
    cache_expiration=timedelta(hours=1),
    persist_result=True,
)
def fetch_source(source: FileSource, settings: Settings) -> FetchResult:
    with connect(settings.db) as con:
        previous = last_validators(con, source)
    return fetch(source.url, fetch_options(settings, source), previous=previous)


@task(retries=0, timeout_seconds=3600, task_run_name="load-{source.name}", cache_policy=NO_CACHE)
def load_source(
    source: FileSource, fetched: FetchResult, settings: Settings, run_id: str
) -> LoadReport:
    with connect(settings.db) as con:
        fetch_id = record_fetch(con, run_id, source, fetched)
        return load_fetched(con, run_id, source, fetched, fetch_id)


@task(
    retries=2,
    retry_delay_seconds=[30, 120],
    retry_condition_fn=_retry_transient,
    timeout_seconds=1800,
    cache_policy=NO_CACHE,
)
def load_jolts(settings: Settings, run_id: str) -> LoadReport:
    with connect(settings.db) as con:
        return ingest_jolts(con, settings, run_id)


# Posting APIs: a missing key is a skip, not a failure (see outlook/api_postings.py).
POSTING_APIS = {"usajobs": ingest_usajobs, "adzuna": ingest_adzuna}


@task(
    retries=2,
    retry_delay_seconds=[30, 120],
    retry_condition_fn=_retry_transient,
    timeout_seconds=3600,
    task_run_name="load-{name}",
    cache_policy=NO_CACHE,
)
def load_posting_api(name: str, settings: Settings, run_id: str) -> LoadReport:
    # Keys are read inside (never task parameters, which Prefect records).
    with connect(settings.db) as con:
        return POSTING_APIS[name](con, settings, run_id)


@dataclass(frozen=True)
class SourceOutcome:
    source: str
    status: str  # loaded | unchanged | superseded | skipped | failed
    message: str
    rows: int = 0
    release: str | None = None


def ingest_one(source: FileSource, settings: Settings, run_id: str) -> SourceOutcome:
    """Fetch and load one source; never raises, so one bad source cannot stop the others."""
    logger = get_run_logger()
    try:
        fetched = fetch_source(source, settings)
    except SourceNotInMirror as exc:
        _record_skip(settings, run_id, source, "skipped", str(exc))
        logger.info("skipped %s: %s", source.name, exc)
        return SourceOutcome(source.name, "skipped", str(exc))
    except FetchError as exc:
        _record_skip(settings, run_id, source, "failed", str(exc))
        logger.error("failed %s: %s", source.name, exc)
        return SourceOutcome(source.name, "failed", str(exc))
    try:
        report = load_source(source, fetched, settings, run_id)
    except Exception as exc:  # parser and load errors name the file and the reason
        logger.error("failed %s: %s", source.name, exc)
        return SourceOutcome(source.name, "failed", str(exc))
    logger.info(
        "%s %s: %s (%d rows)", report.outcome, source.name, report.message, report.rows_loaded
    )
    return SourceOutcome(
        source.name, report.outcome, report.message, report.rows_loaded, report.release
    )


def ingest_jolts_source(settings: Settings, run_id: str) -> SourceOutcome:
    """JOLTS through the BLS API; like ``ingest_one``, never raises."""
    logger = get_run_logger()
    try:
        report = load_jolts(settings, run_id)
    except SourceNotInMirror as exc:
        logger.info("skipped jolts: %s", exc)
        return SourceOutcome("jolts", "skipped", str(exc))
    except Exception as exc:
        logger.error("failed jolts: %s", exc)
        return SourceOutcome("jolts", "failed", str(exc))
    return SourceOutcome(
        "jolts", report.outcome, report.message, report.rows_loaded, report.release
    )


def ingest_posting_api_source(name: str, settings: Settings, run_id: str) -> SourceOutcome:
    """A posting API (usajobs, adzuna); like ``ingest_one``, never raises. No key, or no
    recorded pages in mirror mode, is a skip with a one-line notice."""
    logger = get_run_logger()
    try:
        report = load_posting_api(name, settings, run_id)
    except SourceNotInMirror as exc:
        logger.info("skipped %s: %s", name, exc)
        return SourceOutcome(name, "skipped", str(exc))
    except Exception as exc:  # errors name the page; keys are already blanked
        logger.error("failed %s: %s", name, exc)
        return SourceOutcome(name, "failed", str(exc))
    if report.outcome == "skipped":
        logger.info("skipped %s: %s", name, report.message)
    else:
        logger.info("%s %s: %s (%d rows)", report.outcome, name, report.message, report.rows_loaded)
    return SourceOutcome(name, report.outcome, report.message, report.rows_loaded, report.release)


def _record_skip(
    settings: Settings, run_id: str, source: FileSource, status: str, message: str
) -> None:
    with connect(settings.db) as con:
        record_fetch(con, run_id, source, None, status=status, message=message)


@flow(name="ingest", log_prints=True)
def ingest(
    settings: Settings, run_id: str, sources: list[str] | None = None
) -> list[SourceOutcome]:
    """Ingest the named sources (or groups), one after another (DuckDB has one writer)."""
    outcomes = [ingest_one(source, settings, run_id) for source in select(sources)]
    if wants_api("jolts", sources):
        outcomes.append(ingest_jolts_source(settings, run_id))
    for name in POSTING_APIS:
        if wants_api(name, sources):
            outcomes.append(ingest_posting_api_source(name, settings, run_id))
    return outcomes
