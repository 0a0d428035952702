"""Is a classifier's confidence a probability? Bands, expected calibration error, and a
monotone map that makes it one.

* ``calibration_bands``: per confidence band ([0, 0.2), [0.2, 0.4), ..., [0.8, 1]), how
  many answers fell in it, their mean confidence and how many were right.
* ``expected_calibration_error`` (ECE): the band-weighted mean of |accuracy - mean
  confidence|, sum_b (n_b / n) |acc_b - conf_b|; 0 for a perfectly calibrated classifier.
* ``fit_isotonic``: the monotone (non-decreasing) map from confidence to the share right,
  by pool-adjacent-violators, as knots of a piecewise-linear ``ConfidenceMap``. The map is
  fitted on ad-like titles (scripts/fit_calibration.py) and kept as a seed file
  (``data/seeds/title_calibration.toml``); the classifier applies it to its top-1 confidence.

Unclassified answers (no code) are left out of the bands: they carry no confidence claim.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = [
    "BAND_EDGES",
    "ConfidenceMap",
    "calibration_bands",
    "expected_calibration_error",
    "fit_isotonic",
]

BAND_EDGES = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)


def _band_index(confidence: np.ndarray, edges: tuple[float, ...]) -> np.ndarray:
    """Band of each confidence: [e_i, e_i+1), the last band closed ([0.8, 1])."""
    idx = np.searchsorted(np.asarray(edges[1:-1]), confidence, side="right")
    return np.clip(idx, 0, len(edges) - 2)


def calibration_bands(
    confidence: np.ndarray, correct: np.ndarray, edges: tuple[float, ...] = BAND_EDGES
) -> list[dict[str, float | int | str]]:
    """One dict per band: band ('0.0-0.2'), n, mean_confidence, accuracy (NaN when empty)."""
    conf = np.asarray(confidence, dtype=float)
    right = np.asarray(correct, dtype=bool)
    band = _band_index(conf, edges)
    out = []
    for b, (lo, hi) in enumerate(zip(edges, edges[1:], strict=False)):
        mask = band == b
        n = int(mask.sum())
        out.append(
            {
                "band": f"{lo:.1f}-{hi:.1f}",
                "n": n,
                "mean_confidence": float(conf[mask].mean()) if n else float("nan"),
                "accuracy": float(right[mask].mean()) if n else float("nan"),
            }
        )
    return out


def expected_calibration_error(
    confidence: np.ndarray, correct: np.ndarray, edges: tuple[float, ...] = BAND_EDGES
) -> float:
    """sum over bands of (n_b / n) * |accuracy_b - mean confidence_b| (NaN when n = 0)."""
    n = len(confidence)
    if n == 0:
        return float("nan")
    bands = calibration_bands(confidence, correct, edges)
    return float(
        sum(b["n"] / n * abs(b["accuracy"] - b["mean_confidence"]) for b in bands if b["n"])
    )


@dataclass(frozen=True)
class ConfidenceMap:
    """A non-decreasing piecewise-linear map of [0, 1] onto [0, 1], by its knots."""

    x: tuple[float, ...]
    y: tuple[float, ...]

    def __call__(self, confidence: np.ndarray | float) -> np.ndarray:
        return np.interp(confidence, self.x, self.y)

    def to_toml(self, path: Path, comment: str = "") -> None:
        lines = [f"# {line}".rstrip() for line in comment.splitlines()] if comment else []
        lines.append("confidence = [" + ", ".join(f"{v:.4f}" for v in self.x) + "]")
        lines.append("calibrated = [" + ", ".join(f"{v:.4f}" for v in self.y) + "]")
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    @classmethod
    def from_toml(cls, path: Path) -> ConfidenceMap:
        """Read knots written by ``to_toml`` (keys confidence, calibrated); checked monotone."""
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        x = tuple(float(v) for v in raw.get("confidence", ()))
        y = tuple(float(v) for v in raw.get("calibrated", ()))
        if len(x) < 2 or len(x) != len(y):
            raise ValueError(f"{path}: 'confidence' and 'calibrated' need the same >= 2 knots")
        if np.any(np.diff(x) <= 0) or np.any(np.diff(y) < 0):
            raise ValueError(f"{path}: knots must increase in confidence and not decrease")
        if x[0] > 0 or x[-1] < 1 or min(y) < 0 or max(y) > 1:
            raise ValueError(f"{path}: knots must span confidence 0..1 with values in 0..1")
        return cls(x, y)


def fit_isotonic(confidence: np.ndarray, correct: np.ndarray, min_block: int = 50) -> ConfidenceMap:
    """The share right as a non-decreasing function of confidence (pool-adjacent-violators
    over the answers sorted by confidence, tied answers together; adjacent blocks of fewer than ``min_block``
    answers are pooled too, so a knot stands on at least that many). Knots at each block's
    mean confidence, plus (0, first value) and (1, last value)."""
    conf = np.asarray(confidence, dtype=float)
    right = np.asarray(correct, dtype=float)
    # one starting block per distinct confidence (tied answers are never split)
    values, inverse = np.unique(conf, return_inverse=True)
    counts = np.bincount(inverse, minlength=len(values)).astype(float)
    sums_right = np.bincount(inverse, weights=right, minlength=len(values))
    sums_conf = np.bincount(inverse, weights=conf, minlength=len(values))
    # blocks: [sum right, sum confidence, count]
    blocks: list[list[float]] = []
    for r, c, n in zip(sums_right, sums_conf, counts, strict=True):
        blocks.append([r, c, n])
        while len(blocks) > 1 and (
            blocks[-2][0] / blocks[-2][2] >= blocks[-1][0] / blocks[-1][2]
            or blocks[-2][2] < min_block
        ):
            last = blocks.pop()
            for i in range(3):
                blocks[-1][i] += last[i]
    if len(blocks) > 1 and blocks[-1][2] < min_block:
        last = blocks.pop()
        for i in range(3):
            blocks[-1][i] += last[i]
    xs = [b[1] / b[2] for b in blocks]
    ys = [b[0] / b[2] for b in blocks]
    if not xs:
        return ConfidenceMap((0.0, 1.0), (0.0, 1.0))
    x = [0.0, *xs, 1.0]
    y = [ys[0], *ys, ys[-1]]
    # equal x (blocks at 0 or 1): keep the later knot
    keep = [i for i in range(len(x)) if i == len(x) - 1 or x[i + 1] > x[i]]
    return ConfidenceMap(tuple(x[i] for i in keep), tuple(y[i] for i in keep))
