"""bench.synth: deterministic drops whose truth files agree with the data they describe."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from bench.synth import COLUMNS, SynthConfig, generate, load_taxonomy, write_synth
from outlook.config import PROFILES_DIR, SAMPLES_MIRROR
from transforms.postings import normalise_employer
from transforms.postings_io import read_postings_file
from transforms.postings_profile import load_profile
from transforms.titles import normalise_title

N = 3000
SAMPLE_TRUTH = (
    Path(__file__).resolve().parents[1] / "data/samples/truth/vendor_postings_api.truth.csv"
)


@pytest.fixture(scope="module")
def taxonomy():
    return load_taxonomy(SAMPLES_MIRROR)


@pytest.fixture(scope="module")
def drop(taxonomy, tmp_path_factory) -> dict[str, Path]:
    result = generate(SynthConfig(postings=N, seed=7), taxonomy)
    return write_synth(result, tmp_path_factory.mktemp("synth"))


@pytest.fixture(scope="module")
def truth(drop) -> pd.DataFrame:
    return pd.read_parquet(drop["truth_rows"])


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_same_seed_same_bytes(taxonomy, drop, tmp_path):
    again = write_synth(generate(SynthConfig(postings=N, seed=7), taxonomy), tmp_path)
    for name in (
        "csv.gz",
        "parquet",
        "truth_text",
        "truth_rows",
        "truth_monthly",
        "truth_yoy",
        "truth",
    ):
        assert _digest(again[name]) == _digest(drop[name]), name
    other = write_synth(generate(SynthConfig(postings=N, seed=8), taxonomy), tmp_path / "b")
    assert _digest(other["csv.gz"]) != _digest(drop["csv.gz"])


def test_exact_row_count_and_rates(truth):
    assert len(truth) == N
    assert truth["row_number"].tolist() == list(range(1, N + 1))
    share = truth["kind"].isin(["repost", "cross_source"]).mean()
    assert 0.07 < share < 0.13
    assert (truth["kind"] == "malformed").sum() == round(N * 0.002)


@pytest.mark.parametrize("fmt", ["csv.gz", "parquet"])
def test_reads_with_generic_profile_and_malformed_rows_are_quarantined(drop, truth, fmt):
    batch = read_postings_file(drop[fmt], load_profile("generic", PROFILES_DIR))
    assert batch.rows_read == len(batch.rows) + len(batch.quarantine) == N
    malformed = truth.loc[truth["kind"] == "malformed", "row_number"].tolist()
    assert sorted(batch.quarantine["row_number"].tolist()) == malformed
    assert len(batch.rows) == N - len(malformed)
    # Loaded rows line up with the truth by row number: same source id, same posted month.
    rows = batch.rows.merge(truth, on="row_number", suffixes=("", "_truth"))
    assert (rows["source_id"] == rows["source_id_truth"]).all()
    month = pd.to_datetime(rows["posted_date"].astype("datetime64[s]")).dt.to_period("M")
    assert (month == rows["month"].dt.to_period("M")).all()


def test_truth_monthly_counts_match_canonical_rows(drop, truth):
    monthly = pd.read_csv(drop["truth_monthly"], dtype={"naics_sector": str})
    canon = truth[truth["is_canonical"] & truth["role"].notna()]
    recount = (
        canon.assign(month=canon["month"].dt.strftime("%Y-%m-01"))
        .groupby(["role", "naics_sector", "month"])
        .size()
        .rename("n")
        .reset_index()
    )
    merged = monthly.merge(recount, on=["role", "naics_sector", "month"], how="outer")
    assert merged["n"].notna().all() and merged["unique_postings"].notna().all()
    assert (merged["n"] == merged["unique_postings"]).all()
    assert monthly["unique_postings"].sum() == len(canon)
    # Every group has exactly one canonical row, its original.
    groups = truth.dropna(subset=["duplicate_group_id"])
    per_group = groups.groupby("duplicate_group_id")["is_canonical"].sum()
    assert (per_group == 1).all()
    canon_rows = groups[groups["is_canonical"]]
    assert (canon_rows["duplicate_group_id"] == canon_rows["row_number"]).all()


def test_duplicate_groups_are_real_duplicates_and_nothing_else_is(drop, truth):
    data = pd.read_parquet(drop["parquet"])
    rows = truth.join(data[["employer_raw", "location_raw", "posted_date"]])
    rows = rows[rows["kind"] != "malformed"].copy()
    rows["key"] = (
        rows["clean_title"].map(normalise_title)
        + "|"
        + rows["employer_raw"].map(normalise_employer)
        + "|"
        + rows["location_raw"]
    )
    rows["day"] = pd.to_datetime(rows["posted_date"], format="mixed")
    # Within a group: one key, all copies 0-59 days after the original.
    by_group = rows.groupby("duplicate_group_id")
    assert (by_group["key"].nunique() == 1).all()
    first = by_group["day"].transform("min")
    assert ((rows["day"] - first).dt.days < 60).all()
    canon_day = rows.loc[rows["is_canonical"]].set_index("duplicate_group_id")["day"]
    assert (rows["day"] >= rows["duplicate_group_id"].map(canon_day)).all()
    # Across groups: the same key never recurs within 60 days of another group.
    rows = rows.sort_values(["key", "day"])
    same_key = rows["key"].to_numpy()[1:] == rows["key"].to_numpy()[:-1]
    new_group = (
        rows["duplicate_group_id"].to_numpy()[1:] != rows["duplicate_group_id"].to_numpy()[:-1]
    )
    gap = np.diff(rows["day"].to_numpy()).astype("timedelta64[D]").astype(int)
    assert not (same_key & new_group & (gap < 60)).any()


def test_titles_are_noisy_but_normalise_to_the_clean_title_mostly(drop, truth):
    data = pd.read_parquet(drop["parquet"])
    rows = truth.join(data["title_raw"])
    rows = rows[rows["kind"] != "malformed"]
    assert (rows["title_raw"] != rows["clean_title"]).mean() > 0.2  # the noise is there
    same = [
        normalise_title(a) == normalise_title(b)
        for a, b in zip(rows["title_raw"], rows["clean_title"], strict=True)
    ]
    assert np.mean(same) > 0.85  # and mostly removable by the project's normaliser


def test_salary_texts_vary_and_roles_appear(drop, truth):
    data = pd.read_parquet(drop["parquet"])
    texts = data["salary_text"][data["salary_text"] != ""]
    assert texts.str.contains("a year").any() and texts.str.contains("/hr").any()
    assert texts.str.contains("per annum").any()
    assert (data["salary_period_raw"] == "YEAR").any() or (
        data["salary_period_raw"] == "HOUR"
    ).any()
    assert truth["role"].notna().mean() > 0.1


def test_descriptions_are_planted_and_their_truth_covers_every_posting(drop, truth):
    data = pd.read_parquet(drop["parquet"]).join(truth[["kind", "duplicate_group_id"]])
    planted = pd.read_csv(drop["truth_text"], dtype=str, keep_default_na=False)
    assert drop["truth_text"].name == "postings.truth.csv"
    assert list(planted.columns) == list(pd.read_csv(SAMPLE_TRUTH, nrows=0).columns)
    postings = data[data["kind"] != "malformed"]
    assert planted["source_id"].tolist() == postings["source_id"].tolist()  # malformed: none
    has_text = planted["has_text"] == "True"
    assert 0.8 < has_text.mean() < 0.9  # ~15% of postings have no text
    assert ((postings["description"] != "").to_numpy() == has_text.to_numpy()).all()
    assert not data["description"].str.contains("\n").any()  # CSV lines stay one row each
    # copies carry their original's text and truth
    by_id = planted.set_index("source_id")
    copies = postings[postings["kind"] != "original"]
    original = data.set_index(truth["row_number"]).loc[copies["duplicate_group_id"].astype(int)]
    assert (copies["description"].to_numpy() == original["description"].to_numpy()).all()
    assert (
        by_id.loc[copies["source_id"]].to_numpy() == by_id.loc[original["source_id"]].to_numpy()
    ).all()
    # every profile's facts show up: methods, certifications both ways, levels, years
    assert planted["skills"].str.contains("Six Sigma").any()
    assert (planted["certifications_required"] != "").any()
    assert (planted["certifications_preferred"] != "").any()
    assert {"high_school", "associate", "bachelor", "master"} <= set(planted["education_min"])
    assert (planted["experience_years_min"] != "").mean() > 0.7


def test_no_descriptions_changes_no_other_column(taxonomy, drop, tmp_path):
    plain = generate(SynthConfig(postings=N, seed=7, descriptions=False), taxonomy)
    paths = write_synth(plain, tmp_path)
    assert "truth_text" not in paths and not list(tmp_path.glob("*.truth.csv"))
    assert (
        plain.table.column_names == COLUMNS and plain.summary["postings_with_description"] is None
    )
    full = pq.read_table(drop["parquet"])
    assert full.column_names == [*COLUMNS, "description"]
    assert full.select(COLUMNS).equals(plain.table)
    assert pd.read_parquet(paths["truth_rows"]).equals(pd.read_parquet(drop["truth_rows"]))


def test_extraction_meets_the_bar_on_the_planted_truth(drop):
    """The Done-when figures of issue 18 on a small drop, with the sample mirror's O*NET
    Technology Skills (scripts/eval_truth.py reports them on 10,000 postings)."""
    from outlook.build.requirements import CERTIFICATIONS_SEED, SKILL_STOPLIST_SEED
    from scripts.eval_truth import _read_postings, score
    from transforms.onet import read_onet_archive
    from transforms.skills import build_taxonomy, read_seed_terms, read_stoplist

    onet = read_onet_archive(
        SAMPLES_MIRROR / "www.onetcenter.org/dl_files/database/db_29_3_text.zip"
    )
    skills = build_taxonomy(
        onet["technology_skills"].to_dict("records"), read_seed_terms(CERTIFICATIONS_SEED),
        read_stoplist(SKILL_STOPLIST_SEED), "sample O*NET + seeds",
    )  # fmt: skip
    planted = pd.read_csv(drop["truth_text"], dtype=str, keep_default_na=False)
    report = score(_read_postings(drop["csv.gz"]), planted, skills)
    assert report["postings_with_text"] == (planted["has_text"] == "True").sum()
    for key in ("skills", "certifications"):
        assert report[key]["precision"] >= 0.9 and report[key]["recall"] >= 0.9, key
    assert report["education_exact"] >= 0.9 and report["years_within_1"] >= 0.9
