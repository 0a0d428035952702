"""Parse one stored page of a public posting API into canonical posting rows.

Pure functions: a decoded JSON page in, ``(rows, quarantine)`` out, with exactly the columns and
dtypes of ``transforms.postings_io.read_postings_file`` (each item is flattened to canonical
fields and then goes through the same mapping and validation as a file record, so dates,
places, salary text and quarantine reasons behave identically). ``row_number`` is the item's
index in the page + 1; ``file_path``/``file_sha256`` are the stored raw page's.

A page that is not the documented shape raises ``SourceFormatError`` naming the (redacted) URL
and what is wrong; a malformed item (not an object, no title, unparseable date, ...) becomes a
quarantine row. ``secrets`` (API keys, the USAJOBS contact e-mail) are blanked from every
message and quarantined record: Adzuna echoes the app id inside ``redirect_url``.

Formats:

* USAJOBS Search API (``data.usajobs.gov/api/search``): ``SearchResult.SearchResultItems[]
  .MatchedObjectDescriptor``; ``source = 'usajobs'``, ``source_id`` = ``MatchedObjectId``
  (the control number, shared with the Historic API).
* USAJOBS Historic JOA API (``data.usajobs.gov/api/historicjoa``): ``data[]``, paged by
  ``paging.next``; ``source = 'usajobs_historic'``.
* Adzuna (``api.adzuna.com/v1/api/jobs/{country}/search/{page}``): ``results[]``;
  ``source = 'adzuna'``.

Salary conventions (``transforms.salary`` annualises min/max by the period passed):

* USAJOBS ``RateIntervalCode``: PA -> year, PH -> hour, PD -> day, PM -> month. BW (bi-weekly)
  is not one of the salary module's five periods: the amounts are halved and passed as per
  week (x 52 = x 26 pay periods), the same convention the salary text parser applies to
  "bi-weekly"; ``salary_text`` keeps the posted bi-weekly figures. PW is *Piece Work* in the
  USAJOBS code list (not per week), FB Fee Basis and SY School Year have no time base: they are
  passed by name, so the salary parser keeps the amounts but flags them as not annualised. WC
  (Without Compensation) parses as "no pay".
* Adzuna salaries are annual, in the country's currency (GBP for gb, USD for us, ...).
  ``salary_is_predicted = "1"`` means Adzuna estimated the range, the ad stated none: the
  numbers are kept (they are annualised like any other) and ``salary_text`` starts with
  ``"predicted: "`` (e.g. ``"predicted: GBP 45,000 - 55,000 per year"``), so marts can drop or
  separate estimates with one filter. The description is left untouched on purpose: it feeds
  ``description_hash``, which the duplicate model compares across sources.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from transforms.errors import SourceFormatError
from transforms.postings import US_STATES, compose_places

# The file reader's mapping step: sharing it is what makes API rows "exactly like" file rows.
from transforms.postings_mapping import map_to_canonical
from transforms.postings_profile import CANONICAL_COLUMNS, Profile
from transforms.postings_readers import RawRecords

SOURCE_USAJOBS = "usajobs"
SOURCE_USAJOBS_HISTORIC = "usajobs_historic"
SOURCE_ADZUNA = "adzuna"

# USAJOBS RateIntervalCode -> the period label passed to transforms.salary (see module doc).
USAJOBS_RATE_PERIODS: dict[str, str] = {
    "PA": "year",
    "PH": "hour",
    "PD": "day",
    "PM": "month",
    "BW": "week",  # amounts halved first
    "PW": "Piece Work",
    "FB": "Fee Basis",
    "SY": "School Year",
    "WC": "Without Compensation",
}
_RATE_WORDS = {"PA": "Per Year", "PH": "Per Hour", "PD": "Per Day", "PM": "Per Month",
               "BW": "Bi-weekly"}  # fmt: skip

# Adzuna country endpoint -> ISO country code and the currency its salaries are quoted in.
ADZUNA_CURRENCIES: dict[str, str] = {
    "gb": "GBP", "us": "USD", "ca": "CAD", "au": "AUD", "nz": "NZD", "za": "ZAR", "in": "INR",
    "sg": "SGD", "br": "BRL", "mx": "MXN", "pl": "PLN", "ch": "CHF", "de": "EUR", "fr": "EUR",
    "nl": "EUR", "at": "EUR", "be": "EUR", "it": "EUR", "es": "EUR",
}  # fmt: skip

Item = dict[str, str | None]


@dataclass(frozen=True)
class PageRef:
    """Where a page came from: ``url`` already redacted (it names the page in errors), and the
    stored raw file the rows' lineage points at."""

    url: str
    file_path: str
    sha256: str
    secrets: tuple[str, ...] = ()

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            if secret:
                text = text.replace(secret, "[redacted]")
        return text

    def error(self, reason: str) -> SourceFormatError:
        return SourceFormatError(self.redact(self.url), self.redact(reason))


