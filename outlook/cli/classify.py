"""``outlook classify`` and ``outlook eval-titles``: the title classifier from the command line.

The classifier's reference lists come from the O*NET release loaded in the warehouse
(``outlook refresh`` loads it), opened read-only.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from outlook.cli.registry import command
from outlook.config import Settings
from transforms.classify import OUTPUT_COLUMNS as CLASSIFIER_COLUMNS

if TYPE_CHECKING:
    import pandas as pd

# Everything the classifier answers, and the role: one title prints them all; --file writes
# them without the normalised title (the README's promise: code, confidence, runner-up, why).
TITLE_COLUMNS = [*CLASSIFIER_COLUMNS, "role"]
OUTPUT_COLUMNS = [c for c in TITLE_COLUMNS if c != "normalised_title"]


def _classifier(settings: Settings):
    from outlook.build.classification import build_classifier, current_version, onet_release_label
    from outlook.warehouse import connect_reader

    if not settings.db.exists():
        raise FileNotFoundError(f"no warehouse at {settings.db}: run `outlook refresh` first")
    # refuses (exit 3, naming the writer) rather than lock the file under a running refresh
    with connect_reader(settings.db, settings.lock_path) as con:
        release = onet_release_label(con)
        if release is None:
            raise SystemExit(
                f"error: no O*NET release loaded in {settings.db}: run "
                "`outlook refresh` (or `outlook ingest onet`) first"
            )
        # The state a build saved (well under a second); else built from the reference
        # lists and saved models, or fitted (10-30 s, not saved: the warehouse is read-only).
        return build_classifier(con, None, current_version(release), save=False)


def classify_frame(settings: Settings, titles: list[str], naics: list[str | None] | None):
    """One output row per input title, in input order (``OUTPUT_COLUMNS`` + runner-up)."""
    from outlook.build.classification import label_titles

    result = label_titles(_classifier(settings), titles, naics)
    result.insert(0, "title", titles)
    return result


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells a spreadsheet would run as a formula get a leading quote (CSV injection):
    titles come from postings anyone can write, e.g. ``=HYPERLINK(...)``, ``+cmd|...``."""
    from outlook.publish.exports import _csv_header  # the exports' rule for = + - @, reused

    def cell(value: object) -> object:
        if not isinstance(value, str):
            return value
        value = _csv_header(value)
        # OWASP also lists a leading tab and CR, which the exports' helper does not check
        return f"'{value}" if value[:1] in ("\t", "\r") else value

    return frame.map(cell)


def _classify_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("title", nargs="?", help="a posting title to classify")
    parser.add_argument("--naics", help="NAICS code of the employer's industry, when known")
    parser.add_argument("--file", type=Path, help="CSV file of titles to classify")
    parser.add_argument("--column", default="title", help="title column of --file")
    parser.add_argument("--naics-column", help="optional NAICS column of --file")
    parser.add_argument("--out", type=Path, help="output CSV for --file (default: stdout)")


@command(
    "classify",
    "Classify a posting title (or a CSV of titles) to O*NET-SOC and a role.",
    _classify_args,
)
def classify_cmd(args: argparse.Namespace, settings: Settings) -> int:
    import pandas as pd

    if args.file is None and not args.title:
        print("error: give a TITLE or --file F.csv", file=sys.stderr)
        return 2
    if args.file is None:
        row = classify_frame(settings, [args.title], [args.naics]).iloc[0]
        for name in TITLE_COLUMNS:
            value = row[name]
            if pd.isna(value):
                value = ""
            elif isinstance(value, float):
                value = f"{value:.3f}"
            print(f"{name:<24} {value}")
        return 0
    frame = pd.read_csv(args.file, dtype=str, keep_default_na=False)
    if args.column not in frame.columns:
        print(
            f"error: {args.file}: no column {args.column!r} (found: {', '.join(frame.columns)})",
            file=sys.stderr,
        )
        return 2
    naics = frame[args.naics_column].tolist() if args.naics_column else None
    result = classify_frame(settings, frame[args.column].tolist(), naics)
    result["title"] = frame[args.column].to_numpy()
    out = spreadsheet_safe(result[OUTPUT_COLUMNS])
    # RFC 4180 line ends: with "\n" pandas leaves a lone CR in a title unquoted, and a
    # spreadsheet or csv reader then splits the row there.
    options = {"index": False, "float_format": "%.4f", "lineterminator": "\r\n"}
    if args.out:
        out.to_csv(args.out, **options)
        print(f"wrote {len(out):,} rows to {args.out}")
    else:
        out.to_csv(sys.stdout, **options)
    return 0


@command(
    "eval-titles",
    "Accuracy of the classifier on a labelled CSV (title, onet_soc_code).",
    lambda p: p.add_argument("labelled", type=Path, help="CSV with title, onet_soc_code"),
)
def eval_titles_cmd(args: argparse.Namespace, settings: Settings) -> int:
    import pandas as pd

    from transforms.title_accuracy import evaluate_labelled

    frame = pd.read_csv(args.labelled, dtype=str, keep_default_na=False)
    missing = [c for c in ("title", "onet_soc_code") if c not in frame.columns]
    if missing:
        print(f"error: {args.labelled}: missing column(s) {', '.join(missing)}", file=sys.stderr)
        return 2
    report = evaluate_labelled(_classifier(settings), frame)
    print(f"titles: {report['n']:,}")
    for level in ("detailed", "broad", "major"):
        print(f"{level + ' SOC accuracy':<24} {report[level]:.3f}")
    print(f"{'unclassified share':<24} {report.get('unclassified', 0):.3f}")
    bands: dict[str, dict[str, float]] = report.get("by_confidence", {})  # type: ignore[assignment]
    if bands:
        print("\nby confidence band (choose a threshold):")
        print(f"  {'band':<9} {'titles':>7} {'detailed':>9} {'broad':>7} {'major':>7}")
        for band, acc in bands.items():
            if acc["n"]:
                print(
                    f"  {band:<9} {acc['n']:>7,} {acc['detailed']:>9.3f} {acc['broad']:>7.3f} "
                    f"{acc['major']:>7.3f}"
                )
    return 0
