"""transforms.classify: exact, unseen and noisy titles, NAICS re-ranking, edge titles."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from outlook.config import NAICS_SOC_PRIORS
from transforms.classify import CLASSIFIER_VERSION, OUTPUT_COLUMNS, TitleClassifier
from transforms.naics_priors import load_naics_priors, naics_sector
from transforms.title_accuracy import accuracy_report, evaluate_labelled

PRIORS = load_naics_priors(NAICS_SOC_PRIORS)

OCC = [
    ("11-9111.00", "Medical and Health Services Managers"),
    ("11-3051.00", "Industrial Production Managers"),
    ("11-3051.01", "Quality Control Systems Managers"),
    ("11-1021.00", "General and Operations Managers"),
    ("13-1111.00", "Management Analysts"),
    ("29-1141.00", "Registered Nurses"),
    ("29-2061.00", "Licensed Practical and Licensed Vocational Nurses"),
    ("15-1252.00", "Software Developers"),
    ("15-2051.00", "Data Scientists"),
    ("13-2051.00", "Financial and Investment Analysts"),
    ("53-3032.00", "Heavy and Tractor-Trailer Truck Drivers"),
    ("41-2011.00", "Cashiers"),
]
ALT = [
    ("11-9111.00", "Health Services Director"),
    ("11-9111.00", "Clinical Director"),
    ("11-9111.00", "Hospital Administrator"),
    ("11-9111.00", "Director of Nursing"),
    ("11-9111.00", "Quality Improvement Director"),
    ("11-3051.00", "Plant Manager"),
    ("11-3051.00", "Production Director"),
    ("11-3051.01", "Quality Director"),
    ("11-3051.01", "Quality and Process Improvement Manager"),
    ("11-3051.01", "Continuous Improvement Manager"),
    ("11-1021.00", "Operations Director"),
    ("11-1021.00", "Director of Operations"),
    ("11-1021.00", "General Manager"),
    ("13-1111.00", "Performance Consultant"),
    ("13-1111.00", "Process Improvement Consultant"),
    ("13-1111.00", "Management Consultant"),
    ("29-1141.00", "Staff Nurse"),
    ("29-1141.00", "ICU Registered Nurse"),
    ("29-1141.00", "Charge Nurse"),
    ("29-2061.00", "LPN (Licensed Practical Nurse)"),
    ("15-1252.00", "Software Engineer"),
    ("15-1252.00", "Application Developer"),
    ("15-1252.00", "Java Developer"),
    ("15-2051.00", "Data Scientist"),
    ("15-2051.00", "Machine Learning Scientist"),
    ("13-2051.00", "Financial Analyst"),
    ("13-2051.00", "Investment Analyst"),
    ("53-3032.00", "Truck Driver"),
    ("53-3032.00", "Tractor Trailer Driver"),
    ("41-2011.00", "Cashier"),
    ("41-2011.00", "Checkout Clerk"),
]


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    occ = pd.DataFrame(OCC, columns=["onet_soc_code", "title"]).assign(description="")
    titles = dict(OCC)
    alt = pd.DataFrame(ALT, columns=["onet_soc_code", "alternate_title"])
    alt["title"] = alt["onet_soc_code"].map(titles)
    alt["short_title"] = pd.NA
    alt.loc[alt["alternate_title"].str.startswith("LPN"), "short_title"] = "LPN"
    alt["sources"] = "08"
    rep = pd.DataFrame(
        [("29-1141.00", "Registered Nurse (RN)"), ("15-1252.00", "Software Developer")],
        columns=["onet_soc_code", "reported_title"],
    ).assign(title=lambda d: d["onet_soc_code"].map(titles), shown_in_my_next_move=True)
    return {"occupation_data": occ, "alternate_titles": alt, "reported_titles": rep}


@pytest.fixture(scope="module")
def clf(frames: dict[str, pd.DataFrame]) -> TitleClassifier:
    return TitleClassifier.from_onet(frames, version="test", naics_priors=PRIORS)


def test_output_columns_and_types(clf: TitleClassifier) -> None:
    df = clf.classify_many(["Software Engineer", "", "Truck Driver"])
    assert list(df.columns) == OUTPUT_COLUMNS
    assert len(df) == 3
    assert df["confidence"].between(0, 1).all()
    assert df.loc[0, "soc_code"] == "15-1252"
    assert df.loc[0, "soc_title"] == "Software Developers"
    assert CLASSIFIER_VERSION


def test_exact_match(clf: TitleClassifier) -> None:
    c = clf.classify("Sr. Data Scientist - Remote")
    assert (c.onet_soc_code, c.method) == ("15-2051.00", "exact")
    assert c.confidence >= 0.9


@pytest.mark.parametrize(
    ("title", "code"),
    [
        ("Senior Python Software Engineer II", "15-1252.00"),  # unseen words around a head
        ("RN - Med Surg - Night Shift", "29-1141.00"),
        ("Licensed Practical Nurse - Weekends", "29-2061.00"),
        ("Sr. Financial Analyst, FP&A", "13-2051.00"),
        ("CDL-A Truck Driver - $10k sign on bonus", "53-3032.00"),
        ("Process Improvement Consultant - Req #4821", "13-1111.00"),
        ("Front End Cashier PT", "41-2011.00"),
    ],
)
def test_unseen_and_noisy_titles(clf: TitleClassifier, title: str, code: str) -> None:
    c = clf.classify(title)
    assert c.onet_soc_code == code, c
    assert c.method in {"exact", "token", "ngram"}


def test_typo_falls_back_to_ngrams(clf: TitleClassifier) -> None:
    c = clf.classify("Cashierr")
    assert c.onet_soc_code == "41-2011.00"
    assert c.method == "ngram"


def test_naics_reranks_close_candidates(clf: TitleClassifier) -> None:
    # "Director of Quality" is a near-tie between hospital and quality-systems managers
    # on the title alone; the industry decides.
    title = "Director of Quality"
    plain = clf.classify(title)
    hospital = clf.classify(title, naics="622110")
    factory = clf.classify(title, naics="336111")
    assert {plain.onet_soc_code, plain.runner_up_onet_soc_code} == {"11-9111.00", "11-3051.01"}
    assert hospital.soc_code == "11-9111"
    assert factory.onet_soc_code == "11-3051.01"
    assert hospital.confidence > plain.confidence or plain.soc_code != "11-9111"


def test_naics_does_not_override_a_clear_match(clf: TitleClassifier) -> None:
    assert clf.classify("Truck Driver", naics="622110").soc_code == "53-3032"


@pytest.mark.parametrize(
    ("title", "reason"),
    [
        ("", "empty title"),
        ("   ", "empty title"),
        ("看护师", "no Latin letters"),
        ("x" * 5000, "too long"),
        ("zzqxv", "no match"),
    ],  # fmt: skip
)
def test_edge_titles_unclassified_with_reason(
    clf: TitleClassifier, title: str, reason: str
) -> None:
    c = clf.classify(title)
    assert c.method == "unclassified"
    assert c.reason == reason
    assert c.onet_soc_code is None and c.confidence == 0.0


def test_batch_matches_single_and_keeps_order(clf: TitleClassifier) -> None:
    titles = ["Cashier", "Software Engineer", "Cashier", "RN", None, "Java Developer"]
    df = clf.classify_many(titles)  # type: ignore[arg-type]
    assert df["onet_soc_code"].tolist()[:4] == [
        clf.classify(t).onet_soc_code
        for t in titles[:4]  # type: ignore[arg-type]
    ]
    assert df.loc[4, "method"] == "unclassified"
    with pytest.raises(ValueError):
        clf.classify_many(["a", "b"], naics=["62"])


def test_naics_sector() -> None:
    assert naics_sector("622110") == "62"
    assert naics_sector("336111") == "31-33"
    assert naics_sector(None) is None
    assert naics_sector(float("nan")) is None  # type: ignore[arg-type]
    assert naics_sector("x") is None


def test_evaluate_labelled(clf: TitleClassifier) -> None:
    df = pd.DataFrame(
        {
            "title": ["Software Engineer", "Staff Nurse - Nights", "Cashier", "zzqxv"],
            "onet_soc_code": ["15-1252.00", "29-1141.00", "41-2011.00", "29-2061.00"],
        }
    )
    r = evaluate_labelled(clf, df)
    assert r["n"] == 4
    assert math.isclose(r["detailed"], 0.75)
    assert math.isclose(r["unclassified"], 0.25)
    assert sum(b["n"] for b in r["by_confidence"].values()) == 4


def test_accuracy_report_accepts_alternative_truths() -> None:
    r = accuracy_report(
        pd.Series(["11-3051.01", "29-1141.00", None]),
        pd.Series(["11-9111.00;11-3051.01", "29-1171.00", "41-2011.00"]),
    )
    assert math.isclose(r["detailed"], 1 / 3)
    assert math.isclose(r["broad"], 1 / 3)
    assert math.isclose(r["major"], 2 / 3)


def test_saved_models_classify_like_the_fitted_ones(
    frames: dict[str, pd.DataFrame], clf: TitleClassifier
) -> None:
    """A classifier rebuilt from ``models_frame()`` (what the warehouse keeps) skips the
    fit and answers exactly like the one that was fitted."""
    saved = clf.models_frame()
    assert set(saved["model"]) == {"occupation", "major"}
    rebuilt = TitleClassifier.from_onet(frames, version="test", naics_priors=PRIORS, models=saved)
    titles = ["Director of Quality", "Sr. Java Developer (Remote)", "Cashierr", "zzqxv", ""]
    naics = ["336111", None, None, None, None]
    pd.testing.assert_frame_equal(
        clf.classify_many(titles, naics), rebuilt.classify_many(titles, naics)
    )


def test_confidence_is_a_probability_with_the_runner_up(clf: TitleClassifier) -> None:
    df = clf.classify_many(["Director of Quality", "Java Developer Lead", "Quality Manager"])
    token = df[df["method"] == "token"]
    assert len(token) == 3
    assert ((token["confidence"] > 0) & (token["confidence"] <= 1)).all()
    # Softmax: the best and the runner-up share at most all the probability mass.
    assert (token["confidence"] + token["runner_up_confidence"] <= 1.0001).all()
    assert (token["confidence"] >= token["runner_up_confidence"]).all()


def test_saved_state_loads_without_rebuilding_and_answers_identically(
    frames: dict[str, pd.DataFrame], clf: TitleClassifier, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``state_blob`` (what the warehouse keeps per version) loads back with no reference
    key recomputed, no index rebuilt and nothing fitted, and classifies exactly alike."""
    import transforms.classifier_state as state
    from transforms.title_index import CharCentroidIndex
    from transforms.title_model import LinearTitleModel

    blob = clf.state_blob()

    def refuse(*_args, **_kwargs):
        raise AssertionError("the saved state should have been loaded, not rebuilt")

    monkeypatch.setattr(state, "reference_key", refuse)
    monkeypatch.setattr(CharCentroidIndex, "__init__", refuse)
    monkeypatch.setattr(LinearTitleModel, "fit", refuse)
    monkeypatch.setattr(LinearTitleModel, "from_frame", refuse)
    loaded = TitleClassifier.from_state_blob(blob, "test", PRIORS)
    assert loaded is not None and loaded.n_references == clf.n_references
    assert loaded.codes == clf.codes and loaded.occ_titles == clf.occ_titles
    titles = [
        "Registered Nurse", "Director of Quality", "Sr. Java Developer (Remote)", "Cashierr",
        "zzqxv", "", "Quality Director", "LPN", "Truck Driver - CDL A",
    ]  # fmt: skip
    naics = ["622110", "336111", None, None, "44", None, "622110", None, "484"]
    pd.testing.assert_frame_equal(
        clf.classify_many(titles, naics), loaded.classify_many(titles, naics)
    )
    # Bit-identical weights, not merely the same answers on these titles.
    for a, b in (
        (clf._occupation_model, loaded._occupation_model),
        (clf._major_model, loaded._major_model),
    ):
        assert a.vocab == b.vocab and a.classes == b.classes
        np.testing.assert_array_equal(a.idf, b.idf)
        np.testing.assert_array_equal(a.intercept, b.intercept)
        assert (a.weights != b.weights).nnz == 0
    assert loaded.state_blob() == blob


