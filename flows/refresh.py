"""The refresh flow: ingest every source -> build the models -> validate -> publish.

One writer at a time: the ``outlook-writer`` Prefect concurrency limit when the server has
it (``flows.concurrency``), and always the lock beside the warehouse. Every run that got the
lock leaves a markdown artifact and two table artifacts (loads, checks) on its flow run
(content from ``outlook.run_summary``). Sources that fail do not stop the
others; the models are rebuilt from whatever is loaded (a failed source keeps its previous
good rows), and the run ends failed, naming each failed source. A failed build or quality
gate leaves the previous marts and the previous published snapshot in place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run
from prefect.states import Failed, State

from flows.concurrency import writer_slot
from flows.ingest import SourceOutcome, ingest_sources
from flows.ingest_postings import ingest_postings_files
from outlook.build.models import BuildReport
from outlook.build.pipeline import build_warehouse
from outlook.config import Settings, resolve_settings
from outlook.lock import writer_lock
from outlook.publish.guard import PublishRefused
from outlook.publish.run import Published, publish_all
from outlook.quality import CheckResult, validate_marts
from outlook.run_summary import (
    CHECKS_KEY,
    LOADS_KEY,
    SUMMARY_KEY,
    checks_table,
    loads_table,
    summary_markdown,
)
from outlook.runs import finish_run, start_run
from outlook.warehouse import connect


class RefreshFailed(RuntimeError):
    """The refresh finished with failures; ``summary`` says what did and did not happen."""

    def __init__(self, summary: RefreshSummary) -> None:
        self.summary = summary
        super().__init__("; ".join(summary.errors))


@dataclass
class RefreshSummary:
    run_id: str
    sources: list[SourceOutcome] = field(default_factory=list)
    build: BuildReport | None = None
    checks: list[CheckResult] = field(default_factory=list)
    snapshot: str | None = None
    dashboard: str | None = None
    errors: list[str] = field(default_factory=list)


@task(timeout_seconds=3600, cache_policy=NO_CACHE)
def build_models(settings: Settings, run_id: str) -> BuildReport:
    with connect(settings.db) as con:
        return build_warehouse(con, run_id)


@task(timeout_seconds=1800, cache_policy=NO_CACHE)
def validate(settings: Settings, run_id: str) -> list[CheckResult]:
    with connect(settings.db) as con:
        return validate_marts(con, run_id, keep_runs=settings.gx_keep_runs)


@task(timeout_seconds=1800, cache_policy=NO_CACHE)
def publish(settings: Settings, run_id: str) -> tuple[Published | None, str | None]:
    """(what was published, None), or (None, why) when a guard refused: a refusal is an
    outcome of the run, not a crash of the task (no traceback in the log)."""
    # the same publish as `outlook publish`: snapshot, tables, lake, exports, dashboard
    with connect(settings.db) as con:
        try:
            return publish_all(con, settings, run_id, log=get_run_logger().info), None
        except PublishRefused as exc:
            return None, str(exc)


def _start_run(settings: Settings, run_id: str, command: str) -> None:
    """Record the run (and mark runs a kill left 'running' as crashed), as CLI writers do."""
    start_run(settings, run_id, command, flow_run_id=run_id)


def _finish_run(settings: Settings, run_id: str, errors: list[str]) -> None:
    finish_run(settings, run_id, errors)


def _report(summary: RefreshSummary) -> None:
    """The run's artifacts. A server that cannot take them costs the report, not the run
    (its data outcome is already recorded in meta.runs), so this logs instead of raising."""
    data_docs = next((Path(c.docs_path) for c in summary.checks if c.docs_path), None)
    markdown = summary_markdown(
        summary.run_id, summary.sources, summary.checks, snapshot=summary.snapshot,
        errors=summary.errors, data_docs=data_docs,
        dashboard=Path(summary.dashboard) if summary.dashboard else None,
    )  # fmt: skip
    outcome = "failed" if summary.errors else "succeeded"
    try:
        create_markdown_artifact(markdown, key=SUMMARY_KEY, description=f"Refresh {outcome}")
        create_table_artifact(
            loads_table(summary.sources), key=LOADS_KEY, description="One row per source"
        )
        create_table_artifact(
            checks_table(summary.checks), key=CHECKS_KEY, description="One row per suite"
        )
    except Exception as exc:
        get_run_logger().warning("run artifacts not recorded: %s", type(exc).__name__)


@flow(name="refresh", log_prints=True)
def refresh(
    db: str = "data/warehouse/outlook.duckdb",
    mirror: str | None = None,
    raw_dir: str = "data/raw",
    publish_dir: str = "data/published",
    sources: list[str] | None = None,
    wait_for_lock_s: float = 0.0,
    postings: list[str] | None = None,
    postings_profile: str = "generic",
    task_runner: str | None = None,
    allow_shrink: bool = False,
) -> RefreshSummary | State:
    """Refresh the warehouse from upstream (or a mirror) and publish a new snapshot.

    ``postings`` names posting files, folders or globs to load with ``postings_profile``;
    ``task_runner`` (else env OUTLOOK_TASK_RUNNER) says where they are read and enriched:
    ``serial`` (in this process), ``dask://HOST:PORT`` or ``dask:local[:N]``.
    ``allow_shrink`` (else env OUTLOOK_ALLOW_SHRINK) publishes a snapshot holding far fewer
    postings than the published one; without it that publish is refused and the run fails.
    """
    # the flow is an edge too (deployments call it): paths from the parameters, the rest
    # (contact User-Agent BLS requires, retry budget, API URLs) from the environment
    settings = resolve_settings(
        db, mirror, raw_dir, publish_dir, task_runner=task_runner, allow_shrink=allow_shrink
    )
    run_id = str(flow_run.get_id() or "local")
    logger = get_run_logger()
    summary = RefreshSummary(run_id=run_id)
    with (
        writer_slot(wait_for_lock_s, log=logger.info),
        writer_lock(settings.lock_path, command="refresh", flow_run=run_id, wait_s=wait_for_lock_s),
    ):
        _start_run(settings, run_id, "refresh")
        try:
            # fetched in parallel (one lane per host), loaded one at a time
            for outcome in ingest_sources(settings, run_id, sources):
                summary.sources.append(outcome)
                if outcome.status == "failed":
                    summary.errors.append(f"source {outcome.source} failed: {outcome.message}")
            if postings:
                loads, errors = ingest_postings_files(postings, postings_profile, settings, run_id)
                summary.sources += [
                    SourceOutcome(
                        f"{load.source} {Path(load.file).name}",
                        load.outcome,
                        load.message,
                        load.rows_loaded,
                    )
                    for load in loads
                ]
                summary.errors += errors
            summary.build = build_models(settings, run_id)
            summary.checks = validate(settings, run_id)
            failed_checks = [c for c in summary.checks if not c.success]
            for check in failed_checks:
                summary.errors.append(f"quality gate failed on {check.table}: {check.summary}")
            if failed_checks:
                logger.error("not publishing: %d quality gate(s) failed", len(failed_checks))
            else:
                published, refused = publish(settings, run_id)
                if published is None:
                    logger.error("not publishing: %s", refused)
                    summary.errors.append(str(refused))
                else:
                    summary.snapshot = str(published.snapshot)
                    summary.dashboard = str(published.dashboard) if published.dashboard else None
        except Exception as exc:
            summary.errors.append(str(exc))
            _finish_run(settings, run_id, summary.errors)
            _report(summary)
            raise RefreshFailed(summary) from exc
        _finish_run(settings, run_id, summary.errors)
        _report(summary)
    if summary.errors:
        # An expected failure (a source, a gate, a refused publish) ends the run Failed with
        # its reasons and no traceback in the log; a caller still gets RefreshFailed raised.
        return Failed(message="; ".join(summary.errors)[:2000], data=RefreshFailed(summary))
    return summary
