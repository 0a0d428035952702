"""What the generator is asked for and what it hands back: the config, the sampling tables
built from the taxonomies, the result, and the constants the stages share."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa

# The generic profile's columns that the generator fills (city/state/country are derived by
# the reader from location_raw); ``description`` follows them unless descriptions are off.
COLUMNS = [
    "source_id", "title_raw", "employer_raw", "location_raw", "posted_date", "close_date",
    "naics_code_raw", "industry_text", "salary_text", "salary_min_raw", "salary_max_raw",
    "salary_period_raw", "currency_raw",
]  # fmt: skip

MAX_ALTERNATES = 40  # alternate titles per O*NET occupation (some have hundreds)
MIN_GAP_DAYS = 130  # originals with one dedup key are at least this far apart
DEDUP_WINDOW_DAYS = 60
ALIAS_SHARE = 0.5  # role aliases get this fraction of their SOC's other title weight
EPOCH = np.datetime64("1970-01-01", "D")


@dataclass(frozen=True)
class SynthConfig:
    """What to generate. ``postings`` is the exact number of data rows written (originals,
    duplicates and malformed rows together)."""

    postings: int
    months: int = 24
    seed: int = 1
    end_month: str = "2026-10"  # fixed, so a seed gives the same bytes on any day
    repost_rate: float = 0.07  # share of rows that are re-posts of an earlier posting
    cross_source_rate: float = 0.03  # share of rows delivered again by another board
    malformed_rate: float = 0.002
    no_salary_rate: float = 0.45
    id_prefix: str = ""  # prepended to source ids (keeps ids unique across appended drops)
    descriptions: bool = True  # planted texts (bench.synth.descriptions) and their truth


@dataclass
class Taxonomy:
    """Small tables the generator samples from (built once per mirror)."""

    # cells: one per (soc, sector)
    cell_soc: np.ndarray  # SOC code per cell (object)
    cell_sector: np.ndarray  # sector code per cell (object)
    cell_emp: np.ndarray  # OEWS employment (float)
    cell_wages: np.ndarray  # (n_cells, 5) annual p10, p25, p50, p75, p90 (NaN = none)
    cell_hourly_only: np.ndarray  # bool
    # title pool, grouped by SOC: pool_start/pool_count per SOC index
    socs: list[str]
    pool_title: np.ndarray  # raw clean title (object)
    pool_weight: np.ndarray
    pool_norm_id: np.ndarray  # id of normalise_title(title): the dedup key part
    pool_role: np.ndarray  # truth role name or None (object)
    pool_role_slug: np.ndarray
    pool_start: np.ndarray
    pool_count: np.ndarray
    sectors: list[str]
    sector_codes: dict[str, list[str]]  # sector -> NAICS code spellings to write
    sector_texts: dict[str, list[str]]  # sector -> industry texts that resolve to it
    sources: dict[str, str] = field(default_factory=dict)


@dataclass
class SynthResult:
    table: pa.Table  # COLUMNS, all strings, in file row order
    ragged: np.ndarray  # positions written as ragged CSV lines
    truth_rows: pd.DataFrame
    truth_monthly: pd.DataFrame
    truth_yoy: pd.DataFrame
    summary: dict[str, object]
    # (source_id, planted facts) per posting row, file order; None when descriptions are off
    text_truth: list[tuple[str, dict]] | None = None