@pytest.fixture(scope="module")
def structured(frames: dict[str, pd.DataFrame]) -> TitleClassifier:
    from outlook.config import TITLE_STRUCTURE
    from transforms.title_structure import load_structure

    tech = pd.DataFrame({"example": ["Google Android", "Oracle Java"]})
    return TitleClassifier.from_onet(
        {**frames, "technology_skills": tech},
        version="test",
        naics_priors=PRIORS,
        structure=load_structure(TITLE_STRUCTURE),
    )


def test_structure_moves_the_answer_into_its_family_and_says_why(
    structured: TitleClassifier,
) -> None:
    # The trailing initials are not the head: the answer stays in the analyst families.
    analyst = structured.classify("Quality Analyst, CCO")
    assert analyst.soc_code.startswith(("13-", "11-")), analyst
    assert analyst.reason == "title structure: head noun 'analyst'"
    android = structured.classify("Android Engineer")
    assert android.soc_code.startswith("15-1"), android
    assert android.reason == "title structure: technology 'android' + engineer"


def test_generic_title_without_context_is_capped(structured: TitleClassifier) -> None:
    from outlook.config import TITLE_STRUCTURE
    from transforms.title_structure import load_structure

    cap = load_structure(TITLE_STRUCTURE).generic_cap
    c = structured.classify("Cashier")  # a specific title: untouched
    assert c.confidence >= 0.9 and c.reason is None
    generic = structured.classify("Manager")
    assert generic.confidence <= cap and "too generic" in generic.reason
    assert generic.runner_up_confidence <= generic.confidence
    # With the employer's industry the NAICS prior has had its say: no cap, no reason.
    in_context = structured.classify("Manager", naics="622110")
    assert in_context.reason is None


