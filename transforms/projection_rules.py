"""How BLS projections are worded, and O*NET's Bright Outlook: the ``[projections]`` rules.

The numbers live in ``data/seeds/outlook_rules.toml`` (read its comments for where each
comes from); this module reads and checks them and lays them out as the rows of the seed
tables the SQL models join (``seeds.projection_growth_bands``, ``seeds.bright_outlook_rules``),
so the bands are applied in one place per grain and documented in one file.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

__all__ = ["GrowthBand", "ProjectionRules", "band_rows", "load_projection_rules"]


@dataclass(frozen=True)
class GrowthBand:
    words: str  # as the OOH words it: "faster than average"
    min_ratio: float | None  # lower bound as a multiple of the all-occupations change


@dataclass(frozen=True)
class ProjectionRules:
    bands: tuple[GrowthBand, ...]  # highest first; the last has no lower bound
    bright_growth_bands: tuple[str, ...]
    bright_min_openings: int  # job openings over the whole projection period


def load_projection_rules(path: Path | str) -> ProjectionRules:
    """Read and check the ``[projections]`` section: ratios strictly descending, one open
    bottom band, and the Bright Outlook bands among the bands."""
    raw = tomllib.loads(Path(path).read_text(encoding="utf-8")).get("projections")
    if not raw:
        raise ValueError(f"{path}: no [projections] section")
    bands = tuple(
        GrowthBand(str(b["words"]), None if "min_ratio" not in b else float(b["min_ratio"]))
        for b in raw.get("growth_bands", [])
    )
    ratios = [b.min_ratio for b in bands[:-1]]
    if len(bands) < 2 or bands[-1].min_ratio is not None or None in ratios:
        raise ValueError(
            f"{path}: projections.growth_bands needs bands with min_ratio and a last one without"
        )
    if ratios != sorted(ratios, reverse=True) or len(set(ratios)) != len(ratios):
        raise ValueError(f"{path}: projections.growth_bands min_ratio must descend, got {ratios}")
    bright = raw.get("bright_outlook", {})
    words = {b.words for b in bands}
    growth = tuple(str(w) for w in bright.get("growth_bands", []))
    unknown = [w for w in growth if w not in words]
    if unknown:
        raise ValueError(f"{path}: projections.bright_outlook names unknown bands {unknown}")
    return ProjectionRules(bands, growth, int(bright.get("min_openings_over_period", 0)))


def band_rows(rules: ProjectionRules) -> list[dict[str, object]]:
    """One row per band for ``seeds.projection_growth_bands``: its order (1 = highest), the
    words, the ratio (NULL for the bottom band) and whether it counts as O*NET's "projected
    to grow rapidly"."""
    return [
        {
            "band_order": order,
            "growth_words": band.words,
            "min_ratio": band.min_ratio,
            "bright_outlook_growth": band.words in rules.bright_growth_bands,
        }
        for order, band in enumerate(rules.bands, start=1)
    ]
