"""Enrich staged canonical postings in DuckDB: each derivation once per distinct value.

``enrich_staged`` reads a staged table of canonical rows (``_canon`` from the DuckDB reader,
or an API page registered as a table) and creates ``_enriched`` with the canonical columns
plus ``ENRICHED_COLUMNS``. The derivations (titles, employers, places, salaries, industry,
description hashes) run in Python over the DISTINCT inputs only, handed to DuckDB as small
frames and joined back;
posting ids with a source id are hashed in SQL (sha256 of the same key string). No per-row
pandas: a million rows never leave DuckDB.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import duckdb
import pandas as pd

from transforms.duck_frames import append, write_temp
from transforms.industry import IndustryResolver
from transforms.parallel import map_values
from transforms.postings import normalise_employer, parse_locations, posting_id
from transforms.postings_sql import PY_WHITESPACE_CLASS, strip_expr
from transforms.salary import parse_salaries
from transforms.titles import normalise_title

# Distinct values handed to Python at a time (bounds memory for 10M-row files).
CHUNK = 250_000
ASCII = "regexp_matches(description, '^[\\x00-\\x7f]*$')"
SALARY_KEYS = ["salary_text", "salary_min_raw", "salary_max_raw", "salary_period_raw",
               "currency_raw"]  # fmt: skip
ENRICHED_COLUMNS = [
    "posting_row_id", "posting_id", "title_normalised", "employer_normalised",
    "salary_min", "salary_max", "salary_period", "salary_currency", "annual_salary_min",
    "annual_salary_max", "annual_salary_mid", "salary_status", "salary_reason",
    "naics_code", "naics_sector", "industry_method", "industry_confidence", "industry_reason",
    "description_hash", "posted_date_precision",
]  # fmt: skip


def description_hash(text: object) -> str | None:
    """The description's identity for dedup: whitespace folded, case folded, sha256 (16 hex);
    ASCII descriptions get the same hash in SQL (``enrich_staged``)."""
    if text is None or (isinstance(text, float) and pd.isna(text)) or not str(text).strip():
        return None
    folded = " ".join(str(text).split()).casefold()
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()[:16]


def _distinct(con: duckdb.DuckDBPyConnection, source: str, columns: list[str]) -> pd.DataFrame:
    """The distinct values of ``columns`` as a frame of Python objects (None for NULL)."""
    frame = con.execute(f"select distinct {', '.join(columns)} from {source}").df()
    return frame.astype(object).where(frame.notna(), None)


def _chunked_lookup(
    con: duckdb.DuckDBPyConnection,
    source: str,
    column: str,
    func: Callable[[Any], Any],
    table: str,
    where: str = "true",
) -> None:
    """``table`` (key, value): ``func`` of each distinct non-NULL ``column`` value. The
    distinct values go to Python ``CHUNK`` at a time, so a 10M-row file with millions of
    distinct titles (or long descriptions) never has them all in Python memory at once."""
    con.execute(
        f"""create or replace temp table _keys as
        select key, row_number() over () as i
        from (select distinct {column} as key from {source}
              where {column} is not null and ({where}))"""
    )
    con.execute(f"create or replace temp table {table} (key varchar, value varchar)")
    total = con.execute("select count(*) from _keys").fetchall()[0][0]
    for start in range(0, total, CHUNK):
        keys = [
            r[0]
            for r in con.execute(
                "select key from _keys where i > ? and i <= ?", [start, start + CHUNK]
            ).fetchall()
        ]
        values = map_values(func, keys)
        append(con, table, pd.DataFrame({"key": keys, "value": values}, dtype="string"))
        del keys, values
    con.execute("drop table _keys")


def _text_sql(sql: str) -> str:
    """``transforms.postings._text`` in SQL: whitespace runs collapsed to one space, ends
    stripped (Python's notion of whitespace)."""
    return strip_expr(f"regexp_replace({sql}, '{PY_WHITESPACE_CLASS}+', ' ', 'g')")


def _id_lookup(con: duckdb.DuckDBPyConnection, source: str) -> None:
    """``_ids``: posting ids of rows WITHOUT a source id (hashed from title, employer, place
    and date with Python's casefold), per distinct such combination."""
    cols = ["source", "title_raw", "employer_raw", "location_raw", "posted_date"]
    keys = con.execute(
        f"select distinct {', '.join(cols)} from {source} "
        f"where coalesce({_text_sql('source_id')}, '') = ''"
    ).df()
    keys = keys.astype(object).where(keys.notna(), None)
    ids = [posting_id(s, None, t, e, loc, d) for s, t, e, loc, d in keys.itertuples(index=False)]
    frame = pd.DataFrame({f"key_{c}": keys[c] for c in cols})
    frame["key_posted_date"] = pd.to_datetime(frame["key_posted_date"]).dt.date
    frame["posting_id"] = pd.Series(ids, dtype="string")
    write_temp(con, "_ids", frame)


def enrich_staged(con: duckdb.DuckDBPyConnection, source: str, resolver: IndustryResolver) -> None:
    """Create ``_enriched``: ``source`` (a table of canonical rows with lineage) plus the
    enriched columns (``ENRICHED_COLUMNS``)."""
    _chunked_lookup(con, source, "title_raw", normalise_title, "_titles")
    employers = _distinct(con, source, ["employer_raw"])["employer_raw"].dropna().tolist()
    normalised = [normalise_employer(e) or None for e in employers]
    write_temp(con, "_employers", pd.DataFrame({"key": employers, "value": normalised},
                                           dtype="string"))  # fmt: skip
    places = _distinct(con, source, ["location_raw"])["location_raw"].dropna()
    parsed = parse_locations(places.reset_index(drop=True))
    parsed.insert(0, "key", places.reset_index(drop=True).astype("string"))
    write_temp(con, "_locations", parsed)
    salaries = _distinct(con, source, SALARY_KEYS)
    parsed_pay = parse_salaries(
        salaries["salary_text"],
        min_values=salaries["salary_min_raw"],
        max_values=salaries["salary_max_raw"],
        periods=salaries["salary_period_raw"],
        currencies=salaries["currency_raw"],
    ).reset_index(drop=True)
    for col in SALARY_KEYS:
        parsed_pay[f"key_{col}"] = salaries[col].reset_index(drop=True)
    for col in ("key_salary_min_raw", "key_salary_max_raw"):
        parsed_pay[col] = pd.to_numeric(parsed_pay[col]).astype("float64")
    write_temp(con, "_salaries", parsed_pay)
    con.execute(
        f"""create or replace temp table _employer_keys as
        select distinct s.naics_code_raw, e.value as employer_normalised, s.industry_text
        from {source} s left join _employers e on s.employer_raw = e.key"""
    )
    industry_keys = _distinct(
        con, "_employer_keys", ["naics_code_raw", "employer_normalised", "industry_text"]
    )
    industry = resolver.resolve_many(
        industry_keys["naics_code_raw"],
        industry_keys["employer_normalised"],
        industry_keys["industry_text"],
    ).reset_index(drop=True)
    for col in industry_keys.columns:
        industry[f"key_{col}"] = industry_keys[col].reset_index(drop=True).astype("string")
    write_temp(con, "_industry", industry)
    # ASCII descriptions are hashed in SQL (lower() is casefold() on ASCII); the rest by
    # the Python function, per distinct text
    _chunked_lookup(
        con, source, "description", description_hash, "_descriptions", where=f"not {ASCII}"
    )
    _id_lookup(con, source)
    sid = _text_sql("s.source_id")
    con.execute(
        f"""create or replace temp table _enriched as
        with keyed as (
            select s.*, e.value as employer_normalised,
                nullif({sid}, '') as _sid
            from {source} s
            left join _employers e on s.employer_raw = e.key
        )
        select s.* exclude (_sid, city, state, country, posted_date_precision),
            substr(s.file_sha256, 1, 12) || ':' || s.row_number as posting_row_id,
            coalesce(
                case when s._sid is not null then substr(sha256(
                    'id' || chr(31) || coalesce({_text_sql("s.source")}, '') || chr(31) || s._sid
                ), 1, 16) end,
                i.posting_id
            ) as posting_id,
            t.value as title_normalised,
            coalesce(s.city, l.city) as city,
            coalesce(s.state, l.state) as state,
            coalesce(s.country, l.country) as country,
            p.salary_min, p.salary_max, p.salary_period, p.salary_currency,
            p.annual_min as annual_salary_min, p.annual_max as annual_salary_max,
            p.annual_mid as annual_salary_mid, p.salary_status, p.salary_reason,
            n.naics_code, n.naics_sector, n.industry_method, n.industry_confidence,
            n.industry_reason,
            case when {_text_sql("s.description")} = '' then null
                when {ASCII.replace("description", "s.description")}
                then substr(sha256(lower({_text_sql("s.description")})), 1, 16)
                else d.value end as description_hash,
            case when s.posted_date is not null
                then coalesce(s.posted_date_precision, 'day') end as posted_date_precision
        from keyed s
        left join _titles t on s.title_raw = t.key
        left join _locations l on s.location_raw = l.key
        left join _salaries p
            on s.salary_text is not distinct from p.key_salary_text
            and s.salary_min_raw is not distinct from p.key_salary_min_raw
            and s.salary_max_raw is not distinct from p.key_salary_max_raw
            and s.salary_period_raw is not distinct from p.key_salary_period_raw
            and s.currency_raw is not distinct from p.key_currency_raw
        left join _industry n
            on s.naics_code_raw is not distinct from n.key_naics_code_raw
            and s.employer_normalised is not distinct from n.key_employer_normalised
            and s.industry_text is not distinct from n.key_industry_text
        left join _descriptions d on s.description = d.key
        left join _ids i
            on s._sid is null
            and s.source is not distinct from i.key_source
            and s.title_raw is not distinct from i.key_title_raw
            and s.employer_raw is not distinct from i.key_employer_raw
            and s.location_raw is not distinct from i.key_location_raw
            and s.posted_date is not distinct from i.key_posted_date"""
    )
    lookups = ("_titles", "_employers", "_locations", "_salaries", "_employer_keys", "_industry",
               "_descriptions", "_ids")  # fmt: skip
    for table in lookups:
        con.execute(f"drop table if exists {table}")
