"""Derived posting fields: stable ids, employer keys and parsed locations.

Pure functions, plus ``*_many`` helpers that evaluate each distinct value once (posting feeds
repeat employers and locations heavily).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import pandas as pd

_SEP = "\x1f"  # unit separator: cannot occur in the fields, so joined keys never collide


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value != value:
        return ""
    if value is pd.NaT or value is pd.NA:
        return ""
    if isinstance(value, date):
        return value.isoformat()[:10]
    return " ".join(str(value).split())


def posting_id(
    source: str,
    source_id: Any,
    title: Any = None,
    employer: Any = None,
    location: Any = None,
    posted_date: Any = None,
) -> str:
    """16 hex chars of sha256. Uses (source, source_id) when the source gives an id, so a
    re-fetched posting keeps its id; otherwise the case-folded title, normalised employer,
    location and posting date (identical reposts on the same day then share an id)."""
    sid = _text(source_id)
    if sid:
        key = _SEP.join(("id", _text(source), sid))
    else:
        key = _SEP.join(
            (
                "fields",
                _text(source),
                _text(title).casefold(),
                normalise_employer(employer),
                _text(location).casefold(),
                _text(posted_date),
            )
        )
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


# --- employers -----------------------------------------------------------------------------

# Legal-form suffixes stripped from the END of a name (repeatedly: "Foo Holdings Co., Ltd.").
_LEGAL_SUFFIXES = frozenset(
    {
        "inc", "incorporated", "llc", "l l c", "llp", "lp", "ltd", "limited", "corp",
        "corporation", "co", "company", "plc", "pc", "pllc", "pa", "gmbh", "ag", "sa", "nv",
        "bv", "ab", "as", "oy", "srl", "spa", "pty", "pvt", "private", "lllp", "dba",
    }
)  # fmt: skip
_DBA = re.compile(r"\s+(?:d/b/a|dba|d\.b\.a\.?|a/k/a|aka)\s+.*$", re.IGNORECASE)
_APOSTROPHE = re.compile(r"['’`]")
_PUNCT = re.compile(r"[^\w\s]|_")
_DOTTED = re.compile(r"\b(?:[a-z]\.){2,}")  # U.S., L.L.C.: collapse before punctuation goes


def normalise_employer(raw: Any) -> str:
    """Matching key for an employer name: lower case, accents removed, '&' -> 'and',
    punctuation dropped, leading 'The' and trailing legal forms (Inc, LLC, Ltd, Corp, Co, ...)
    removed, and anything after 'd/b/a' dropped (the legal name is the stable one).

    Agencies are not merged: 'Department of Veterans Affairs' and 'Veterans Health
    Administration' stay distinct keys. Empty input gives ''."""
    text = _text(raw)
    if not text:
        return ""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = _DBA.sub("", text)
    text = text.replace("&", " and ").replace("+", " and ")
    text = _DOTTED.sub(lambda m: m.group(0).replace(".", ""), text)
    text = _APOSTROPHE.sub("", text)
    text = _PUNCT.sub(" ", text)
    words = text.split()
    if words and words[0] == "the" and len(words) > 1:
        words = words[1:]
    while len(words) > 1:
        if words[-1] in _LEGAL_SUFFIXES:
            words.pop()
        elif len(words) > 2 and " ".join(words[-3:]) == "l l c":
            del words[-3:]
        else:
            break
    if len(words) > 1 and words[-1] == "and":  # "Johnson & Johnson & Co." lost its "Co"
        words.pop()
    return " ".join(words)


# --- locations -----------------------------------------------------------------------------

