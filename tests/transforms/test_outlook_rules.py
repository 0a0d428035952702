"""Outlook label rules at every boundary (half-open [a, b) bins), using the shipped rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from outlook.config import OUTLOOK_RULES
from transforms.outlook_rules import (
    Evidence,
    EvidenceRule,
    Rules,
    decide,
    label_for_score,
    load_rules,
    score_value,
)

RULES = load_rules(OUTLOOK_RULES)


def ev(name: str, value: float | None, ci: tuple[float, float] | None = None) -> Evidence:
    return Evidence(name, value, "2025-01..2025-12", "test", f"{name}={value}", ci)


def one_rule(cuts=(-25.0, -10.0, 10.0, 25.0), name: str = "x") -> Rules:
    return Rules(30, (-1.5, -0.5, 0.5, 1.5), 0.0, {name: EvidenceRule(1.0, cuts)})


def test_shipped_rules_are_as_documented() -> None:
    assert RULES.min_postings == 30
    assert RULES.score_cuts == (-1.5, -0.5, 0.5, 1.5)
    assert RULES.evidence["postings_window_change"].weight == 0.4
    assert RULES.evidence["postings_window_change"].cuts == (-25.0, -10.0, 10.0, 25.0)
    assert RULES.evidence["postings_trend"].zero_if_ci_spans_zero
    assert sum(e.weight for e in RULES.evidence.values()) == pytest.approx(1.0)
    assert RULES.trend["window_months"] == 12


@pytest.mark.parametrize(
    ("value", "score"),
    [
        (-25.01, -2),
        (-25.0, -1),
        (-10.01, -1),
        (-10.0, 0),
        (0.0, 0),
        (9.99, 0),
        (10.0, 1),
        (24.99, 1),
        (25.0, 2),
        (400.0, 2),
    ],
)
def test_score_value_bins(value: float, score: int) -> None:
    assert score_value(value, (-25.0, -10.0, 10.0, 25.0)) == score


@pytest.mark.parametrize(
    ("score", "label"),
    [
        (-2.0, "declining"),
        (-1.5001, "declining"),
        (-1.5, "softening"),
        (-0.5001, "softening"),
        (-0.5, "stable"),
        (0.0, "stable"),
        (0.4999, "stable"),
        (0.5, "growing"),
        (1.4999, "growing"),
        (1.5, "strong growth"),
        (2.0, "strong growth"),
    ],
)
def test_label_for_score_bins(score: float, label: str) -> None:
    assert label_for_score(score, RULES.score_cuts) == label


@pytest.mark.parametrize(
    ("value", "label"),
    [
        (-30, "declining"),
        (-25, "softening"),
        (-10, "stable"),
        (10, "growing"),
        (25, "strong growth"),
    ],
)
def test_single_evidence_end_to_end(value: float, label: str) -> None:
    # the postings' own window change: a label it scores is also supported by it (rule 5)
    name = "postings_window_change"
    assert decide(30, [ev(name, value)], one_rule(name=name)).label == label


def test_minimum_postings_boundary() -> None:
    evidence = [ev("postings_window_change", 50.0)]
    below = decide(29, evidence, RULES)
    assert below.label == "insufficient data"
    assert below.score is None
    assert "29 unique postings" in below.evidence_text
    assert below.items[0]["value"] == 29
    assert decide(30, evidence, RULES).label == "strong growth"
    assert decide(None, evidence, RULES).label == "insufficient data"


def test_weights_renormalise_over_available_evidence() -> None:
    # window +30 (score 2, w .4), projections +5 (score 1, w .2), JOLTS missing,
    # Indeed -30 (score -2, w .1): (0.8 + 0.2 - 0.2) / 0.7 = 1.142857
    decision = decide(
        100,
        [
            ev("postings_window_change", 30.0),
            ev("projected_growth", 5.0),
            ev("jolts_openings", None),
            ev("indeed_index", -30.0),
        ],
        RULES,
    )
    assert decision.score == pytest.approx(0.8 / 0.7, abs=1e-4)
    assert decision.label == "growing"
    items = {i["name"]: i for i in json.loads(decision.evidence_json)}
    assert items["jolts_openings"]["score"] is None and items["jolts_openings"]["value"] is None
    assert items["indeed_index"]["score"] == -2
    assert set(items["projected_growth"]) >= {"value", "period", "source", "text"}


def test_trend_spanning_zero_counts_as_no_change() -> None:
    flat = ev("postings_window_change", 0.0)
    noisy = ev("postings_trend", 40.0, ci=(-5.0, 90.0))
    clear = ev("postings_trend", 40.0, ci=(12.0, 70.0))
    assert decide(50, [flat, noisy], RULES).score == 0
    # (0 * .4 + 2 * .2) / .6
    assert decide(50, [flat, clear], RULES).score == pytest.approx(2 / 3, abs=1e-4)
    assert decide(50, [flat, clear], RULES).label == "growing"


def test_too_little_weight_is_insufficient() -> None:
    # only Indeed (weight .1 of 1.0) < min_weight .4
    assert decide(500, [ev("indeed_index", 50.0)], RULES).label == "insufficient data"
    # the window alone (.4) is exactly enough
    assert decide(500, [ev("postings_window_change", -50.0)], RULES).label == "declining"
    assert decide(500, [], RULES).label == "insufficient data"


def test_unknown_evidence_is_listed_not_scored() -> None:
    decision = decide(50, [ev("postings_window_change", 0.0), ev("salary", 12.0)], RULES)
    assert decision.label == "stable"
    assert [i["name"] for i in decision.items] == [
        "postings_in_window",
        "postings_window_change",
        "salary",
    ]


def test_bad_rules_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(
        "[label]\nmin_postings = 30\nscore_cuts = [1.0, -1.0, 0.0, 2.0]\n"
        "[evidence.x]\nweight = 1\ncuts = [1, 2, 3, 4]\n"
    )
    with pytest.raises(ValueError, match="ascending"):
        load_rules(path)


# -- rule 5: a label other than stable must show in the postings ---------------------------


def test_official_evidence_alone_cannot_make_a_growth_label() -> None:
    # projections +20% score +2, but the postings moved +4% and the trend interval spans 0
    evidence = [
        ev("postings_window_change", 4.0),
        ev("postings_trend", 5.7, (-6.7, 19.8)),
        ev("projected_growth", 20.0),
        ev("jolts_openings", 30.0),
        ev("indeed_index", 30.0),
    ]
    decision = decide(100, evidence, RULES)
    assert decision.label == "stable"
    support = decision.items[-1]
    assert support["name"] == "label_support"
    assert "read as stable, not growing" in str(support["text"])
    assert "includes zero" in str(support["text"])


def test_a_trend_interval_clear_of_zero_supports_the_label() -> None:
    evidence = [
        ev("postings_window_change", None),
        ev("postings_trend", 30.0, (12.0, 50.0)),
        ev("projected_growth", 20.0),
    ]
    assert decide(100, evidence, RULES).label == "strong growth"
    # the same interval does not support a decline
    falling = [ev("postings_trend", 30.0, (12.0, 50.0)), ev("projected_growth", -20.0)]
    falling += [ev("jolts_openings", -30.0), ev("indeed_index", -30.0)]
    assert decide(100, falling, RULES).label in ("stable", "softening")
    assert decide(100, falling, RULES).label != "declining"


def test_a_window_change_supports_only_its_own_direction() -> None:
    up = [ev("postings_window_change", 30.0), ev("projected_growth", 10.0)]
    assert decide(100, up, RULES).label == "strong growth"
    contradicted = [
        ev("postings_window_change", 12.0),
        ev("postings_trend", -30.0, (-50.0, -12.0)),
        ev("projected_growth", -10.0),
        ev("jolts_openings", -30.0),
        ev("indeed_index", -30.0),
    ]
    decision = decide(100, contradicted, RULES)
    # the score says falling; the interval (wholly below zero) supports that
    assert decision.label in ("softening", "declining")


def test_support_settings_are_read_from_the_rules_file() -> None:
    assert RULES.support.min_window_change_pct == 10.0
    assert RULES.support.trend_ci_excludes_zero is True
