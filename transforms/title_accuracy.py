"""Accuracy of a title classifier on labelled titles, overall and by confidence band."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

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
    return report
