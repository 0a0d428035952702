"""``outlook docs``: write ``docs/marts.md`` from the SQL headers and ``sql/marts/_columns.yml``.

Every mart gets its grain and sources (the header comment of its SQL file, or the
``description`` in the YAML for Python models), its caveats, and a table of its columns and
what they mean. ``--check`` compares the built marts (the published snapshot, else the
warehouse, opened read-only) with the descriptions and fails on any column that has none,
so a new column cannot ship undocumented.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from outlook.cli.registry import command
from outlook.config import Settings
from outlook.publish.mart_docs import (
    DOCS_FILE,
    built_columns,
    collect,
    load_descriptions,
    render_markdown,
    undocumented,
)


def _open_built(settings: Settings):
    """The published snapshot if there is one, else the warehouse (read-only), else None."""
    import duckdb

    for path in (settings.snapshot_path, settings.db):
        if path.exists():
            return path, duckdb.connect(str(path), read_only=True)
    return None, None


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--check", action="store_true", help="fail if a built mart column has no description"
    )
    parser.add_argument("--output", type=Path, default=DOCS_FILE, help="default docs/marts.md")


@command(
    "docs",
    "Write docs/marts.md (marts, grain, columns); --check finds undocumented columns.",
    _configure,
)
def docs_cmd(args: argparse.Namespace, settings: Settings) -> int:
    descriptions = load_descriptions()
    path, con = _open_built(settings)
    built: dict[str, list[str]] = {}
    if con is not None:
        with con:
            built = built_columns(con)
    if args.check:
        if not built:
            print("error: no built marts to check (run `outlook build` first)", file=sys.stderr)
            return 2
        missing = undocumented(built, descriptions)
        for name in missing:
            print(f"undocumented column: {name}", file=sys.stderr)
        stale = sorted(
            f"{t}.{c}"
            for t, spec in descriptions.items()
            if t in built
            for c in spec["columns"]
            if c not in built[t]
        )
        for name in stale:
            print(f"warning: described but not built: {name}", file=sys.stderr)
        columns = sum(len(c) for c in built.values())
        print(
            f"checked {len(built)} marts, {columns} columns in {path}: {len(missing)} undocumented"
        )
        return 1 if missing else 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(render_markdown(collect(descriptions, built)), encoding="utf-8")
    source = f"columns from {path}" if path else "no built marts: columns from the YAML"
    print(f"wrote {args.output} ({source})")
    return 0
