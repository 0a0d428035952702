"""Ingest upstream sources: fetch each into the raw store, then load it into its raw table.

The story of one run (``ingest_sources``): every selected source is fetched in worker
threads, one lane per host (a host's sources one after another, hosts in parallel: nobody
gets parallel requests from us, and a host found unreachable fails its other files at
once), while the loads run one at a time, in load order, in the calling thread (DuckDB has
one writer). A source the mirror does not hold, or an API without its key, is skipped with
a notice; a source that is present but bad fails with one line naming it and the reason,
after the others ran. Network trouble is retried by the fetch layer within one budget per
file (``outlook.ingest.retry_policy``); the tasks here do not retry on top of it.
"""

from __future__ import annotations

import contextvars
import hashlib
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.transactions import get_transaction

from outlook.config import Settings
from outlook.ingest.fetch import FetchError, FetchOptions, SourceNotInMirror
from outlook.ingest.raw_loads import LoadReport, last_validators
from outlook.ingest.registry import select
from outlook.ingest.retry_policy import TASK_RETRIES, host_breaker
from outlook.ingest.secrets import SecretUnavailable
from outlook.ingest.sources.base import FileSource, NotFetched, Source
from outlook.warehouse import connect

FETCH_LANES = 4  # hosts fetched at once


def fetch_options(settings: Settings, source: FileSource) -> FetchOptions:
    return FetchOptions.from_settings(settings, source.expect)


def _not_fetched(exc: FetchError) -> NotFetched:
    _keep_out_of_cache()
    return NotFetched("skipped" if isinstance(exc, SourceNotInMirror) else "failed", str(exc))


def _keep_out_of_cache() -> None:
    """Prefect caches what a cached task returns: a failed download must not be served from
    the download cache for the next hour."""
    transaction = get_transaction()
    if transaction is not None:
        transaction.write_on_commit = False


def download_cache_key(context: object, parameters: dict[str, Any]) -> str | None:
    """Cache a network download on its URL plus the ETag/Last-Modified/sha256 of the last
    good fetch, whose raw file must still exist: a re-run within the hour (a retried or
    re-triggered refresh) reuses it without asking upstream again. None (no cache) for the
    first download, when the raw file is gone, and in mirror mode, where a copy is cheap and
    a cached result could point into a raw store that has since been rebuilt."""
    source = parameters["source"]
    source = getattr(source, "source", source)  # a FileIngest, or its FileSource
    settings: Settings = parameters["settings"]
    if settings.mirror is not None:
        return None
    if "previous" in parameters:  # read by the run before its fetch threads started
        previous = parameters["previous"]
    else:
        with connect(settings.db) as con:
            previous = last_validators(con, source)
    if previous is None or previous.raw_path is None or not previous.raw_path.exists():
        return None
    token = f"{previous.etag}|{previous.last_modified}|{previous.sha256}|{previous.raw_path}"
    key = f"{source.url}|{settings.raw_dir.resolve()}|{token}"
    return "download-" + hashlib.sha256(key.encode()).hexdigest()


def _fetch(source: Source, settings: Settings, previous: Any) -> Any:
    try:
        return source.fetch(settings, previous)
    except FetchError as exc:
        return _not_fetched(exc)
    except SecretUnavailable as exc:  # its key's store is down: this source fails, not skips
        _keep_out_of_cache()
        return NotFetched("failed", str(exc))


# The fetch tasks run in worker threads, where a Prefect timeout cannot interrupt a
# request: the fetch layer bounds them (timeout_s per read, max_download_s per body,
# retry_budget_s per file), and its retries are the only ones (TASK_RETRIES).
@task(
    **TASK_RETRIES.options(),
    task_run_name="fetch-{source.name}",
    cache_key_fn=download_cache_key,
    cache_expiration=timedelta(hours=1),
    persist_result=True,
)
def fetch_cached(source: Source, settings: Settings, previous: Any) -> Any:
    """A source whose download may be reused within the hour (``source.cacheable``)."""
    return _fetch(source, settings, previous)


@task(**TASK_RETRIES.options(), task_run_name="fetch-{source.name}", cache_policy=NO_CACHE)
def fetch_source(source: Source, settings: Settings, previous: Any) -> Any:
    """A source whose fetch is never cached (API responses: a result may hold keys)."""
    return _fetch(source, settings, previous)


