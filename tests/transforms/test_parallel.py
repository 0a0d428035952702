"""The parallel map gives exactly the serial results, in order."""

from __future__ import annotations

from transforms import parallel
from transforms.titles import normalise_title


def test_map_values_matches_serial_above_the_threshold() -> None:
    values = [f"Sr. Director, Quality & PI - Req #{i}" for i in range(parallel.MIN_PARALLEL + 7)]
    assert parallel.map_values(normalise_title, values) == [normalise_title(v) for v in values]


def test_small_inputs_stay_serial() -> None:
    assert parallel.map_values(str.upper, ["a", "b"]) == ["A", "B"]
