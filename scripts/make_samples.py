"""Regenerate the demo mirror and posting samples under data/samples/ (deterministic)."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

WRITERS = [
    ("scripts.samples.indeed", "write_indeed_samples", ROOT / "data/samples/mirror"),
    ("scripts.samples.official", "write_official_samples", ROOT / "data/samples/mirror"),
    ("scripts.samples.postings", "write_postings_samples", ROOT / "data/samples/postings"),
]


def main() -> int:
    for module_name, function, target in WRITERS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            print(f"skip {module_name}: not present")
            continue
        for path in getattr(module, function)(target):
            print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
