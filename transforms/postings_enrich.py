"""Derive the normalised fields of canonical postings: ids, title, employer, place, salary,
industry. Pure: a DataFrame in, the same rows with more columns out.

Every derivation works on distinct values (postings repeat employers, places and salary
texts heavily), so a million rows cost a fraction of a million parses.
"""

from __future__ import annotations

import hashlib

import pandas as pd

from transforms.industry import IndustryResolver
from transforms.parallel import map_values
from transforms.postings import normalise_employers, parse_locations, posting_ids
from transforms.salary import parse_salaries
from transforms.titles import normalise_title

ENRICHED_COLUMNS = [
    "posting_row_id", "posting_id", "title_normalised", "employer_normalised",
    "salary_min", "salary_max", "salary_period", "salary_currency", "annual_salary_min",
    "annual_salary_max", "annual_salary_mid", "salary_status", "salary_reason",
    "naics_code", "naics_sector", "industry_method", "industry_confidence", "industry_reason",
    "description_hash", "posted_date_precision",
]  # fmt: skip


def _distinct(series: pd.Series, func) -> pd.Series:
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    mapped = map_values(func, list(uniques))
    out = pd.Series([mapped[c] if c >= 0 else None for c in codes], index=series.index)
    return out.astype("string")


def _description_hash(text: object) -> str | None:
    if text is None or (isinstance(text, float) and pd.isna(text)) or not str(text).strip():
        return None
    folded = " ".join(str(text).split()).casefold()
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()[:16]


def enrich_postings(rows: pd.DataFrame, resolver: IndustryResolver) -> pd.DataFrame:
    """Add the ``ENRICHED_COLUMNS`` to canonical rows (from ``read_postings_file``); the
    industry comes from ``resolver`` (built by the caller from the seed tables).

    City/state/country the file gave are kept; missing ones are parsed from ``location_raw``.
    """
    out = rows.copy()
    out["posting_row_id"] = (
        out["file_sha256"].str.slice(0, 12) + ":" + out["row_number"].astype("string")
    )
    out["posting_id"] = posting_ids(out)
    out["title_normalised"] = _distinct(out["title_raw"], normalise_title)
    out["employer_normalised"] = normalise_employers(out["employer_raw"]).replace("", pd.NA)
    places = parse_locations(out["location_raw"])
    for column in ("city", "state", "country"):
        out[column] = out[column].fillna(places[column])
    salary = parse_salaries(
        out["salary_text"],
        min_values=out["salary_min_raw"],
        max_values=out["salary_max_raw"],
        periods=out["salary_period_raw"],
        currencies=out["currency_raw"],
    )
    salary = salary.rename(
        columns={
            "annual_min": "annual_salary_min",
            "annual_max": "annual_salary_max",
            "annual_mid": "annual_salary_mid",
        }
    )
    for column in salary.columns:
        out[column] = salary[column].to_numpy()
    industry = resolver.resolve_many(
        out["naics_code_raw"], out["employer_normalised"], out["industry_text"]
    )
    for column in industry.columns:
        out[column] = industry[column].to_numpy()
    out["description_hash"] = _distinct(out["description"], _description_hash)
    # API pages carry full timestamps: day precision unless the reader said otherwise.
    precision = out.get("posted_date_precision")
    if precision is None:
        precision = pd.Series(pd.NA, index=out.index, dtype="string")
    out["posted_date_precision"] = (
        precision.astype("string").fillna("day").where(out["posted_date"].notna())
    )
    return out
