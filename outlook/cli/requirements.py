"""``outlook requirements``: education, experience, certifications and skills read from
the text columns of a CSV of postings (see transforms.requirements).

The skills taxonomy is the O*NET Technology Skills in the warehouse (``--db``) when a
refresh has loaded them, else the seed methods and certifications alone; stderr says which.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from outlook.cli.registry import command
from outlook.config import Settings


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--file", type=Path, required=True, help="CSV file of postings")
    parser.add_argument(
        "--text-columns",
        required=True,
        metavar="A,B",
        help="the columns holding posting text, read together (e.g. description,requirements)",
    )
    parser.add_argument("--out", type=Path, help="output CSV (default: stdout)")


@command(
    "requirements",
    "Minimum education, years of experience, certifications and skills from posting text "
    "(one output row per input row, in order).",
    _configure,
)
def requirements_cmd(args: argparse.Namespace, settings: Settings) -> int:
    import pandas as pd

    from outlook.build.requirements import load_taxonomy
    from transforms.requirements import OUTPUT_COLUMNS, extract_many, requirements_row

    columns = [c.strip() for c in args.text_columns.split(",") if c.strip()]
    if not columns:
        print("error: --text-columns names no column", file=sys.stderr)
        return 2
    if not args.file.is_file():
        print(f"error: {args.file}: no such file", file=sys.stderr)
        return 2
    try:
        frame = pd.read_csv(args.file, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        reason = " ".join(str(exc).split())
        print(f"error: {args.file}: not a readable CSV file ({reason})", file=sys.stderr)
        return 2
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        print(
            f"error: {args.file}: no column {', '.join(map(repr, missing))} "
            f"(found: {', '.join(frame.columns)})",
            file=sys.stderr,
        )
        return 2
    taxonomy = load_taxonomy(settings.db, settings.lock_path)
    print(f"skills taxonomy: {taxonomy.source}", file=sys.stderr)
    found = extract_many(taxonomy, frame[columns].itertuples(index=False, name=None))
    out = pd.DataFrame([requirements_row(r) for r in found], columns=list(OUTPUT_COLUMNS))
    options = {"index": False, "lineterminator": "\r\n"}
    if args.out:
        out.to_csv(args.out, **options)
    else:
        out.to_csv(sys.stdout, **options)
    without = sum(1 for r in found if not r.has_text)
    cut = sum(1 for r in found if r.truncated)
    where = f"to {args.out}" if args.out else "to stdout"
    print(
        f"wrote {len(out):,} rows {where}: {without:,} without text, {cut:,} text(s) cut at "
        "the length bound",
        file=sys.stderr,
    )
    return 0