# --- small readers ---------------------------------------------------------------------------


def _text(value: Any) -> str | None:
    """A JSON scalar as stripped text; containers and blanks are None."""
    if value is None or isinstance(value, dict | list | bool):
        return None
    text = str(value).strip()
    return text or None


def _get(obj: Mapping[str, Any], *names: str) -> Any:
    """The first present key among ``names``, case-insensitively (the Historic API has served
    both ``PositionLocations`` and ``positionLocations``)."""
    lower = {k.lower(): k for k in obj}
    for name in names:
        key = name if name in obj else lower.get(name.lower())
        if key is not None and obj[key] is not None:
            return obj[key]
    return None


def _objects(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, dict):
        return [value]
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if np.isfinite(number) else None


def _money(value: float | None) -> str | None:
    if value is None:
        return None
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _salary_text(currency: str, lo: float | None, hi: float | None, unit: str) -> str | None:
    """'USD 52,000 - 78,000 Per Year' (what the file reader composes from structured fields)."""
    ends = [_money(v) for v in (lo, hi) if v is not None and v > 0]
    if not ends:
        return None
    amount = ends[0] if len(ends) == 1 or ends[0] == ends[1] else f"{ends[0]} - {ends[1]}"
    return " ".join(p for p in (currency, amount, unit) if p)


# --- the shared back end ---------------------------------------------------------------------


