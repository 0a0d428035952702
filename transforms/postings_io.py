"""Read a publisher's posting file (CSV, CSV.gz, JSON Lines, Parquet) into canonical columns.

A *profile* (``data/profiles/<name>.toml``, see ``generic.toml`` for every key) maps the
publisher's columns onto the canonical posting columns (``CANONICAL_COLUMNS``). Reading never
drops a record silently: each record either becomes a canonical row or a quarantine row with a
reason, and ``PostingsBatch`` checks ``rows_read == len(rows) + len(quarantine)``.

``row_number`` is the 1-based line number of the record's first line counted from the line
after the header (so it equals the record's position whenever no value spans several lines);
for Parquet it is the row index + 1.

Column types of ``PostingsBatch.rows``: text columns are pandas ``string``; ``posted_date`` and
``close_date`` are ``date32[pyarrow]`` (DuckDB reads them as DATE); ``salary_min_raw`` and
``salary_max_raw`` are float64; ``row_number`` is int64.

CSV parsing runs in pyarrow (C++); Python only touches the lines pyarrow rejects, plus a
pure-Python fallback for the rare file whose quoted values contain newlines.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import tomllib
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from transforms.errors import SchemaDriftError, SourceFormatError
from transforms.hashing import sha256_file
from transforms.postings import US_STATES, parse_locations

PROFILES_DIR = Path(__file__).resolve().parent.parent / "data" / "profiles"

TEXT_COLUMNS = [
    "source", "source_id", "title_raw", "employer_raw", "location_raw", "city", "state",
    "country", "naics_code_raw", "industry_text", "salary_text", "salary_period_raw",
    "currency_raw", "description",
]  # fmt: skip
DATE_COLUMNS = ["posted_date", "close_date"]
NUMBER_COLUMNS = ["salary_min_raw", "salary_max_raw"]
LINEAGE_COLUMNS = ["file_path", "file_sha256", "row_number"]
CANONICAL_COLUMNS = [
    "source", "source_id", "title_raw", "employer_raw", "location_raw", "city", "state",
    "country", "posted_date", "posted_date_precision", "close_date", "naics_code_raw",
    "industry_text", "salary_text", "salary_min_raw", "salary_max_raw", "salary_period_raw",
    "currency_raw", "description",
]  # fmt: skip
QUARANTINE_COLUMNS = ["file_path", "row_number", "reason", "raw_record"]
# Columns a profile may map. `source` comes from the profile itself; the date precision is
# derived from the dates (or declared in [dates] precision).
MAPPABLE = frozenset(CANONICAL_COLUMNS) - {"source", "posted_date_precision"}
# How precisely a posted_date is known. A date known only to its year or month is stored as
# the first day of that period, so the precision must travel with it: monthly figures use
# only day- and month-precision rows (a year of filings dated 1 January is not a January
# spike).
DATE_PRECISIONS = ("day", "month", "year")
# Longest title kept: a real title is a few words; a megabyte "title" is a broken record.
MAX_TITLE_CHARS = 500

EARLIEST_DATE = date(1990, 1, 1)
# Stripped from structured salary numbers: thousands separators, currency symbols, spaces
# and footnote markers ('85,000*', '$ 85000', '85000(1)', '85000\u2020').
_NUMBER_NOISE = r"[,$\s*\u2020\u2021]|\(\d{1,2}\)$|\[\d{1,2}\]$"
LATEST_AHEAD = timedelta(days=366)  # today + 1 year (leap-safe)

_FORMATS = ("csv", "jsonl", "parquet")
_PROFILE_KEYS = frozenset(
    {"source", "format", "delimiter", "required", "columns", "dates", "constants", "salary",
     "json_locations", "description"}
)  # fmt: skip


# --- profiles ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    """A parsed mapping profile. ``columns`` maps a canonical column to the publisher columns
    to take it from (first non-empty wins)."""

    name: str
    path: Path
    source: str
    format: str | None = None
    delimiter: str = ","
    required: tuple[str, ...] = ()
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    date_formats: tuple[str, ...] = ("ISO8601",)
    date_precision: str | None = None  # declared; None = detect from each value
    constants: dict[str, str] = field(default_factory=dict)
    zero_salary_is_missing: bool = False
    compose_salary_text: bool = True
    json_locations: dict[str, str] | None = None


def _profile_error(path: Path, reason: str) -> SourceFormatError:
    return SourceFormatError(str(path), f"bad posting profile: {reason}")


def load_profile(name_or_path: str | Path) -> Profile:
    """Load ``data/profiles/<name>.toml`` by name, or any profile file by path."""
    candidate = Path(name_or_path)
    if candidate.suffix == ".toml" or candidate.exists():
        path = candidate
    else:
        path = PROFILES_DIR / f"{name_or_path}.toml"
    if not path.is_file():
        known = sorted(p.stem for p in PROFILES_DIR.glob("*.toml"))
        raise FileNotFoundError(f"posting profile {name_or_path!r} not found (known: {known})")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise _profile_error(path, str(exc)) from exc
    unknown = set(data) - _PROFILE_KEYS
    if unknown:
        raise _profile_error(path, f"unknown key(s) {sorted(unknown)}")
    if not isinstance(data.get("source"), str) or not data["source"]:
        raise _profile_error(path, "'source' (a non-empty string) is required")
    fmt = data.get("format")
    if fmt is not None and fmt not in _FORMATS:
        raise _profile_error(path, f"format {fmt!r} not one of {_FORMATS}")
    columns: dict[str, tuple[str, ...]] = {}
    for canon, src in data.get("columns", {}).items():
        if canon not in MAPPABLE:
            raise _profile_error(path, f"[columns] {canon!r} is not a canonical column")
        names = (src,) if isinstance(src, str) else tuple(src)
        if not names or not all(isinstance(n, str) and n for n in names):
            raise _profile_error(path, f"[columns] {canon!r} must name a column or a list")
        columns[canon] = names
    constants = {str(k): str(v) for k, v in data.get("constants", {}).items()}
    bad_consts = set(constants) - MAPPABLE
    if bad_consts:
        raise _profile_error(path, f"[constants] {sorted(bad_consts)} are not canonical columns")
    dates = data.get("dates", {})
    precision = dates.get("precision")
    if precision is not None and precision not in DATE_PRECISIONS:
        raise _profile_error(path, f"[dates] precision {precision!r} not one of {DATE_PRECISIONS}")
    salary = data.get("salary", {})
    json_locations = data.get("json_locations")
    if json_locations is not None and "column" not in json_locations:
        raise _profile_error(path, "[json_locations] needs 'column'")
    return Profile(
        name=path.stem,
        path=path,
        source=data["source"],
        format=fmt,
        delimiter=data.get("delimiter", ","),
        required=tuple(data.get("required", ())),
        columns=columns,
        date_formats=tuple(dates.get("formats", ("ISO8601",))),
        date_precision=precision,
        constants=constants,
        zero_salary_is_missing=bool(salary.get("zero_is_missing", False)),
        compose_salary_text=bool(salary.get("compose_text", True)),
        json_locations=dict(json_locations) if json_locations else None,
    )


# --- batch ---------------------------------------------------------------------------------


@dataclass
class PostingsBatch:
    """Canonical rows and quarantined records from one file."""

    rows: pd.DataFrame
    quarantine: pd.DataFrame
    rows_read: int
    file_path: str
    file_sha256: str
    source: str
    profile: str
    encoding: str | None = None  # CSV/JSONL only: utf-8, utf-8-sig, cp1252 or latin-1

    def __post_init__(self) -> None:
        if self.rows_read != len(self.rows) + len(self.quarantine):
            raise AssertionError(
                f"{self.file_path}: rows_read {self.rows_read} != loaded {len(self.rows)} + "
                f"quarantined {len(self.quarantine)}"
            )


@dataclass
class _Raw:
    """Publisher records before mapping: all rows that parsed, their line numbers, and the
    quarantine from parsing."""

    frame: pd.DataFrame
    row_numbers: np.ndarray
    raw_text: Callable[[int], str]  # position in frame -> raw record text
    quarantine: list[tuple[int, str, str]]  # (row_number, reason, raw)
    encoding: str | None = None
    blank_positions: np.ndarray | None = None


# --- reading bytes -------------------------------------------------------------------------


def _detect_format(path: Path, profile: Profile) -> tuple[str, bool]:
    suffixes = [s.lower() for s in path.suffixes]
    gz = bool(suffixes) and suffixes[-1] == ".gz"
    if profile.format:
        return profile.format, gz
    core = suffixes[-2] if gz and len(suffixes) >= 2 else (suffixes[-1] if suffixes else "")
    by_suffix = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".jsonl": "jsonl",
                 ".ndjson": "jsonl", ".json": "jsonl", ".parquet": "parquet", ".pq": "parquet"}  # fmt: skip
    if core not in by_suffix:
        raise SourceFormatError(str(path), f"cannot tell the format from suffix {core!r}")
    return by_suffix[core], gz


def _read_bytes(path: Path, gz: bool) -> bytes:
    try:
        if gz:
            with gzip.open(path, "rb") as handle:
                return handle.read()
        return path.read_bytes()
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise SourceFormatError(str(path), f"truncated or corrupt gzip ({exc})") from exc


def _decode(data: bytes) -> tuple[bytes, str, str]:
    """(utf-8 bytes without BOM, text, encoding used). UTF-8 first; a file that is not valid
    UTF-8 is read as cp1252 (what Excel exports as "ANSI"), else latin-1, which never fails."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode Text" export: UTF-16 with a BOM. Read as cp1252 it would yield a
        # header of NUL-riddled names and a baffling "missing columns" error.
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            pass
        else:
            return text.encode("utf-8"), text, "utf-16"
    if data.startswith(b"\xef\xbb\xbf"):
        data, encoding = data[3:], "utf-8-sig"
    else:
        encoding = "utf-8"
    try:
        return data, data.decode("utf-8"), encoding
    except UnicodeDecodeError:
        pass
    for fallback in ("cp1252", "latin-1"):
        try:
            text = data.decode(fallback)
        except UnicodeDecodeError:
            continue
        return text.encode("utf-8"), text, fallback
    raise AssertionError("latin-1 decodes any bytes")  # pragma: no cover


