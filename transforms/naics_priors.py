"""NAICS-sector x SOC-prefix prior multipliers of ``transforms.classify``.

The table (the project's is ``data/seeds/naics_soc_priors.csv``, handed over by the caller)
multiplies a title's occupation probabilities by a prior for the posting's NAICS sector
(longest SOC prefix wins; 0.75-1.45), so context decides between close candidates without
overriding a clear title match.
"""

from __future__ import annotations

import csv
import math
import re
from collections import defaultdict
from pathlib import Path


def naics_sector(naics: str | None) -> str | None:
    """NAICS code (any length) -> 2-digit sector with the combined ranges spelled out."""
    if naics is None or (isinstance(naics, float) and math.isnan(naics)):
        return None
    digits = re.sub(r"\D", "", str(naics))[:2]
    if len(digits) < 2:
        return None
    return {
        "31": "31-33",
        "32": "31-33",
        "33": "31-33",
        "44": "44-45",
        "45": "44-45",
        "48": "48-49",
        "49": "48-49",
    }.get(digits, digits)


def load_naics_priors(path: Path | str) -> dict[str, dict[str, float]]:
    """Read the sector x SOC-prefix multiplier table: {sector: {soc_prefix: multiplier}}
    ({} when the file does not exist)."""
    priors: dict[str, dict[str, float]] = defaultdict(dict)
    p = Path(path)
    if not p.exists():
        return {}
    with p.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(line for line in fh if not line.startswith("#")):
            sector = naics_sector(row["naics_sector"].split("-")[0]) or row["naics_sector"]
            priors[sector][row["soc_prefix"].strip()] = float(row["multiplier"])
    return dict(priors)