def _finish(
    items: Sequence[Any],
    ref: PageRef,
    source: str,
    flatten: Callable[[dict[str, Any]], Item],
    constants: dict[str, str],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Flatten each item, then map and validate like a file record."""
    records: list[Item] = []
    numbers: list[int] = []
    raws: list[str] = []
    quarantine: list[tuple[int, str, str]] = []
    for index, item in enumerate(items):
        number = index + 1
        raw = ref.redact(json.dumps(item, ensure_ascii=False, default=str))
        if not isinstance(item, dict):
            quarantine.append((number, f"item {number}: not a JSON object", raw))
            continue
        try:
            record = flatten(item)
        except ValueError as exc:  # an item whose structure is broken, not just a field
            quarantine.append((number, f"item {number}: {ref.redact(str(exc))}", raw))
            continue
        records.append(record)
        numbers.append(number)
        raws.append(raw)
    columns = [c for c in CANONICAL_COLUMNS if c != "source"]
    frame = pd.DataFrame.from_records(records, columns=columns).astype("string")
    profile = Profile(
        name=f"api:{source}",
        path=Path(ref.file_path),
        source=source,
        columns={c: (c,) for c in columns},
        constants=constants,
        compose_salary_text=False,  # composed per item above (Adzuna's 'predicted: ' prefix)
    )
    parsed = RawRecords(frame, np.asarray(numbers, dtype=np.int64), raws.__getitem__, quarantine)
    rows, qframe = map_to_canonical(parsed, profile, Path(ref.file_path), ref.sha256)
    rows["file_path"] = pd.Series(ref.file_path, index=rows.index, dtype="string")
    qframe["file_path"] = pd.Series(ref.file_path, index=qframe.index, dtype="string")
    return rows, qframe


# --- USAJOBS Search ----------------------------------------------------------------------------


def usajobs_search_items(payload: Any, ref: PageRef) -> tuple[list[Any], int | None]:
    """(SearchResultItems, SearchResultCountAll) of a Search API page, or ``SourceFormatError``."""
    if not isinstance(payload, dict):
        raise ref.error(f"expected a JSON object, got {type(payload).__name__}")
    result = payload.get("SearchResult")
    if not isinstance(result, dict):
        keys = ", ".join(sorted(payload)[:10]) or "none"
        raise ref.error(f"no 'SearchResult' object (top-level keys: {keys})")
    items = result.get("SearchResultItems")
    if not isinstance(items, list):
        raise ref.error("'SearchResult.SearchResultItems' is not a list")
    total = _number(result.get("SearchResultCountAll"))
    return items, int(total) if total is not None else None


def _usajobs_salary(descriptor: dict[str, Any]) -> Item:
    pay = _objects(descriptor.get("PositionRemuneration"))
    if not pay:
        return {}
    first = pay[0]
    lo, hi = _number(first.get("MinimumRange")), _number(first.get("MaximumRange"))
    code = (_text(first.get("RateIntervalCode")) or "").upper()
    words = _RATE_WORDS.get(code) or _text(first.get("Description")) or code
    text = _salary_text("USD", lo, hi, words)
    if code == "BW":
        lo, hi = (v / 2 if v is not None else None for v in (lo, hi))
    period = USAJOBS_RATE_PERIODS.get(code) or _text(first.get("Description")) or code or None
    return {
        "salary_min_raw": None if lo is None else repr(lo),
        "salary_max_raw": None if hi is None else repr(hi),
        "salary_period_raw": period,
        "salary_text": text,
    }


def _flatten_usajobs(item: dict[str, Any]) -> Item:
    descriptor = item.get("MatchedObjectDescriptor")
    if not isinstance(descriptor, dict):
        raise ValueError("no MatchedObjectDescriptor object")
    places = compose_places(
        (_text(p.get("CityName")) or _text(p.get("LocationName")), None, None)
        for p in _objects(descriptor.get("PositionLocation"))
    )
    details = _get(descriptor.get("UserArea") or {}, "Details") or {}
    summary = _get(details, "JobSummary") if isinstance(details, dict) else None
    return {
        "source_id": _text(item.get("MatchedObjectId")) or _text(descriptor.get("PositionID")),
        "title_raw": _text(descriptor.get("PositionTitle")),
        "employer_raw": _text(descriptor.get("OrganizationName"))
        or _text(descriptor.get("DepartmentName")),
        # The department is the only industry hint (as in the USAJOBS file profiles).
        "industry_text": _text(descriptor.get("DepartmentName")),
        "location_raw": places or _text(descriptor.get("PositionLocationDisplay")),
        "posted_date": _text(descriptor.get("PublicationStartDate")),
        "close_date": _text(descriptor.get("ApplicationCloseDate")),
        "description": _text(summary) or _text(descriptor.get("QualificationSummary")),
        **_usajobs_salary(descriptor),
    }


def parse_usajobs_search(payload: Any, location: PageRef) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows and quarantine from one USAJOBS Search API page."""
    items, _ = usajobs_search_items(payload, location)
    return _finish(
        items, location, SOURCE_USAJOBS, _flatten_usajobs, {"country": "US", "currency_raw": "USD"}
    )


# --- USAJOBS Historic JOA --------------------------------------------------------------------


def usajobs_historic_items(payload: Any, ref: PageRef) -> tuple[list[Any], str | None]:
    """(data, paging.next) of a Historic JOA page, or ``SourceFormatError``."""
    if not isinstance(payload, dict):
        raise ref.error(f"expected a JSON object, got {type(payload).__name__}")
    items = payload.get("data")
    if not isinstance(items, list):
        keys = ", ".join(sorted(payload)[:10]) or "none"
        raise ref.error(f"no 'data' list (top-level keys: {keys})")
    paging = payload.get("paging")
    if paging is not None and not isinstance(paging, dict):
        raise ref.error("'paging' is not an object")
    following = _text((paging or {}).get("next"))
    return items, following


def _flatten_historic(item: dict[str, Any]) -> Item:
    places = compose_places(
        (
            _text(_get(p, "positionLocationCity")),
            _text(_get(p, "positionLocationState")),
            _text(_get(p, "positionLocationCountry")),
        )
        for p in _objects(_get(item, "PositionLocations"))
    )
    lo = _number(_get(item, "minimumSalary"))
    hi = _number(_get(item, "maximumSalary"))
    # The API writes 0/0 when no pay range is published.
    lo, hi = (None if v is None or v <= 0 else v for v in (lo, hi))
    unit = _text(_get(item, "salaryType"))  # Per Year, Per Hour, Fee Basis, ...
    return {
        "source_id": _text(_get(item, "usajobsControlNumber")),
        "title_raw": _text(_get(item, "positionTitle")),
        # Sub-agency when given, else the department (as the Historic file profile does).
        "employer_raw": _text(_get(item, "hiringAgencyName"))
        or _text(_get(item, "hiringDepartmentName")),
        "industry_text": _text(_get(item, "hiringDepartmentName")),
        "location_raw": places,
        "posted_date": _text(_get(item, "positionOpenDate")),
        "close_date": _text(_get(item, "positionCloseDate")),
        "salary_min_raw": None if lo is None else repr(lo),
        "salary_max_raw": None if hi is None else repr(hi),
        "salary_period_raw": unit,
        "salary_text": _salary_text("USD", lo, hi, unit or ""),
    }


def parse_usajobs_historic(payload: Any, location: PageRef) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows and quarantine from one USAJOBS Historic JOA page."""
    items, _ = usajobs_historic_items(payload, location)
    return _finish(
        items,
        location,
        SOURCE_USAJOBS_HISTORIC,
        _flatten_historic,
        {"country": "US", "currency_raw": "USD"},
    )


# --- Adzuna ------------------------------------------------------------------------------------


def adzuna_items(payload: Any, ref: PageRef) -> tuple[list[Any], int | None]:
    """(results, count) of an Adzuna search page, or ``SourceFormatError``."""
    if not isinstance(payload, dict):
        raise ref.error(f"expected a JSON object, got {type(payload).__name__}")
    if "exception" in payload:  # Adzuna's error document, sometimes served with HTTP 200
        said = _text(payload.get("display")) or _text(payload.get("exception"))
        raise ref.error(f"Adzuna refused the request: {said}")
    items = payload.get("results")
    if not isinstance(items, list):
        keys = ", ".join(sorted(payload)[:10]) or "none"
        raise ref.error(f"no 'results' list (top-level keys: {keys})")
    count = _number(payload.get("count"))
    return items, int(count) if count is not None else None


def _adzuna_flattener(country: str) -> Callable[[dict[str, Any]], Item]:
    code = country.upper()
    currency = ADZUNA_CURRENCIES.get(country.lower(), "")

    def flatten(item: dict[str, Any]) -> Item:
        place = item.get("location") if isinstance(item.get("location"), dict) else {}
        area = [a for a in (place.get("area") or []) if isinstance(a, str)]
        display = _text(place.get("display_name"))
        # area runs country -> region -> ... -> town: the display name's first part is a town
        # only when the area goes below the region.
        city = display.split(",")[0].strip() if display and len(area) >= 3 else None
        state = US_STATES.get(area[1].strip().lower()) if code == "US" and len(area) >= 2 else None
        lo, hi = _number(item.get("salary_min")), _number(item.get("salary_max"))
        text = _salary_text(currency, lo, hi, "per year")
        if text and str(item.get("salary_is_predicted", "0")).strip() == "1":
            text = f"predicted: {text}"
        company = item.get("company") if isinstance(item.get("company"), dict) else {}
        return {
            "source_id": _text(item.get("id")),
            "title_raw": _text(item.get("title")),
            "employer_raw": _text(company.get("display_name")),
            "location_raw": display,
            "city": city,
            "state": state,
            "country": code,
            "posted_date": _text(item.get("created")),
            "salary_min_raw": None if lo is None else repr(lo),
            "salary_max_raw": None if hi is None else repr(hi),
            "salary_period_raw": "year" if lo is not None or hi is not None else None,
            "currency_raw": currency or None,
            "salary_text": text,
            "description": _text(item.get("description")),
        }

    return flatten


def parse_adzuna(
    payload: Any, location: PageRef, country: str = "gb"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows and quarantine from one Adzuna search page of ``country``'s endpoint."""
    items, _ = adzuna_items(payload, location)
    return _finish(items, location, SOURCE_ADZUNA, _adzuna_flattener(country), {})
