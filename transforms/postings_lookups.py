"""Per-distinct-value lookups for the DuckDB posting reader.

Each function reads the DISTINCT inputs of one derivation from the staged ``_picked`` table,
applies the frame reader's own pandas/Python code (``transforms.postings_mapping``) to those
few values, and writes a small lookup table that SQL joins back onto the rows. A million
postings have a few thousand distinct dates, places and salary inputs, so this is
milliseconds, and the results are the frame reader's by construction.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from transforms.duck_frames import write_temp
from transforms.postings_mapping import (
    EARLIEST_DATE,
    LATEST_AHEAD,
    _parse_dates,
    date_precision,
    fill_places,
    salary_numbers,
)
from transforms.postings_profile import DATE_COLUMNS, Profile
from transforms.postings_sql import constant_expr


def _strings(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.astype("string")


def place_lookup(con: duckdb.DuckDBPyConnection, profile: Profile) -> None:
    """``_places``: location_raw (filled from the JSON locations), city, state and country
    per distinct (location_raw, JSON, city, state, country) as given."""
    keys = _strings(
        con.execute("select distinct location_raw, _json, city, state, country from _picked").df()
    )
    rows = keys.copy()
    fill_places(rows, keys["_json"], profile)
    out = pd.DataFrame(
        {
            "key_location": keys["location_raw"],
            "key_json": keys["_json"],
            "key_city": keys["city"],
            "key_state": keys["state"],
            "key_country": keys["country"],
            "location_raw": rows["location_raw"].astype("string"),
            "city": rows["city"].astype("string"),
            "state": rows["state"].astype("string"),
            "country": rows["country"].astype("string"),
        }
    )
    write_temp(con, "_places", out)


def number_lookup(con: duckdb.DuckDBPyConnection, profile: Profile) -> None:
    """``_numbers``: salary min/max as numbers and the salary text (composed from the
    structured fields, or the unreadable number) per distinct salary input, after constants."""
    cols = ["salary_text", "salary_min_raw", "salary_max_raw", "salary_period_raw", "currency_raw"]
    select = ", ".join(f"{constant_expr(c, profile)} as {c}" for c in cols)
    keys = _strings(con.execute(f"select distinct {select} from _picked").df())
    rows = keys.copy()
    salary_numbers(rows, profile)
    out = pd.DataFrame(
        {
            "key_text": keys["salary_text"],
            "key_min": keys["salary_min_raw"],
            "key_max": keys["salary_max_raw"],
            "key_period": keys["salary_period_raw"],
            "key_currency": keys["currency_raw"],
            "salary_text": rows["salary_text"],
            "salary_min_raw": rows["salary_min_raw"],
            "salary_max_raw": rows["salary_max_raw"],
        }
    )
    write_temp(con, "_numbers", out)


def date_lookup(con: duckdb.DuckDBPyConnection, profile: Profile) -> None:
    """``_dates``: per date column and distinct text, the date (the profile's formats in
    order, as the frame reader parses them), its precision and the quarantine reason."""
    lo = pd.Timestamp(EARLIEST_DATE)
    hi = pd.Timestamp(date.today() + LATEST_AHEAD)
    parts = []
    for col in DATE_COLUMNS:
        # after constants, as the mapped rows are joined on them (a dateless file dated by
        # a profile constant)
        expr = constant_expr(col, profile)
        text = con.execute(
            f"select distinct {expr} as {col} from _picked where {expr} is not null"
        ).df()
        text = text[col].astype("string")
        when = _parse_dates(text, profile.date_formats)
        reason = pd.Series("", index=text.index, dtype=object)
        bad_parse = when.isna()
        out_of_range = when.notna() & ((when < lo) | (when > hi))
        reason[bad_parse] = f"{col} not a date: " + text[bad_parse].astype(str).str.slice(0, 40)
        reason[out_of_range] = (
            f"{col} " + when[out_of_range].dt.strftime("%Y-%m-%d")
            + f" outside [{lo:%Y-%m-%d}, {hi:%Y-%m-%d}]"
        )  # fmt: skip
        reason = reason.where(reason == "", reason + "; ")
        parts.append(
            pd.DataFrame(
                {
                    "col": col,
                    "key": text,
                    "parsed": when.astype("date32[pyarrow]"),
                    "precision": date_precision(text, profile.date_precision)
                    .where(when.notna())
                    .astype("string"),
                    "reason": reason.replace("", pd.NA).astype("string"),
                }
            )
        )
    write_temp(con, "_dates", pd.concat(parts, ignore_index=True))