def test_generic_titles_abstain_when_the_lexicon_says_so(
    frames: dict[str, pd.DataFrame],
) -> None:
    from dataclasses import replace

    from outlook.config import TITLE_STRUCTURE
    from transforms.classify import REASON_TOO_GENERIC
    from transforms.title_structure import load_structure

    lexicon = replace(load_structure(TITLE_STRUCTURE), abstain_generic=True)
    clf = TitleClassifier.from_onet(frames, version="test", naics_priors=PRIORS, structure=lexicon)
    c = clf.classify("Director")
    assert (c.onet_soc_code, c.method, c.reason) == (None, "unclassified", REASON_TOO_GENERIC)
    assert clf.classify("Truck Driver").soc_code == "53-3032"


def test_top_k_candidates_start_with_the_answer(clf: TitleClassifier) -> None:
    titles = ["Director of Quality", "Sr. Data Scientist - Remote", "", "Cashierr"]
    answers = clf.classify_many(titles)
    cand = clf.candidates_frame(titles, top=3)
    assert list(cand.columns) == ["row", "rank", "onet_soc_code", "soc_code", "soc_title",
                                  "probability"]  # fmt: skip
    assert 2 not in set(cand["row"]), "an unclassified title has no candidates"
    for row, group in cand.groupby("row"):
        assert group["rank"].tolist() == [1, 2, 3]
        first, second = group.iloc[0], group.iloc[1]
        assert first["onet_soc_code"] == answers.loc[row, "onet_soc_code"]
        assert first["probability"] == answers.loc[row, "confidence"]
        assert second["onet_soc_code"] == answers.loc[row, "runner_up_onet_soc_code"]
        assert second["probability"] == answers.loc[row, "runner_up_confidence"]
        assert group["probability"].is_monotonic_decreasing
        assert group["probability"].sum() <= 1.0001
    with pytest.raises(ValueError, match="top must be"):
        clf.candidates_frame(titles, top=0)


