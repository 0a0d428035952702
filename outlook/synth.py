"""Synthetic job postings whose truth is known, built on the real taxonomies.

``outlook synth`` writes posting file drops in the generic profile's columns
(``data/profiles/generic.toml``) plus ``truth*`` files beside them, so the benchmarks can
measure both speed and accuracy of the postings pipeline at any scale.

How a posting is made (everything vectorised with numpy; Python only loops over the small
taxonomy tables, never over rows):

* **Cells** are (SOC occupation, NAICS sector) pairs from the OEWS sector file of the mirror,
  weighted by OEWS employment. OEWS's cross-ownership government code '99' is written as
  NAICS 92 (Public Administration): a posting carries its employer's NAICS, and 99 is not a
  NAICS 2022 sector.
* **Intensity** of a cell in month m: ``emp * exp(growth * m / 12) * (1 + amp * sin(...))``,
  with a log growth per cell and a seasonal amplitude and phase per sector, all drawn from
  the seed. Monthly counts are one multinomial draw over (cell, month).
* **Titles** come from the O*NET titles of the cell's SOC (occupation title, reported titles,
  up to ``MAX_ALTERNATES`` alternate titles) plus the role catalogue's aliases (attached to
  the role's first SOC), then get job-board noise: seniority words, level suffixes,
  "- City, ST", shifts, requisition numbers and casing.
* **Truth role** of a title = the role catalogue applied to the *clean* title with the
  *true* SOC. The pipeline sees only the noisy title, so any difference is its error.
* **Employers** are synthetic names per sector with Zipf-like sizes and a set of sites
  (cities); the row gives the industry as a NAICS code, an industry text, or neither.
* **Salaries** are drawn from the cell's OEWS percentiles and written in many text formats
  ("$120K - $150K a year", "$55/hr", "45,000-60,000 per annum", structured min/max, ...).
* **Duplicates**: a known share of postings is re-posted (7-59 days later) or delivered
  again by another board (0-3 days later) with the same clean title, employer and location.
  Originals sharing (normalised title, employer, location) are kept at least
  ``MIN_GAP_DAYS`` apart (moved to another city, or dropped), so a duplicate group under
  the rule "same normalised title + employer + location within 60 days" is exactly one
  original and its copies.
* **Malformed rows** (ragged CSV lines, impossible or unparseable dates, missing titles) are
  extra rows that must land in quarantine; they are not postings in the truth.

Truth files (see ``write_synth``): ``truth_monthly.csv`` (unique postings per role, sector
and month), ``truth_rows.parquet`` (every data row: kind, duplicate group, role, sector,
SOC, true annual salary range), ``truth_yoy.csv`` and ``truth.json``.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import yaml

from transforms.industry import IndustryResolver
from transforms.oews import read_oews_industry_zip
from transforms.onet import read_onet_archive
from transforms.roles import DEFAULT_ROLES, load_roles
from transforms.taxonomy import naics_sector
from transforms.titles import normalise_title

__all__ = [
    "COLUMNS",
    "SynthConfig",
    "SynthResult",
    "Taxonomy",
    "generate",
    "load_taxonomy",
    "write_synth",
]

# The generic profile's columns that the generator fills (city/state/country are derived by
# the reader from location_raw; description is left out to keep files at realistic widths
# of the fields the pipeline reads).
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
_QUALIFIER = r"(?i),?\s*(?:except|all other)\b.*$"


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


# --- taxonomy --------------------------------------------------------------------------------


def _latest(folder: Path, pattern: str) -> Path:
    found = sorted(folder.glob(pattern))
    if not found:
        raise FileNotFoundError(f"no {pattern} under {folder}")
    return found[-1]


def _role_aliases(path: Path) -> list[tuple[str, str]]:
    """(alias, first SOC code) for every role alias in the catalogue file."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    out = []
    for spec in doc.get("roles", []):
        socs = [str(c)[:7] for c in spec.get("soc_codes", [])]
        if socs:
            out.extend((str(a), socs[0]) for a in spec.get("aliases", []) or [])
    return out


def _fill_wages(oews: pd.DataFrame) -> np.ndarray:
    """Annual p10..p90 per row, (n, 5), with top-coded ('#') and hourly-only gaps filled so
    every row with any wage has five increasing knots (NaN rows have no wage at all)."""

    def knots(prefix: str) -> np.ndarray:
        names = [f"{prefix}_pct10", f"{prefix}_pct25", f"{prefix}_median", f"{prefix}_pct75",
                 f"{prefix}_pct90"]  # fmt: skip
        return np.column_stack(
            [oews[c].astype("Float64").to_numpy(dtype=float, na_value=np.nan) for c in names]
        )

    a = knots("a")
    a = np.where(np.isnan(a), knots("h") * 2080, a)
    # Fill upward (top-coded upper percentiles), then downward.
    for i in range(1, 5):
        a[:, i] = np.where(np.isnan(a[:, i]), a[:, i - 1] * 1.2, a[:, i])
    for i in range(3, -1, -1):
        a[:, i] = np.where(np.isnan(a[:, i]), a[:, i + 1] / 1.2, a[:, i])
    return np.fmax.accumulate(a, axis=1)


