"""Compile a mapping profile into SQL: the DuckDB side of reading posting files.

Pure functions from a ``Profile`` (and the file's header) to SQL text. The reader
(``transforms.postings_duck``) runs them; nothing here touches a connection, so the
compilation is unit-tested on its own.

Only what SQL does faithfully is compiled: picking and coalescing publisher columns,
stripping and empty-to-missing, constants, the repeated-header test and the quarantine
reasons. Date parsing (pandas' ISO 8601 rules), location and salary-number parsing stay the
existing Python functions, applied to distinct values and joined back.
"""

from __future__ import annotations

from collections.abc import Sequence

from transforms.postings_profile import DATE_COLUMNS, NUMBER_COLUMNS, TEXT_COLUMNS, Profile

# What Python's str.strip()/str.split() treat as whitespace (str.isspace), so SQL trimming
# matches the pandas ``.str.strip()`` the frame reader applied.
PY_WHITESPACE = (
    " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
# The same set as an RE2 character class, for collapsing runs of whitespace.
PY_WHITESPACE_CLASS = (
    r"[ \t\n\r\x0b\x0c\x1c-\x1f\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}"
    r"\x{202f}\x{205f}\x{3000}]"
)


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def strip_expr(sql: str) -> str:
    """``sql`` stripped of Python whitespace. ``trim`` with a character set is slow, so it
    runs only on the values that start or end with whitespace (a fast anchored regex)."""
    ws = PY_WHITESPACE_CLASS
    return (
        f"case when regexp_matches({sql}, '^{ws}|{ws}$') "
        f"then trim({sql}, {quote_literal(PY_WHITESPACE)}) else {sql} end"
    )


def clean_expr(column: str) -> str:
    """The column stripped of Python whitespace, '' as NULL."""
    return f"nullif({strip_expr(quote_ident(column))}, '')"


def pick_expr(names: Sequence[str], header: Sequence[str]) -> str:
    """First non-empty of the profile's publisher columns that the file has (a name matches
    exactly, else case-insensitively), as the frame reader's ``_pick`` did; NULL if none."""
    by_lower = {c.lower(): c for c in header}
    found = []
    for name in names:
        actual = name if name in header else by_lower.get(name.lower())
        if actual is not None:
            found.append(clean_expr(actual))
    if not found:
        return "cast(null as varchar)"
    return found[0] if len(found) == 1 else f"coalesce({', '.join(found)})"


def join_expr(names: Sequence[str], header: Sequence[str]) -> str:
    """The non-empty values of the profile's publisher columns that the file has, joined by
    a blank line, in the profile's order; NULL when all are empty (as ``_join`` does)."""
    by_lower = {c.lower(): c for c in header}
    found = [
        clean_expr(name if name in header else by_lower[name.lower()])
        for name in names
        if name in header or name.lower() in by_lower
    ]
    if not found:
        return "cast(null as varchar)"
    return f"nullif(concat_ws(chr(10) || chr(10), {', '.join(found)}), '')"


def picked_columns(profile: Profile, header: Sequence[str]) -> dict[str, str]:
    """Canonical text/number/date column -> SQL expression over the publisher's columns
    (before constants, locations and parsing)."""
    out = {}
    for col in TEXT_COLUMNS + NUMBER_COLUMNS + DATE_COLUMNS:
        if col == "source":
            out[col] = quote_literal(profile.source)
            continue
        names = profile.columns.get(col)
        pick = join_expr if col in profile.joined else pick_expr
        out[col] = pick(names, header) if names else "cast(null as varchar)"
    spec = profile.json_locations
    out["_json"] = pick_expr([spec["column"]], header) if spec else "cast(null as varchar)"
    return out


def header_row_expr(header: Sequence[str]) -> str:
    """True for a header line repeated inside the file (concatenated exports): every value
    equals its column's name, ignoring case and surrounding whitespace."""
    if not header:
        return "false"
    # the cheap containment tests first: DuckDB evaluates the rest only on rows passing them
    cheap = [f"contains(lower({quote_ident(c)}), {quote_literal(c.lower())})" for c in header]
    exact = [f"lower({strip_expr(quote_ident(c))}) = {quote_literal(c.lower())}" for c in header]
    return f"coalesce({' and '.join(cheap + exact)}, false)"


def all_empty_expr(header: Sequence[str]) -> str:
    """True for a line of nothing but delimiters: not a record (as a blank line is not)."""
    return " and ".join(f"coalesce({quote_ident(c)}, '') = ''" for c in header) or "false"


def constant_expr(column: str, profile: Profile) -> str:
    """The column with the profile's constant where the file gave nothing."""
    value = profile.constants.get(column)
    ident = quote_ident(column)
    return ident if value is None else f"coalesce({ident}, {quote_literal(value)})"


def reason_expr(max_title_chars: int) -> str:
    """Every quarantine reason that applies to a mapped row, '; '-joined, in the order the
    frame reader wrote them (dates, missing posted date, title); '' for a good row. Date
    reasons come from the per-distinct-value date lookup (``posted_reason``,
    ``close_reason``); a repeated header replaces them all."""
    return f"""case when _header_row then 'repeated header row' else rtrim(concat(
        coalesce(posted_reason, ''),
        coalesce(close_reason, ''),
        case when posted_date is null and posted_reason is null
             then 'posted_date missing; ' else '' end,
        case when title_raw is null then 'title_raw missing; ' else '' end,
        case when length(title_raw) > {max_title_chars}
             then 'title_raw has ' || length(title_raw) || ' characters (at most '
                  || {max_title_chars} || '); ' else '' end
    ), '; ') end"""


def csv_options(profile: Profile, header: Sequence[str], *, gz: bool) -> str:
    """``read_csv`` options for a file whose header was read already: no sniffing (the
    sniffer gives up on files with malformed rows and reads each line as one column), every
    column text, and malformed lines stored as rejects instead of failing the read.

    ``strict_mode`` stays on: off, DuckDB silently drops the extra fields of a too-long row,
    which the loader must quarantine ("expected 6 fields, found 7"), not load truncated.
    """
    columns = ", ".join(f"{quote_literal(c)}: 'varchar'" for c in header)
    return (
        f"auto_detect = false, header = true, columns = {{{columns}}}, "
        f"delim = {quote_literal(profile.delimiter)}, quote = '\"', escape = '\"', "
        "strict_mode = true, store_rejects = true, null_padding = false, "
        "rejects_table = '_reject_errors', rejects_scan = '_reject_scans', "
        f"max_line_size = 16777216, compression = '{'gzip' if gz else 'none'}'"
    )
