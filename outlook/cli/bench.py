"""``outlook bench``: run the benchmarks in bench/run.py (results in bench/results/)."""

from __future__ import annotations

import argparse
import subprocess
import sys

from outlook.cli.registry import command
from outlook.config import PROJECT_ROOT, Settings


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--postings", type=int, default=1_000_000, metavar="N",
                        help="generated postings for the main run (default 1,000,000)")  # fmt: skip
    parser.add_argument("--large", action="store_true",
                        help="also ingest 10M postings for query latency and peak RSS (slow)")  # fmt: skip
    parser.add_argument("--work", metavar="DIR",
                        help="scratch folder, emptied first (default data/bench)")  # fmt: skip


@command(
    "bench",
    "Benchmark ingest, incremental runs, classification, queries and accuracy on generated "
    "postings (--mirror defaults to ../shared/mirror when present, else the sample mirror).",
    _configure,
)
def bench_cmd(args: argparse.Namespace, settings: Settings) -> int:
    script = PROJECT_ROOT / "bench" / "run.py"
    if not script.exists():
        print(f"error: {script} not found (bench/ ships with the source tree)", file=sys.stderr)
        return 2
    argv = [sys.executable, str(script), "--postings", str(args.postings)]
    if args.large:
        argv.append("--large")
    if settings.mirror:
        argv += ["--mirror", str(settings.mirror)]
    if args.work:
        argv += ["--work", args.work]
    # Its own process: every measured step is a child of it, never of this CLI process.
    return subprocess.run(argv, cwd=PROJECT_ROOT).returncode