def load_taxonomy(mirror: Path | str, roles_path: Path | str | None = None) -> Taxonomy:
    """Read the newest O*NET text archive and OEWS sector file under ``mirror`` (laid out as
    ``mirror/<host>/<path>``) and the role catalogue, into sampling tables."""
    mirror = Path(mirror)
    roles_file = Path(roles_path) if roles_path else DEFAULT_ROLES
    onet_zip = _latest(mirror / "www.onetcenter.org/dl_files/database", "db_*_text.zip")
    oews_zip = _latest(mirror / "www.bls.gov/oes/special-requests", "oesm*in4.zip")
    oews = read_oews_industry_zip(oews_zip)
    oews = oews[
        (oews["i_group"] == "sector")
        & (oews["o_group"] == "detailed")
        & oews["tot_emp"].notna()
        & (oews["tot_emp"] > 0)
    ].copy()
    oews["sector"] = oews["naics_code"].map(naics_sector).replace({"99": "92"})
    oews = oews[oews["sector"].notna()]
    # 99 -> 92 can merge two rows of one SOC: keep the larger (its wages).
    oews = oews.sort_values(["soc_code", "sector", "tot_emp"], ascending=[True, True, False])
    oews = oews.drop_duplicates(["soc_code", "sector"]).reset_index(drop=True)
    wages = _fill_wages(oews)

    frames = read_onet_archive(onet_zip)
    rng = np.random.default_rng(20_240_501)  # fixed: the pool is part of the taxonomy
    parts = [
        # Occupation titles are plural category names ("Registered Nurses"): real postings
        # use them less than the singular reported and alternate titles.
        frames["occupation_data"][["onet_soc_code", "title"]].assign(weight=1.0),
    ]
    rep = frames.get("reported_titles")
    if rep is not None:
        parts.append(
            rep[["onet_soc_code", "reported_title"]]
            .rename(columns={"reported_title": "title"})
            .assign(weight=3.0)
        )
    alt = frames["alternate_titles"][["onet_soc_code", "alternate_title"]].rename(
        columns={"alternate_title": "title"}
    )
    alt = alt.assign(_r=rng.random(len(alt))).sort_values(["onet_soc_code", "_r"])
    alt = alt.groupby("onet_soc_code", sort=False).head(MAX_ALTERNATES).drop(columns="_r")
    parts.append(alt.assign(weight=1.0))
    pool = pd.concat(parts, ignore_index=True).dropna(subset=["title"])
    pool["soc"] = pool["onet_soc_code"].astype(str).str[:7]
    # "..., Except Legal, Medical, and Executive" and "..., All Other" are taxonomy
    # qualifiers, not words a job board would print.
    pool["title"] = pool["title"].astype(str).str.replace(_QUALIFIER, "", regex=True).str.strip()
    pool = pool[pool["title"] != ""]
    socs = sorted(set(oews["soc_code"].astype(str)))
    pool = pool[pool["soc"].isin(socs)][["soc", "title", "weight"]]
    # OEWS occupations O*NET does not cover get their OEWS title.
    missing = sorted(set(socs) - set(pool["soc"]))
    if missing:
        titles = oews.drop_duplicates("soc_code").set_index("soc_code")["occ_title"]
        pool = pd.concat(
            [
                pool,
                pd.DataFrame(
                    {
                        "soc": missing,
                        "title": titles[missing].str.replace(_QUALIFIER, "", regex=True).values,
                        "weight": 3.0,
                    }
                ),
            ],
            ignore_index=True,
        )
    pool = pool.groupby(["soc", "title"], as_index=False)["weight"].max()
    aliases = pd.DataFrame(_role_aliases(roles_file), columns=["title", "soc"])
    aliases = aliases[aliases["soc"].isin(socs)]
    if len(aliases):
        soc_weight = pool.groupby("soc")["weight"].sum()
        n_alias = aliases.groupby("soc")["title"].transform("size")
        aliases["weight"] = ALIAS_SHARE * aliases["soc"].map(soc_weight).to_numpy() / n_alias
        pool = pd.concat([pool, aliases], ignore_index=True)
        pool = pool.groupby(["soc", "title"], as_index=False)["weight"].sum()

    catalogue = load_roles(roles_file)
    pool["norm"] = [normalise_title(t) for t in pool["title"]]
    pool = pool[pool["norm"] != ""].sort_values(["soc", "title"]).reset_index(drop=True)
    matches = [catalogue.match(n, s) for n, s in zip(pool["norm"], pool["soc"], strict=True)]
    pool_role = np.array([m.role if m else None for m in matches], dtype=object)
    pool_slug = np.array([m.slug if m else None for m in matches], dtype=object)
    norm_id = pd.factorize(pool["norm"])[0].astype(np.int64)
    soc_index = {s: i for i, s in enumerate(socs)}
    pool_soc_idx = pool["soc"].map(soc_index).to_numpy()
    pool_count = np.bincount(pool_soc_idx, minlength=len(socs))
    pool_start = np.concatenate([[0], np.cumsum(pool_count)[:-1]])

    sectors = sorted(oews["sector"].unique())
    resolver = IndustryResolver()
    sector_codes: dict[str, list[str]] = {}
    sector_texts: dict[str, list[str]] = {}
    keywords = _sector_keywords()
    for sector in sectors:
        if "-" in sector:
            lo, hi = (int(x) for x in sector.split("-"))
            sector_codes[sector] = [sector] + [str(c) for c in range(lo, hi + 1)]
        else:
            sector_codes[sector] = [sector]
        # Only texts that the documented resolver maps to this sector: an ambiguous text is
        # not a fair test of the pipeline, it is noise in the truth.
        candidates = [resolver.sectors.get(sector, "")] + keywords.get(sector, [])
        texts = []
        for text in candidates:
            if not text:
                continue
            code, *_ = resolver.resolve(None, None, text)
            if code is not None and naics_sector(code) == sector:
                texts.append(text if text[0].isupper() else text.title())
        sector_texts[sector] = texts

    return Taxonomy(
        cell_soc=oews["soc_code"].astype(str).to_numpy(dtype=object),
        cell_sector=oews["sector"].astype(str).to_numpy(dtype=object),
        cell_emp=oews["tot_emp"].astype(float).to_numpy(),
        cell_wages=wages,
        cell_hourly_only=oews["hourly_only"].astype(bool).to_numpy(),
        socs=socs,
        pool_title=pool["title"].to_numpy(dtype=object),
        pool_weight=pool["weight"].to_numpy(dtype=float),
        pool_norm_id=norm_id,
        pool_role=pool_role,
        pool_role_slug=pool_slug,
        pool_start=pool_start,
        pool_count=pool_count,
        sectors=sectors,
        sector_codes=sector_codes,
        sector_texts=sector_texts,
        sources={
            "onet": str(onet_zip),
            "oews": str(oews_zip),
            "roles": str(roles_file),
        },
    )


