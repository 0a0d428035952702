"""Vectorised sampling and string helpers: weighted choices, per-group draws, and building
Arrow string columns from few distinct values."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def choice(rng: np.random.Generator, table: Sequence[tuple[str, float]], n: int) -> np.ndarray:
    weights = np.array([w for _, w in table], dtype=float)
    return rng.choice(len(table), size=n, p=weights / weights.sum())


def lookup(values: np.ndarray, fmt: Callable[[object], str]) -> pa.Array:
    """Format each distinct value once in Python, then gather: the strings for 1M rows cost
    as much as the few thousand distinct values they hold."""
    uniq, inverse = np.unique(values, return_inverse=True)
    return pa.array([fmt(v) for v in uniq.tolist()], type=pa.string()).take(
        pa.array(inverse.ravel())
    )


def plain(v: object) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".")


def concat(*parts: pa.Array | str) -> pa.Array:
    return pc.binary_join_element_wise(*parts, "")


def pick_in_groups(
    rng: np.random.Generator,
    group: np.ndarray,
    start: np.ndarray,
    count: np.ndarray,
    weight: np.ndarray,
) -> np.ndarray:
    """For each row, an item of its group (items ``start[g] .. start[g]+count[g]``), drawn by
    ``weight`` - with one searchsorted over the global cumulative weights."""
    cum = np.cumsum(weight)
    before = np.where(start > 0, cum[np.maximum(start - 1, 0)], 0.0)
    total = cum[start + count - 1] - before
    target = before[group] + rng.random(len(group)) * total[group]
    idx = np.searchsorted(cum, target, side="right")
    return np.clip(idx, start[group], start[group] + count[group] - 1)
