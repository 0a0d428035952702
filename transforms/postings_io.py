"""Read a publisher's posting file (CSV, CSV.gz, JSON Lines, Parquet) into canonical columns.

``read_postings_file`` reads a file with a profile (``transforms.postings_profile``): the
readers (``transforms.postings_readers``) turn its bytes into publisher records, and the
mapping (``transforms.postings_mapping``) turns those into canonical rows or quarantine rows.
Reading never drops a record silently: ``PostingsBatch`` checks
``rows_read == len(rows) + len(quarantine)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from transforms.hashing import sha256_file
from transforms.postings_mapping import map_to_canonical
from transforms.postings_profile import Profile
from transforms.postings_readers import (
    detect_format,
    read_bytes,
    read_csv,
    read_jsonl,
    read_parquet,
)


@dataclass
class PostingsBatch:
    """Canonical rows and quarantined records from one file."""

    rows: pd.DataFrame
    quarantine: pd.DataFrame
    rows_read: int
    file_path: str
    file_sha256: str
    source: str
    profile: str
    encoding: str | None = None  # CSV/JSONL only: utf-8, utf-8-sig, cp1252 or latin-1

    def __post_init__(self) -> None:
        if self.rows_read != len(self.rows) + len(self.quarantine):
            raise AssertionError(
                f"{self.file_path}: rows_read {self.rows_read} != loaded {len(self.rows)} + "
                f"quarantined {len(self.quarantine)}"
            )


def read_postings_file(path: Path | str, profile: Profile) -> PostingsBatch:
    """Read one posting file with a profile. Raises ``SourceFormatError`` for unreadable files
    (truncated gzip, bad Parquet) and ``SchemaDriftError`` when required columns are missing;
    bad records go to ``quarantine``."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(path)
    fmt, gz = detect_format(path, profile)
    sha = sha256_file(path)
    if fmt == "parquet":
        raw = read_parquet(path, profile)
    else:
        data = read_bytes(path, gz)
        raw = read_csv(path, data, profile) if fmt == "csv" else read_jsonl(path, data, profile)
    n_blank = 0 if raw.blank_positions is None else len(raw.blank_positions)
    rows_read = len(raw.frame) - n_blank + len(raw.quarantine)
    rows, quarantine = map_to_canonical(raw, profile, path, sha)
    return PostingsBatch(
        rows=rows,
        quarantine=quarantine,
        rows_read=rows_read,
        file_path=str(path),
        file_sha256=sha,
        source=profile.source,
        profile=profile.name,
        encoding=raw.encoding,
    )
