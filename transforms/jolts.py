"""JOLTS via the BLS Public Data API v2: series ids, request bodies, response parsing.

Pure functions only; the fetch layer POSTs each body from :func:`build_requests` as JSON to
``https://api.bls.gov/publicAPI/v2/timeseries/data/`` and hands the decoded JSON to
:func:`parse_response`.

Series id layout (21 characters, JOLTS since the October 2020 redesign)::

    JT  S  000000  00     00000  00         JO            L
    |   |  |       |      |      |          |             rate/level: L level, R rate
    |   |  |       |      |      |          data element: JO openings, HI hires,
    |   |  |       |      |      |          TS total separations, QU quits,
    |   |  |       |      |      |          LD layoffs and discharges, OS other separations,
    |   |  |       |      |      |          UO unemployed persons per job opening ratio
    |   |  |       |      |      size class ('00' all sizes)
    |   |  |       |      area ('00000' all areas)
    |   |  |       state ('00' total US)
    |   |  industry (6 digits, e.g. '620000' health care and social assistance)
    |   seasonal: S seasonally adjusted, U not adjusted
    prefix

so ``JTS000000000000000JOL`` is total nonfarm job openings, level, seasonally adjusted.
Levels are in thousands; rates are percent.

API limits (BLS docs): with a registration key, at most 50 series and 20 years per
request (500 queries/day); without one, 25 series and 10 years (25 queries/day).

``parse_response`` output, one row per (series, month), sorted by series_id then month:
``series_id, industry_code, data_element, ratelevel, seasonal, year (Int64), period
('M01'..'M12'), month (date, first of month), value (Float64; '-' or blank -> NULL),
footnotes (footnote texts joined with '; ', NULL if none), preliminary (bool, footnote
code 'P')``.  Annual averages (period 'M13', returned only when requested with
``annualaverage``) are dropped: the grain is monthly and an annual average must not be
mistaken for a 13th month.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pyarrow as pa

from transforms.errors import SourceFormatError

__all__ = [
    "API_URL",
    "DATA_ELEMENTS",
    "JOLTS_INDUSTRIES",
    "JoltsIndustry",
    "build_requests",
    "default_series_ids",
    "jolts_series_id",
    "parse_response",
    "parse_series_id",
]

API_URL = "https://api.bls.gov/publicAPI/v2/timeseries/data/"
KEYED_MAX_SERIES, KEYED_MAX_YEARS = 50, 20
ANON_MAX_SERIES, ANON_MAX_YEARS = 25, 10

DATA_ELEMENTS: dict[str, str] = {
    "JO": "Job openings",
    "HI": "Hires",
    "TS": "Total separations",
    "QU": "Quits",
    "LD": "Layoffs and discharges",
    "OS": "Other separations",
    "UO": "Unemployed persons per job opening ratio",
}
RATELEVELS = {"L": "Level", "R": "Rate"}


@dataclass(frozen=True)
class JoltsIndustry:
    """A JOLTS industry and the NAICS sectors it covers (sector codes as in taxonomy).

    ``naics_sectors`` lists every sector the industry overlaps; ``()`` means all industries.
    Mining and logging covers sector 21 plus NAICS 1133 (logging) only, not all of 11.
    Government is by ownership, not NAICS; it maps to OEWS's own sector '99' (federal,
    state and local government), the closest OEWS industry.
    """

    code: str
    title: str
    naics_sectors: tuple[str, ...]


JOLTS_INDUSTRIES: tuple[JoltsIndustry, ...] = (
    JoltsIndustry("000000", "Total nonfarm", ()),
    JoltsIndustry("100000", "Total private", ()),
    JoltsIndustry("110099", "Mining and logging", ("21",)),
    JoltsIndustry("230000", "Construction", ("23",)),
    JoltsIndustry("300000", "Manufacturing", ("31-33",)),
    JoltsIndustry("320000", "Durable goods manufacturing", ("31-33",)),
    JoltsIndustry("340000", "Nondurable goods manufacturing", ("31-33",)),
    JoltsIndustry("400000", "Trade, transportation, and utilities", ("22", "42", "44-45", "48-49")),
    JoltsIndustry("420000", "Wholesale trade", ("42",)),
    JoltsIndustry("440000", "Retail trade", ("44-45",)),
    JoltsIndustry("480099", "Transportation, warehousing, and utilities", ("22", "48-49")),
    JoltsIndustry("510000", "Information", ("51",)),
    JoltsIndustry("510099", "Financial activities", ("52", "53")),
    JoltsIndustry("520000", "Finance and insurance", ("52",)),
    JoltsIndustry("530000", "Real estate and rental and leasing", ("53",)),
    JoltsIndustry("540099", "Professional and business services", ("54", "55", "56")),
    JoltsIndustry("600000", "Private education and health services", ("61", "62")),
    JoltsIndustry("610000", "Private educational services", ("61",)),
    JoltsIndustry("620000", "Health care and social assistance", ("62",)),
    JoltsIndustry("700000", "Leisure and hospitality", ("71", "72")),
    JoltsIndustry("710000", "Arts, entertainment, and recreation", ("71",)),
    JoltsIndustry("720000", "Accommodation and food services", ("72",)),
    JoltsIndustry("810000", "Other services", ("81",)),
    JoltsIndustry("900000", "Government", ("99",)),
    JoltsIndustry("910000", "Federal", ("99",)),
    JoltsIndustry("920000", "State and local", ("99",)),
    JoltsIndustry("923000", "State and local government education", ("99",)),
    JoltsIndustry("929000", "State and local government, excluding education", ("99",)),
)

_ID = re.compile(
    r"^JT(?P<seasonal>[SU])(?P<industry>\d{6})(?P<state>[0-9A-Z]{2})(?P<area>\d{5})"
    r"(?P<sizeclass>\d{2})(?P<element>[A-Z]{2})(?P<ratelevel>[LR])$"
)
_MONTH = re.compile(r"^M(0[1-9]|1[0-2])$")
_NA_VALUES = {"", "-", "(NA)", "NA", "N/A"}
# BLS registration keys are 32 hex digits; never let one reach an error message or log.
_KEYLIKE = re.compile(r"\b[0-9a-fA-F]{32}\b")
_KEY_PARAM = re.compile(r"(registrationkey=)[^&\s]*", re.IGNORECASE)


def jolts_series_id(
    industry_code: str,
    data_element: str = "JO",
    ratelevel: str = "L",
    state: str = "00",
    area: str = "00000",
    sizeclass: str = "00",
    seasonal: str = "S",
) -> str:
    """The 21-character JOLTS series id (layout in the module doc); ValueError if malformed."""
    sid = f"JT{seasonal}{industry_code}{state}{area}{sizeclass}{data_element}{ratelevel}"
    if not _ID.match(sid) or data_element not in DATA_ELEMENTS:
        raise ValueError(
            f"bad JOLTS series parts: seasonal={seasonal!r} industry={industry_code!r} "
            f"state={state!r} area={area!r} sizeclass={sizeclass!r} "
            f"data_element={data_element!r} ratelevel={ratelevel!r}"
        )
    return sid


def parse_series_id(series_id: str) -> dict[str, str] | None:
    """Split a JOLTS series id into its parts, or None if it is not one."""
    m = _ID.match(series_id.strip())
    if not m:
        return None
    return {
        "seasonal": m["seasonal"],
        "industry_code": m["industry"],
        "state": m["state"],
        "area": m["area"],
        "sizeclass": m["sizeclass"],
        "data_element": m["element"],
        "ratelevel": m["ratelevel"],
    }


def default_series_ids(
    industries: Iterable[str] | None = None,
    data_elements: Sequence[str] = ("JO", "HI", "QU", "LD"),
    ratelevels: Sequence[str] = ("L", "R"),
    seasonal: str = "S",
) -> list[str]:
    """National series for every industry in :data:`JOLTS_INDUSTRIES` (or ``industries``)."""
    codes = list(industries) if industries is not None else [i.code for i in JOLTS_INDUSTRIES]
    return [
        jolts_series_id(code, element, rl, seasonal=seasonal)
        for code in codes
        for element in data_elements
        for rl in ratelevels
    ]


def build_requests(
    series_ids: Iterable[str],
    start_year: int,
    end_year: int,
    key: str | None = None,
    *,
    max_series: int | None = None,
    max_years: int | None = None,
) -> list[dict[str, Any]]:
    """JSON bodies covering every series x year, each within the API's per-request limits.

    Limits default to 50 series / 20 years with a key and 25 / 10 without.  Series ids
    are de-duplicated (first occurrence kept); year windows run oldest first.
    """
    if start_year > end_year:
        raise ValueError(f"start_year {start_year} is after end_year {end_year}")
    if max_series is None:
        max_series = KEYED_MAX_SERIES if key else ANON_MAX_SERIES
    if max_years is None:
        max_years = KEYED_MAX_YEARS if key else ANON_MAX_YEARS
    if max_series < 1 or max_years < 1:
        raise ValueError("max_series and max_years must be positive")
    ids = list(dict.fromkeys(s.strip() for s in series_ids))
    bodies: list[dict[str, Any]] = []
    for y0 in range(start_year, end_year + 1, max_years):
        y1 = min(y0 + max_years - 1, end_year)
        for i in range(0, len(ids), max_series):
            body: dict[str, Any] = {
                "seriesid": ids[i : i + max_series],
                "startyear": str(y0),
                "endyear": str(y1),
            }
            if key:
                body["registrationkey"] = key
            bodies.append(body)
    return bodies


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with registration keys (given ones, 32-hex tokens, URL params) masked."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "[redacted]")
    text = _KEY_PARAM.sub(r"\1[redacted]", text)
    return _KEYLIKE.sub("[redacted]", text)


def parse_response(
    payload: dict[str, Any], location: str, *, secrets: Iterable[str] = ()
) -> pd.DataFrame:
    """Rows of a BLS API v2 timeseries response (columns in the module doc).

    Raises SourceFormatError when ``status`` is not ``REQUEST_SUCCEEDED`` (quota and
    invalid-request messages arrive inside an HTTP 200), quoting BLS's messages, or when
    the payload does not have the documented shape.  Registration keys (``secrets`` and
    anything key-shaped) are redacted from ``location`` and every message.  Messages of a
    successful response (e.g. "No Data Available for Series ... Year: 2015") are kept in
    ``DataFrame.attrs['messages']``.
    """
    secrets = list(secrets)
    where = redact(location, secrets)
    if not isinstance(payload, dict):
        raise SourceFormatError(where, f"expected a JSON object, got {type(payload).__name__}")
    status = payload.get("status")
    messages = [redact(str(m), secrets) for m in payload.get("message") or []]
    if status != "REQUEST_SUCCEEDED":
        detail = "; ".join(messages) or "no message"
        raise SourceFormatError(where, f"BLS API status {status!r}: {detail}")
    series_list = (payload.get("Results") or {}).get("series")
    if not isinstance(series_list, list):
        raise SourceFormatError(where, "response has no Results.series list")

    rows: list[dict[str, Any]] = []
    for s_index, series in enumerate(series_list):
        sid = str(series.get("seriesID", "")).strip()
        parts = parse_series_id(sid)
        if parts is None:
            raise SourceFormatError(
                where, f"Results.series[{s_index}] has a non-JOLTS seriesID {sid!r}"
            )
        for d_index, obs in enumerate(series.get("data") or []):
            here = f"series {sid} data[{d_index}]"
            period = str(obs.get("period", ""))
            if period == "M13":
                continue  # annual average, see module doc
            if not _MONTH.match(period):
                raise SourceFormatError(where, f"{here}: unexpected period {period!r}")
            try:
                year = int(str(obs.get("year")))
            except ValueError:
                raise SourceFormatError(where, f"{here}: bad year {obs.get('year')!r}") from None
            notes = [f for f in obs.get("footnotes") or [] if isinstance(f, dict) and f]
            texts = [str(f["text"]).strip() for f in notes if f.get("text")]
            rows.append(
                {
                    "series_id": sid,
                    "industry_code": parts["industry_code"],
                    "data_element": parts["data_element"],
                    "ratelevel": parts["ratelevel"],
                    "seasonal": parts["seasonal"],
                    "year": year,
                    "period": period,
                    "month": pd.Timestamp(year=year, month=int(period[1:]), day=1).date(),
                    "value": _value(obs.get("value"), where, here),
                    "footnotes": "; ".join(texts) or None,
                    "preliminary": any(str(f.get("code", "")).upper() == "P" for f in notes),
                }
            )
    df = _frame(rows)
    df.attrs["messages"] = messages
    return df


def _value(raw: Any, where: str, here: str) -> float | None:
    text = "" if raw is None else str(raw).strip()
    if text in _NA_VALUES:
        return None
    try:
        return float(text.replace(",", ""))
    except ValueError:
        raise SourceFormatError(where, f"{here}: value {raw!r} is not a number") from None


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    cols = [
        "series_id",
        "industry_code",
        "data_element",
        "ratelevel",
        "seasonal",
        "year",
        "period",
        "month",
        "value",
        "footnotes",
        "preliminary",
    ]
    df = pd.DataFrame.from_records(rows, columns=cols)
    for c in ("series_id", "industry_code", "data_element", "ratelevel", "seasonal", "period"):
        df[c] = df[c].astype("string")
    df["footnotes"] = df["footnotes"].astype("string")
    df["year"] = df["year"].astype("Int64")
    df["value"] = pd.array(df["value"].tolist(), dtype="Float64")
    df["month"] = pd.Series(pa.array(df["month"].tolist(), type=pa.date32())).astype(
        pd.ArrowDtype(pa.date32())
    )
    df["preliminary"] = df["preliminary"].astype(bool)
    df = df.sort_values(["series_id", "month"], kind="stable", ignore_index=True)
    return df