def _sector_keywords() -> dict[str, list[str]]:
    from transforms.industry import SECTORS_TABLE

    out: dict[str, list[str]] = {}
    with open(SECTORS_TABLE, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            words = [w.strip() for w in (row.get("keywords") or "").split("|") if w.strip()]
            out[row["code"].strip()] = words[:6]
    return out


# --- small word lists (synthetic employer names and places) -----------------------------------

_NAME_A = (
    "Summit Riverside Harbor Granite Maple Cedar Lakeside Northfield Southgate Westbrook "
    "Eastwood Pinecrest Silverline Bluewater Redstone Ironwood Oakridge Brightwave Cobalt "
    "Keystone Evergreen Meridian Pioneer Liberty Heritage Frontier Crescent Highland Valley "
    "Prairie Coastal Canyon Aspen Willow Falcon Eagle Beacon Compass Anchor Horizon Vista "
    "Sterling Union Premier Allied United Central Metro Capital Trinity Apex Atlas Vertex "
    "Orion Polaris Sequoia Juniper Magnolia Hawthorn Birch Spruce Alder Chestnut Laurel"
).split()
_NAME_B = (
    "Valley River Point Ridge Lake Creek Bay Park Hill Springs Grove Field Rock Stone Bridge "
    "Harbor Mountain Forest Plains Coast Mesa Prairie Heights Crossing Gate Brook Meadow "
    "Shore Island Trail Peak Glen Hollow Bluff Cove Falls Haven Landing Station"
).split()
_SECTOR_NOUNS: dict[str, tuple[str, ...]] = {
    "11": ("Farms", "Growers", "Agriculture", "Orchards", "Ranch"),
    "21": ("Mining", "Energy", "Resources", "Drilling", "Minerals"),
    "22": ("Power", "Electric", "Water Authority", "Utilities", "Gas & Electric"),
    "23": ("Construction", "Builders", "Contractors", "Homes", "Paving"),
    "31-33": ("Manufacturing", "Industries", "Components", "Fabrication", "Plastics",
              "Precision Products"),
    "42": ("Distributors", "Supply", "Wholesale", "Trading"),
    "44-45": ("Market", "Stores", "Outfitters", "Grocers", "Retail"),
    "48-49": ("Logistics", "Freight", "Transport", "Trucking", "Airlines"),
    "51": ("Software", "Media", "Networks", "Digital", "Communications"),
    "52": ("Bank", "Financial", "Insurance Group", "Capital", "Credit Union", "Mutual"),
    "53": ("Properties", "Realty", "Leasing", "Rentals"),
    "54": ("Consulting", "Engineering", "Analytics", "Law Group", "Advisors"),
    "55": ("Holdings", "Enterprises", "Group"),
    "56": ("Staffing", "Services", "Facility Services", "Security"),
    "61": ("University", "College", "Academy", "School District"),
    "62": ("Health System", "Medical Center", "Hospital", "Clinic", "Care Partners",
           "Home Health"),
    "71": ("Recreation", "Entertainment", "Sports Club", "Resorts"),
    "72": ("Hospitality", "Hotels", "Restaurants", "Kitchen"),
    "81": ("Auto Repair", "Services", "Salon", "Cleaners"),
    "92": ("County", "City Government", "State Agency", "Public Authority"),
}  # fmt: skip
_LEGAL = ("", "", "", " Inc.", " LLC", " Corp.", ", Inc.", " Co.", " Company", " Ltd.")

# (city, state, relative size): large and mid-sized US labour markets.
_CITIES = [
    ("New York", "NY", 20), ("Los Angeles", "CA", 13), ("Chicago", "IL", 9.5), ("Dallas", "TX", 7.6),
    ("Houston", "TX", 7.1), ("Washington", "DC", 6.3), ("Philadelphia", "PA", 6.2),
    ("Miami", "FL", 6.1), ("Atlanta", "GA", 6.1), ("Boston", "MA", 4.9), ("Phoenix", "AZ", 4.9),
    ("San Francisco", "CA", 4.7), ("Riverside", "CA", 4.6), ("Detroit", "MI", 4.3),
    ("Seattle", "WA", 4.0), ("Minneapolis", "MN", 3.7), ("San Diego", "CA", 3.3),
    ("Tampa", "FL", 3.2), ("Denver", "CO", 3.0), ("Baltimore", "MD", 2.8), ("St. Louis", "MO", 2.8),
    ("Orlando", "FL", 2.7), ("Charlotte", "NC", 2.7), ("San Antonio", "TX", 2.6),
    ("Portland", "OR", 2.5), ("Sacramento", "CA", 2.4), ("Pittsburgh", "PA", 2.4),
    ("Austin", "TX", 2.4), ("Las Vegas", "NV", 2.3), ("Cincinnati", "OH", 2.3),
    ("Kansas City", "MO", 2.2), ("Columbus", "OH", 2.1), ("Indianapolis", "IN", 2.1),
    ("Cleveland", "OH", 2.1), ("San Jose", "CA", 2.0), ("Nashville", "TN", 2.0),
    ("Virginia Beach", "VA", 1.8), ("Providence", "RI", 1.7), ("Jacksonville", "FL", 1.6),
    ("Milwaukee", "WI", 1.6), ("Raleigh", "NC", 1.4), ("Oklahoma City", "OK", 1.4),
    ("Memphis", "TN", 1.3), ("Richmond", "VA", 1.3), ("Louisville", "KY", 1.3),
    ("New Orleans", "LA", 1.3), ("Salt Lake City", "UT", 1.3), ("Hartford", "CT", 1.2),
    ("Buffalo", "NY", 1.1), ("Birmingham", "AL", 1.1), ("Rochester", "NY", 1.1),
    ("Grand Rapids", "MI", 1.1), ("Tucson", "AZ", 1.0), ("Honolulu", "HI", 1.0),
    ("Tulsa", "OK", 1.0), ("Fresno", "CA", 1.0), ("Worcester", "MA", 0.9), ("Omaha", "NE", 0.9),
    ("Albuquerque", "NM", 0.9), ("Albany", "NY", 0.9), ("Knoxville", "TN", 0.9),
    ("El Paso", "TX", 0.9), ("Boise", "ID", 0.8), ("Madison", "WI", 0.7), ("Des Moines", "IA", 0.7),
    ("Little Rock", "AR", 0.7), ("Columbia", "SC", 0.8), ("Charleston", "SC", 0.8),
    ("Spokane", "WA", 0.6), ("Anchorage", "AK", 0.4), ("Wichita", "KS", 0.6),
    ("Boise City", "ID", 0.3), ("Burlington", "VT", 0.2), ("Portland", "ME", 0.5),
    ("Manchester", "NH", 0.4), ("Wilmington", "DE", 0.7), ("Billings", "MT", 0.2),
    ("Fargo", "ND", 0.2), ("Sioux Falls", "SD", 0.3), ("Cheyenne", "WY", 0.1),
    ("Jackson", "MS", 0.6), ("Lexington", "KY", 0.5), ("Baton Rouge", "LA", 0.8),
    ("Reno", "NV", 0.5), ("Colorado Springs", "CO", 0.7), ("Fort Worth", "TX", 2.0),
    ("Ann Arbor", "MI", 0.4), ("Lansing", "MI", 0.5), ("Toledo", "OH", 0.6), ("Akron", "OH", 0.7),
    ("Dayton", "OH", 0.8), ("Syracuse", "NY", 0.6), ("Scranton", "PA", 0.5),
    ("Allentown", "PA", 0.8), ("Harrisburg", "PA", 0.6), ("Greenville", "SC", 0.9),
    ("Chattanooga", "TN", 0.5), ("Savannah", "GA", 0.4), ("Pensacola", "FL", 0.5),
]  # fmt: skip

# Title noise, each a list of (text, weight). Empty strings are "no noise".
_SENIORITY = [("", 80), ("Senior ", 7), ("Sr. ", 5), ("Junior ", 2), ("Lead ", 2), ("Jr ", 1),
              ("Entry Level ", 1), ("Sr ", 2)]  # fmt: skip
_LEVEL = [("", 90), (" I", 3), (" II", 4), (" III", 2), (" 2", 1)]
_SHIFT = [("", 82), (" - Night Shift", 3), (" (Days)", 3), (" - 12 Hour Shifts", 2), (" PRN", 2),
          (" - Full Time", 3), (" (Part-Time)", 2), (" - Remote", 2), (" (Hybrid)", 1)]  # fmt: skip
_REQ = [("", 80), (" - Req #{}", 8), (" (R-{})", 6), (" JR{}", 3), (" [Job ID {}]", 3)]
_LOC_IN_TITLE = [("", 85), (" - {}", 10), (" ({})", 5)]
_CASE = [("as_is", 84), ("upper", 6), ("lower", 6), ("title", 4)]


def _choice(rng: np.random.Generator, table: Sequence[tuple[str, float]], n: int) -> np.ndarray:
    weights = np.array([w for _, w in table], dtype=float)
    return rng.choice(len(table), size=n, p=weights / weights.sum())


def _lookup(values: np.ndarray, fmt: Callable[[object], str]) -> pa.Array:
    """Format each distinct value once in Python, then gather: the strings for 1M rows cost
    as much as the few thousand distinct values they hold."""
    uniq, inverse = np.unique(values, return_inverse=True)
    return pa.array([fmt(v) for v in uniq.tolist()], type=pa.string()).take(
        pa.array(inverse.ravel())
    )


def _plain(v: object) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".")