@task(
    **TASK_RETRIES.options(),
    timeout_seconds=3600,
    task_run_name="load-{source.name}",
    cache_policy=NO_CACHE,
)
def load_source(
    source: Source, fetched: Any, settings: Settings, run_id: str
) -> LoadReport | NotFetched:
    with connect(settings.db) as con:
        try:
            return source.load(con, settings, run_id, fetched)
        except FetchError as exc:  # a page could not be fetched: recorded, pages before it kept
            return _not_fetched(exc)


@dataclass(frozen=True)
class SourceOutcome:
    source: str
    status: str  # loaded | unchanged | superseded | skipped | failed
    message: str
    rows: int = 0
    release: str | None = None


def ingest_sources(
    settings: Settings, run_id: str, sources: list[str] | None = None
) -> list[SourceOutcome]:
    """Fetch and load the named sources (or groups; all when None), in load order: file
    sources, then JOLTS, then the posting APIs. Never raises for a source: each ends as
    one outcome, so one bad source cannot stop the others."""
    chosen = select(sources)
    # What the fetches need from the warehouse is read here, before any thread starts.
    with connect(settings.db) as con:
        prepared = [source.prepare(con) for source in chosen]
    steps: list[tuple[str, str, Callable[[], object]]] = [
        (
            source.name,
            source.host(settings),
            partial(fetch_cached if source.cacheable else fetch_source, source, settings, state),
        )
        for source, state in zip(chosen, prepared, strict=True)
    ]
    with host_breaker(), _Lanes(steps) as fetched:
        return [
            _finish(source.name, fetched[source.name], partial(_load, source, settings, run_id))
            for source in chosen
        ]


def _finish(
    name: str, step: Future[object], load: Callable[[object], LoadReport | NotFetched]
) -> SourceOutcome:
    """Wait for a source's fetch, load what it got, and say how it ended, in one line."""
    logger = get_run_logger()
    try:
        report = load(step.result())
    except Exception as exc:  # parser and load errors name the file and the reason
        report = NotFetched("failed", str(exc))
    if isinstance(report, NotFetched):
        if report.status == "skipped":
            logger.info("skipped %s: %s", name, report.message)
        else:
            logger.error("failed %s: %s", name, report.message)
        return SourceOutcome(name, report.status, report.message)
    if report.outcome == "skipped":
        logger.info("skipped %s: %s", name, report.message)
    else:
        logger.info("%s %s: %s (%d rows)", report.outcome, name, report.message, report.rows_loaded)
    return SourceOutcome(name, report.outcome, report.message, report.rows_loaded, report.release)


def _load(source: Source, settings: Settings, run_id: str, got: object) -> LoadReport | NotFetched:
    if isinstance(got, NotFetched):
        with connect(settings.db) as con:
            source.not_fetched(con, run_id, got)
        return got
    return load_source(source, got, settings, run_id)


class _Lanes:
    """Run fetch steps in worker threads, one lane per host: a host's steps in order, up to
    ``FETCH_LANES`` hosts at once. Each lane runs in its own copy of the caller's context, so
    its Prefect tasks belong to the caller's flow run and see the run's host breaker."""

    def __init__(self, steps: list[tuple[str, str, Callable[[], object]]]) -> None:
        self.futures: dict[str, Future[object]] = {name: Future() for name, _, _ in steps}
        self.lanes: dict[str, list[tuple[str, Callable[[], object]]]] = {}
        for name, host, step in steps:
            self.lanes.setdefault(host, []).append((name, step))
        self.pool = ThreadPoolExecutor(
            max_workers=max(1, min(FETCH_LANES, len(self.lanes))), thread_name_prefix="fetch"
        )

    def __enter__(self) -> dict[str, Future[object]]:
        for steps in self.lanes.values():
            self.pool.submit(contextvars.copy_context().run, self._run, steps)
        return self.futures

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if error is not None:  # interrupted: start nothing new, do not wait for downloads
            for future in self.futures.values():
                future.cancel()
        self.pool.shutdown(wait=error is None, cancel_futures=True)

    def _run(self, steps: list[tuple[str, Callable[[], object]]]) -> None:
        for name, step in steps:
            future = self.futures[name]
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(step())
            except BaseException as exc:  # handed to the loading thread, which reports it
                future.set_exception(exc)


@flow(name="ingest", log_prints=True)
def ingest(
    settings: Settings, run_id: str, sources: list[str] | None = None
) -> list[SourceOutcome]:
    """Ingest the named sources (or groups): fetched in parallel, loaded one at a time."""
    return ingest_sources(settings, run_id, sources)
