"""Fan-out staging: fetch + parse every source in parallel, write Parquet, touch no database.

The refresh flow ingests serially because DuckDB has one writer. The expensive, independent
part (download, decompress, parse) needs no database, so this flow maps it over sources
with whatever task runner it is given: threads by default, or a Dask cluster unchanged:

    from prefect_dask import DaskTaskRunner
    stage_sources.with_options(task_runner=DaskTaskRunner(address="tcp://scheduler:8786"))(...)

Workers return small ``StagedFile`` records; the one writer then loads the Parquet files
(``insert into raw.x select * from read_parquet(...)``) under the writer lock.
Workers need the same code and a shared ``raw_dir`` / ``stage_dir`` (NFS or object storage).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner

from flows.ingest import _retry_transient, fetch_options
from outlook.config import Settings
from outlook.ingest.fetch import fetch, redact_url
from outlook.ingest.sources import by_name, select


@dataclass(frozen=True)
class StagedFile:
    source: str
    path: str  # Parquet file under stage_dir/<source>/
    sha256: str  # of the raw file it was parsed from
    rows: int
    release: str


@task(
    retries=2,
    retry_delay_seconds=[30, 120],
    retry_condition_fn=_retry_transient,
    timeout_seconds=1800,
    task_run_name="stage-{source_name}",
    cache_policy=NO_CACHE,
)
def stage_source(source_name: str, settings: Settings, stage_dir: str) -> StagedFile:
    # Looked up by name on the worker: a name pickles smaller and safer than the source.
    source = by_name()[source_name]
    fetched = fetch(source.url, fetch_options(settings, source))
    frame = source.parse(fetched.path, redact_url(source.url))[list(source.columns)]
    out = Path(stage_dir) / source.name / f"{fetched.sha256[:16]}.parquet"
    out.parent.mkdir(parents=True, exist_ok=True)
    frame.to_parquet(out, index=False)
    return StagedFile(
        source.name, str(out), fetched.sha256, len(frame), source.release(frame, source.url)
    )


@flow(name="stage-sources", task_runner=ThreadPoolTaskRunner(max_workers=4), log_prints=True)
def stage_sources(
    settings: Settings, stage_dir: str, sources: list[str] | None = None
) -> list[StagedFile]:
    """Fetch and parse the named sources in parallel into ``stage_dir``; no warehouse writes."""
    names = [s.name for s in select(sources)]
    futures = stage_source.map(names, settings=settings, stage_dir=stage_dir)
    return [f.result() for f in futures]
