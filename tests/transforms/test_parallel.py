"""Parallel maps give exactly the serial results, in order."""

from __future__ import annotations

from transforms import parallel
from transforms.titles import normalise_title


def test_map_values_matches_serial_above_the_threshold() -> None:
    values = [f"Sr. Director, Quality & PI - Req #{i}" for i in range(parallel.MIN_PARALLEL + 7)]
    assert parallel.map_values(normalise_title, values) == [normalise_title(v) for v in values]


def test_map_chunks_keeps_order_and_chunking() -> None:
    items = list(range(parallel.MIN_PARALLEL + 5))
    chunks = parallel.map_chunks(sum, items, size=1_000)
    assert len(chunks) == len(range(0, len(items), 1_000))
    assert chunks[0] == sum(range(1_000)) and sum(chunks) == sum(items)


def test_small_inputs_stay_serial() -> None:
    assert parallel.map_values(str.upper, ["a", "b"]) == ["A", "B"]
    assert parallel.map_chunks(len, [1, 2, 3], size=2) == [2, 1]