# --- CSV -----------------------------------------------------------------------------------


def _header(text: str, delimiter: str, path: Path) -> list[str]:
    # The header is in the first few KB; copying the whole text into a StringIO costs seconds.
    first = next(csv.reader(io.StringIO(text[: 1 << 16], newline=""), delimiter=delimiter), None)
    if not first or not any(c.strip() for c in first):
        raise SourceFormatError(str(path), "empty file or empty header line")
    if any("\x00" in c for c in first):
        raise SourceFormatError(
            str(path), "NUL bytes in the header line: UTF-16 without a BOM, or not a text file"
        )
    names = [c.strip() for c in first]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise SourceFormatError(str(path), f"duplicate column name(s) in header: {dupes}")
    return names


def _csv_to_line(values: Sequence[Any], delimiter: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="").writerow(
        ["" if v is None else v for v in values]
    )
    return buffer.getvalue()


def _read_csv(path: Path, data: bytes, profile: Profile) -> _Raw:
    utf8, text, encoding = _decode(data)
    names = _header(text, profile.delimiter, path)
    _require(path, names, profile)
    rejected: list[pacsv.InvalidRow] = []

    def on_invalid(row: pacsv.InvalidRow) -> str:
        rejected.append(row)
        return "skip"

    try:
        table = pacsv.read_csv(
            io.BytesIO(utf8),
            read_options=pacsv.ReadOptions(
                column_names=names, skip_rows=1, use_threads=False, block_size=1 << 24
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=profile.delimiter,
                newlines_in_values=True,
                ignore_empty_lines=False,
                invalid_row_handler=on_invalid,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid as exc:
        return _read_csv_python(path, text, names, profile, encoding, reason=str(exc))
    # Map records to physical lines. Valid when no value spans lines: then every data line is
    # either a parsed row or a rejected one. Otherwise fall back to the Python reader.
    n_lines = utf8.count(b"\n") + (0 if utf8.endswith(b"\n") or not utf8 else 1)
    keep = np.ones(n_lines + 1, dtype=bool)
    keep[:2] = False  # index 0 unused, line 1 is the header
    bad_lines = [r.number for r in rejected]
    if any(n is None for n in bad_lines):
        return _read_csv_python(path, text, names, profile, encoding, reason="row numbers unknown")
    keep[bad_lines] = False
    lines = np.nonzero(keep)[0]
    if len(lines) != table.num_rows:
        return _read_csv_python(path, text, names, profile, encoding, reason="multi-line values")
    frame = table.to_pandas()
    quarantine = [
        (
            r.number - 1,
            f"line {r.number}: expected {r.expected_columns} fields, found {r.actual_columns}",
            r.text,
        )
        for r in rejected
    ]
    blank = np.zeros(len(frame), dtype=bool)
    if len(frame):
        blank = (frame == "").all(axis=1).to_numpy()
    values = frame

    def raw_text(pos: int) -> str:
        return _csv_to_line(values.iloc[pos].tolist(), profile.delimiter)

    return _Raw(frame, lines - 1, raw_text, quarantine, encoding, np.nonzero(blank)[0])


def _read_csv_python(
    path: Path, text: str, names: list[str], profile: Profile, encoding: str, *, reason: str
) -> _Raw:
    """Reference reader for files pyarrow cannot line up (values with embedded newlines)."""
    del reason  # kept in the signature for debugging; the result is the same either way
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=profile.delimiter)
    next(reader, None)
    width = len(names)
    records: list[list[str]] = []
    numbers: list[int] = []
    quarantine: list[tuple[int, str, str]] = []
    last_line = reader.line_num
    try:
        for record in reader:
            start = last_line + 1
            last_line = reader.line_num
            if not record:
                continue  # blank line: not a record
            if len(record) != width:
                quarantine.append(
                    (
                        start - 1,
                        f"line {start}: expected {width} fields, found {len(record)}",
                        _csv_to_line(record, profile.delimiter),
                    )
                )
                continue
            records.append(record)
            numbers.append(start - 1)
    except csv.Error as exc:
        raise SourceFormatError(str(path), f"CSV syntax error: {exc}", row=reader.line_num) from exc
    frame = pd.DataFrame(records, columns=names, dtype="string") if records else None
    if frame is None:
        frame = pd.DataFrame({n: pd.Series([], dtype="string") for n in names})

    def raw_text(pos: int) -> str:
        return _csv_to_line(records[pos], profile.delimiter)

    return _Raw(frame, np.asarray(numbers, dtype=np.int64), raw_text, quarantine, encoding)


# --- JSON Lines and Parquet -----------------------------------------------------------------


def _read_jsonl(path: Path, data: bytes, profile: Profile) -> _Raw:
    _, text, encoding = _decode(data)
    records: list[dict[str, Any]] = []
    numbers: list[int] = []
    lines: list[str] = []
    quarantine: list[tuple[int, str, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:
            quarantine.append((number, f"line {number}: invalid JSON ({exc.args[0][:80]})", line))
            continue
        if not isinstance(record, dict):
            quarantine.append((number, f"line {number}: not a JSON object", line))
            continue
        records.append(record)
        numbers.append(number)
        lines.append(line)
    frame = pd.DataFrame.from_records(records) if records else pd.DataFrame()
    for col in frame.columns:
        # Nested values (lists of locations) stay as JSON text, like in CSV exports.
        if frame[col].dtype == object:
            frame[col] = frame[col].map(
                lambda v: json.dumps(v) if isinstance(v, dict | list) else v
            )
    _require(path, list(frame.columns), profile, empty_ok=not records)
    return _Raw(frame, np.asarray(numbers, dtype=np.int64), lines.__getitem__, quarantine, encoding)


def _read_parquet(path: Path, profile: Profile) -> _Raw:
    try:
        table = pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise SourceFormatError(str(path), f"unreadable Parquet ({exc})") from exc
    frame = table.to_pandas()
    _require(path, list(frame.columns), profile)

    def raw_text(pos: int) -> str:
        return json.dumps(frame.iloc[pos].to_dict(), default=str)

    return _Raw(frame, np.arange(1, len(frame) + 1, dtype=np.int64), raw_text, [])


def _require(path: Path, found: list[str], profile: Profile, *, empty_ok: bool = False) -> None:
    lower = {c.lower() for c in found}
    missing = [c for c in profile.required if c.lower() not in lower]
    if missing and not empty_ok:
        raise SchemaDriftError(str(path), missing, found)


# --- mapping ------------------------------------------------------------------------------


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
        parts = []
        for item in items if isinstance(items, list) else []:
            if not isinstance(item, dict):
                continue
            city, state, country = (str(item.get(k) or "").strip() if k else "" for k in keys)
            if country.lower() in ("united states", "us", "usa"):
                country = ""
            bits = [b for b in (city, state, country) if b]
            # USAJOBS repeats the state as the city for statewide postings.
            if len(bits) >= 2 and bits[0] == bits[1]:
                bits = bits[1:]
            if bits:
                parts.append(", ".join(bits))
        return "; ".join(dict.fromkeys(parts)) or None

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


def _map(raw: _Raw, profile: Profile, path: Path, sha: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    frame = raw.frame
    rows = pd.DataFrame(index=frame.index)
    for col in TEXT_COLUMNS + NUMBER_COLUMNS + DATE_COLUMNS:
        names = profile.columns.get(col)
        rows[col] = (
            _pick(frame, names) if names else pd.Series(pd.NA, index=frame.index, dtype="string")
        )
    rows["source"] = profile.source
    if profile.json_locations:
        located = _json_locations(
            _pick(frame, [profile.json_locations["column"]]), profile.json_locations
        )
        rows["location_raw"] = rows["location_raw"].fillna(located)
    parsed = parse_locations(rows["location_raw"])
    for col in ("city", "state", "country"):
        rows[col] = rows[col].fillna(parsed[col])
    # A state column may hold full names: turn those into USPS codes.
    state_code = rows["state"].str.lower().map(_STATE_BY_NAME)
    rows["state"] = state_code.fillna(rows["state"]).astype("string")
    for col, value in profile.constants.items():
        if col in NUMBER_COLUMNS:
            rows[col] = rows[col].fillna(value)
        else:
            rows[col] = rows[col].fillna(value).astype("string")
    unreadable = pd.Series(pd.NA, index=frame.index, dtype="string")
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


def read_postings_file(path: Path | str, profile: Profile) -> PostingsBatch:
    """Read one posting file with a profile. Raises ``SourceFormatError`` for unreadable files
    (truncated gzip, bad Parquet) and ``SchemaDriftError`` when required columns are missing;
    bad records go to ``quarantine``."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(path)
    fmt, gz = _detect_format(path, profile)
    sha = sha256_file(path)
    if fmt == "parquet":
        raw = _read_parquet(path, profile)
    else:
        data = _read_bytes(path, gz)
        raw = _read_csv(path, data, profile) if fmt == "csv" else _read_jsonl(path, data, profile)
    n_blank = 0 if raw.blank_positions is None else len(raw.blank_positions)
    rows_read = len(raw.frame) - n_blank + len(raw.quarantine)
    rows, quarantine = _map(raw, profile, path, sha)
    return PostingsBatch(
        rows=rows,
        quarantine=quarantine,
        rows_read=rows_read,
        file_path=str(path),
        file_sha256=sha,
        source=profile.source,
        profile=profile.name,
        encoding=raw.encoding,
    )
