"""Acceptance over ../shared/postings/text: extracted minimum education against the
advertisers' own labels on the 500 Workable (EMSCAD) ads (scripts/eval_requirements.py).

Measured (README, "Requirements from posting text"): agreement 0.977 (172 of the 176 rows
where both a label and an extracted level exist). The floors sit a few points under the
measured figures so that a regression fails here; they were not tuned to, and the
extraction was not tuned to these ads.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.shared

ROOT = Path(__file__).resolve().parents[2]


def test_education_agrees_with_the_advertisers_labels(
    shared_dir: Path, tmp_path: Path, capsys
) -> None:
    spec = importlib.util.spec_from_file_location(
        "eval_requirements", ROOT / "scripts/eval_requirements.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    ads = shared_dir / "postings/text/emscad_workable_2012-2014_first500.csv"
    out = tmp_path / "eval.json"
    # education does not depend on the skills taxonomy: no warehouse needed
    module.main([str(ads), "--db", str(tmp_path / "none.duckdb"), "--json", str(out)])
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