US_STATES: dict[str, str] = {
    "alabama": "AL", "alaska": "AK", "arizona": "AZ", "arkansas": "AR", "california": "CA",
    "colorado": "CO", "connecticut": "CT", "delaware": "DE", "district of columbia": "DC",
    "florida": "FL", "georgia": "GA", "hawaii": "HI", "idaho": "ID", "illinois": "IL",
    "indiana": "IN", "iowa": "IA", "kansas": "KS", "kentucky": "KY", "louisiana": "LA",
    "maine": "ME", "maryland": "MD", "massachusetts": "MA", "michigan": "MI", "minnesota": "MN",
    "mississippi": "MS", "missouri": "MO", "montana": "MT", "nebraska": "NE", "nevada": "NV",
    "new hampshire": "NH", "new jersey": "NJ", "new mexico": "NM", "new york": "NY",
    "north carolina": "NC", "north dakota": "ND", "ohio": "OH", "oklahoma": "OK", "oregon": "OR",
    "pennsylvania": "PA", "rhode island": "RI", "south carolina": "SC", "south dakota": "SD",
    "tennessee": "TN", "texas": "TX", "utah": "UT", "vermont": "VT", "virginia": "VA",
    "washington": "WA", "west virginia": "WV", "wisconsin": "WI", "wyoming": "WY",
    "washington dc": "DC", "washington d c": "DC", "d c": "DC",
    # Territories keep their USPS code as 'state' and country 'US' (USPS/BLS convention), so
    # federal postings in Guam or Puerto Rico stay in US aggregates and can be filtered by state.
    "puerto rico": "PR", "guam": "GU", "virgin islands": "VI", "us virgin islands": "VI",
    "american samoa": "AS", "northern mariana islands": "MP",
}  # fmt: skip
_STATE_CODES = frozenset(US_STATES.values())

COUNTRIES: dict[str, str] = {
    "united states": "US", "united states of america": "US", "usa": "US", "us": "US",
    "u s": "US", "u s a": "US", "america": "US",
    "canada": "CA", "mexico": "MX", "united kingdom": "GB", "uk": "GB", "great britain": "GB",
    "england": "GB", "scotland": "GB", "wales": "GB", "ireland": "IE", "germany": "DE",
    "france": "FR", "italy": "IT", "spain": "ES", "portugal": "PT", "netherlands": "NL",
    "belgium": "BE", "luxembourg": "LU", "switzerland": "CH", "austria": "AT", "poland": "PL",
    "greece": "GR", "turkey": "TR", "turkiye": "TR", "sweden": "SE", "norway": "NO",
    "denmark": "DK", "finland": "FI", "iceland": "IS", "greenland": "GL", "japan": "JP",
    "south korea": "KR", "korea": "KR", "republic of korea": "KR", "china": "CN",
    "hong kong": "HK", "taiwan": "TW", "singapore": "SG", "malaysia": "MY", "thailand": "TH",
    "philippines": "PH", "vietnam": "VN", "indonesia": "ID", "india": "IN", "australia": "AU",
    "new zealand": "NZ", "bahrain": "BH", "kuwait": "KW", "qatar": "QA", "saudi arabia": "SA",
    "united arab emirates": "AE", "uae": "AE", "jordan": "JO", "israel": "IL", "egypt": "EG",
    "djibouti": "DJ", "kenya": "KE", "south africa": "ZA", "nigeria": "NG", "brazil": "BR",
    "argentina": "AR", "chile": "CL", "colombia": "CO", "peru": "PE", "cuba": "CU",
    "panama": "PA", "honduras": "HN", "guatemala": "GT", "el salvador": "SV",
    "costa rica": "CR", "dominican republic": "DO", "haiti": "HT", "jamaica": "JM",
    "bahamas": "BS", "romania": "RO", "bulgaria": "BG", "hungary": "HU", "czech republic": "CZ",
    "czechia": "CZ", "ukraine": "UA", "estonia": "EE", "latvia": "LV", "lithuania": "LT",
    "kosovo": "XK", "serbia": "RS", "croatia": "HR", "afghanistan": "AF", "iraq": "IQ",
    "pakistan": "PK", "bangladesh": "BD", "sri lanka": "LK", "nepal": "NP",
}  # fmt: skip

_REMOTE = re.compile(r"^(?:fully\s+)?(?:remote|anywhere|telework|work from home|wfh|virtual)\b")
_MULTIPLE = re.compile(r"^(?:multiple|various|many|several|nationwide)\b")
_US_TAIL = re.compile(r"\b(?:u s(?: a)?|usa|us|united states(?: of america)?)$")
_ZIP = re.compile(r"\s+\d{5}(?:-\d{4})?$")
_LOC_NORM = re.compile(r"[.\s]+")

Location = tuple[str | None, str | None, str | None]


def _key(part: str) -> str:
    return _LOC_NORM.sub(" ", part.replace(".", " ")).strip().lower()


def _region(part: str) -> tuple[str | None, str | None]:
    """(state, country) for a region token: a US state code/name, or a country."""
    stripped = _ZIP.sub("", part.strip())
    if stripped.upper() in _STATE_CODES and len(stripped) == 2:
        return stripped.upper(), "US"
    key = _key(stripped)
    if key in US_STATES:
        return US_STATES[key], "US"
    if key in COUNTRIES:
        return None, COUNTRIES[key]
    return None, None


