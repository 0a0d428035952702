"""``outlook synth``: write synthetic posting drops whose truth is known (see bench.synth)."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from outlook.cli.registry import command
from outlook.config import SAMPLES_MIRROR, Settings


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--postings", type=int, required=True, metavar="N",
                        help="data rows to write (postings, duplicates and malformed rows)")  # fmt: skip
    parser.add_argument("--months", type=int, default=24, metavar="M",
                        help="months of postings, ending at --end-month (default 24)")  # fmt: skip
    parser.add_argument("--seed", type=int, default=1, metavar="S", help="random seed (default 1)")
    parser.add_argument("--out", required=True, metavar="DIR", help="output directory")
    parser.add_argument("--end-month", default="2026-10", metavar="YYYY-MM",
                        help="last month (fixed default so a seed gives the same bytes)")  # fmt: skip
    parser.add_argument("--format", dest="formats", action="append", metavar="FMT",
                        choices=["csv.gz", "csv", "parquet"],
                        help="csv.gz, csv or parquet (repeatable; default csv.gz and parquet)")  # fmt: skip
    parser.add_argument("--stem", default="postings", help="data file name stem")
    parser.add_argument("--id-prefix", default="",
                        help="prefix for source ids (use a new one for each appended drop)")  # fmt: skip
    parser.add_argument("--duplicate-rate", type=float, default=0.10,
                        help="share of rows that are re-posts or cross-board copies (0.10)")  # fmt: skip
    parser.add_argument("--malformed-rate", type=float, default=0.002,
                        help="share of malformed rows (0.002)")  # fmt: skip
    parser.add_argument("--no-descriptions", dest="descriptions", action="store_false",
                        help="leave out the description column and its truth file "
                             "(outlook bench times the pipeline without it)")  # fmt: skip


@command(
    "synth",
    "Write synthetic postings (generic profile) built on the mirror's O*NET and OEWS files, "
    "with truth files beside them. --mirror defaults to the embedded sample mirror.",
    _configure,
)
def synth_cmd(args: argparse.Namespace, settings: Settings) -> int:
    from bench.synth import SynthConfig, generate, load_taxonomy, write_synth

    mirror = Path(settings.mirror) if settings.mirror else SAMPLES_MIRROR
    started = time.perf_counter()
    taxonomy = load_taxonomy(mirror)
    cfg = SynthConfig(
        postings=args.postings,
        months=args.months,
        seed=args.seed,
        end_month=args.end_month,
        repost_rate=args.duplicate_rate * 0.7,
        cross_source_rate=args.duplicate_rate * 0.3,
        malformed_rate=args.malformed_rate,
        id_prefix=args.id_prefix,
        descriptions=args.descriptions,
    )
    result = generate(cfg, taxonomy)
    paths = write_synth(result, args.out, formats=args.formats or ("csv.gz", "parquet"),
                        stem=args.stem)  # fmt: skip
    s = result.summary
    texts = s["postings_with_description"]
    texts = "no descriptions" if texts is None else f"{texts:,} postings with a description"
    print(
        f"{s['rows']:,} rows ({s['originals']:,} postings, {s['reposts']:,} re-posts, "
        f"{s['cross_source']:,} cross-board copies, {s['malformed']:,} malformed), {texts}, "
        f"{s['first_month']}..{s['last_month']}, mirror {mirror}, "
        f"{time.perf_counter() - started:.1f}s"
    )
    for name, path in paths.items():
        print(f"  {name:14} {path}")
    return 0
