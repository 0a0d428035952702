"""Read a posting file's bytes into publisher records (CSV, CSV.gz, JSON Lines, Parquet).

Each reader returns ``RawRecords``: the records that parsed, their line numbers, and a
quarantine row (with a reason) for each record that did not; mapping them onto canonical
columns is ``transforms.postings_mapping``.

``row_number`` is the 1-based line number of the record's first line counted from the line
after the header (so it equals the record's position whenever no value spans several lines);
for Parquet it is the row index + 1.

CSV parsing runs in pyarrow (C++); Python only touches the lines pyarrow rejects, plus a
pure-Python fallback for the rare file whose quoted values contain newlines.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from transforms.errors import SchemaDriftError, SourceFormatError
from transforms.postings_profile import Profile


@dataclass
class RawRecords:
    """Publisher records before mapping: all rows that parsed, their line numbers, and the
    quarantine from parsing."""

    frame: pd.DataFrame
    row_numbers: np.ndarray
    raw_text: Callable[[int], str]  # position in frame -> raw record text
    quarantine: list[tuple[int, str, str]]  # (row_number, reason, raw)
    encoding: str | None = None
    blank_positions: np.ndarray | None = None


# --- reading bytes -------------------------------------------------------------------------


def detect_format(path: Path, profile: Profile) -> tuple[str, bool]:
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


def read_bytes(path: Path, gz: bool) -> bytes:
    try:
        if gz:
            with gzip.open(path, "rb") as handle:
                return handle.read()
        return path.read_bytes()
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise SourceFormatError(str(path), f"truncated or corrupt gzip ({exc})") from exc


def decode(data: bytes) -> tuple[bytes, str, str]:
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


def read_csv(path: Path, data: bytes, profile: Profile) -> RawRecords:
    utf8, text, encoding = decode(data)
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

    return RawRecords(frame, lines - 1, raw_text, quarantine, encoding, np.nonzero(blank)[0])


def _read_csv_python(
    path: Path, text: str, names: list[str], profile: Profile, encoding: str, *, reason: str
) -> RawRecords:
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

    return RawRecords(frame, np.asarray(numbers, dtype=np.int64), raw_text, quarantine, encoding)


# --- JSON Lines and Parquet -----------------------------------------------------------------


def read_jsonl(path: Path, data: bytes, profile: Profile) -> RawRecords:
    _, text, encoding = decode(data)
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
    return RawRecords(
        frame, np.asarray(numbers, dtype=np.int64), lines.__getitem__, quarantine, encoding
    )


def read_parquet(path: Path, profile: Profile) -> RawRecords:
    try:
        table = pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise SourceFormatError(str(path), f"unreadable Parquet ({exc})") from exc
    frame = table.to_pandas()
    _require(path, list(frame.columns), profile)

    def raw_text(pos: int) -> str:
        return json.dumps(frame.iloc[pos].to_dict(), default=str)

    return RawRecords(frame, np.arange(1, len(frame) + 1, dtype=np.int64), raw_text, [])


def _require(path: Path, found: list[str], profile: Profile, *, empty_ok: bool = False) -> None:
    lower = {c.lower() for c in found}
    missing = [c for c in profile.required if c.lower() not in lower]
    if missing and not empty_ok:
        raise SchemaDriftError(str(path), missing, found)
