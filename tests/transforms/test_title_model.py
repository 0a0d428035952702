"""transforms.title_model: features, a fitted model's scores, and its saved form."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from transforms.title_model import LinearTitleModel, char_features, word_features

KEYS = [
    "registered nurse", "icu nurse", "charge nurse", "staff nurse",
    "software engineer", "java developer", "application developer", "backend engineer",
    "truck driver", "tractor trailer driver", "delivery driver",
    "director of nursing", "nursing director",
]  # fmt: skip
LABELS = ["29"] * 4 + ["15"] * 4 + ["53"] * 3 + ["11"] * 2


def test_word_features_mark_the_head_noun() -> None:
    assert word_features("director of nursing") == (
        "u:director", "u:nursing", "b:director_nursing", "h:director",
    )  # fmt: skip
    assert word_features("icu nurse")[-1] == "h:nurse"
    assert word_features("") == ()
    assert word_features("of") == ()


def test_char_features_stay_inside_words() -> None:
    grams = char_features("rn lpn")
    assert "c: rn " in grams and "c: lpn " in grams
    assert not any(" " in g[2:].strip() for g in grams), "no gram spans two words"
    assert all(2 <= len(g) - 2 <= 5 for g in grams)


@pytest.fixture(scope="module")
def model() -> LinearTitleModel:
    return LinearTitleModel.fit(KEYS, LABELS, "word+char")


def test_fitted_model_ranks_unseen_titles(model: LinearTitleModel) -> None:
    scores, known = model.decision(["er nurse", "python engineer", "box truck driver"])
    best = [model.classes[i] for i in scores.argmax(axis=1)]
    assert best == ["29", "15", "53"]
    assert (known > 0).all()


def test_unknown_words_still_score_through_character_grams(model: LinearTitleModel) -> None:
    scores, known = model.decision(["nurses", "zzzz"])
    assert known[0] > 0 and model.classes[int(scores[0].argmax())] == "29"
    # Nothing known: the scores are the intercepts, not an error.
    assert known[1] == 0
    np.testing.assert_allclose(scores[1], model.intercept)


def test_word_model_knows_nothing_of_a_new_word() -> None:
    words = LinearTitleModel.fit(KEYS, LABELS, "word")
    _, known = words.decision(["zzzz", "nurse zzzz", ""])
    assert known.tolist() == [0, 1, 0]  # only "u:nurse" is known in "nurse zzzz"


def test_saved_frame_round_trips_exactly(model: LinearTitleModel) -> None:
    frame = model.to_frame()
    assert list(frame.columns) == ["featurizer", "feature", "target", "value"]
    assert frame["value"].notna().all()
    again = LinearTitleModel.from_frame(frame.sample(frac=1.0, random_state=1))
    probe = ["er nurse", "python engineer", "nursing", "zzzz"]
    # Rows may come back in any order: same classes, same scores.
    assert again.classes == model.classes
    np.testing.assert_allclose(again.decision(probe)[0], model.decision(probe)[0])


def test_two_classes_score_both_ways() -> None:
    m = LinearTitleModel.fit(["nurse", "rn nurse", "driver", "truck driver"], list("aabb"), "word")
    scores, _ = m.decision(["nurse", "driver"])
    assert scores.shape == (2, 2)
    assert scores[0].argmax() == 0 and scores[1].argmax() == 1


def test_fit_is_deterministic() -> None:
    a = LinearTitleModel.fit(KEYS, LABELS, "word").to_frame()
    b = LinearTitleModel.fit(KEYS, LABELS, "word").to_frame()
    pd.testing.assert_frame_equal(a, b)


_FIT_AND_HASH = """
import hashlib, sys
from tests.transforms.test_title_model import KEYS, LABELS
from transforms.title_model import LinearTitleModel
m = LinearTitleModel.fit(KEYS * 3, LABELS * 3, "word+char")
w = m.weights.tocsr()
h = hashlib.sha256()
h.update("|".join(m.vocab).encode())
for part in (w.data, w.indices, w.indptr, m.intercept, m.idf):
    h.update(part.tobytes())
print(h.hexdigest())
"""


def test_fit_is_identical_in_every_process() -> None:
    """Two processes with different string-hash seeds fit the same weights, bit for bit
    (the features were once numbered in set order, which follows the string hash)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    digests = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(root)}
        proc = subprocess.run(
            [sys.executable, "-c", _FIT_AND_HASH], cwd=root, env=env, capture_output=True,
            text=True, check=True,
        )  # fmt: skip
        digests.add(proc.stdout.strip())
    assert len(digests) == 1


def test_fit_on_several_processes_gives_the_serial_weights() -> None:
    """Each worker process has its own liblinear rand(), seeded at every fit: the
    classes fitted there get the serial fit's weights bit for bit, in class order."""
    keys, labels = KEYS * 3, LABELS * 3
    serial = LinearTitleModel.fit(keys, labels, "word+char")
    parallel = LinearTitleModel.fit(keys, labels, "word+char", workers=3)
    assert parallel.vocab == serial.vocab and parallel.classes == serial.classes
    for a, b in (
        (parallel.idf, serial.idf),
        (parallel.intercept, serial.intercept),
        (parallel.weights.data, serial.weights.data),
        (parallel.weights.indices, serial.weights.indices),
        (parallel.weights.indptr, serial.weights.indptr),
    ):
        assert a.dtype == b.dtype and a.tobytes() == b.tobytes()
