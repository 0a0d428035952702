"""transforms.calibration: confidence bands, expected calibration error, the isotonic map;
transforms.classify_scoring: top-k ranking and the candidates' probabilities."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from transforms.calibration import (
    ConfidenceMap,
    calibration_bands,
    expected_calibration_error,
    fit_isotonic,
)
from transforms.classify_scoring import candidate_scale, rank_candidates, top_k
from transforms.title_accuracy import accuracy_report

CONF = np.array([0.1, 0.15, 0.3, 0.5, 0.85, 0.9, 0.95, 1.0])
RIGHT = np.array([False, True, True, False, True, True, False, True])


def test_bands_count_answers_and_their_accuracy() -> None:
    bands = calibration_bands(CONF, RIGHT)
    assert [b["band"] for b in bands] == ["0.0-0.2", "0.2-0.4", "0.4-0.6", "0.6-0.8", "0.8-1.0"]
    assert [b["n"] for b in bands] == [2, 1, 1, 0, 4]
    assert bands[0]["mean_confidence"] == pytest.approx(0.125)
    assert bands[0]["accuracy"] == pytest.approx(0.5)
    assert bands[4]["mean_confidence"] == pytest.approx(0.925)
    assert bands[4]["accuracy"] == pytest.approx(0.75)
    assert math.isnan(bands[3]["accuracy"])


def test_band_edges_are_closed_below_and_the_last_band_includes_one() -> None:
    bands = calibration_bands(np.array([0.0, 0.2, 0.8, 1.0]), np.array([1, 1, 1, 1]))
    assert [b["n"] for b in bands] == [1, 1, 0, 0, 2]


def test_expected_calibration_error_is_the_weighted_gap() -> None:
    # |0.5-0.125|*2 + |1-0.3|*1 + |0-0.5|*1 + |0.75-0.925|*4, over 8 answers
    expected = (0.375 * 2 + 0.7 + 0.5 + 0.175 * 4) / 8
    assert expected_calibration_error(CONF, RIGHT) == pytest.approx(expected)
    assert expected_calibration_error(np.array([0.9] * 10), np.array([1] * 9 + [0])) == (
        pytest.approx(0.0)
    )
    assert math.isnan(expected_calibration_error(np.array([]), np.array([])))


def test_accuracy_report_carries_calibration_of_classified_answers() -> None:
    import pandas as pd

    pred = pd.Series(["15-1252.00", "15-1252.00", None, "29-1141.00"], dtype="string")
    truth = pd.Series(["15-1252.00", "15-1211.00", "11-1021.00", "29-1141.00"])
    report = accuracy_report(pred, truth, pd.Series([0.9, 0.7, 0.0, 0.5]))
    cal = report["calibration"]
    assert cal["n"] == 3  # the unclassified title claims nothing
    assert cal["ece"] == pytest.approx((0.1 + 0.7 + 0.5) / 3)


def test_isotonic_fit_is_monotone_and_matches_block_accuracy() -> None:
    conf = np.array([0.1] * 4 + [0.5] * 4 + [0.9] * 4)
    right = np.array([0, 0, 0, 1] + [1, 1, 0, 0] + [1, 1, 1, 0], dtype=bool)
    fitted = fit_isotonic(conf, right, min_block=4)
    assert fitted.x == (0.0, 0.1, 0.5, 0.9, 1.0)
    assert fitted.y == pytest.approx((0.25, 0.25, 0.5, 0.75, 0.75))
    assert fitted(0.3) == pytest.approx(0.375)
    # a violation is pooled: the middle block right less often than the first
    fitted = fit_isotonic(conf, np.array([1, 1, 0, 0] + [0, 0, 0, 1] + [1] * 4), min_block=4)
    assert fitted.x == pytest.approx((0.0, 0.3, 0.9, 1.0))
    assert fitted.y == pytest.approx((0.375, 0.375, 1.0, 1.0))


def test_confidence_map_round_trips_through_toml(tmp_path: Path) -> None:
    m = ConfidenceMap((0.0, 0.5, 1.0), (0.1, 0.4, 0.9))
    path = tmp_path / "cal.toml"
    m.to_toml(path, comment="fitted on nothing")
    assert path.read_text().startswith("# fitted on nothing\n")
    assert ConfidenceMap.from_toml(path) == m
    path.write_text("confidence = [0.0, 0.6, 0.5, 1.0]\ncalibrated = [0, 0.1, 0.2, 1]\n")
    with pytest.raises(ValueError, match="knots must increase"):
        ConfidenceMap.from_toml(path)


def test_top_k_ranks_largest_first_ties_by_column() -> None:
    scores = np.array([[0.1, 0.5, 0.2, 0.2], [0.25, 0.25, 0.25, 0.25]])
    idx, vals = top_k(scores, 3)
    assert idx.tolist() == [[1, 2, 3], [0, 1, 2]]
    assert vals.tolist() == [[0.5, 0.2, 0.2], [0.25, 0.25, 0.25]]
    idx, _ = top_k(scores, 9)  # cut to the columns there are
    assert idx.shape == (2, 4)


def test_top_k_equals_a_full_sort_on_random_and_tied_rows() -> None:
    rng = np.random.default_rng(7)
    # rounded to make ties common; the reference ranks every column by (-value, column)
    scores = np.round(rng.random((200, 40)), 1)
    order = np.lexsort((np.broadcast_to(np.arange(40), scores.shape), -scores), axis=1)
    for k in (1, 5, 39, 40):
        idx, vals = top_k(scores, k)
        assert idx.tolist() == order[:, :k].tolist()
        assert vals.tolist() == np.take_along_axis(scores, order[:, :k], axis=1).tolist()
    before = scores.copy()
    top_k(scores, 5)
    assert (scores == before).all()  # the input is left as it was


def _candidates(best: int, conf: float, p_best: float, k: int) -> tuple[tuple, tuple]:
    """``rank_candidates`` of one answer over the ranked row below, as tuples."""
    ranked, ranked_p = np.array([[0, 1, 2, 3]]), np.array([[0.6, 0.3, 0.1, 0.0]])
    idx, prob, count = rank_candidates(
        np.array([best]), np.array([conf]), np.array([p_best]), ranked, ranked_p, k
    )
    n = int(count[0])
    return tuple(idx[0, :n].tolist()), tuple(round(p, 4) for p in prob[0, :n].tolist())


def test_candidates_keep_the_posterior_or_share_what_the_answer_leaves() -> None:
    # a model answer: the posterior as it is
    assert _candidates(0, 0.6, 0.6, 3) == ((0, 1, 2), (0.6, 0.3, 0.1))
    # an exact match raised to 0.8: the others share the 0.2 left in their proportions
    assert _candidates(0, 0.8, 0.6, 3) == ((0, 1, 2), (0.8, 0.15, 0.05))
    # an exact match on the second: it comes first, the others follow by posterior,
    # scaled by 0.4 / 0.7 (0.6 x 0.4 / 0.7, 0.1 x 0.4 / 0.7)
    assert _candidates(1, 0.6, 0.3, 3) == ((1, 0, 2), (0.6, 0.3429, 0.0571))
    # a capped generic answer stays first
    assert _candidates(0, 0.2, 0.6, 2) == ((0, 1), (0.2, 0.2))
    # an answer outside the ranked row (an exact match): k - 1 others follow it
    assert _candidates(9, 0.5, 0.0, 5) == ((9, 0, 1, 2, 3), (0.5, 0.3, 0.15, 0.05, 0.0))
    # fewer ranked occupations than k: as many candidates as there are
    assert _candidates(0, 0.6, 0.6, 5) == ((0, 1, 2, 3), (0.6, 0.3, 0.1, 0.0))
    assert candidate_scale(0.8, 0.6) == pytest.approx(0.5)
    assert candidate_scale(0.5, 1.0) == 1.0
