"""The committed demo posting drops are reproducible and load with the generic profile."""

from __future__ import annotations

from pathlib import Path

from outlook.config import PROFILES_DIR
from scripts.samples.postings import write_postings_samples
from transforms.postings_io import read_postings_file
from transforms.postings_profile import load_profile

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples" / "postings"


def test_samples_are_deterministic_and_committed(tmp_path: Path) -> None:
    written = write_postings_samples(tmp_path / "postings")
    drops = [p for p in written if p.parent.name == "postings"]
    # descriptions made the drops ~420 KB; still small enough to commit
    assert len(drops) == 2 and sum(p.stat().st_size for p in drops) < 500_000
    for path in written:
        committed = SAMPLES.parent / path.parent.name / path.name
        assert path.read_bytes() == committed.read_bytes(), path.name
    # the truth sits beside the drop folder (the loader reads every file in it)
    assert {p.parent for p in written} == {tmp_path / "postings", tmp_path / "truth"}


def test_truth_covers_every_posting_and_most_have_text() -> None:
    import pandas as pd

    truth = pd.read_csv(SAMPLES.parent / "truth/vendor_postings_2024-05_2026-10.truth.csv",
                        dtype=str, keep_default_na=False)  # fmt: skip
    assert truth["source_id"].is_unique and len(truth) > 1_500
    share = (truth["has_text"] == "True").mean()
    assert 0.8 <= share <= 0.9  # ~15% without text, so "no text" is exercised
    pi = truth[truth["certifications_required"].str.contains("Six Sigma Black Belt")]
    assert len(pi) > 100


def test_samples_load_and_reconcile() -> None:
    profile = load_profile("generic", PROFILES_DIR)
    total = 0
    for path in sorted(SAMPLES.iterdir()):
        batch = read_postings_file(path, profile)
        assert batch.rows_read == len(batch.rows) + len(batch.quarantine)
        assert 0 < len(batch.quarantine) < 10
        total += batch.rows_read
        titles = batch.rows["title_raw"]
        assert titles.str.contains("Performance Improvement").sum() > 20
        assert titles.str.contains("Performance Marketing").any()
    assert 2_200 <= total <= 2_700