def test_abstain_below_leaves_weak_answers_unclassified(clf: TitleClassifier) -> None:
    from transforms.classify import REASON_LOW_CONFIDENCE

    title = "Director of Quality"  # a near-tie: well under 0.9
    plain = clf.classify_many([title, "Truck Driver"])
    assert plain.loc[0, "confidence"] < 0.9 <= plain.loc[1, "confidence"]
    out = clf.classify_many([title, "Truck Driver"], abstain_below=0.9)
    assert out.loc[0, "onet_soc_code"] is pd.NA and out.loc[0, "method"] == "unclassified"
    assert out.loc[0, "reason"] == REASON_LOW_CONFIDENCE.format(threshold=0.9)
    assert out.loc[1, "soc_code"] == "53-3032"
    assert clf.candidates_frame([title], abstain_below=0.9).empty
    # the threshold applies on the way out: the cached answer is unchanged
    assert clf.classify(title).confidence == plain.loc[0, "confidence"]


def test_abstain_below_says_too_generic_for_a_generic_title(
    structured: TitleClassifier,
) -> None:
    from transforms.classify import REASON_TOO_GENERIC

    capped = structured.classify("Manager")
    out = structured.classify_many(["Manager"], abstain_below=capped.confidence + 0.01)
    assert (out.loc[0, "method"], out.loc[0, "reason"]) == ("unclassified", REASON_TOO_GENERIC)


def test_a_calibration_map_rewrites_the_top_confidence(frames: dict[str, pd.DataFrame]) -> None:
    from transforms.calibration import ConfidenceMap

    halve = ConfidenceMap((0.0, 1.0), (0.0, 0.5))
    clf = TitleClassifier.from_onet(frames, version="t", naics_priors=PRIORS, calibration=halve)
    plain = TitleClassifier.from_onet(frames, version="t", naics_priors=PRIORS)
    for title in ("Truck Driver", "Director of Quality", "Sr. Data Scientist - Remote"):
        a, b = clf.classify(title), plain.classify(title)
        assert a.onet_soc_code == b.onet_soc_code
        assert a.confidence == pytest.approx(b.confidence / 2, abs=1e-4)
        assert a.runner_up_confidence <= a.confidence
