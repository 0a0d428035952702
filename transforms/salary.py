"""Parse free-text and structured salary fields into annualised numbers.

Conventions (one place, so every mart uses the same arithmetic):

* Annualisation assumes a full-time US year: ``HOURS_PER_YEAR = 2080`` (40 h x 52 w),
  ``DAYS_PER_YEAR = 260`` (5 d x 52 w), ``WEEKS_PER_YEAR = 52``, ``MONTHS_PER_YEAR = 12``.
  These are the OPM / BLS OEWS conventions (OEWS annual = hourly x 2080).
* A number with no unit (``"120k"``, ``"USD 100000"``, the H-1B ``wage`` field) is read by
  magnitude: below ``UNITLESS_HOURLY_BELOW`` (500) it is an hourly rate (the highest real hourly
  rates seen in H-1B filings, specialist physicians, are ~$400/h); at or above
  ``UNITLESS_ANNUAL_FROM`` (20,000) it is an annual salary; in between it could be weekly,
  bi-weekly or monthly, so the amount is kept but not annualised and the parse is ``flagged``.
* Plausibility: annual amounts below ``ANNUAL_FLOOR`` (10,000) or above ``ANNUAL_CAP``
  (1,000,000) are kept but ``flagged`` with a reason; the posting is never dropped. The check is
  applied to the currencies in ``_CHECKED_CURRENCIES`` (and unknown currency), whose magnitudes
  are comparable to USD; amounts in e.g. JPY or INR are not range-checked.
* ``status``: ``ok``; ``missing`` (no text, or text that states no amount such as "DOE" or
  "Competitive"); ``unparsed`` (text with no usable amount); ``flagged`` (parsed, but something
  needs a human: swapped range, implausible magnitude, ambiguous unit). ``reason`` says why.

``parse_salary`` never raises on arbitrary text. ``parse_salaries`` parses each distinct input
once and maps back, because posting feeds repeat the same salary strings heavily.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

HOURS_PER_YEAR = 2080
DAYS_PER_YEAR = 260
WEEKS_PER_YEAR = 52
MONTHS_PER_YEAR = 12

UNITLESS_HOURLY_BELOW = 500.0
UNITLESS_ANNUAL_FROM = 20_000.0
ANNUAL_FLOOR = 10_000.0
ANNUAL_CAP = 1_000_000.0

PERIODS = ("hour", "day", "week", "month", "year")
ANNUAL_FACTOR: dict[str, float] = {
    "hour": HOURS_PER_YEAR,
    "day": DAYS_PER_YEAR,
    "week": WEEKS_PER_YEAR,
    "month": MONTHS_PER_YEAR,
    "year": 1.0,
}
_CHECKED_CURRENCIES = frozenset({None, "USD", "GBP", "EUR", "CAD", "AUD", "NZD", "CHF", "SGD"})

RESULT_COLUMNS = [
    "salary_min",
    "salary_max",
    "salary_period",
    "salary_currency",
    "annual_min",
    "annual_max",
    "annual_mid",
    "salary_status",
    "salary_reason",
]


@dataclass(frozen=True, slots=True)
class SalaryParse:
    min: float | None
    max: float | None
    period: str | None
    currency: str | None
    annual_min: float | None
    annual_max: float | None
    annual_mid: float | None
    status: str
    reason: str | None


# --- regexes (compiled once) -------------------------------------------------------------

# Texts that say there is no amount. Matched only when the text holds no digits.
_NO_AMOUNT = re.compile(
    r"\b(doe|d\.o\.e|depending|depends|commensurate|competitive|negotiable|neg|tbd|tbc|"
    r"not (?:specified|disclosed|stated)|unpaid|volunteer|n/?a|none|market rate|attractive)\b"
)
# An amount: grouped thousands or plain digits, optional decimals, optional k/m multiplier.
# The multiplier must not be followed by a letter so "5 months" is not read as 5 million.
_AMOUNT = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s?(k|m|mn|million|thousand)?(?![a-z])"
)
# What may sit between the two amounts of a range once symbols, codes and unit words are
# removed: exactly one separator ("$20/hr - $25/hr", "£30k to £35k", "45,000–60,000").
_GAP_NOISE = re.compile(
    r"[$£€¥₹\s.:]|\b[a-z]{1,2}\$|\b(?:usd|gbp|eur|cad|aud|nzd|sgd|chf|inr|jpy)\b"
    r"|(?:/|\bper\b|\ban?\b)?\s*\b(?:hour|hr|h|year|yr|annum|month|mo|week|wk|day)s?\b"
)
_SEPARATORS = frozenset({"-", "--", "to", "and", "&", "/", "~"})
_UP_TO = re.compile(r"\b(?:up\s*to|max(?:imum)?|not\s+more\s+than|under|below|upto)\b\W*$")
_FROM = re.compile(
    r"\b(?:from|starting(?:\s+at)?|start(?:s|ing)?\s+at|min(?:imum)?|at\s+least|over|above)\b\W*$"
)

# Unit and currency words are found by tokenising once and looking tokens up in dicts: far
# faster than one big alternation regex. Tokens glued to a digit ("120k", "5m") are amounts'
# multipliers, not units, hence the look-behind.
_TOKEN = re.compile(r"(?<![\d.])[a-z]+\$?|[$£€¥₹]")
_ABBREVIATIONS = (("p.a.", " pa "), ("p.h.", " ph "), ("p.w.", " pw "), ("p.c.m.", " pcm "),
                  ("p.m.", " pcm "), ("p.d.", " pd "), ("per diem", " pd "), ("bi-weekly", " biweekly "),
                  ("bi weekly", " biweekly "))  # fmt: skip
_PERIOD_TOKENS: dict[str, str] = {
    **dict.fromkeys(("hourly", "hour", "hours", "hr", "hrs", "h", "ph"), "hour"),
    **dict.fromkeys(("daily", "day", "days", "d", "pd"), "day"),
    **dict.fromkeys(("biweekly", "fortnight", "fortnightly"), "biweek"),
    **dict.fromkeys(("weekly", "week", "weeks", "wk", "wks", "w", "pw"), "week"),
    **dict.fromkeys(("monthly", "month", "months", "mo", "mos", "mth", "m", "pcm"), "month"),
    **dict.fromkeys(
        ("annual", "annually", "annum", "year", "years", "yearly", "yr", "yrs", "y", "pa"), "year"
    ),
}
_CURRENCY_TOKENS: dict[str, str] = {
    **dict.fromkeys(("c$", "ca$", "cad"), "CAD"),
    **dict.fromkeys(("a$", "au$", "aud"), "AUD"),
    **dict.fromkeys(("nz$", "nzd"), "NZD"),
    **dict.fromkeys(("s$", "sgd"), "SGD"),
    **dict.fromkeys(("£", "gbp"), "GBP"),
    **dict.fromkeys(("€", "eur", "euro", "euros"), "EUR"),
    **dict.fromkeys(("₹", "inr", "rs"), "INR"),
    **dict.fromkeys(("¥", "jpy", "yen"), "JPY"),
    "chf": "CHF",
    **dict.fromkeys(("usd", "us$"), "USD"),
}


def _scan_units(low: str) -> tuple[str | None, str | None]:
    """(period, currency) named in already-lower-cased text. The first unit word wins; a
    currency code beats a bare "$" wherever it appears ("$80,000 CAD")."""
    for old, new in _ABBREVIATIONS:
        if old in low:
            low = low.replace(old, new)
    period = currency = None
    dollar = False
    for token in _TOKEN.findall(low):
        if period is None and token in _PERIOD_TOKENS:
            period = _PERIOD_TOKENS[token]
        if currency is None:
            if token in _CURRENCY_TOKENS:
                currency = _CURRENCY_TOKENS[token]
            elif token[-1] == "$":
                dollar = True
    if currency is None and dollar:
        currency = "USD"
    return period, currency


_DOT_THOUSANDS = re.compile(r"^\d{1,3}(?:\.\d{3})+$")
_MULT = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6}

# Structured period labels seen in feeds ("Per Year", "PA", "PH", "Hourly", "annual", ...).
_PERIOD_LABELS: dict[str, str] = {
    "hour": "hour", "hourly": "hour", "per hour": "hour", "ph": "hour", "hr": "hour", "h": "hour",
    "day": "day", "daily": "day", "per day": "day", "pd": "day", "d": "day",
    "week": "week", "weekly": "week", "per week": "week", "pw": "week", "wk": "week", "w": "week",
    "month": "month", "monthly": "month", "per month": "month", "pm": "month", "mo": "month",
    "m": "month",
    "year": "year", "yearly": "year", "annual": "year", "annually": "year", "per year": "year",
    "per annum": "year", "pa": "year", "py": "year", "yr": "year", "y": "year", "salary": "year",
}  # fmt: skip
_NO_PAY_LABELS = frozenset({"without compensation", "wc", "unpaid", "volunteer"})


def _num(value: Any) -> float | None:
    """A finite positive float, else None (structured feeds use 0 or NaN for 'no figure')."""
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if math.isnan(number) or math.isinf(number) or number <= 0:
        return None
    return number


def _period_from_label(label: Any) -> tuple[str | None, bool]:
    """(period, recognised). A label that is present but unknown returns (None, False)."""
    if label is None or (isinstance(label, float) and math.isnan(label)):
        return None, True
    text = str(label).strip().lower().replace("_", " ")
    if not text:
        return None, True
    if text in _PERIOD_LABELS:
        return _PERIOD_LABELS[text], True
    found, _ = _scan_units(text)
    if found is not None and found != "biweek":
        return found, True
    return None, False


def _amounts(text: str, dot_thousands: bool) -> list[tuple[float, float, int, int]]:
    """(value, multiplier, start, end) for each number in the text. ``dot_thousands`` reads
    "45.000" as 45,000 (continental style, only trusted when the currency is EUR)."""
    found = []
    for match in _AMOUNT.finditer(text):
        raw, suffix = match.group(1), match.group(2)
        if dot_thousands and _DOT_THOUSANDS.match(raw):
            raw = raw.replace(".", "")
        try:
            value = float(raw.replace(",", ""))
        except ValueError:
            continue
        mult = _MULT[suffix] if suffix else 1.0
        found.append((value * mult, mult, match.start(), match.end()))
    return found


def _is_range_gap(gap: str) -> bool:
    return _GAP_NOISE.sub("", gap) in _SEPARATORS


def _infer_unitless(value: float) -> str | None:
    if value < UNITLESS_HOURLY_BELOW:
        return "hour"
    if value >= UNITLESS_ANNUAL_FROM:
        return "year"
    return None


def _finish(
    lo: float | None,
    hi: float | None,
    period: str | None,
    currency: str | None,
    notes: list[str],
    flags: list[str],
) -> SalaryParse:
    """Order the range, fill a missing unit by magnitude, annualise, range-check.

    ``notes`` explain an ``ok`` parse; ``flags`` make it ``flagged``."""
    if lo is not None and hi is not None and lo > hi:
        lo, hi = hi, lo
        flags.append("min > max: swapped")
    if period is None:
        probe = hi if hi is not None else lo
        period = _infer_unitless(probe) if probe is not None else None
        if period is None:
            flags.append(
                f"no unit and amount {probe:g} is between {UNITLESS_HOURLY_BELOW:g} and "
                f"{UNITLESS_ANNUAL_FROM:g} (weekly/bi-weekly/monthly?): not annualised"
            )
            return SalaryParse(
                lo, hi, None, currency, None, None, None, "flagged", "; ".join(flags + notes)
            )
        notes.append(f"no unit: {period} inferred from magnitude")
    factor = ANNUAL_FACTOR[period]
    a_lo = round(lo * factor, 2) if lo is not None else None
    a_hi = round(hi * factor, 2) if hi is not None else None
    if a_lo is not None and a_hi is not None:
        a_mid: float | None = round((a_lo + a_hi) / 2, 2)
    else:
        a_mid = a_lo if a_lo is not None else a_hi
    if currency in _CHECKED_CURRENCIES:
        low = a_lo if a_lo is not None else a_hi
        high = a_hi if a_hi is not None else a_lo
        if low is not None and low < ANNUAL_FLOOR:
            flags.append(f"annual {low:,.0f} below floor {ANNUAL_FLOOR:,.0f}")
        if high is not None and high > ANNUAL_CAP:
            flags.append(f"annual {high:,.0f} above cap {ANNUAL_CAP:,.0f}")
    reason = "; ".join(flags + notes) or None
    status = "flagged" if flags else "ok"
    return SalaryParse(lo, hi, period, currency, a_lo, a_hi, a_mid, status, reason)


def _missing(reason: str, currency: str | None = None) -> SalaryParse:
    return SalaryParse(None, None, None, currency, None, None, None, "missing", reason)


def _unparsed(reason: str, currency: str | None = None) -> SalaryParse:
    return SalaryParse(None, None, None, currency, None, None, None, "unparsed", reason)


def _parse_text(text: str, period_hint: str | None, currency_hint: str | None) -> SalaryParse:
    low = text.lower().replace("\u00a0", " ").replace("–", "-").replace("—", "-")
    found_period, found_currency = _scan_units(low)
    currency = currency_hint or found_currency
    amounts = _amounts(low, currency == "EUR")
    if not amounts:
        if _NO_AMOUNT.search(low):
            return _missing(f"no amount stated: {text.strip()[:60]!r}", currency)
        return _unparsed(f"no amount in {text.strip()[:60]!r}", currency)
    notes: list[str] = []
    first = amounts[0]
    lo: float | None
    hi: float | None
    if len(amounts) >= 2 and _is_range_gap(low[first[3] : amounts[1][2]]):
        second = amounts[1]
        lo, hi = first[0], second[0]
        # "$120 - 150K": a multiplier written once applies to both ends.
        if second[1] > 1 and first[1] == 1 and lo * second[1] <= hi * 1.5:
            lo *= second[1]
    else:
        prefix = low[: first[2]]
        if _UP_TO.search(prefix):
            lo, hi = None, first[0]
        elif _FROM.search(prefix):
            lo, hi = first[0], None
        else:
            lo, hi = first[0], first[0]
    period = period_hint
    if period is None:
        period = found_period
        if period == "biweek":
            # Not one of the five periods: express the amount per week.
            lo = lo / 2 if lo is not None else None
            hi = hi / 2 if hi is not None else None
            period = "week"
            notes.append("bi-weekly amount halved to weekly")
    return _finish(lo, hi, period, currency, notes, [])


def parse_salary(
    text: str | None,
    *,
    min_value: Any = None,
    max_value: Any = None,
    period: Any = None,
    currency: Any = None,
) -> SalaryParse:
    """Parse one salary. Structured numbers win over the text; the text still supplies unit and
    currency hints when the structured ones are absent. Never raises."""
    try:
        return _parse_salary(text, min_value, max_value, period, currency)
    except Exception as exc:  # noqa: BLE001 - the contract is "never raise on data"
        return _unparsed(f"parser error {type(exc).__name__}: {exc}"[:200])


def _clean_currency(currency: Any) -> str | None:
    if currency is None or (isinstance(currency, float) and math.isnan(currency)):
        return None
    code = str(currency).strip().upper()
    if not code:
        return None
    if len(code) == 3 and code.isalpha():
        return code
    return _scan_units(code.lower())[1]


def _parse_salary(
    text: Any, min_value: Any, max_value: Any, period: Any, currency: Any
) -> SalaryParse:
    cur = _clean_currency(currency)
    if isinstance(text, float) and math.isnan(text):
        text = None
    text = None if text is None else str(text)
    label_period, recognised = _period_from_label(period)
    if period is not None and str(period).strip().lower() in _NO_PAY_LABELS:
        return _missing(f"period label {str(period).strip()!r} states no pay", cur)
    lo, hi = _num(min_value), _num(max_value)
    if lo is not None or hi is not None:
        if not recognised:
            return SalaryParse(
                lo, hi, None, cur, None, None, None, "flagged",
                f"unrecognised period label {str(period).strip()!r}: not annualised",
            )  # fmt: skip
        if label_period is None and text:
            found, _ = _scan_units(text.lower())
            if found is not None and found != "biweek":
                label_period = found
        if cur is None and text:
            cur = _scan_units(text.lower())[1]
        return _finish(lo, hi, label_period, cur, [], [])
    if text is None or not text.strip():
        if min_value is not None or max_value is not None:
            return _missing("structured amounts are zero or empty", cur)
        return _missing("no salary given", cur)
    if not recognised:
        parsed = _parse_text(text, None, cur)
        if parsed.status in ("ok", "flagged"):
            reason = f"unrecognised period label {str(period).strip()!r}"
            if parsed.reason:
                reason += "; " + parsed.reason
            return SalaryParse(*_fields(parsed)[:7], "flagged", reason)
        return parsed
    return _parse_text(text, label_period, cur)


def _fields(p: SalaryParse) -> tuple[Any, ...]:
    return (
        p.min, p.max, p.period, p.currency, p.annual_min, p.annual_max, p.annual_mid,
        p.status, p.reason,
    )  # fmt: skip


def _codes(values: pd.Series | Sequence[Any] | None, n: int) -> tuple[np.ndarray, list[Any]]:
    """Factorize one input column: integer codes (-1 = missing) and the distinct values."""
    if values is None:
        return np.full(n, -1, dtype=np.int64), []
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    if len(series) != n:
        raise ValueError(f"parse_salaries: argument length {len(series)} != texts length {n}")
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    return codes.astype(np.int64), list(uniques)


def parse_salaries(
    texts: pd.Series | Sequence[Any],
    *,
    min_values: pd.Series | Sequence[Any] | None = None,
    max_values: pd.Series | Sequence[Any] | None = None,
    periods: pd.Series | Sequence[Any] | None = None,
    currencies: pd.Series | Sequence[Any] | None = None,
) -> pd.DataFrame:
    """Vectorised ``parse_salary``: one row per input, columns ``RESULT_COLUMNS``, index aligned
    with ``texts`` when it is a Series. Each distinct (text, min, max, period, currency)
    combination is parsed once and the results are mapped back by integer codes."""
    n = len(texts)
    index = texts.index if isinstance(texts, pd.Series) else pd.RangeIndex(n)
    columns = [texts, min_values, max_values, periods, currencies]
    factorized = [_codes(col, n) for col in columns]
    used = [i for i, col in enumerate(columns) if col is not None]
    if len(used) == 1:
        inverse = factorized[0][0]
        distinct = [(c,) for c in range(len(factorized[0][1]))]
        # Missing text (-1) is parsed once too, as the last distinct entry.
        inverse = np.where(inverse < 0, len(distinct), inverse)
        distinct.append((-1,))
    else:
        stacked = np.stack([factorized[i][0] for i in used], axis=1)
        combos, inverse = np.unique(stacked, axis=0, return_inverse=True)
        inverse = inverse.reshape(-1)
        distinct = [tuple(int(x) for x in row) for row in combos]
    results: list[tuple[Any, ...]] = []
    for combo in distinct:
        args: list[Any] = [None] * 5
        for slot, code in zip(used, combo, strict=True):
            args[slot] = factorized[slot][1][code] if code >= 0 else None
        parsed = parse_salary(
            args[0], min_value=args[1], max_value=args[2], period=args[3], currency=args[4]
        )
        results.append(_fields(parsed))
    table = pd.DataFrame.from_records(results, columns=RESULT_COLUMNS)
    frame = table.take(inverse).set_axis(index)
    for col in ("salary_min", "salary_max", "annual_min", "annual_max", "annual_mid"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("float64")
    return frame
