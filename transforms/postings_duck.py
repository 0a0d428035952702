"""Read a posting file with DuckDB into a staged table of canonical rows (and quarantine).

The common files (UTF-8 CSV, CSV.gz, Parquet) are parsed by DuckDB straight into temporary
tables: the file is never held in Python memory. The profile is compiled to SQL
(``transforms.postings_sql``); the parsing that SQL cannot do faithfully (pandas' date
formats, locations, salary numbers) runs the frame reader's own functions on the distinct
values only (``transforms.postings_lookups``), joined back in SQL.

``stage_postings_file`` returns ``None`` for a file DuckDB cannot read faithfully (not UTF-8,
UTF-16, values spanning lines, JSON Lines); the caller then uses the frame reader
(``transforms.postings_io.read_postings_file``) for that file.

Staged tables (temporary, replaced per file): ``_canon`` with ``CANONICAL_COLUMNS`` +
``LINEAGE_COLUMNS`` and ``_canon_quarantine`` with ``QUARANTINE_COLUMNS``.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import zlib
from dataclasses import dataclass
from pathlib import Path

import duckdb

from transforms.errors import SourceFormatError
from transforms.postings_lookups import date_lookup, number_lookup, place_lookup
from transforms.postings_profile import CANONICAL_COLUMNS, LINEAGE_COLUMNS, Profile
from transforms.postings_readers import _header, _require, detect_format
from transforms.postings_sql import (
    all_empty_expr,
    constant_expr,
    csv_options,
    header_row_expr,
    picked_columns,
    quote_ident,
    quote_literal,
    reason_expr,
)

MAX_TITLE_CHARS = 500  # as transforms.postings_mapping
_CHUNK = 1 << 22


@dataclass(frozen=True)
class StagedFile:
    rows_read: int
    rows: int
    quarantined: int
    encoding: str | None


@dataclass(frozen=True)
class _Scan:
    header_text: str
    encoding: str
    blank_lines: list[int]  # 1-based physical line numbers of empty lines


def _prescan(path: Path, gz: bool) -> _Scan | None:
    """One streamed pass over the bytes: encoding, blank lines, the header's text. ``None``
    when the file is not UTF-8 (the frame reader's cp1252/latin-1/UTF-16 fallbacks apply)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    opener = gzip.open if gz else open
    head = b""
    blank: list[int] = []
    lines = 0
    previous = b"\n"  # the byte before the chunk: a file starting with '\n' has a blank line 1
    try:
        with opener(path, "rb") as handle:
            while chunk := handle.read(_CHUNK):
                if len(head) < 1 << 16:
                    head += chunk[: (1 << 16) - len(head)]
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    return None
                data = previous[-1:] + chunk
                start = data.find(b"\n\n")
                if start >= 0 or b"\n\r\n" in data:
                    blank += _blank_lines(data, lines)
                lines += chunk.count(b"\n")
                previous = chunk
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return None
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise SourceFormatError(str(path), f"truncated or corrupt gzip ({exc})") from exc
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    encoding = "utf-8-sig" if head.startswith(b"\xef\xbb\xbf") else "utf-8"
    text = head.decode("utf-8", errors="ignore").lstrip("\ufeff")
    return _Scan(text, encoding, blank)


def _blank_lines(data: bytes, lines_before: int) -> list[int]:
    """Line numbers of empty lines in ``data`` (whose first byte ends the previous line)."""
    out = []
    for number, line in enumerate(data[1:].split(b"\n"), start=lines_before + 1):
        if line in (b"", b"\r"):
            out.append(number)
    # the text after the last newline is not a line yet (or is the file's end)
    if out and out[-1] == lines_before + data[1:].count(b"\n") + 1:
        out.pop()
    return out


def stage_postings_file(
    con: duckdb.DuckDBPyConnection, path: Path, profile: Profile, sha: str
) -> StagedFile | None:
    """Stage one file as ``_canon`` and ``_canon_quarantine``; ``None`` if DuckDB cannot read
    it faithfully. Raises ``SourceFormatError``/``SchemaDriftError`` like the frame reader."""
    # Rows are numbered by their position in the file (rowid of the staged scan), so the
    # scan must keep file order; the warehouse connection turns this off for its marts.
    kept = con.execute("select current_setting('preserve_insertion_order')").fetchall()[0][0]
    con.execute("set preserve_insertion_order = true")
    try:
        return _stage(con, path, profile, sha)
    finally:
        con.execute(f"set preserve_insertion_order = {str(bool(kept)).lower()}")


def _stage(
    con: duckdb.DuckDBPyConnection, path: Path, profile: Profile, sha: str
) -> StagedFile | None:
    fmt, gz = detect_format(path, profile)
    if fmt == "csv":
        scan = _prescan(path, gz)
        if scan is None:
            return None
        # an unnamed column (a pandas index written without a name) is read as column<i>:
        # DuckDB cannot name a column or struct field ''
        header = [
            c or f"column{i}"
            for i, c in enumerate(_header(scan.header_text, profile.delimiter, path))
        ]
        _require(path, header, profile)
        options = csv_options(profile, header, gz=gz)
        # this scan's rejects only: DuckDB appends every scan's to the same tables
        con.execute("drop table if exists _reject_errors")
        con.execute("drop table if exists _reject_scans")
        con.execute(
            "create or replace temp table _src as select * from "
            f"read_csv({quote_literal(str(path))}, {options})"
        )
        if _spans_lines(con, header):
            return None  # DuckDB's line numbers count records, not lines: keep the reference
        skipped = _csv_rejects(con, profile.delimiter, len(header), scan.blank_lines)
        encoding: str | None = scan.encoding
    elif fmt == "parquet":
        try:
            con.execute(
                "create or replace temp table _src as select * exclude (file_row_number), "
                "file_row_number + 1 as _row_number from "
                f"read_parquet({quote_literal(str(path))}, file_row_number = true)"
            )
        except duckdb.Error as exc:
            raise SourceFormatError(str(path), f"unreadable Parquet ({exc})") from exc
        header = [c for c in _columns(con, "_src") if c != "_row_number"]
        _require(path, header, profile)
        _varchar_columns(con, header)
        con.execute("create or replace temp table _skipped (line bigint)")
        skipped = 0
        encoding = None
    else:
        return None
    _map(con, profile, header, path, sha, numbered=fmt == "parquet")
    rows = con.execute("select count(*) from _canon").fetchall()[0][0]
    quarantined = con.execute("select count(*) from _canon_quarantine").fetchall()[0][0]
    rows_read = con.execute("select count(*) from _mapped").fetchall()[0][0] + skipped
    return StagedFile(rows_read, rows, quarantined, encoding)


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [d[0] for d in con.execute(f"select * from {table} limit 0").description]


def _varchar_columns(con: duckdb.DuckDBPyConnection, header: list[str]) -> None:
    """Parquet columns as text, as the frame reader saw them through pandas (a float column
    keeps its repr: 85000.0)."""
    casts = ", ".join(f"cast({quote_ident(c)} as varchar) as {quote_ident(c)}" for c in header)
    con.execute(f"create or replace temp table _src as select {casts}, _row_number from _src")


def _spans_lines(con: duckdb.DuckDBPyConnection, header: list[str]) -> bool:
    newline = " or ".join(f"contains({quote_ident(c)}, chr(10))" for c in header)
    found = con.execute(
        f"select count(*) from (select 1 from _src where {newline} limit 1)"
    ).fetchall()[0][0]
    multi = con.execute(
        "select count(*) from _reject_errors where contains(trim(csv_line, chr(10) || chr(13)), chr(10))"
    ).fetchall()[0][0]
    return bool(found or multi)


def _csv_rejects(
    con: duckdb.DuckDBPyConnection, delimiter: str, width: int, blank_lines: list[int]
) -> int:
    """Quarantine rows for the lines DuckDB rejected (one per line, though ``reject_errors``
    has a row per error), and ``_skipped``: every physical line that is not a parsed row
    (rejects and blank lines), to number the parsed rows by their line in the file."""
    con.execute(
        f"""create or replace temp table _rejects as
        with errors as (
            select * from _reject_errors
        ),
        per_line as (
            select
                line,
                arg_min(error_type, column_idx) as error_type,
                arg_min(column_name, column_idx) as column_name,
                arg_min(error_message, column_idx) as error_message,
                min(try_cast(regexp_extract(error_message, 'Found: (\\d+)', 1) as int)) as found,
                any_value(trim(csv_line, chr(10) || chr(13))) as raw_record
            from errors
            group by line
        )
        select
            line - 1 as row_number,
            case when error_type in ('MISSING COLUMNS', 'TOO MANY COLUMNS')
                then 'line ' || line || ': expected {width} fields, found ' || found
                else 'line ' || line || ': column ' || coalesce(column_name, '?') || ': '
                     || error_type || ' (' || error_message || ')'
            end as reason,
            raw_record
        from per_line"""
    )
    # DuckDB stops counting a too-long row at the first extra field ("Found: 7" for 8): count
    # the fields of those few lines with the csv module, as the frame reader reported them.
    long_rows = con.execute(
        "select row_number, raw_record from _rejects "
        f"where reason like 'line % fields, found {width + 1}'"
    ).fetchall()
    for row_number, raw in long_rows:
        found = len(next(csv.reader([raw], delimiter=delimiter), []))
        con.execute(
            "update _rejects set reason = ? where row_number = ?",
            [f"line {row_number + 1}: expected {width} fields, found {found}", row_number],
        )
    con.execute("create or replace temp table _blank_lines (line bigint)")
    if blank_lines:
        con.executemany("insert into _blank_lines values (?)", [[n] for n in blank_lines])
    con.execute(
        """create or replace temp table _skipped as
        select row_number + 1 as line from _rejects
        union select line from _blank_lines"""
    )
    return con.execute("select count(*) from _rejects").fetchall()[0][0]


def _number_rows(con: duckdb.DuckDBPyConnection) -> str:
    """Line-based row numbers for the parsed rows, in file order (``rowid`` of the CSV
    table). The k-th skipped line (sorted) pushes every later row down one line: a row with
    rowid i sits on line i + 2 + (skipped lines before it), found by an as-of join."""
    return """
        with skips as (
            select line - 1 - k as first_rowid, max(k) as k
            from (select line, row_number() over (order by line) as k from _skipped)
            group by 1
        )
        select s.*, s.rowid as _rowid, s.rowid + 1 + coalesce(k, 0) as _row_number
        from _src s asof left join skips on s.rowid >= skips.first_rowid"""


def _map(
    con: duckdb.DuckDBPyConnection,
    profile: Profile,
    header: list[str],
    path: Path,
    sha: str,
    *,
    numbered: bool,
) -> None:
    picked = picked_columns(profile, header)
    numbered_sql = "select *, rowid as _rowid from _src" if numbered else _number_rows(con)
    select = ",\n".join(f"{expr} as {quote_ident(col)}" for col, expr in picked.items())
    con.execute(
        f"""create or replace temp table _picked as
        with numbered as ({numbered_sql})
        select _rowid, _row_number, {header_row_expr(header)} as _header_row, {select}
        from numbered where not ({all_empty_expr(header)})"""
    )
    place_lookup(con, profile)
    number_lookup(con, profile)
    date_lookup(con, profile)
    fields = ", ".join(
        f"{quote_ident(c)}" for c in CANONICAL_COLUMNS + LINEAGE_COLUMNS if c != "row_number"
    )
    con.execute(
        f"""create or replace temp table _mapped as
        with placed as (
            select p.* replace (
                coalesce(pl.location_raw, p.location_raw) as location_raw,
                pl.city as city, pl.state as state, pl.country as country)
            from _picked p
            left join _places pl
                on p.location_raw is not distinct from pl.key_location
                and p._json is not distinct from pl.key_json
                and p.city is not distinct from pl.key_city
                and p.state is not distinct from pl.key_state
                and p.country is not distinct from pl.key_country
        ),
        constant as (
            select * replace ({
            ", ".join(f"{constant_expr(c, profile)} as {quote_ident(c)}" for c in profile.constants)
            or "source as source"
        })
            from placed
        ),
        salaried as (
            select c.* replace (n.salary_text as salary_text, n.salary_min_raw as salary_min_raw,
                n.salary_max_raw as salary_max_raw)
            from constant c
            left join _numbers n
                on c.salary_text is not distinct from n.key_text
                and c.salary_min_raw is not distinct from n.key_min
                and c.salary_max_raw is not distinct from n.key_max
                and c.salary_period_raw is not distinct from n.key_period
                and c.currency_raw is not distinct from n.key_currency
        ),
        dated as (
            select s.* replace (pd.parsed as posted_date, cd.parsed as close_date),
                pd.precision as posted_date_precision,
                pd.reason as posted_reason, cd.reason as close_reason
            from salaried s
            left join _dates pd on s.posted_date = pd.key and pd.col = 'posted_date'
            left join _dates cd on s.close_date = cd.key and cd.col = 'close_date'
        )
        select *, {reason_expr(MAX_TITLE_CHARS)} as _reason,
            {quote_literal(str(path))} as file_path, {quote_literal(sha)} as file_sha256,
            _row_number as row_number
        from dated"""
    )
    con.execute(
        f"""create or replace temp view _canon as
        select {fields}, row_number from _mapped where _reason = ''"""
    )
    raw = _json_sql(header) if numbered else _csv_line_sql(header, profile.delimiter)
    con.execute(
        f"""create or replace temp table _canon_quarantine as
        with bad as (
            select m._rowid, m._row_number, m._reason from _mapped m where m._reason <> ''
        ),
        mapped as (
            select b._row_number as row_number, b._reason as reason, {raw} as raw_record
            from bad b join _src s on s.rowid = b._rowid
        ),
        parsed as (
            select row_number, reason, raw_record from _rejects
        )
        select {quote_literal(str(path))} as file_path, row_number, reason, raw_record
        from (select * from mapped union all {
            "select * from parsed" if not numbered else "select * from mapped where false"
        })
        order by row_number"""
    )
    # The staged rows are all in _mapped now: free the scan and the lookups (DuckDB's memory
    # limit is shared with everything after; a 10M-row file would spill for nothing).
    for table in ("_src", "_picked", "_places", "_numbers", "_dates", "_skipped", "_rejects"):
        con.execute(f"drop table if exists {table}")


def _json_sql(header: list[str]) -> str:
    fields = ", ".join(f"{quote_literal(c)}: s.{quote_ident(c)}" for c in header)
    return f"to_json({{{fields}}})::varchar"


def _csv_line_sql(header: list[str], delimiter: str) -> str:
    """A quarantined record as one CSV line (Python's csv.writer quoting: a value is quoted
    when it holds the delimiter, a quote or a line break; quotes are doubled)."""
    parts = []
    for c in header:
        v = f"coalesce(s.{quote_ident(c)}, '')"
        parts.append(
            f"case when contains({v}, {quote_literal(delimiter)}) "
            f"or regexp_matches({v}, '[\"\\r\\n]') "
            f"then '\"' || replace({v}, '\"', '\"\"') || '\"' else {v} end"
        )
    return f" || {quote_literal(delimiter)} || ".join(parts)
