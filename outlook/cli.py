"""``outlook``: the command-line front door.

Heavy imports (Prefect, Great Expectations, pandas) happen inside the commands that need
them, so ``outlook status`` and ``outlook --help`` start fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from outlook.config import Settings, configure_prefect_env, resolve_settings

Handler = Callable[[argparse.Namespace, Settings], int]
_COMMANDS: dict[str, tuple[Handler, Callable[[argparse.ArgumentParser], None], str]] = {}


def command(
    name: str, help: str, configure: Callable[[argparse.ArgumentParser], None] | None = None
):
    """Register a sub-command; modules under ``outlook/commands`` add theirs this way."""

    def wrap(func: Handler) -> Handler:
        _COMMANDS[name] = (func, configure or (lambda parser: None), help)
        return func

    return wrap


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
    from outlook import commands  # noqa: F401 - registers the sub-commands

    parser = argparse.ArgumentParser(
        prog="outlook",
        description="Labour-market outlook pipeline: public postings and wage data -> DuckDB "
        "marts -> trends and outlook paragraphs.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (func, configure, help_text) in _COMMANDS.items():
        sub = subparsers.add_parser(name, help=help_text, description=help_text)
        _common(sub)
        configure(sub)
        sub.set_defaults(handler=func)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    settings = resolve_settings(args.db, args.mirror, args.raw_dir, args.publish_dir)
    configure_prefect_env(settings.state_dir)
    try:
        return int(args.handler(args, settings) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
