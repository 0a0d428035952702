"""transforms.classify_decision and the columns it feeds: whole-array decisions give each
(title, sector) pair the answer it gets alone, in any order and batch."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from outlook.config import TITLE_STRUCTURE
from tests.transforms.test_classify import ALT, OCC, PRIORS
from transforms.classify import TitleClassifier
from transforms.classify_scoring import prior_matrix
from transforms.string_columns import take_strings
from transforms.title_structure import load_structure

TITLES = [
    "Quality Improvement Director", "Director of Nursing", "Staff Nurse", "Java Developer",
    "Senior Data Scientist", "Cashier", "Truck Driver", "Operations Director",
    "Plant Manager", "Xyzzy Plover", "", "Process Improvement Consultant", "President",
    "Android Engineer", "Chief Marketing Officer", "Machine Operator",
]  # fmt: skip
SECTORS = [None, "62", "31-33", "51", "44-45", "48-49", "54"]


@pytest.fixture(scope="module")
def clf() -> TitleClassifier:
    occ = pd.DataFrame(OCC, columns=["onet_soc_code", "title"]).assign(description="")
    alt = pd.DataFrame(ALT, columns=["onet_soc_code", "alternate_title"])
    alt["title"] = alt["onet_soc_code"].map(dict(OCC))
    alt["short_title"] = pd.NA
    alt["sources"] = "08"
    tech = pd.DataFrame({"example": ["Google Android", "Oracle Java"]})
    frames = {"occupation_data": occ, "alternate_titles": alt, "technology_skills": tech}
    # with the structure lexicon: families, generic caps and reasons are decided per key
    return TitleClassifier.from_onet(
        frames, version="test", naics_priors=PRIORS, structure=load_structure(TITLE_STRUCTURE)
    )


def test_each_pair_gets_the_answer_it_gets_alone(
    clf: TitleClassifier, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("transforms.classify.BATCH", 5)  # many batches, a key in several
    clf.clear_caches()
    rng = np.random.default_rng(7)
    pairs = [(t, s) for t in TITLES for s in SECTORS]
    order = rng.permutation(len(pairs))  # sectors interleaved, keys repeated across batches
    titles = [pairs[i][0] for i in order]
    naics = [pairs[i][1] for i in order]
    together, candidates = clf.classify_with_candidates(titles, naics)
    assert together["reason"].notna().any() and together["method"].eq("exact").any()
    for row, (title, sector) in enumerate(zip(titles, naics, strict=True)):
        clf.clear_caches()
        alone, alone_candidates = clf.classify_with_candidates([title], [sector])
        pd.testing.assert_frame_equal(
            together.iloc[[row]].reset_index(drop=True), alone, check_dtype=False
        )
        mine = candidates[candidates["row"] == row].drop(columns="row").reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, alone_candidates.drop(columns="row"))


def test_sector_priors_on_interleaved_rows_equal_row_by_row(clf: TitleClassifier) -> None:
    scorer = clf._scorer
    rng = np.random.default_rng(3)
    probs = rng.dirichlet(np.ones(len(clf.codes)), size=40)
    sectors = [SECTORS[i] for i in rng.integers(0, len(SECTORS), size=40)]
    sectors = [s if s in scorer.priors else None for s in sectors]
    assert len({s for s in sectors if s}) > 1
    expected = probs.copy()
    for i, sector in enumerate(sectors):
        if sector is not None:
            row = expected[i] * prior_matrix(clf.codes, PRIORS)[sector]
            expected[i] = row / row.sum()
    scorer.apply_priors(probs, sectors)
    np.testing.assert_array_equal(probs, expected)


def test_take_strings_picks_by_index_and_leaves_minus_one_missing() -> None:
    column = take_strings(["a", "b", None], np.array([1, -1, 0, 2, 1]))
    assert column.dtype == "string"
    assert column.tolist() == ["b", pd.NA, "a", pd.NA, "b"]
    assert take_strings([], np.array([-1, -1])).isna().all()
    assert take_strings(["a"], np.array([], dtype=np.int64)).empty
