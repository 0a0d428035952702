"""marts.title_soc_candidates on small hand-made tables with the real SQL through
``outlook.build.models.build``: the current classifier version's candidates only, one row
per (title, sector, rank) of a title the postings carry, with the postings that carry it;
a NULL sector joins like any other value.

The upstream models are stand-ins (``select * from fixtures.<table>``); the classifier's
cache (``cache.title_candidates``, ``cache.classifier_state``) is written by hand, as the
build's Python step would.
"""

from __future__ import annotations

import pandas as pd
import pytest

from tests.sql.model_tree import build_tree

STAND_INS = {"marts/fct_postings.sql": "fixtures.postings"}
MINE = ("marts/title_soc_candidates.sql",)

# posting row, normalised title, sector, canonical
POSTINGS = [
    ("r1", "data scientist", "54", True),
    ("r2", "data scientist", "54", False),  # a repost of r1
    ("r3", "data scientist", "54", True),
    ("r4", "data scientist", None, True),  # industry unresolved: its own candidates
    ("r5", "registrar", "61", True),  # abstained: no candidates
]
# version, title, sector, rank, O*NET-SOC code, probability
CANDIDATES = [
    ("v2", "data scientist", "54", 1, "15-2051.00", 0.81),
    ("v2", "data scientist", "54", 2, "15-2041.00", 0.09),
    ("v2", "data scientist", None, 1, "15-2051.00", 0.62),
    ("v2", "data scientist", None, 2, "15-1252.00", 0.20),
    ("v1", "data scientist", "54", 1, "15-1252.00", 0.55),  # an older classifier: ignored
    ("v2", "chef", "72", 1, "35-1011.00", 0.90),  # no posting carries it any more
]


def _tables() -> dict[str, pd.DataFrame]:
    postings = pd.DataFrame(
        POSTINGS, columns=["posting_row_id", "title_normalised", "naics_sector", "is_canonical"]
    )
    candidates = pd.DataFrame(
        [
            (v, t, s, r, code, code[:7], f"title of {code}", p)
            for v, t, s, r, code, p in CANDIDATES
        ],
        columns=[
            "version", "title_normalised", "naics_sector", "rank",
            "onet_soc_code", "soc_code", "soc_title", "probability",
        ],
    )  # fmt: skip
    return {
        "fixtures.postings": postings,
        "cache.title_candidates": candidates,
        "cache.classifier_state": pd.DataFrame({"version": ["v2"]}),
    }


@pytest.fixture(scope="module")
def candidates(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    tmp = tmp_path_factory.mktemp("title-candidates")
    con = build_tree(tmp, models=MINE, stand_ins=STAND_INS, tables=_tables())
    frame = con.execute("select * from marts.title_soc_candidates").df()
    con.close()
    return frame


def _key(row: pd.Series) -> tuple:
    sector = None if pd.isna(row["naics_sector"]) else row["naics_sector"]
    return (row["title_normalised"], sector, int(row["rank"]))


def test_current_version_candidates_of_titles_the_postings_carry(candidates) -> None:
    assert sorted((_key(r) for _, r in candidates.iterrows()), key=str) == sorted(
        [
            ("data scientist", "54", 1),
            ("data scientist", "54", 2),
            ("data scientist", None, 1),
            ("data scientist", None, 2),
        ],
        key=str,
    )
    top = candidates[(candidates["naics_sector"] == "54") & (candidates["rank"] == 1)].iloc[0]
    assert (top["onet_soc_code"], top["soc_code"], top["probability"]) == (
        "15-2051.00",
        "15-2051",
        pytest.approx(0.81),
    )


def test_postings_counted_per_title_and_sector_reposts_apart(candidates) -> None:
    counts = {
        (_key(r)[1], _key(r)[2]): (r["unique_postings"], r["total_postings"])
        for _, r in candidates.iterrows()
    }
    assert counts[("54", 1)] == counts[("54", 2)] == (2, 3)
    assert counts[(None, 1)] == (1, 1)


def test_a_titles_probabilities_sum_to_at_most_one(candidates) -> None:
    sums = candidates.groupby(["title_normalised", "naics_sector"], dropna=False)["probability"]
    assert (sums.sum() <= 1 + 1e-9).all()
