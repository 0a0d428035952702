"""Malformed rows: extra rows that must land in quarantine (they are not postings in the
truth). Four kinds in turn: ragged CSV lines, unparseable dates, impossible dates and
missing titles. Ragged lines exist only in CSV; in Parquet the same row gets an
unparseable date so both files quarantine the same rows."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

REASONS = ["ragged line", "posted_date not a date", "posted_date out of range", "title missing"]


def break_rows(
    kind: np.ndarray, posted: pa.Array, title: pa.Array
) -> tuple[pa.Array, pa.Array, np.ndarray, np.ndarray]:
    """Break the rows of ``kind`` 3. Returns (posted, title, ragged positions, reason per row
    ('' for rows that are not malformed))."""
    n = len(kind)
    mal_pos = np.nonzero(kind == 3)[0]
    mal_kind = np.arange(len(mal_pos)) % 4
    ragged = mal_pos[mal_kind == 0]
    reason = np.full(n, "", dtype=object)
    reason[mal_pos] = np.array(REASONS, dtype=object)[mal_kind]
    posted_np = posted.to_numpy(zero_copy_only=False).astype(object)
    title_np = title.to_numpy(zero_copy_only=False).astype(object)
    posted_np[mal_pos[mal_kind == 0]] = "see ragged line"
    posted_np[mal_pos[mal_kind == 1]] = "31/31/2025"
    posted_np[mal_pos[mal_kind == 2]] = "1899-12-31"
    title_np[mal_pos[mal_kind == 3]] = ""
    return (
        pa.array(posted_np, type=pa.string()),
        pa.array(title_np, type=pa.string()),
        ragged,
        reason,
    )
