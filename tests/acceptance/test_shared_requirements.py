"""Acceptance over ../shared/postings/text: extracted minimum education against the
advertisers' own labels on the 500 Workable (EMSCAD) ads (scripts/eval_requirements.py).

Measured (README, "Requirements from posting text"): agreement 0.977 (172 of the 176 rows
where both a label and an extracted level exist). The floors sit a few points under the
measured figures so that a regression fails here; they were not tuned to, and the
extraction was not tuned to these ads. ``test_the_report_reconciles_and_quotes_the_text``
holds no figure: it checks that the report is produced and that its counts agree with one
another, and that each disagreeing row is quoted.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.shared

ROOT = Path(__file__).resolve().parents[2]


ADS = "postings/text/emscad_workable_2012-2014_first500.csv"


def _eval_requirements():
    spec = importlib.util.spec_from_file_location(
        "eval_requirements", ROOT / "scripts/eval_requirements.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_education_agrees_with_the_advertisers_labels(
    shared_dir: Path, tmp_path: Path, capsys
) -> None:
    ads = shared_dir / ADS
    out = tmp_path / "eval.json"
    # education does not depend on the skills taxonomy: no warehouse needed
    _eval_requirements().main([str(ads), "--db", str(tmp_path / "none.duckdb"), "--json", str(out)])
    printed = capsys.readouterr().out
    assert "education agreement: " in printed and "confusion matrix" in printed

    report = json.loads(out.read_text())
    assert report["rows"] == 500
    assert report["both"] >= 160  # measured 176
    assert report["agreement"] >= 0.94  # measured 0.977
    confusion = report["confusion"]
    assert sum(sum(row.values()) for row in confusion.values()) == report["both"]
    assert sum(confusion[level].get(level, 0) for level in confusion) == report["agree"]
    assert confusion["bachelor"]["bachelor"] >= 95 and confusion["high_school"]["high_school"] >= 60


def test_the_report_reconciles_and_quotes_the_text(shared_dir: Path, tmp_path: Path, capsys):
    import pandas as pd

    module = _eval_requirements()
    ads = shared_dir / ADS
    out = tmp_path / "eval.json"
    module.main([str(ads), "--db", str(tmp_path / "none.duckdb"), "--json", str(out),
                 "--examples", "1000"])  # fmt: skip
    printed = capsys.readouterr().out
    report = json.loads(out.read_text())

    frame = pd.read_csv(ads, dtype=str, keep_default_na=False)
    labels = frame["required_education"].str.strip().map(module.LABELS)
    assert report["rows"] == len(frame)
    assert report["labelled"] == labels.notna().sum()
    assert report["both"] <= min(report["labelled"], report["extracted"])
    confusion = report["confusion"]
    assert sum(sum(row.values()) for row in confusion.values()) == report["both"]
    assert sum(confusion[level].get(level, 0) for level in confusion) == report["agree"]
    assert report["agreement"] == pytest.approx(report["agree"] / report["both"])
    assert len(report["disagree_ids"]) == report["both"] - report["agree"]
    # every disagreeing row is quoted: its label maps to another level than the extracted one
    quoted = report["disagreements"]
    assert [row["id"] for row in quoted] == report["disagree_ids"]
    for row in quoted:
        assert module.LABELS[row["label"]] != row["extracted"]
        assert row["text_says"] and f"job_id {row['id']} " in printed
        assert labels[frame["job_id"] == row["id"]].item() == module.LABELS[row["label"]]
