"""``outlook``: the command-line front door.

Heavy imports (Prefect, Great Expectations, pandas) happen inside the commands that need
them, so ``outlook status`` and ``outlook --help`` start fast.

Expected conditions end in one ``error: ...`` line on stderr and an exit code, never a
traceback (set ``OUTLOOK_DEBUG=1`` to see one):

- 0 done; 1 a source, build or quality gate failed, or a publish was refused (the message
  names which and why);
- 2 bad arguments or missing input (a file, the warehouse, the published snapshot);
- 3 the warehouse is being written by another process (named); ``--wait SECONDS`` queues;
- 130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from outlook.cli.registry import COMMANDS
from outlook.config import (
    SettingError,
    Settings,
    configure_prefect_env,
    resolve_settings,
)

EXIT_CODES = (
    "exit codes: 0 done; 1 a source, build or quality gate failed, or a publish was refused "
    "(another warehouse's folder, or it would lose postings); 2 bad arguments or "
    "missing input (file, warehouse, snapshot); 3 the warehouse is being written by another "
    "process (--wait SECONDS queues); 130 interrupted"
)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db", help="warehouse file (env OUTLOOK_DB; default data/warehouse/outlook.duckdb)"
    )
    parser.add_argument(
        "--mirror",
        help="read upstream files from DIR/<host>/<path> instead of "
        "the network (env OUTLOOK_MIRROR)",
    )
    parser.add_argument(
        "--raw-dir", help="where raw files are kept (env OUTLOOK_RAW_DIR; default data/raw)"
    )
    parser.add_argument(
        "--publish-dir",
        help="where the snapshot and exports go (env OUTLOOK_PUBLISH_DIR; default data/published)",
    )


def build_parser() -> argparse.ArgumentParser:
    from outlook.cli import commands  # noqa: F401 - registers the sub-commands

    parser = argparse.ArgumentParser(
        prog="outlook",
        description="Labour-market outlook pipeline: public postings and wage data -> DuckDB "
        "marts -> trends and outlook paragraphs.",
        epilog=EXIT_CODES,
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (func, configure, help_text) in COMMANDS.items():
        sub = subparsers.add_parser(name, help=help_text, description=help_text, epilog=EXIT_CODES)
        _common(sub)
        configure(sub)
        sub.set_defaults(handler=func)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = resolve_settings(
            args.db,
            args.mirror,
            args.raw_dir,
            args.publish_dir,
            task_runner=getattr(args, "task_runner", None),  # refresh and ingest take one
            allow_shrink=getattr(args, "allow_shrink", None),  # refresh and publish take it
        )
    except SettingError as exc:  # an environment variable (a bad flag is argparse's)
        print(f"error: {exc}", file=sys.stderr)
        return 2
    configure_prefect_env(settings.state_dir)
    try:
        return int(args.handler(args, settings) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:
        expected = expected_error(exc, settings)
        if expected is None or os.environ.get("OUTLOOK_DEBUG"):
            raise
        code, message = expected
        print(f"error: {message}", file=sys.stderr)
        return code


def expected_error(exc: BaseException, settings: Settings) -> tuple[int, str] | None:
    """(exit code, one-line message) for the project's expected errors; None for a bug."""
    from outlook.lock import WarehouseBusy, duckdb_lock_message, is_duckdb_lock_error

    if isinstance(exc, WarehouseBusy):
        return 3, str(exc)
    if is_duckdb_lock_error(exc):
        return 3, duckdb_lock_message(settings.db, settings.lock_path, exc)
    if isinstance(exc, FileNotFoundError):
        return 2, _one_line(exc)
    # Only modules already imported can have raised their errors: no import cost here.
    failures: list[type[BaseException]] = []
    for module, names in (
        ("transforms.errors", ("SourceFormatError",)),  # SchemaDriftError is one
        ("outlook.ingest.fetch", ("FetchError",)),
        ("outlook.quality", ("QualityGateFailed",)),
        ("outlook.publish.guard", ("PublishRefused",)),
    ):
        loaded = sys.modules.get(module)
        failures += [getattr(loaded, name) for name in names if loaded is not None]
    if isinstance(exc, tuple(failures)):
        return 1, _one_line(exc)
    choices: list[type[BaseException]] = []  # a choice of folder or setting to make
    for module, names in (
        ("outlook.publish.guard", ("SnapshotMismatch",)),
        ("outlook.publish.snapshot", ("SnapshotStorageError",)),
    ):
        loaded = sys.modules.get(module)
        choices += [getattr(loaded, name) for name in names if loaded is not None]
    if isinstance(exc, (SettingError, *choices)):
        return 2, _one_line(exc)
    return None


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


if __name__ == "__main__":
    raise SystemExit(main())
