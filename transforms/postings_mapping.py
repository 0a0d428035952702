"""Map publisher records onto the canonical posting columns, and validate them.

Reading never drops a record silently: each record either becomes a canonical row or a
quarantine row with every reason that applies (bad or out-of-range dates, no title, an
overlong title, a repeated header line).

Column types of the rows: text columns are pandas ``string``; ``posted_date`` and
``close_date`` are ``date32[pyarrow]`` (DuckDB reads them as DATE); ``salary_min_raw`` and
``salary_max_raw`` are float64; ``row_number`` is int64.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from transforms.postings import US_STATES, compose_places, parse_locations
from transforms.postings_profile import (
    CANONICAL_COLUMNS,
    DATE_COLUMNS,
    LINEAGE_COLUMNS,
    NUMBER_COLUMNS,
    QUARANTINE_COLUMNS,
    TEXT_COLUMNS,
    Profile,
)
from transforms.postings_readers import RawRecords

# Longest title kept: a real title is a few words; a megabyte "title" is a broken record.
MAX_TITLE_CHARS = 500

EARLIEST_DATE = date(1990, 1, 1)
# Stripped from structured salary numbers: thousands separators, currency symbols, spaces
# and footnote markers ('85,000*', '$ 85000', '85000(1)', '85000\u2020').
_NUMBER_NOISE = r"[,$\s*\u2020\u2021]|\(\d{1,2}\)$|\[\d{1,2}\]$"
LATEST_AHEAD = timedelta(days=366)  # today + 1 year (leap-safe)


def _clean(series: pd.Series) -> pd.Series:
    """Strings, stripped, with '' as missing."""
    text = series.astype("string").str.strip()
    return text.mask(text == "")


def _pick(frame: pd.DataFrame, names: Sequence[str]) -> pd.Series:
    by_lower = {c.lower(): c for c in frame.columns}
    out: pd.Series | None = None
    for name in names:
        actual = name if name in frame.columns else by_lower.get(name.lower())
        if actual is not None:
            values = _clean(frame[actual])
            out = values if out is None else out.fillna(values)
    if out is None:
        return pd.Series(pd.NA, index=frame.index, dtype="string")
    return out


def _join(frame: pd.DataFrame, names: Sequence[str]) -> pd.Series:
    """The non-empty values of ``names`` joined by a blank line (NA when all are empty)."""
    by_lower = {c.lower(): c for c in frame.columns}
    parts = [
        _clean(frame[name if name in frame.columns else by_lower[name.lower()]])
        for name in names
        if name in frame.columns or name.lower() in by_lower
    ]
    if not parts:
        return pd.Series(pd.NA, index=frame.index, dtype="string")
    joined = [
        "\n\n".join(v for v in values if not pd.isna(v)) for values in zip(*parts, strict=True)
    ]
    return _clean(pd.Series(joined, index=frame.index, dtype="string"))


def _map_distinct(series: pd.Series, func: Callable[[Any], Any]) -> pd.Series:
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    mapped = [func(u) for u in uniques] + [func(None)]
    return pd.Series([mapped[c] for c in codes], index=series.index, dtype=object)


def _json_locations(series: pd.Series, spec: dict[str, str]) -> pd.Series:
    """'City, State; City, State' from a JSON list of location objects (USAJOBS)."""
    keys = [spec.get(k) for k in ("city", "state", "country")]

    def compose(raw: Any) -> str | None:
        if raw is None:
            return None
        try:
            items = json.loads(raw)
        except ValueError:
            return str(raw)
        if isinstance(items, dict):
            items = [items]
        return compose_places(
            tuple(str(item.get(k) or "").strip() if k else "" for k in keys)
            for item in (items if isinstance(items, list) else [])
            if isinstance(item, dict)
        )

    return _map_distinct(series, compose).astype("string")


def _parse_dates(series: pd.Series, formats: Sequence[str]) -> pd.Series:
    """Datetime64 (NaT where no format fits), parsing each distinct string once."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    values = pd.Series(pd.Index(uniques).astype(object), dtype=object)
    parsed = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    for fmt in formats:
        todo = parsed.isna()
        if not todo.any():
            break
        attempt = pd.to_datetime(values[todo], format=fmt, errors="coerce")
        parsed[todo] = attempt.dt.tz_localize(None) if attempt.dt.tz is not None else attempt
    out = np.full(len(series), np.datetime64("NaT"), dtype="datetime64[ns]")
    found = codes >= 0
    out[found] = parsed.to_numpy()[codes[found]]
    return pd.Series(out, index=series.index).dt.normalize()


