"""String columns built from a small list of distinct strings and an index per row.

Occupation codes and titles, role names and rules repeat over hundreds of thousands of
rows; building each row's Python string into a pandas string column cost ~150 ms per 500k
rows, Arrow's take ~30 ms (``bench/classify_step.py``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa


def take_strings(strings: list[str | None], idx: np.ndarray) -> pd.Series:
    """``strings[i]`` for each index ``i`` (missing where ``i`` is -1), a "string" column."""
    missing = idx < 0
    picked = pa.array(strings, type=pa.string()).take(
        pa.array(np.where(missing, 0, idx), mask=missing)
    )
    return pd.Series(pd.arrays.ArrowStringArray(picked))
