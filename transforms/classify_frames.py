"""The frames ``transforms.classify.TitleClassifier`` answers with, from its answer rows.

An answer row is (title, normalised title, occupation column or None, confidence,
runner-up column or None, its confidence, method, reason, the row's top-k occupation
columns and posteriors (None when unclassified), the answer's posterior); columns index
the classifier's ``codes`` and ``occ_titles``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from transforms.classify_scoring import rank_candidates
from transforms.string_columns import take_strings

__all__ = [
    "CANDIDATE_COLUMNS",
    "OUTPUT_COLUMNS",
    "Classification",
    "answers_frame",
    "candidates_frame",
]

OUTPUT_COLUMNS = [
    "title",
    "normalised_title",
    "onet_soc_code",
    "soc_code",
    "soc_title",
    "confidence",
    "runner_up_onet_soc_code",
    "runner_up_confidence",
    "method",
    "reason",
]

# ``candidates_frame``: one row per input row and rank (1 = the answer).
CANDIDATE_COLUMNS = ["row", "rank", "onet_soc_code", "soc_code", "soc_title", "probability"]


@dataclass(frozen=True, slots=True)
class Classification:
    """One classified title (the fields are the ``classify_many`` columns)."""

    title: str
    normalised_title: str
    onet_soc_code: str | None
    soc_code: str | None
    soc_title: str | None
    confidence: float
    runner_up_onet_soc_code: str | None
    runner_up_confidence: float
    method: str
    reason: str | None


def answers_frame(rows: list[tuple], codes: list[str], occ_titles: list[str]) -> pd.DataFrame:
    """One row per answer: ``OUTPUT_COLUMNS``."""
    cols = list(zip(*rows, strict=True)) if rows else [()] * 11
    occ = _indices(cols[2])
    runner_up = _indices(cols[4])
    return pd.DataFrame(
        {
            "title": pd.Series(cols[0], dtype="string"),
            "normalised_title": pd.Series(cols[1], dtype="string"),
            "onet_soc_code": take_strings(codes, occ),
            "soc_code": take_strings([c[:7] for c in codes], occ),
            "soc_title": take_strings(occ_titles, occ),
            "confidence": pd.Series(cols[3], dtype="float64"),
            "runner_up_onet_soc_code": take_strings(codes, runner_up),
            "runner_up_confidence": pd.Series(cols[5], dtype="float64"),
            "method": pd.Series(cols[6], dtype="string"),
            "reason": pd.Series(cols[7], dtype="string"),
        }
    )


def candidates_frame(
    rows: list[tuple], codes: list[str], occ_titles: list[str], top: int
) -> pd.DataFrame:
    """Up to ``top`` rows per answer (row: its position, rank 1 = the answer): row, rank,
    onet_soc_code, soc_code, soc_title, probability. An unclassified answer has none."""
    at = [r for r, answer in enumerate(rows) if answer[8] is not None]
    answers = [rows[r] for r in at]
    if answers:
        width = len(answers[0][8])
        idx, prob, count = rank_candidates(
            np.fromiter((a[2] for a in answers), dtype=np.intp, count=len(answers)),
            np.fromiter((a[3] for a in answers), dtype=np.float64, count=len(answers)),
            np.fromiter((a[10] for a in answers), dtype=np.float64, count=len(answers)),
            # (concatenate + reshape: a third of np.stack's time over 100k short rows)
            np.concatenate([a[8] for a in answers]).reshape(-1, width),
            np.concatenate([a[9] for a in answers]).reshape(-1, width),
            top,
        )
    else:
        idx, prob, count = np.zeros((0, 1), np.intp), np.zeros((0, 1)), np.zeros(0, np.intp)
    keep = np.arange(idx.shape[1]) < count[:, None]
    occ = idx[keep]
    return pd.DataFrame(
        {
            "row": pd.Series(np.repeat(np.asarray(at, dtype=np.int64), count), dtype="int64"),
            "rank": pd.Series(np.nonzero(keep)[1] + 1, dtype="int64"),
            "onet_soc_code": take_strings(codes, occ),
            "soc_code": take_strings([c[:7] for c in codes], occ),
            "soc_title": take_strings(occ_titles, occ),
            # rounded as the answers' confidences (rank 1 is one of them)
            "probability": pd.Series(np.round(prob[keep], 4), dtype="float64"),
        }
    )


def _indices(values: tuple) -> np.ndarray:
    """Occupation columns with -1 for None."""
    return np.fromiter((-1 if v is None else v for v in values), dtype=np.int64, count=len(values))
