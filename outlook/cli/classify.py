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
from transforms.classify import MAX_TOP
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


def classify_frame(
    settings: Settings,
    titles: list[str],
    naics: list[str | None] | None,
    *,
    top: int = 1,
    abstain_below: float = 0.0,
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """One output row per input title, in input order (``OUTPUT_COLUMNS`` + runner-up),
    and when ``top`` > 1 the top occupations of each (``CANDIDATE_COLUMNS``)."""
    from outlook.build.classification import label_titles

    classifier = _classifier(settings)
    occupations, candidates = None, None
    if top > 1:
        occupations, candidates = classifier.classify_with_candidates(
            titles, naics, top=top, abstain_below=abstain_below
        )
    result = label_titles(classifier, titles, naics, abstain_below, occupations=occupations)
    result.insert(0, "title", titles)
    return result, candidates


def candidate_columns(candidates: pd.DataFrame, rows: int, top: int) -> pd.DataFrame:
    """Ranks 2..``top`` of each title side by side, one row per title (rank 1 is the
    answer's own columns): top<r>_onet_soc_code, top<r>_soc_title, top<r>_probability;
    empty where a title has fewer candidates (or none: unclassified)."""
    import pandas as pd

    wide = pd.DataFrame(index=range(rows))
    for rank in range(2, top + 1):
        at = candidates[candidates["rank"] == rank].set_index("row")
        for column in ("onet_soc_code", "soc_title", "probability"):
            wide[f"top{rank}_{column}"] = at[column].reindex(wide.index)
    return wide


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
    parser.add_argument(
        "--top",
        type=_top,
        default=1,
        metavar="K",
        help=f"also list the K most probable occupations with probabilities (1-{MAX_TOP}; "
        "with --file: columns top2_... to topK_...)",
    )
    parser.add_argument(
        "--abstain-below",
        type=_probability,
        default=0.0,
        metavar="P",
        help="leave answers under confidence P unclassified ('unclassified: too generic' "
        "for a generic title)",
    )
    parser.add_argument("--format", choices=("table", "json"), default="table")


def _top(text: str) -> int:
    value = int(text)
    if not 1 <= value <= MAX_TOP:
        raise argparse.ArgumentTypeError(f"--top must be between 1 and {MAX_TOP}")
    return value


def _probability(text: str) -> float:
    value = float(text)
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError("--abstain-below must be between 0 and 1")
    return value


def _print_title(row: pd.Series, candidates: pd.DataFrame | None, fmt: str) -> None:
    """One title's answer: name/value lines and the top-k table, or one JSON object."""
    import json

    import pandas as pd

    values = {name: (None if pd.isna(row[name]) else row[name]) for name in TITLE_COLUMNS}
    ranked = [] if candidates is None else candidates.drop(columns="row").to_dict("records")
    if fmt == "json":
        values = {k: (float(v) if isinstance(v, float) else v) for k, v in values.items()}
        if candidates is not None:
            values["candidates"] = [
                {**c, "rank": int(c["rank"]), "probability": float(c["probability"])}
                for c in ranked
            ]
        print(json.dumps(values, indent=2))
        return
    for name, value in values.items():
        text = "" if value is None else f"{value:.3f}" if isinstance(value, float) else value
        print(f"{name:<24} {text}")
    if candidates is not None and not ranked:
        print("\ntop: none (unclassified)")
    elif candidates is not None:
        print(f"\ntop {len(ranked)}:")
        print(f"  {'rank':<5}{'onet_soc_code':<14}{'probability':>11}  soc_title")
        for c in ranked:
            print(
                f"  {c['rank']:<5}{c['onet_soc_code']:<14}{c['probability']:>11.3f}  "
                f"{c['soc_title']}"
            )


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
        frame, candidates = classify_frame(
            settings,
            [args.title],
            [args.naics],
            top=args.top,
            abstain_below=args.abstain_below,
        )
        _print_title(frame.iloc[0], candidates, args.format)
        return 0
    if args.format != "table":
        print("error: --format is for one TITLE; --file writes CSV", file=sys.stderr)
        return 2
    frame = pd.read_csv(args.file, dtype=str, keep_default_na=False)
    if args.column not in frame.columns:
        print(
            f"error: {args.file}: no column {args.column!r} (found: {', '.join(frame.columns)})",
            file=sys.stderr,
        )
        return 2
    naics = frame[args.naics_column].tolist() if args.naics_column else None
    result, candidates = classify_frame(
        settings,
        frame[args.column].tolist(),
        naics,
        top=args.top,
        abstain_below=args.abstain_below,
    )
    result["title"] = frame[args.column].to_numpy()
    out = result[OUTPUT_COLUMNS]
    if candidates is not None:
        out = out.join(candidate_columns(candidates, len(out), args.top))
    out = spreadsheet_safe(out)
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

    from transforms.title_accuracy import calibration_lines, evaluate_labelled

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
    lines = calibration_lines(report)
    if lines:
        print("\n" + "\n".join(lines))
    return 0