def _parse_one(raw: str) -> Location:
    text = " ".join(raw.split()).strip(" ,;-")
    if not text:
        return None, None, None
    low = text.lower()
    if _REMOTE.match(low) or _MULTIPLE.match(low):
        # "Remote", "Remote - US", "Multiple Locations, United States": no city or state; a
        # country only when one is named.
        tail = re.split(r"[,(\-–:]", text, maxsplit=1)
        country = None
        if len(tail) == 2:
            state, country = _region(tail[1].strip(" )"))
            if state:
                return None, state, "US"
        if country is None and _US_TAIL.search(_key(text)):
            country = "US"
        return None, None, country
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if len(parts) == 1:
        state, country = _region(parts[0])
        if state or country:
            # "Washington" alone is the state; "District of Columbia" alone is DC.
            return None, state, country
        return parts[0], None, None
    # Work from the right: "City, ST", "City, ST 12345", "City, State, United States",
    # "City, Region, Country".
    last_state, last_country = _region(parts[-1])
    if last_country and not last_state and len(parts) >= 3:
        state, country = _region(parts[-2])
        if state and last_country == "US":
            return ", ".join(parts[:-2]), state, "US"
        return ", ".join(parts[:-2]) or None, None, last_country
    if last_state or last_country:
        city = ", ".join(parts[:-1])
        if last_state == "DC" and city.lower() in ("washington", "washington dc"):
            city = "Washington"
        return city or None, last_state, last_country
    return text, None, None


def parse_location(raw: Any) -> Location:
    """(city, state, country) from a location string.

    ``state`` is a 2-letter USPS code (territories included) when derivable; ``country`` is
    ISO 3166-1 alpha-2 when named or implied by a US state. Several locations separated by ';'
    (how the loader writes multi-location postings) give the fields they all share."""
    text = _text(raw)
    if not text:
        return None, None, None
    if ";" not in text:
        return _parse_one(text)
    parsed = [_parse_one(part) for part in text.split(";") if part.strip()]
    if not parsed:
        return None, None, None

    def shared(i: int) -> str | None:
        values = {p[i] for p in parsed}
        return values.pop() if len(values) == 1 else None

    return shared(0), shared(1), shared(2)


def _distinct_map(values: pd.Series | Sequence[Any], func: Any) -> tuple[pd.Index, list[Any]]:
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    results = [func(u) for u in uniques] + [func(None)]
    return series.index, [results[c] for c in codes]


def normalise_employers(values: pd.Series | Sequence[Any]) -> pd.Series:
    """``normalise_employer`` over a column, evaluating each distinct name once."""
    index, out = _distinct_map(values, normalise_employer)
    return pd.Series(out, index=index, dtype="string")


def parse_locations(values: pd.Series | Sequence[Any]) -> pd.DataFrame:
    """``parse_location`` over a column: DataFrame with city, state, country."""
    index, out = _distinct_map(values, parse_location)
    frame = pd.DataFrame.from_records(out, columns=["city", "state", "country"], index=index)
    return frame.astype("string")


def posting_ids(frame: pd.DataFrame) -> pd.Series:
    """``posting_id`` for canonical posting rows (source, source_id, title_raw, employer_raw,
    location_raw, posted_date)."""
    cols = ["source", "source_id", "title_raw", "employer_raw", "location_raw", "posted_date"]
    records = frame[cols].astype(object).where(frame[cols].notna(), None)
    ids = [posting_id(*row) for row in records.itertuples(index=False, name=None)]
    return pd.Series(ids, index=frame.index, dtype="string")


def compose_places(
    locations: Iterable[tuple[str | None, str | None, str | None]],
) -> str | None:
    """'City, State; City, State' from (city, state, country) triples: a US country is
    dropped, USAJOBS's statewide 'Maryland, Maryland' collapses to 'Maryland', repeats go."""
    parts = []
    for city, state, country in locations:
        if (country or "").lower() in ("united states", "us", "usa"):
            country = None
        bits = [b for b in (city, state, country) if b]
        if len(bits) >= 2 and bits[0] == bits[1]:
            bits = bits[1:]
        if bits:
            parts.append(", ".join(bits))
    return "; ".join(dict.fromkeys(parts)) or None
