"""Accuracy of a title classifier on labelled titles, overall and by confidence band, and
how well its confidence reads as a probability (``transforms.calibration``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from transforms.calibration import calibration_bands, expected_calibration_error

if TYPE_CHECKING:
    from transforms.classify import TitleClassifier


def evaluate_labelled(classifier: TitleClassifier, df: pd.DataFrame) -> dict[str, object]:
    """Accuracy of ``classifier`` on a labelled frame (columns title, onet_soc_code[, naics]).

    Returns n, detailed (O*NET-SOC -> first 7 chars, 'NN-NNNN'), broad ('NN-NNN') and major
    ('NN') accuracy, the unclassified share, and the same accuracies per confidence band.
    """
    naics = df["naics"].tolist() if "naics" in df else None
    pred = classifier.classify_many(df["title"].astype(str).tolist(), naics)
    truth = df["onet_soc_code"].astype(str).str.strip().reset_index(drop=True)
    return accuracy_report(pred["onet_soc_code"], truth, pred["confidence"])


CONFIDENCE_BANDS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0001)


def accuracy_report(
    predicted: pd.Series, truth: pd.Series, confidence: pd.Series | None = None
) -> dict[str, object]:
    """Detailed / broad / major SOC accuracy of predicted vs true O*NET-SOC codes.

    A truth value may list several acceptable codes separated by ';' (a title O*NET files
    under several occupations); matching any of them counts as correct.
    """
    p = predicted.astype("string").fillna("").reset_index(drop=True).tolist()
    t = [str(x).split(";") for x in truth.astype("string").fillna("").reset_index(drop=True)]

    def hits(width: int) -> np.ndarray:
        return np.array(
            [
                bool(pp) and any(pp[:width] == c.strip()[:width] for c in tt)
                for pp, tt in zip(p, t, strict=True)
            ],
            dtype=bool,
        )

    levels = {"detailed": hits(7), "broad": hits(6), "major": hits(2)}

    def acc(mask: np.ndarray | None = None) -> dict[str, float | int]:
        n = len(p) if mask is None else int(mask.sum())
        if n == 0:
            return {"n": 0, "detailed": float("nan"), "broad": float("nan"), "major": float("nan")}
        out: dict[str, float | int] = {"n": n}
        for name, h in levels.items():
            out[name] = float(h.mean() if mask is None else h[mask].mean())
        return out

    unclassified = float(np.mean([not x for x in p])) if p else 0.0
    report: dict[str, object] = {**acc(), "unclassified": unclassified}
    if confidence is not None:
        c = confidence.reset_index(drop=True).astype(float).to_numpy()
        bands = {}
        for lo, hi in zip(CONFIDENCE_BANDS, CONFIDENCE_BANDS[1:], strict=False):
            bands[f"{lo:.1f}-{min(hi, 1.0):.1f}"] = acc((c >= lo) & (c < hi))
        report["by_confidence"] = bands
        report["calibration"] = calibration_report(
            c, levels["detailed"], np.array([bool(x) for x in p])
        )
    return report


def calibration_report(
    confidence: np.ndarray, correct: np.ndarray, classified: np.ndarray
) -> dict[str, object]:
    """Of the classified answers (unclassified ones claim nothing): n, the expected
    calibration error of the confidence as the probability that the detailed code is
    right, and per band (``transforms.calibration.BAND_EDGES``) n, mean confidence and
    accuracy."""
    conf, right = confidence[classified], correct[classified]
    return {
        "n": int(classified.sum()),
        "ece": expected_calibration_error(conf, right),
        "bands": calibration_bands(conf, right),
    }


def calibration_lines(report: dict[str, object]) -> list[str]:
    """The calibration of an ``accuracy_report`` as text lines (eval-titles, eval script)."""
    cal = report.get("calibration")
    if not cal:
        return []
    lines = [f"calibration (detailed code right), ECE {cal['ece']:.3f} over {cal['n']:,} answers:"]
    lines.append(f"  {'band':<9} {'answers':>8} {'confidence':>11} {'right':>7}")
    for b in cal["bands"]:
        if b["n"]:
            lines.append(
                f"  {b['band']:<9} {b['n']:>8,} {b['mean_confidence']:>11.3f} {b['accuracy']:>7.3f}"
            )
    return lines
