"""Indeed Hiring Lab trackers (CC BY 4.0, credit "Indeed Hiring Lab").

Job postings indices (``job_postings_tracker``) are daily, indexed to 100 on 2020-02-01,
and a file may interleave "total postings" and "new postings" runs in any row order.
The posted-wage tracker (``indeed-wage-tracker``) is monthly with ``month`` like ``Jan-19``
and ``NA`` for missing values. These are aggregate indices: they get their own tables and
never enter the posting-level fact table.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from transforms.errors import SchemaDriftError, SourceFormatError

ATTRIBUTION = "Indeed Hiring Lab, CC BY 4.0 (https://github.com/hiring-lab)"
VARIABLES = frozenset({"total postings", "new postings"})
EARLIEST_DATE = date(1990, 1, 1)  # as transforms.postings_mapping
LATEST_AHEAD = timedelta(days=366)


@dataclass(frozen=True)
class IndeedLayout:
    """Upstream columns of one tracker file and what they become."""

    rename: dict[str, str]
    value_columns: tuple[str, ...]
    date_column: str = "date"
    date_format: str = "%Y-%m-%d"
    has_variable: bool = False


AGGREGATE = IndeedLayout(
    rename={
        "date": "date",
        "jobcountry": "country",
        "indeed_job_postings_index_SA": "index_sa",
        "indeed_job_postings_index_NSA": "index_nsa",
        "variable": "variable",
    },
    value_columns=("index_sa", "index_nsa"),
    has_variable=True,
)
SECTOR = IndeedLayout(
    rename={
        "date": "date",
        "jobcountry": "country",
        "indeed_job_postings_index": "index_sa",
        "variable": "variable",
        "display_name": "category",
    },
    value_columns=("index_sa",),
    has_variable=True,
)
STATE = IndeedLayout(
    rename={"date": "date", "state": "state", "indeed_job_postings_index": "index_sa"},
    value_columns=("index_sa",),
)
WAGE_SECTOR = IndeedLayout(
    rename={
        "jobcountry": "country",
        "country": "country_name",
        "sector": "category",
        "month": "month",
        "n_obs": "n_obs",
        "posted_wage_growth_yoy": "wage_growth_yoy",
        "posted_wage_growth_yoy_3moavg": "wage_growth_yoy_3mo",
    },
    value_columns=("n_obs", "wage_growth_yoy", "wage_growth_yoy_3mo"),
    date_column="month",
    date_format="%b-%y",
)
WAGE_COUNTRY = IndeedLayout(
    rename={k: v for k, v in WAGE_SECTOR.rename.items() if k != "sector"},
    value_columns=WAGE_SECTOR.value_columns,
    date_column="month",
    date_format="%b-%y",
)


def read_tracker(path: Path, layout: IndeedLayout, location: str | None = None) -> pd.DataFrame:
    """Parse one tracker CSV into typed rows (columns renamed per ``layout``), sorted by key.

    Raises ``SourceFormatError`` naming the file, row and column for anything malformed:
    bad dates and numbers are not guessed at, because an index with a wrong point would be
    published as a trend.
    """
    where = location or str(path)
    text = _read_text(path, where)
    header = next(csv.reader(io.StringIO(text.split("\n", 1)[0])), [])
    header = [h.strip().lstrip("\ufeff") for h in header]
    missing = [col for col in layout.rename if col not in header]
    if missing:
        raise SchemaDriftError(where, missing, header)
    try:
        # All columns, then select: with ``usecols`` pandas silently drops the surplus
        # fields of a ragged row instead of reporting it.
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, ValueError) as exc:
        raise SourceFormatError(where, f"not a readable CSV ({exc})") from None
    if frame.empty:
        raise SourceFormatError(where, "no data rows")
    frame = frame[list(layout.rename)].rename(columns=layout.rename)
    target_date = "month" if layout.date_column == "month" else "date"
    frame[target_date] = _parse_dates(frame[target_date], layout.date_format, where)
    for column in layout.value_columns:
        frame[column] = _parse_numbers(frame[column], where, column)
    if layout.has_variable:
        bad = ~frame["variable"].isin(VARIABLES)
        if bad.any():
            row = int(bad.idxmax()) + 2
            raise SourceFormatError(
                where,
                f"unknown variable {frame.loc[bad.idxmax(), 'variable']!r}",
                row=row,
                column="variable",
            )
    keys = [c for c in frame.columns if c not in layout.value_columns]
    frame = frame.sort_values(keys, kind="stable").reset_index(drop=True)
    dupes = frame.duplicated(keys)
    if dupes.any():
        example = frame.loc[dupes.idxmax(), keys].to_dict()
        raise SourceFormatError(where, f"duplicate rows for key {example}")
    return frame


def vintage(frame: pd.DataFrame) -> str:
    """A tracker file's release label: the last date it covers (ISO)."""
    column = "date" if "date" in frame.columns else "month"
    return pd.Timestamp(frame[column].max()).date().isoformat()


def _read_text(path: Path, where: str) -> str:
    raw = path.read_bytes()
    if not raw.strip():
        raise SourceFormatError(where, "empty file")
    try:
        return raw.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError as exc:
        raise SourceFormatError(where, f"not UTF-8 text (byte {exc.start})") from None


def _parse_dates(values: pd.Series, fmt: str, where: str) -> pd.Series:
    parsed = pd.to_datetime(values.str.strip(), format=fmt, errors="coerce")
    bad = parsed.isna()
    if bad.any():
        index = int(bad.idxmax())
        raise SourceFormatError(
            where, f"unparseable date {values.iloc[index]!r}", row=index + 2, column="date"
        )
    # A file's last date is its vintage and a newer vintage supersedes older ones, so one
    # mistyped future date would make every real file after it "superseded" for good.
    lo, hi = pd.Timestamp(EARLIEST_DATE), pd.Timestamp(date.today() + LATEST_AHEAD)
    outside = (parsed < lo) | (parsed > hi)
    if outside.any():
        index = int(outside.idxmax())
        raise SourceFormatError(
            where,
            f"date {values.iloc[index]!r} outside [{lo:%Y-%m-%d}, {hi:%Y-%m-%d}]",
            row=index + 2,
            column="date",
        )
    return parsed.dt.date


def _parse_numbers(values: pd.Series, where: str, column: str) -> pd.Series:
    cleaned = values.str.strip()
    missing = cleaned.isin({"", "NA", "NaN", "nan"})
    numbers = pd.to_numeric(cleaned.where(~missing), errors="coerce")
    bad = numbers.isna() & ~missing
    if bad.any():
        index = int(bad.idxmax())
        raise SourceFormatError(
            where, f"not a number: {values.iloc[index]!r}", row=index + 2, column=column
        )
    return numbers.astype("float64")
