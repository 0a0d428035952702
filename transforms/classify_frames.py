"""The frames ``transforms.classify.TitleClassifier`` answers with, from its answer rows.

An answer row is (title, normalised title, occupation column or None, confidence,
runner-up column or None, its confidence, method, reason, the row's top-k occupation
columns and posteriors (None when unclassified), the answer's posterior); columns index
the classifier's ``codes`` and ``occ_titles``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from transforms.classify_scoring import rank_candidates

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
    occ_idx = cols[2]
    occ_codes = [codes[i] if i is not None else None for i in occ_idx]
    return pd.DataFrame(
        {
            "title": pd.Series(cols[0], dtype="string"),
            "normalised_title": pd.Series(cols[1], dtype="string"),
            "onet_soc_code": pd.Series(occ_codes, dtype="string"),
            "soc_code": pd.Series([c[:7] if c else None for c in occ_codes], dtype="string"),
            "soc_title": pd.Series(
                [occ_titles[i] if i is not None else None for i in occ_idx], dtype="string"
            ),
            "confidence": pd.Series(cols[3], dtype="float64"),
            "runner_up_onet_soc_code": pd.Series(
                [codes[i] if i is not None else None for i in cols[4]], dtype="string"
            ),
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
    at, ranks, occ, prob = [], [], [], []
    for r, answer in enumerate(rows):
        if answer[8] is None:
            continue
        cand_idx, cand_p = rank_candidates(answer[2], answer[3], answer[10], *answer[8:10], top)
        n = len(cand_idx)
        at += [r] * n
        ranks += range(1, n + 1)
        occ += cand_idx[:n]
        prob += cand_p[:n]
    occ_codes = [codes[i] for i in occ]
    return pd.DataFrame(
        {
            "row": pd.Series(at, dtype="int64"),
            "rank": pd.Series(ranks, dtype="int64"),
            "onet_soc_code": pd.Series(occ_codes, dtype="string"),
            "soc_code": pd.Series([c[:7] for c in occ_codes], dtype="string"),
            "soc_title": pd.Series([occ_titles[i] for i in occ], dtype="string"),
            "probability": pd.Series(prob, dtype="float64"),
        }
    )
