"""The [projections] rules: bands and Bright Outlook thresholds read and checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from outlook.config import OUTLOOK_RULES
from transforms.projection_rules import band_rows, load_projection_rules


def test_the_shipped_rules_load_highest_band_first() -> None:
    rules = load_projection_rules(OUTLOOK_RULES)
    rows = band_rows(rules)
    assert [r["growth_words"] for r in rows] == [
        "much faster than average",
        "faster than average",
        "about as fast as average",
        "slower than average",
        "little or no change",
        "decline",
    ]
    assert rows[-1]["min_ratio"] is None
    assert [r["bright_outlook_growth"] for r in rows] == [True, True, False, False, False, False]
    assert rules.bright_min_openings == 100_000


def test_rules_file_is_checked(tmp_path: Path) -> None:
    bad = tmp_path / "rules.toml"
    bad.write_text(
        '[[projections.growth_bands]]\nwords = "up"\nmin_ratio = 1.0\n'
        '[[projections.growth_bands]]\nwords = "flat"\nmin_ratio = 2.0\n'
        '[[projections.growth_bands]]\nwords = "down"\n'
    )
    with pytest.raises(ValueError, match="must descend"):
        load_projection_rules(bad)
    bad.write_text(
        '[[projections.growth_bands]]\nwords = "up"\nmin_ratio = 1.0\n'
        '[[projections.growth_bands]]\nwords = "down"\n'
        '[projections.bright_outlook]\ngrowth_bands = ["sideways"]\n'
    )
    with pytest.raises(ValueError, match="unknown bands"):
        load_projection_rules(bad)