# A value that names only a year ("2025") or a month ("2025-03", "03/2025", "Mar 2025").
_YEAR_ONLY = r"^\s*(?:FY\s*)?\d{4}(?:\.0)?\s*$"
_MONTH_ONLY = (
    r"^\s*(?:\d{4}[-/.]\d{1,2}|\d{1,2}[-/.]\d{4}|[A-Za-z]{3,9}\.?[\s,-]+\d{4}|"
    r"\d{4}[\s-]+[A-Za-z]{3,9})\s*$"
)


def date_precision(text: pd.Series, declared: str | None = None) -> pd.Series:
    """'day', 'month' or 'year' per raw date value (NA where there is no value).

    A declared precision (profile ``[dates] precision``) wins: a publisher's year column is
    year precision even when a row happens to say "2025-01-01". Otherwise the shape of each
    value decides, so a year-only column is caught without a declaration.
    """
    present = text.notna()
    if declared is not None:
        return pd.Series(declared, index=text.index, dtype="string").where(present)
    out = pd.Series("day", index=text.index, dtype="string")
    values = text.astype("string")
    out = out.mask(values.str.match(_MONTH_ONLY).fillna(False).astype(bool), "month")
    out = out.mask(values.str.match(_YEAR_ONLY).fillna(False).astype(bool), "year")
    return out.where(present)


def _money(value: Any) -> str | None:
    if value is None:
        return None
    number = float(value)
    return f"{number:,.0f}" if number.is_integer() else f"{number:,.2f}"


def _compose_salary(rows: pd.DataFrame) -> pd.Series:
    """'USD 19.51 - 22.76 Per Hour' from structured fields, for rows with no salary text."""
    lo = _map_distinct(
        rows["salary_min_raw"].astype(object).where(rows["salary_min_raw"].notna()), _money
    )
    hi = _map_distinct(
        rows["salary_max_raw"].astype(object).where(rows["salary_max_raw"].notna()), _money
    )
    lo, hi = lo.astype("string"), hi.astype("string")
    amount = (lo + " - " + hi).mask(lo == hi, lo).fillna(lo).fillna(hi)
    text = (
        (rows["currency_raw"] + " ").fillna("")
        + amount
        + (" " + rows["salary_period_raw"]).fillna("")
    )
    return text.where(amount.notna()).str.strip()


_STATE_BY_NAME = {name: code for name, code in US_STATES.items()}


def fill_places(rows: pd.DataFrame, json_values: pd.Series | None, profile: Profile) -> None:
    """In place: ``location_raw`` filled from the profile's JSON locations column (given as
    ``json_values``), city/state/country filled from ``location_raw``, and state names turned
    into USPS codes. The frame reader and the DuckDB reader's lookups both place rows here."""
    if profile.json_locations and json_values is not None:
        located = _json_locations(json_values, profile.json_locations)
        rows["location_raw"] = rows["location_raw"].fillna(located)
    parsed = parse_locations(rows["location_raw"])
    for col in ("city", "state", "country"):
        rows[col] = rows[col].fillna(parsed[col])
    # A state column may hold full names: turn those into USPS codes.
    state_code = rows["state"].str.lower().map(_STATE_BY_NAME)
    rows["state"] = state_code.fillna(rows["state"]).astype("string")


def salary_numbers(rows: pd.DataFrame, profile: Profile) -> None:
    """In place: the salary number columns of ``rows`` as numbers, and ``salary_text``
    composed from them (``profile.compose_salary_text``) or set to the value that is not a
    number, where the file gave no text. The frame reader and the DuckDB reader's lookups
    (``transforms.postings_lookups``) both parse salary numbers here."""
    unreadable = pd.Series(pd.NA, index=rows.index, dtype="string")
    for col in NUMBER_COLUMNS:
        cleaned = rows[col].str.replace(_NUMBER_NOISE, "", regex=True)
        numbers = pd.to_numeric(cleaned, errors="coerce")
        # A value that is still not a number ('85k DOE') must not vanish silently: it
        # becomes the salary text below, which the salary parser reports on.
        bad = rows[col].notna() & numbers.isna()
        unreadable = unreadable.mask(bad & unreadable.isna(), rows[col])
        if profile.zero_salary_is_missing:
            numbers = numbers.mask(numbers == 0)
        rows[col] = numbers.astype("float64")
    if profile.compose_salary_text:
        rows["salary_text"] = rows["salary_text"].fillna(_compose_salary(rows)).astype("string")
    rows["salary_text"] = rows["salary_text"].fillna(unreadable).astype("string")


