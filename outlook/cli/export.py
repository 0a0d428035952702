"""``outlook export`` and ``outlook dashboard``: editor exports and the static dashboard.

Both read the published snapshot only (never the warehouse a refresh may be writing), and
say on stderr which one (refusing one published from another warehouse than --db's).
Output paths default to the publish folder: ``<publish-dir>/exports`` and
``<publish-dir>/dashboard``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from outlook.cli.registry import command
from outlook.config import Settings


def exports_dir(settings: Settings) -> Path:
    return settings.publish_dir / "exports"


def dashboard_dir(settings: Settings) -> Path:
    return settings.publish_dir / "dashboard"


def _configure_export(parser: argparse.ArgumentParser) -> None:
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--role", help='role name, e.g. "Performance Improvement Director"')
    which.add_argument("--all", action="store_true", help="every role in the catalogue")
    parser.add_argument(
        "--industry",
        metavar="SECTOR_OR_GROUP",
        help="only this NAICS sector ('62'), industry group ('healthcare') or sector title",
    )
    parser.add_argument("--out", type=Path, help="output folder (default <publish-dir>/exports)")


@command(
    "export",
    "Write CSV, Markdown, JSON, charts, data dictionary and a draft paragraph for a role.",
    _configure_export,
)
def export_cmd(args: argparse.Namespace, settings: Settings) -> int:
    from outlook.cli.output import snapshot_note
    from outlook.publish.exports import export_all, export_role
    from outlook.publish.readers import UnknownRole
    from outlook.publish.snapshot import open_snapshot

    out = args.out or exports_dir(settings)
    if not args.role and not args.all:
        print("error: --role NAME or --all is required", file=sys.stderr)
        return 2
    if args.all and args.industry:
        print("error: --industry applies to one --role", file=sys.stderr)
        return 2
    try:
        snapshot_note(settings)
        if args.all:
            written = export_all(settings.snapshot_path, out)
        else:
            with open_snapshot(settings.snapshot_path) as con:
                written = [export_role(con, args.role, out, args.industry)]
    except (FileNotFoundError, UnknownRole, LookupError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for w in written:
        print(f"{w.role}: {w.folder} ({len(w.files)} files; latest -> {w.version})")
    return 0


def _configure_dashboard(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, help="site folder (default <publish-dir>/dashboard)")
    parser.add_argument(
        "--exports",
        type=Path,
        help="reuse/write versioned exports here and copy them into the site "
        "(default: written straight into the site)",
    )


@command(
    "dashboard",
    "Build the static dashboard (role picker, tables, charts, downloads) from the snapshot.",
    _configure_dashboard,
)
def dashboard_cmd(args: argparse.Namespace, settings: Settings) -> int:
    from outlook.cli.output import snapshot_note
    from outlook.publish.dashboard import build_dashboard

    try:
        snapshot_note(settings)
        index = build_dashboard(
            settings.snapshot_path, args.out or dashboard_dir(settings), args.exports
        )
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"dashboard: {index}")
    return 0