def _concat(*parts: pa.Array | str) -> pa.Array:
    return pc.binary_join_element_wise(*parts, "")


def _pick_in_groups(
    rng: np.random.Generator,
    group: np.ndarray,
    start: np.ndarray,
    count: np.ndarray,
    weight: np.ndarray,
) -> np.ndarray:
    """For each row, an item of its group (items ``start[g] .. start[g]+count[g]``), drawn by
    ``weight`` - with one searchsorted over the global cumulative weights."""
    cum = np.cumsum(weight)
    before = np.where(start > 0, cum[np.maximum(start - 1, 0)], 0.0)
    total = cum[start + count - 1] - before
    target = before[group] + rng.random(len(group)) * total[group]
    idx = np.searchsorted(cum, target, side="right")
    return np.clip(idx, start[group], start[group] + count[group] - 1)


# --- generation --------------------------------------------------------------------------------


def _months(end_month: str, n: int) -> np.ndarray:
    end = np.datetime64(end_month, "M")
    return np.arange(end - (n - 1), end + 1)


def _employers(
    rng: np.random.Generator, sectors: list[str], share: np.ndarray, n_target: int
) -> dict[str, np.ndarray]:
    """Synthetic employers per sector: names, a Zipf-like size and a set of sites."""
    names: list[str] = []
    sector_of: list[int] = []
    weight: list[np.ndarray] = []
    n_sites_all: list[np.ndarray] = []
    city_w = np.array([c[2] for c in _CITIES], dtype=float)
    site_city: list[np.ndarray] = []
    for s_i, sector in enumerate(sectors):
        nouns = _SECTOR_NOUNS.get(sector, ("Group",))
        space = len(_NAME_A) * len(_NAME_B) * len(nouns)
        k = int(min(max(20, round(n_target * share[s_i])), space * 0.8))
        combo = rng.choice(space, size=k, replace=False)
        a, rest = np.divmod(combo, len(_NAME_B) * len(nouns))
        b, c = np.divmod(rest, len(nouns))
        legal = rng.integers(0, len(_LEGAL), size=k)
        two_words = rng.random(k) < 0.5  # "Summit Health System" vs "Summit Valley Health System"
        for i in range(k):
            middle = "" if two_words[i] else f" {_NAME_B[b[i]]}"
            names.append(f"{_NAME_A[a[i]]}{middle} {nouns[c[i]]}{_LEGAL[legal[i]]}")
        ranks = np.arange(1, k + 1)
        weight.append(1.0 / (ranks + 5.0) ** 0.9)
        sector_of.extend([s_i] * k)
        # Sites: big employers are in many cities.
        n_sites = np.clip((60 / np.sqrt(ranks)).astype(int), 1, 60)
        cities = rng.choice(len(_CITIES), size=int(n_sites.sum()), p=city_w / city_w.sum())
        site_city.append(cities)
        n_sites_all.append(n_sites)
    sites = np.concatenate(site_city)
    n_sites = np.concatenate(n_sites_all)
    return {
        "name": np.array(names, dtype=object),
        "sector": np.array(sector_of, dtype=np.int64),
        "weight": np.concatenate(weight),
        "site_city": sites,
        "site_start": np.concatenate([[0], np.cumsum(n_sites)[:-1]]),
        "site_count": n_sites,
    }


def _intensity(
    rng: np.random.Generator, tax: Taxonomy, months: np.ndarray
) -> dict[str, np.ndarray]:
    n_cells = len(tax.cell_soc)
    sector_index = {s: i for i, s in enumerate(tax.sectors)}
    cell_s = np.array([sector_index[s] for s in tax.cell_sector])
    growth = rng.normal(0.02, 0.15, size=n_cells)  # annual log growth per cell
    amp = rng.uniform(0.03, 0.2, size=len(tax.sectors))
    phase = rng.uniform(0, 12, size=len(tax.sectors))
    t = np.arange(len(months)) / 12.0
    moy = (months.astype("datetime64[M]").astype(int) % 12).astype(float)
    season = 1 + amp[cell_s, None] * np.sin(2 * np.pi * (moy[None, :] - phase[cell_s, None]) / 12)
    lam = tax.cell_emp[:, None] * np.exp(growth[:, None] * t[None, :]) * season
    return {"lam": lam, "growth": growth, "cell_sector_idx": cell_s, "amp": amp, "phase": phase}