def map_to_canonical(
    raw: RawRecords, profile: Profile, path: Path, sha: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    frame = raw.frame
    rows = pd.DataFrame(index=frame.index)
    for col in TEXT_COLUMNS + NUMBER_COLUMNS + DATE_COLUMNS:
        names = profile.columns.get(col)
        pick = _join if col in profile.joined else _pick
        rows[col] = (
            pick(frame, names) if names else pd.Series(pd.NA, index=frame.index, dtype="string")
        )
    rows["source"] = profile.source
    json_column = profile.json_locations.get("column") if profile.json_locations else None
    fill_places(rows, _pick(frame, [json_column]) if json_column else None, profile)
    for col, value in profile.constants.items():
        if col in NUMBER_COLUMNS:
            rows[col] = rows[col].fillna(value)
        else:
            rows[col] = rows[col].fillna(value).astype("string")
    salary_numbers(rows, profile)

    # Validation: each failing row goes to quarantine with every reason that applies.
    reasons = pd.Series("", index=frame.index, dtype=object)
    lo = pd.Timestamp(EARLIEST_DATE)
    hi = pd.Timestamp(date.today() + LATEST_AHEAD)
    for col in DATE_COLUMNS:
        text = rows[col]
        when = _parse_dates(text, profile.date_formats)
        bad_parse = text.notna() & when.isna()
        out_of_range = when.notna() & ((when < lo) | (when > hi))
        if bad_parse.any():
            reasons[bad_parse] += (
                f"{col} not a date: " + text[bad_parse].astype(str).str.slice(0, 40) + "; "
            )
        if out_of_range.any():
            reasons[out_of_range] += (
                f"{col} " + when[out_of_range].dt.strftime("%Y-%m-%d")
                + f" outside [{lo:%Y-%m-%d}, {hi:%Y-%m-%d}]; "
            )  # fmt: skip
        if col == "posted_date":
            rows["posted_date_precision"] = date_precision(text, profile.date_precision).where(
                when.notna()
            )
        rows[col] = when.astype("date32[pyarrow]")  # DATE in DuckDB, no Python objects
    missing_posted = rows["posted_date"].isna() & ~reasons.str.contains("posted_date", regex=False)
    reasons[missing_posted] += "posted_date missing; "
    no_title = rows["title_raw"].isna()
    reasons[no_title] += "title_raw missing; "
    long_title = rows["title_raw"].str.len().fillna(0).to_numpy() > MAX_TITLE_CHARS
    if long_title.any():
        lengths = rows["title_raw"].str.len()[long_title].astype("int64").astype(str)
        reasons[long_title] += (
            "title_raw has " + lengths + f" characters (at most {MAX_TITLE_CHARS}); "
        )
    # Header lines repeated inside the file (concatenated exports).
    header_like = pd.Series(False, index=frame.index)
    if len(frame) and frame.shape[1]:
        header_like = pd.Series(True, index=frame.index)
        for col in frame.columns:
            header_like &= frame[col].astype("string").str.strip().str.lower() == col.lower()
        header_like = header_like.fillna(False)
        reasons[header_like] = "repeated header row; "

    blank = np.zeros(len(frame), dtype=bool)
    if raw.blank_positions is not None and len(raw.blank_positions):
        blank[raw.blank_positions] = True
    bad = (reasons != "").to_numpy() & ~blank
    positions = np.nonzero(bad)[0]
    quarantine = [(int(n), reason, text) for n, reason, text in raw.quarantine]
    for pos in positions:
        quarantine.append(
            (int(raw.row_numbers[pos]), str(reasons.iloc[pos]).rstrip("; "), raw.raw_text(int(pos)))
        )
    good = ~bad & ~blank
    rows = rows[good].copy()
    rows["file_path"] = str(path)
    rows["file_sha256"] = sha
    rows["row_number"] = raw.row_numbers[good].astype("int64")
    rows = rows[CANONICAL_COLUMNS + LINEAGE_COLUMNS].reset_index(drop=True)
    for col in TEXT_COLUMNS + ["posted_date_precision", "file_path", "file_sha256"]:
        rows[col] = rows[col].astype("string")
    qframe = pd.DataFrame(quarantine, columns=["row_number", "reason", "raw_record"])
    qframe.insert(0, "file_path", str(path))
    qframe = qframe.sort_values("row_number", kind="stable").reset_index(drop=True)
    qframe = qframe.astype(
        {"file_path": "string", "reason": "string", "raw_record": "string", "row_number": "int64"}
    )
    return rows, qframe[QUARANTINE_COLUMNS]
