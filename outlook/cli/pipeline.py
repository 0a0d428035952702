"""Pipeline commands: refresh, ingest, build, validate, publish."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from outlook.cli.output import error, print_outcomes
from outlook.cli.registry import command
from outlook.config import Settings


def _task_runner_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--task-runner",
        type=_task_runner,
        metavar="RUNNER",
        help="where posting files are read and enriched: serial (default), dask://HOST:PORT "
        "(a running Dask scheduler) or dask:local[:N] (a temporary N-worker cluster, 2 by "
        "default); one writer loads them either way (env OUTLOOK_TASK_RUNNER)",
    )


def _task_runner(value: str) -> str:
    from outlook.config import TaskRunnerError, parse_task_runner

    try:
        return str(parse_task_runner(value))
    except TaskRunnerError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _sources_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--source",
        action="append",
        dest="sources",
        metavar="NAME",
        help="only this source or group (repeatable); default: all",
    )
    parser.add_argument(
        "--wait",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="wait this long for another writer to finish (default: exit at once)",
    )
    parser.add_argument(
        "--postings",
        action="append",
        metavar="PATH",
        help="also load posting files (file, folder or glob; repeatable)",
    )
    parser.add_argument(
        "--profile",
        default="generic",
        help="mapping profile for --postings (data/profiles/NAME.toml or a path)",
    )
    _task_runner_arg(parser)


def _allow_shrink_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--allow-shrink",
        action="store_true",
        default=None,
        help="publish even if the new snapshot holds no postings where the published one "
        "does, or loses more than OUTLOOK_MAX_SHRINK (default 0.5) of a role's postings "
        "(env OUTLOOK_ALLOW_SHRINK=1)",
    )


def _refresh_args(parser: argparse.ArgumentParser) -> None:
    _sources_arg(parser)
    _allow_shrink_arg(parser)


def _publish_args(parser: argparse.ArgumentParser) -> None:
    _wait_arg(parser)
    _allow_shrink_arg(parser)


def _wait_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--wait",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="wait this long for another writer to finish (default: exit 3 at once)",
    )


def _prefect_api(settings: Settings):
    """Flow runs report to the configured Prefect API, else to a server of this command's
    own that dies with it (Prefect's temporary server outlived a SIGKILLed command)."""
    from outlook.server import prefect_api

    return prefect_api(Path(os.environ["PREFECT_HOME"]))  # set by configure_prefect_env


def _require_warehouse(settings: Settings) -> None:
    # connect() would create an empty warehouse and then fail its gates confusingly
    if not settings.db.exists():
        raise FileNotFoundError(f"no warehouse at {settings.db}: run `outlook refresh` first")


@command(
    "refresh",
    "Ingest every source, build the models, validate, publish the snapshot.",
    _refresh_args,
)
def refresh_cmd(args: argparse.Namespace, settings: Settings) -> int:
    from outlook.lock import wait_until_free

    # Refuse (or queue) before Prefect starts its temporary server: a second refresh used
    # to take 13-37 s and print a traceback to be told the warehouse was busy. The flow
    # still takes the lock itself (deployments call it directly).
    left = wait_until_free(settings.lock_path, args.wait)
    from flows.refresh import RefreshFailed, refresh

    try:
        with _prefect_api(settings):
            summary = refresh(
                db=str(settings.db),
                mirror=str(settings.mirror) if settings.mirror else None,
                raw_dir=str(settings.raw_dir),
                publish_dir=str(settings.publish_dir),
                sources=args.sources,
                wait_for_lock_s=left,
                postings=args.postings,
                postings_profile=args.profile,
                task_runner=str(settings.task_runner),
                allow_shrink=settings.allow_shrink,
            )
    except RefreshFailed as exc:
        print_outcomes(exc.summary.sources, exc.summary.errors)
        return 1
    print_outcomes(summary.sources, [])
    print(f"warehouse: {settings.db}")
    if summary.snapshot:
        print(f"published snapshot: {summary.snapshot}")
    return 0


def _ingest_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "source_names",
        nargs="+",
        metavar="SOURCE",
        help="source names or groups; or `postings PATH...` for posting files",
    )
    parser.add_argument(
        "--profile",
        default="generic",
        help="with `postings`: mapping profile (data/profiles/NAME.toml or a path)",
    )
    _task_runner_arg(parser)
    _wait_arg(parser)


@command(
    "ingest",
    "Fetch and load sources (e.g. indeed), or `postings PATH... --profile NAME`, without "
    "rebuilding.",
    _ingest_args,
)
def ingest_cmd(args: argparse.Namespace, settings: Settings) -> int:
    from outlook.ingest.posting_files import expand_paths
    from outlook.ingest.sources import select
    from outlook.lock import wait_until_free, writer_lock
    from outlook.runs import recorded_run
    from outlook.warehouse import new_id

    postings = args.source_names[0] == "postings"
    if postings and len(args.source_names) == 1:
        error("`outlook ingest postings` needs at least one PATH")
        return 2
    if postings:
        expand_paths(args.source_names[1:])  # a missing path: exit 2 before anything is written
    else:
        try:
            select(args.source_names)
        except KeyError as exc:
            error(exc.args[0])
            return 2
    run_id = f"cli-ingest-{new_id()[:8]}"
    # Refuse (or queue) before the server starts; then the writer slot and the lock in the
    # refresh flow's order (flows.concurrency), so two writers never hold one each.
    left = wait_until_free(settings.lock_path, args.wait)
    from flows.concurrency import writer_slot

    with (
        _prefect_api(settings),
        writer_slot(left),
        writer_lock(settings.lock_path, command="ingest", wait_s=left),
        recorded_run(settings, run_id, "ingest") as errors,
    ):
        if postings:
            outcomes, failures = _ingest_postings(args, settings, run_id)
        else:
            from flows.ingest import ingest

            outcomes = ingest(settings, run_id=run_id, sources=args.source_names)
            failures = [
                f"source {o.source} failed: {o.message}" for o in outcomes if o.status == "failed"
            ]
        errors += failures  # recorded in meta.runs as this run's failure
    print_outcomes(outcomes, errors)
    return 1 if errors else 0