def _salaries(
    rng: np.random.Generator, tax: Taxonomy, cell: np.ndarray, no_salary_rate: float
) -> dict[str, object]:
    n = len(cell)
    knots = tax.cell_wages[cell]  # (n, 5)
    has_wage = ~np.isnan(knots).any(axis=1)
    q = rng.uniform(0.0, 4.0, size=n)  # position between the five percentile knots
    lo_i = np.minimum(q.astype(int), 3)
    frac = q - lo_i
    rows = np.arange(n)
    base = knots[rows, lo_i] * (1 - frac) + knots[rows, lo_i + 1] * frac
    spread = rng.uniform(0.05, 0.2, size=n)
    a_lo = np.round(base * (1 - spread) / 1000) * 1000
    a_hi = np.round(base * (1 + spread) / 1000) * 1000
    a_hi = np.maximum(a_hi, a_lo + 1000)
    median = knots[:, 2]
    u = rng.random(n)
    hourly = (
        tax.cell_hourly_only[cell]
        | ((median < 55_000) & (u < 0.7))
        | ((median < 85_000) & (u < 0.15))
    )
    h_lo = np.round(a_lo / 2080 * 2) / 2
    h_hi = np.maximum(np.round(a_hi / 2080 * 2) / 2, h_lo + 0.5)

    # Format: 0-7 annual texts, 8-12 hourly texts, 13 none, 14 DOE, 15 Competitive,
    # 16 structured fields.
    kind = rng.random(n)
    fmt = np.where(hourly, rng.integers(8, 13, n), rng.integers(0, 8, n))
    fmt = np.where(kind < no_salary_rate, 13, fmt)
    fmt = np.where((kind >= no_salary_rate) & (kind < no_salary_rate + 0.02), 14, fmt)
    fmt = np.where((kind >= no_salary_rate + 0.02) & (kind < no_salary_rate + 0.03), 15, fmt)
    fmt = np.where((kind >= no_salary_rate + 0.03) & (kind < no_salary_rate + 0.13), 16, fmt)
    fmt = np.where(has_wage, fmt, 13)

    a_lo, a_hi = np.nan_to_num(a_lo), np.nan_to_num(a_hi)  # rows without wages get no salary
    h_lo, h_hi = np.nan_to_num(h_lo), np.nan_to_num(h_hi)
    k_lo, k_hi = (a_lo // 1000).astype(np.int64), (a_hi // 1000).astype(np.int64)
    month_amt = np.round(a_lo / 12 / 10) * 10
    text = np.full(n, "", dtype=object)
    t_min = np.full(n, np.nan)
    t_max = np.full(n, np.nan)

    def money(v: object) -> str:
        return f"{v:,.0f}"

    def cents(v: object) -> str:
        return f"{v:,.2f}"

    def put(f: int, build: Callable[[np.ndarray], pa.Array], lo: np.ndarray, hi: np.ndarray):
        m = fmt == f
        if m.any():
            text[m] = build(m).to_numpy(zero_copy_only=False)
            t_min[m], t_max[m] = lo[m], hi[m]

    nan = np.full(n, np.nan)
    put(
        0,
        lambda m: _concat("$", _lookup(k_lo[m], str), "K - $", _lookup(k_hi[m], str), "K a year"),
        a_lo,
        a_hi,
    )  # noqa: E501
    put(
        1,
        lambda m: _concat(
            "$", _lookup(a_lo[m], cents), " - $", _lookup(a_hi[m], cents), " Per Year"
        ),
        a_lo,
        a_hi,
    )  # noqa: E501
    put(
        2,
        lambda m: _concat(_lookup(a_lo[m], money), "-", _lookup(a_hi[m], money), " per annum"),
        a_lo,
        a_hi,
    )  # noqa: E501
    put(3, lambda m: _concat("USD ", _lookup(a_lo[m].astype(np.int64), str)), a_lo, a_lo)
    put(4, lambda m: _concat("Up to $", _lookup(k_hi[m], str), "k"), nan, a_hi)
    put(
        5,
        lambda m: _concat("$", _lookup(month_amt[m], money), "/month"),
        month_amt * 12,
        month_amt * 12,
    )  # noqa: E501
    put(
        6,
        lambda m: _concat("$", _lookup(a_lo[m], money), " to $", _lookup(a_hi[m], money)),
        a_lo,
        a_hi,
    )  # noqa: E501
    put(7, lambda m: _concat(_lookup(k_lo[m], str), "k-", _lookup(k_hi[m], str), "k"), a_lo, a_hi)
    put(8, lambda m: _concat("$", _lookup(h_lo[m], _plain), "/hr"), h_lo * 2080, h_lo * 2080)  # noqa: E501
    put(
        9,
        lambda m: _concat(
            "$", _lookup(h_lo[m], cents), " - $", _lookup(h_hi[m], cents), " per hour"
        ),
        h_lo * 2080,
        h_hi * 2080,
    )  # noqa: E501
    put(
        10,
        lambda m: _concat(_lookup(h_lo[m], cents), " - ", _lookup(h_hi[m], cents), " hourly"),
        h_lo * 2080,
        h_hi * 2080,
    )  # noqa: E501
    put(11, lambda m: _concat("From $", _lookup(h_lo[m], _plain), " an hour"), h_lo * 2080, nan)  # noqa: E501
    put(
        12,
        lambda m: _concat(
            "$", _lookup(h_lo[m], cents), "\u2013$", _lookup(h_hi[m], cents), "/hour"
        ),
        h_lo * 2080,
        h_hi * 2080,
    )  # noqa: E501
    text[fmt == 14] = "DOE"
    text[fmt == 15] = "Competitive"
    structured = fmt == 16
    s_min = np.full(n, "", dtype=object)
    s_max = np.full(n, "", dtype=object)
    s_period = np.full(n, "", dtype=object)
    s_cur = np.full(n, "", dtype=object)
    if structured.any():
        lo_v = np.where(hourly, h_lo, a_lo)[structured]
        hi_v = np.where(hourly, h_hi, a_hi)[structured]
        s_min[structured] = _lookup(lo_v, _plain).to_numpy(zero_copy_only=False)
        s_max[structured] = _lookup(hi_v, _plain).to_numpy(zero_copy_only=False)
        s_period[structured] = np.where(hourly[structured], "HOUR", "YEAR")
        s_cur[structured] = "USD"
        t_min[structured] = np.where(hourly, h_lo * 2080, a_lo)[structured]
        t_max[structured] = np.where(hourly, h_hi * 2080, a_hi)[structured]
    return {
        "salary_text": text,
        "salary_min_raw": s_min,
        "salary_max_raw": s_max,
        "salary_period_raw": s_period,
        "currency_raw": s_cur,
        "truth_annual_min": t_min,
        "truth_annual_max": t_max,
        "salary_format": fmt,
    }


def _noisy_titles(
    rng: np.random.Generator, tax: Taxonomy, title_idx: np.ndarray, location: pa.Array
) -> pa.Array:
    n = len(title_idx)
    # Casing variants of each pool title, built once per pool title.
    variants = [
        tax.pool_title,
        np.array([t.upper() for t in tax.pool_title], dtype=object),
        np.array([t.lower() for t in tax.pool_title], dtype=object),
        np.array([t.title() for t in tax.pool_title], dtype=object),
    ]
    flat = pa.array(np.concatenate(variants), type=pa.string())
    case = _choice(rng, _CASE, n)
    base = flat.take(pa.array(case * len(tax.pool_title) + title_idx))

    def pick(table: list[tuple[str, float]]) -> pa.Array:
        return pa.array([t for t, _ in table], type=pa.string()).take(
            pa.array(_choice(rng, table, n))
        )

    req_num = pa.array(rng.integers(10_000, 999_999, size=n).astype(str), type=pa.string())
    req = _choice(rng, _REQ, n)
    req_text = pa.array(np.full(n, "", dtype=object), type=pa.string())
    for i, (tmpl, _) in enumerate(_REQ):
        if tmpl:
            head, tail = tmpl.split("{}")
            m = req == i
            req_text = pc.if_else(pa.array(m), _concat(head, req_num, tail), req_text)
    loc = _choice(rng, _LOC_IN_TITLE, n)
    loc_text = pa.array(np.full(n, "", dtype=object), type=pa.string())
    for i, (tmpl, _) in enumerate(_LOC_IN_TITLE):
        if tmpl:
            head, tail = tmpl.split("{}")
            loc_text = pc.if_else(pa.array(loc == i), _concat(head, location, tail), loc_text)
    return _concat(pick(_SENIORITY), base, pick(_LEVEL), loc_text, pick(_SHIFT), req_text)


def _resolve_collisions(
    rng: np.random.Generator,
    key_base: np.ndarray,
    city: np.ndarray,
    day: np.ndarray,
    n_cities: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Move originals that share (title, employer, city) with another original less than
    ``MIN_GAP_DAYS`` earlier to another city; drop those still colliding after a few rounds.
    Returns (city, keep mask)."""
    city = city.copy()
    keep = np.ones(len(city), dtype=bool)
    for _ in range(12):
        key = key_base * n_cities + city
        order = np.lexsort((day, key))
        k, d = key[order], day[order]
        clash = np.zeros(len(order), dtype=bool)
        clash[1:] = (k[1:] == k[:-1]) & (d[1:] - d[:-1] < MIN_GAP_DAYS)
        moved = order[clash & keep[order]]
        if not len(moved):
            return city, keep
        city[moved] = rng.integers(0, n_cities, size=len(moved))
    key = key_base * n_cities + city
    order = np.lexsort((day, key))
    k, d = key[order], day[order]
    clash = np.zeros(len(order), dtype=bool)
    clash[1:] = (k[1:] == k[:-1]) & (d[1:] - d[:-1] < MIN_GAP_DAYS)
    keep[order[clash]] = False
    return city, keep


def generate(cfg: SynthConfig, tax: Taxonomy) -> SynthResult:
    """Generate one drop (see module doc). Deterministic for (cfg, taxonomy)."""
    if cfg.postings < 1 or cfg.months < 1:
        raise ValueError("postings and months must be positive")
    rng = np.random.default_rng(cfg.seed)
    months = _months(cfg.end_month, cfg.months)
    month_start = months.astype("datetime64[D]")
    month_days = ((months + 1).astype("datetime64[D]") - month_start).astype(int)
    last_day = int(((months[-1] + 1).astype("datetime64[D]") - EPOCH).astype(int)) - 1

    n_mal = int(round(cfg.postings * cfg.malformed_rate))
    dup_share = cfg.repost_rate + cfg.cross_source_rate
    n_posting_rows = cfg.postings - n_mal
    # Oversample originals: some are dropped by collision checks, copies past the end go.
    n_orig0 = int(math.ceil(n_posting_rows / (1 + dup_share / (1 - dup_share)) * 1.04)) + 10

    inten = _intensity(rng, tax, months)
    lam = inten["lam"]
    counts = rng.multinomial(n_orig0, (lam / lam.sum()).ravel())
    flat = np.repeat(np.arange(lam.size), counts)
    cell, m_idx = np.divmod(flat, len(months))
    day = (month_start[m_idx] - EPOCH).astype(np.int64) + (
        rng.random(len(flat)) * month_days[m_idx]
    ).astype(np.int64)

    soc_index = {s: i for i, s in enumerate(tax.socs)}
    cell_soc_idx = np.array([soc_index[s] for s in tax.cell_soc])
    title_idx = _pick_in_groups(
        rng, cell_soc_idx[cell], tax.pool_start, tax.pool_count, tax.pool_weight
    )

    sector_idx = inten["cell_sector_idx"][cell]
    sector_share = np.bincount(sector_idx, minlength=len(tax.sectors)) / len(cell)
    emp = _employers(rng, tax.sectors, sector_share, max(50, n_orig0 // 60))
    emp_by_sector_start = np.searchsorted(emp["sector"], np.arange(len(tax.sectors)))
    emp_by_sector_count = np.bincount(emp["sector"], minlength=len(tax.sectors))
    employer = _pick_in_groups(
        rng, sector_idx, emp_by_sector_start, emp_by_sector_count, emp["weight"]
    )
    site = emp["site_start"][employer] + (
        rng.random(len(cell)) * emp["site_count"][employer]
    ).astype(np.int64)
    city = emp["site_city"][site]
    key_base = tax.pool_norm_id[title_idx] * len(emp["name"]) + employer
    city, keep = _resolve_collisions(rng, key_base, city, day, len(_CITIES))

    orig = np.nonzero(keep)[0]
    orig = orig[rng.permutation(len(orig))]
    # Copies per original: 0, 1 or 2, by kind. Expected copies per original = dup/(1-dup).
    per = dup_share / (1 - dup_share)
    u = rng.random(len(orig))
    n_copies = np.where(u < per * 0.8, 1, 0) + np.where(u < per * 0.1, 1, 0)
    cum = np.cumsum(1 + n_copies)
    cut = int(np.searchsorted(cum, n_posting_rows))
    if cut >= len(orig):
        raise RuntimeError("not enough originals generated; raise the oversampling")
    orig, n_copies = orig[: cut + 1], n_copies[: cut + 1].copy()
    n_copies[-1] -= int(cum[cut] - n_posting_rows)
    if n_copies[-1] < 0:  # the last original itself overshoots
        orig, n_copies = orig[:-1], n_copies[:-1]

    # Copies: reposts 7-59 days later, cross-source 0-3 days later (kind by rate share).
    src = np.repeat(np.arange(len(orig)), n_copies)
    is_cross = rng.random(len(src)) < cfg.cross_source_rate / max(dup_share, 1e-9)
    offset = np.where(is_cross, rng.integers(0, 4, len(src)), rng.integers(7, 60, len(src)))
    copy_day = day[orig[src]] + offset
    # Copies that would fall after the last day are delivered on the last day
    # (clamped originals are within 60 days of the end, so the copy stays in the window).
    copy_day = np.minimum(copy_day, last_day)

    n_orig, n_copy = len(orig), len(src)
    # Row table (originals then copies), then malformed rows, then sorted by date.
    r_cell = np.concatenate([cell[orig], cell[orig[src]]])
    r_title = np.concatenate([title_idx[orig], title_idx[orig[src]]])
    r_emp = np.concatenate([employer[orig], employer[orig[src]]])
    r_city = np.concatenate([city[orig], city[orig[src]]])
    r_day = np.concatenate([day[orig], copy_day])
    r_kind = np.concatenate([np.zeros(n_orig, np.int8), np.where(is_cross, 2, 1).astype(np.int8)])
    r_group = np.concatenate([np.arange(n_orig), src])
    # Malformed rows borrow a random posting's fields, then get broken.
    mal_from = rng.integers(0, n_orig + n_copy, n_mal) if n_orig + n_copy else np.array([], int)
    r_cell = np.concatenate([r_cell, r_cell[mal_from]])
    r_title = np.concatenate([r_title, r_title[mal_from]])
    r_emp = np.concatenate([r_emp, r_emp[mal_from]])
    r_city = np.concatenate([r_city, r_city[mal_from]])
    r_day = np.concatenate([r_day, r_day[mal_from]])
    r_kind = np.concatenate([r_kind, np.full(n_mal, 3, np.int8)])
    r_group = np.concatenate([r_group, np.full(n_mal, -1)])
    # File order: by posted date, shuffled within a day (feeds arrive roughly in date order).
    order = np.lexsort((rng.random(len(r_day)), r_day))
    r_cell, r_title, r_emp, r_city, r_day, r_kind, r_group = (
        a[order] for a in (r_cell, r_title, r_emp, r_city, r_day, r_kind, r_group)
    )
    n = len(order)
    row_number = np.arange(1, n + 1)
    # Group id = row number of the group's original.
    orig_row = np.empty(n_orig, dtype=np.int64)
    is_orig = r_kind == 0
    orig_row[r_group[is_orig]] = row_number[is_orig]
    group_id = np.where(r_kind == 3, -1, orig_row[np.maximum(r_group, 0)])

    # --- columns ---------------------------------------------------------------------------
    city_names = np.array([f"{c}, {s}" for c, s, _ in _CITIES], dtype=object)
    location = pa.array(city_names, type=pa.string()).take(pa.array(r_city))
    title_raw = _noisy_titles(rng, tax, r_title, location)
    # Half of the copies repeat the original's title exactly (a plain re-post).
    same_title = (r_kind > 0) & (rng.random(n) < 0.5)
    if same_title.any():
        first = np.empty(n_orig, dtype=np.int64)
        first[r_group[is_orig]] = np.nonzero(is_orig)[0]
        src_pos = np.where(same_title, first[np.maximum(r_group, 0)], np.arange(n))
        title_raw = title_raw.take(pa.array(src_pos))
    employer_raw = pa.array(emp["name"], type=pa.string()).take(pa.array(r_emp))
    # Cross-source copies often drop the legal suffix ("Acme Corp." -> "Acme").
    plain = (r_kind == 2) & (rng.random(n) < 0.5)
    if plain.any():
        stripped = pc.replace_substring_regex(
            employer_raw, r",? (?:Inc\.|LLC|Corp\.|Co\.|Company|Ltd\.)$", ""
        )
        employer_raw = pc.if_else(pa.array(plain), stripped, employer_raw)

    prefix = f"{cfg.id_prefix}S{cfg.seed}-"
    ids = np.char.add(prefix, np.arange(1, n + 1).astype(str))
    board = np.array(["JB-", "AGG-"], dtype=object)[(r_kind == 2).astype(int)]
    source_id = _concat(pa.array(board, type=pa.string()), pa.array(ids, type=pa.string()))

    date_fmt = _choice(rng, [("iso", 85), ("us", 12), ("dmy", 3)], n)
    day_ns = r_day * 10 + date_fmt

    def fmt_day(v: object) -> str:
        d, f = divmod(int(v), 10)
        when = date.fromordinal(date(1970, 1, 1).toordinal() + d)
        return (when.isoformat(), when.strftime("%m/%d/%Y"), when.strftime("%d %b %Y"))[f]

    posted = _lookup(day_ns, fmt_day)
    close_off = np.array([30, 45, 60])[rng.integers(0, 3, n)]
    has_close = rng.random(n) < 0.6
    close = _lookup((r_day + close_off) * 10 + date_fmt, fmt_day)
    close = pc.if_else(pa.array(has_close), close, "")

    r_sector = tax.cell_sector[r_cell]
    how = rng.random(n)
    naics_txt = np.full(n, "", dtype=object)
    ind_txt = np.full(n, "", dtype=object)
    pick = rng.random(n)
    for s in np.unique(r_sector):
        m = r_sector == s
        codes = tax.sector_codes[s]
        texts = tax.sector_texts[s]
        code_pick = np.array(codes, dtype=object)[(pick[m] * len(codes)).astype(int)]
        naics_txt[m] = np.where(how[m] < 0.55, code_pick, "")
        if texts:
            text_pick = np.array(texts, dtype=object)[(pick[m] * len(texts)).astype(int)]
            ind_txt[m] = np.where((how[m] >= 0.55) & (how[m] < 0.93), text_pick, "")

    sal = _salaries(rng, tax, r_cell, cfg.no_salary_rate)

    cols: dict[str, pa.Array] = {
        "source_id": source_id,
        "title_raw": title_raw,
        "employer_raw": employer_raw,
        "location_raw": location,
        "posted_date": posted,
        "close_date": close,
        "naics_code_raw": pa.array(naics_txt, type=pa.string()),
        "industry_text": pa.array(ind_txt, type=pa.string()),
        "salary_text": pa.array(sal["salary_text"], type=pa.string()),
        "salary_min_raw": pa.array(sal["salary_min_raw"], type=pa.string()),
        "salary_max_raw": pa.array(sal["salary_max_raw"], type=pa.string()),
        "salary_period_raw": pa.array(sal["salary_period_raw"], type=pa.string()),
        "currency_raw": pa.array(sal["currency_raw"], type=pa.string()),
    }
    # Malformed rows: four kinds in turn. Ragged lines exist only in CSV; in Parquet the
    # same row gets an unparseable date so both files quarantine the same rows.
    mal_pos = np.nonzero(r_kind == 3)[0]
    mal_kind = np.arange(len(mal_pos)) % 4
    ragged = mal_pos[mal_kind == 0]
    mal_reason = np.full(n, "", dtype=object)
    mal_reason[mal_pos] = np.array(
        ["ragged line", "posted_date not a date", "posted_date out of range", "title missing"],
        dtype=object,
    )[mal_kind]
    posted_np = posted.to_numpy(zero_copy_only=False).astype(object)
    title_np = title_raw.to_numpy(zero_copy_only=False).astype(object)
    posted_np[mal_pos[mal_kind == 0]] = "see ragged line"
    posted_np[mal_pos[mal_kind == 1]] = "31/31/2025"
    posted_np[mal_pos[mal_kind == 2]] = "1899-12-31"
    title_np[mal_pos[mal_kind == 3]] = ""
    cols["posted_date"] = pa.array(posted_np, type=pa.string())
    cols["title_raw"] = pa.array(title_np, type=pa.string())
    table = pa.table({c: cols[c] for c in COLUMNS})

    # --- truth -----------------------------------------------------------------------------
    month_of = (r_day.astype("datetime64[D]")).astype("datetime64[M]")
    truth_rows = pd.DataFrame(
        {
            "row_number": row_number,
            "source_id": source_id.to_numpy(zero_copy_only=False),
            "kind": pd.Categorical.from_codes(
                r_kind, ["original", "repost", "cross_source", "malformed"]
            ),
            "duplicate_group_id": pd.array(np.where(group_id < 0, pd.NA, group_id), "Int64"),
            "is_canonical": r_kind == 0,
            "role": pd.array(tax.pool_role[r_title], dtype="string"),
            "role_slug": pd.array(tax.pool_role_slug[r_title], dtype="string"),
            "naics_sector": pd.array(r_sector, dtype="string"),
            "soc_code": pd.array(tax.cell_soc[r_cell], dtype="string"),
            "clean_title": pd.array(tax.pool_title[r_title], dtype="string"),
            "month": month_of.astype("datetime64[s]"),
            "truth_annual_min": sal["truth_annual_min"],
            "truth_annual_max": sal["truth_annual_max"],
            "malformed_reason": pd.array(np.where(mal_reason == "", None, mal_reason), "string"),
        }
    )
    for col in ("truth_annual_min", "truth_annual_max"):
        truth_rows.loc[r_kind == 3, col] = np.nan
    canon = truth_rows[truth_rows["is_canonical"] & truth_rows["role"].notna()]
    monthly = (
        canon.groupby(["role", "role_slug", "naics_sector", "month"], observed=True)
        .size()
        .rename("unique_postings")
        .reset_index()
    )
    all_rows = (
        truth_rows[(truth_rows["kind"] != "malformed") & truth_rows["role"].notna()]
        .groupby(["role", "naics_sector", "month"], observed=True)
        .size()
        .rename("rows_with_duplicates")
        .reset_index()
    )
    monthly = monthly.merge(all_rows, on=["role", "naics_sector", "month"], how="left")
    monthly["month"] = monthly["month"].dt.strftime("%Y-%m-01")
    monthly = monthly.sort_values(["role", "naics_sector", "month"]).reset_index(drop=True)
    yoy = truth_yoy(monthly, months)

    summary: dict[str, object] = {
        "config": asdict(cfg),
        "rows": int(n),
        "originals": int(n_orig),
        "reposts": int((r_kind == 1).sum()),
        "cross_source": int((r_kind == 2).sum()),
        "malformed": int(n_mal),
        "ragged_lines": int(len(ragged)),
        "duplicate_rows_share": round(float(n_copy) / n, 5),
        "originals_dropped_for_collisions": int((~keep).sum()),
        "employers": int(len(emp["name"])),
        "title_pool": int(len(tax.pool_title)),
        "cells": int(len(tax.cell_soc)),
        "first_month": str(months[0]),
        "last_month": str(months[-1]),
        "rows_with_role": int(truth_rows["role"].notna().sum()),
        "taxonomy_sources": tax.sources,
        "dedup_rule": f"same normalised title + employer + location within "
        f"{DEDUP_WINDOW_DAYS} days; originals sharing a key are >= {MIN_GAP_DAYS} days apart",
    }
    return SynthResult(table, ragged, truth_rows, monthly, yoy, summary)


def truth_yoy(monthly: pd.DataFrame, months: np.ndarray) -> pd.DataFrame:
    """Last 12 months vs the 12 before, per (role, sector), from true unique postings."""
    cols = ["role", "naics_sector", "prev_12m", "last_12m", "yoy_pct"]
    if len(months) < 24:
        return pd.DataFrame(columns=cols)
    last = {str(m) + "-01" for m in months[-12:]}
    prev = {str(m) + "-01" for m in months[-24:-12]}
    frame = monthly.assign(
        window=np.where(
            monthly["month"].isin(last),
            "last_12m",
            np.where(monthly["month"].isin(prev), "prev_12m", ""),
        )
    )
    frame = frame[frame["window"] != ""]
    wide = frame.pivot_table(
        index=["role", "naics_sector"], columns="window", values="unique_postings",
        aggfunc="sum", fill_value=0,
    ).reset_index()  # fmt: skip
    for c in ("prev_12m", "last_12m"):
        if c not in wide:
            wide[c] = 0
    wide["yoy_pct"] = np.where(
        wide["prev_12m"] > 0,
        100.0 * (wide["last_12m"] / wide["prev_12m"].clip(lower=1) - 1),
        np.nan,
    )
    return wide[cols].sort_values(["role", "naics_sector"]).reset_index(drop=True)


# --- writing ----------------------------------------------------------------------------------


def _csv_bytes(table: pa.Table, ragged: np.ndarray) -> bytes:
    """CSV text of the table, with the rows at ``ragged`` replaced by lines of too few
    fields (what a truncated export or a stray delimiter produces)."""
    buffer = io.BytesIO()
    pacsv.write_csv(table, buffer, pacsv.WriteOptions(batch_size=1 << 16))
    data = buffer.getvalue()
    if not len(ragged):
        return data
    lines = data.split(b"\n")  # line 0 is the header; no value holds a newline
    sid = table.column("source_id")
    title = table.column("title_raw")
    emp = table.column("employer_raw")
    for pos in ragged.tolist():
        fields = [sid[pos].as_py(), title[pos].as_py(), emp[pos].as_py()]
        lines[pos + 1] = ",".join('"' + f.replace('"', '""') + '"' for f in fields).encode()
    return b"\n".join(lines)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_synth(
    result: SynthResult,
    out_dir: Path | str,
    formats: Sequence[str] = ("csv.gz", "parquet"),
    stem: str = "postings",
    gzip_level: int = 5,
) -> dict[str, Path]:
    """Write the drop and its truth into ``out_dir``; returns {name: path}. Files:
    ``<stem>.csv.gz`` / ``<stem>.parquet`` (same rows, same order), ``truth_rows.parquet``,
    ``truth_monthly.csv``, ``truth_yoy.csv``, ``truth.json``. Bytes are deterministic (gzip
    mtime 0, no timestamps in the Parquet metadata)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    for fmt in formats:
        if fmt in ("csv.gz", "csv"):
            path = out / f"{stem}.{fmt}"
            data = _csv_bytes(result.table, result.ragged)
            if fmt == "csv":
                path.write_bytes(data)
            else:
                with (
                    open(path, "wb") as raw,
                    gzip.GzipFile(
                        fileobj=raw, mode="wb", mtime=0, filename="", compresslevel=gzip_level
                    ) as gz,
                ):
                    gz.write(data)
            paths[fmt] = path
        elif fmt == "parquet":
            path = out / f"{stem}.parquet"
            pq.write_table(result.table, path, compression="zstd", row_group_size=1 << 18)
            paths[fmt] = path
        else:
            raise ValueError(f"unknown format {fmt!r} (csv, csv.gz, parquet)")
    paths["truth_rows"] = out / "truth_rows.parquet"
    pq.write_table(
        pa.Table.from_pandas(result.truth_rows, preserve_index=False),
        paths["truth_rows"],
        compression="zstd",
    )
    paths["truth_monthly"] = out / "truth_monthly.csv"
    result.truth_monthly.to_csv(paths["truth_monthly"], index=False, lineterminator="\n")
    paths["truth_yoy"] = out / "truth_yoy.csv"
    result.truth_yoy.to_csv(
        paths["truth_yoy"], index=False, lineterminator="\n", float_format="%.4f"
    )
    summary = dict(result.summary)
    summary["files"] = {
        name: {"path": p.name, "sha256": _sha256(p)}
        for name, p in paths.items()
        if name in ("csv", "csv.gz", "parquet")
    }
    paths["truth"] = out / "truth.json"
    paths["truth"].write_text(json.dumps(summary, indent=2, default=str) + "\n", encoding="utf-8")
    return paths
