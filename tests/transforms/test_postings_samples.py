"""The committed demo posting drops are reproducible and load with the generic profile."""

from __future__ import annotations

from pathlib import Path

from outlook.config import PROFILES_DIR
from scripts.samples.postings import write_postings_samples
from transforms.postings_io import read_postings_file
from transforms.postings_profile import load_profile

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples" / "postings"


def test_samples_are_deterministic_and_committed(tmp_path: Path) -> None:
    written = write_postings_samples(tmp_path)
    assert sum(p.stat().st_size for p in written) < 300_000
    for path in written:
        assert path.read_bytes() == (SAMPLES / path.name).read_bytes(), path.name


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
