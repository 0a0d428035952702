"""Pipeline commands: refresh, ingest, build, validate, publish."""

from __future__ import annotations

import argparse
import sys

from outlook.cli import command
from outlook.config import Settings


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


def print_outcomes(outcomes: list, errors: list[str]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Sources", show_lines=False)
    for column in ("source", "status", "release", "rows", "message"):
        table.add_column(column, overflow="fold")
    for o in outcomes:
        table.add_row(o.source, o.status, o.release or "", f"{o.rows:,}", o.message[:120])
    console = Console()
    console.print(table)
    for error in errors:
        print(f"error: {error}", file=sys.stderr)


@command(
    "refresh",
    "Ingest every source, build the models, validate, publish the snapshot.",
    _sources_arg,
)
def refresh_cmd(args: argparse.Namespace, settings: Settings) -> int:
    from flows.refresh import RefreshFailed, refresh
    from outlook.lock import WarehouseBusy

    try:
        summary = refresh(
            db=str(settings.db),
            mirror=str(settings.mirror) if settings.mirror else None,
            raw_dir=str(settings.raw_dir),
            publish_dir=str(settings.publish_dir),
            sources=args.sources,
            wait_for_lock_s=args.wait,
            postings=args.postings,
            postings_profile=args.profile,
        )
    except WarehouseBusy as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
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
    parser.add_argument("--wait", type=float, default=0.0, metavar="SECONDS")


@command(
    "ingest",
    "Fetch and load sources (e.g. indeed), or `postings PATH... --profile NAME`, without "
    "rebuilding.",
    _ingest_args,
)
def ingest_cmd(args: argparse.Namespace, settings: Settings) -> int:
    from outlook.lock import WarehouseBusy, writer_lock
    from outlook.sources import select
    from outlook.warehouse import new_id

    postings = args.source_names[0] == "postings"
    if postings and len(args.source_names) == 1:
        print("error: `outlook ingest postings` needs at least one PATH", file=sys.stderr)
        return 2
    if not postings:
        try:
            select(args.source_names)
        except KeyError as exc:
            print(f"error: {exc.args[0]}", file=sys.stderr)
            return 2
    run_id = f"cli-ingest-{new_id()[:8]}"
    try:
        with writer_lock(settings.lock_path, command="ingest", wait_s=args.wait):
            if postings:
                outcomes, errors = _ingest_postings(args, settings, run_id)
            else:
                from flows.ingest import ingest

                outcomes = ingest(settings, run_id=run_id, sources=args.source_names)
                errors = [
                    f"source {o.source} failed: {o.message}"
                    for o in outcomes
                    if o.status == "failed"
                ]
    except WarehouseBusy as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
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


@command("build", "Rebuild staging, intermediate and mart models from what is loaded.")
def build_cmd(args: argparse.Namespace, settings: Settings) -> int:
    from outlook.lock import writer_lock
    from outlook.pipeline import build_warehouse
    from outlook.warehouse import connect, new_id

    with writer_lock(settings.lock_path, command="build"), connect(settings.db) as con:
        report = build_warehouse(con, f"cli-build-{new_id()[:8]}")
    for table, rows, seconds in report.models:
        print(f"{table:<55} {rows:>10,} rows  {seconds:6.2f}s")
    print(f"built {len(report.models)} models in {report.seconds:.2f}s")
    return 0


@command("validate", "Run the quality gates on the marts; exit non-zero on failure.")
def validate_cmd(args: argparse.Namespace, settings: Settings) -> int:
    from outlook.quality import docs_index, format_results, validate_marts
    from outlook.warehouse import connect, new_id

    with connect(settings.db) as con:
        results = validate_marts(con, f"cli-validate-{new_id()[:8]}")
        docs = docs_index(con)
    # One line per table, then each failing expectation with its example values.
    print("\n".join(format_results(results)))
    if docs:
        print(f"data docs: {docs.as_uri()}")
    return 0 if all(r.success for r in results) else 1


@command("publish", "Write the read-only snapshot readers use (refuses if the last checks failed).")
def publish_cmd(args: argparse.Namespace, settings: Settings) -> int:
    from outlook.publish import write_snapshot
    from outlook.quality import validate_marts
    from outlook.warehouse import connect, new_id

    run_id = f"cli-publish-{new_id()[:8]}"
    with connect(settings.db) as con:
        failed = [r for r in validate_marts(con, run_id) if not r.success]
        if failed:
            for r in failed:
                print(f"error: quality gate failed on {r.table}: {r.summary}", file=sys.stderr)
            print("error: not publishing a failed build", file=sys.stderr)
            return 1
        write_snapshot(con, settings.snapshot_path, run_id)
    print(f"published snapshot: {settings.snapshot_path}")
    return 0