def _ingest_postings(args: argparse.Namespace, settings: Settings, run_id: str):
    from flows.ingest import SourceOutcome
    from flows.ingest_postings import ingest_postings

    loads, errors = ingest_postings(settings, run_id, args.source_names[1:], args.profile)
    outcomes = [
        SourceOutcome(load.file, load.outcome, load.message, load.rows_loaded) for load in loads
    ]
    return outcomes, errors


def _build_args(parser: argparse.ArgumentParser) -> None:
    _wait_arg(parser)
    parser.add_argument(
        "--full-refresh",
        action="store_true",
        help="rebuild every model from scratch (default: the posting models take only the "
        "loads that arrived since the last build)",
    )


@command(
    "build",
    "Build staging, intermediate and mart models from what is loaded (incremental by default).",
    _build_args,
)
def build_cmd(args: argparse.Namespace, settings: Settings) -> int:
    from outlook.build.pipeline import build_warehouse
    from outlook.lock import WarehouseBusy, writer_lock
    from outlook.runs import recorded_run
    from outlook.warehouse import connect, new_id

    run_id = f"cli-build-{new_id()[:8]}"
    try:
        with (
            writer_lock(settings.lock_path, command="build", wait_s=args.wait),
            recorded_run(settings, run_id, "build"),
            connect(settings.db) as con,
        ):
            report = build_warehouse(con, run_id, full_refresh=args.full_refresh)
    except WarehouseBusy:
        raise
    except Exception as exc:  # a model's error names its SQL file; the run records it
        error(f"build failed, the previous marts are kept: {exc}")
        return 1
    for table, rows, seconds in report.models:
        print(f"{table:<55} {rows:>10,} rows  {seconds:6.2f}s")
    how = (
        f"incremental, {report.new_loads} new posting load(s)"
        if report.full_reason is None
        else f"full: {report.full_reason}"
    )
    setup = ", ".join(f"{step} {seconds:.2f}s" for step, seconds in report.setup)
    print(f"built {len(report.models)} models in {report.seconds:.2f}s ({how}; {setup})")
    return 0


@command("validate", "Run the quality gates on the marts; exit non-zero on failure.", _wait_arg)
def validate_cmd(args: argparse.Namespace, settings: Settings) -> int:
    from outlook.lock import writer_lock
    from outlook.quality import docs_index, format_results, validate_marts
    from outlook.warehouse import connect, new_id

    _require_warehouse(settings)
    # validating writes meta.checks: a writer like any other, so it queues behind the lock
    with (
        writer_lock(settings.lock_path, command="validate", wait_s=args.wait),
        connect(settings.db) as con,
    ):
        results = validate_marts(
            con, f"cli-validate-{new_id()[:8]}", keep_runs=settings.gx_keep_runs
        )
        docs = docs_index(con)
    # One line per table, then each failing expectation with its example values.
    print("\n".join(format_results(results)))
    if docs:
        print(f"data docs: {docs.as_uri()}")
    return 0 if all(r.success for r in results) else 1


@command(
    "publish",
    "Write the snapshot, its tables as Parquet/CSV, the postings lake, the exports and the "
    "dashboard (refuses if the checks fail, the folder is another warehouse's, or it would "
    "lose postings).",
    _publish_args,
)
def publish_cmd(args: argparse.Namespace, settings: Settings) -> int:
    from outlook.lock import writer_lock
    from outlook.publish.run import publish_all
    from outlook.quality import validate_marts
    from outlook.runs import recorded_run
    from outlook.warehouse import connect, new_id

    _require_warehouse(settings)
    run_id = f"cli-publish-{new_id()[:8]}"
    with (
        writer_lock(settings.lock_path, command="publish", wait_s=args.wait),
        recorded_run(settings, run_id, "publish") as errors,
        connect(settings.db) as con,
    ):
        checked = validate_marts(con, run_id, keep_runs=settings.gx_keep_runs)
        failed = [r for r in checked if not r.success]
        errors += [f"quality gate failed on {r.table}: {r.summary}" for r in failed]
        if failed:
            errors.append("not publishing a failed build")
        else:
            done = publish_all(con, settings, run_id)
    if errors:
        for message in errors:
            error(message)
        return 1
    print(f"published snapshot: {done.snapshot} ({len(done.tables)} tables)")
    print(f"tables as Parquet/CSV: {settings.publish_dir / 'tables'}")
    if done.lake:
        months = sum(len(m) for m in done.lake.values())
        print(f"postings lake: {settings.publish_dir / 'lake' / 'postings'} ({months} months)")
    print(f"exports: {settings.publish_dir / 'exports'}")
    print(f"dashboard: {done.dashboard}")
    return 0
