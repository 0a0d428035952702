"""Shared plumbing for the official-source parsers: header matching, safe zip and xlsx reads.

Private to ``transforms.oews``, ``projections``, ``taxonomy`` and ``onet``.  Nothing here
touches the network or writes to disk: zip members are read into memory (never extracted
by name, so a hostile member name cannot escape a folder), and workbooks are read with
python-calamine from bytes or a path.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook

from transforms.errors import SchemaDriftError, SourceFormatError

# A member bigger than this is refused: the real files are a few MiB; a larger one is a
# zip bomb or not the file we think it is.
MAX_MEMBER_BYTES = 512 * 1024 * 1024

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")
# Footnote markers BLS appends to headers: "(1)", "[2]", superscript digits, "*".
_FOOTNOTE = re.compile(r"(\(\d{1,2}\)|\[\d{1,2}\]|[\u00b9\u00b2\u00b3\u2070-\u2079]+)")


def norm_header(text: object) -> str:
    """Collapse a header to a comparison key: case, whitespace, dashes and footnotes ignored.

    ``"Employment change, percent, 2024\u201334(1)"`` -> ``"employmentchangepercent202434"``.
    Only letters and digits survive, so ``"2022 NAICS US   Code"`` == ``"2022 naics us code"``.
    """
    s = unicodedata.normalize("NFKC", "" if text is None else str(text))
    s = s.translate(_DASHES)
    s = _FOOTNOTE.sub("", s)
    return re.sub(r"[^a-z0-9]+", "", s.lower())


def match_columns(
    headers: Sequence[object],
    spec: Mapping[str, Sequence[str]],
    location: str,
    *,
    optional: Iterable[str] = (),
) -> dict[str, int]:
    """Map each output column in ``spec`` to the index of the first header that matches.

    ``spec`` maps an output name to acceptable header spellings (compared via
    :func:`norm_header`); a trailing ``*`` matches by prefix, a leading one by suffix,
    both by substring.  Columns not in
    ``optional`` must be found, else :class:`SchemaDriftError` names every missing one.
    """
    keys = [norm_header(h) for h in headers]
    optional = set(optional)
    found: dict[str, int] = {}
    missing: list[str] = []
    for out, spellings in spec.items():
        idx = _find(keys, spellings)
        if idx is None:
            if out not in optional:
                missing.append(spellings[0].strip("*"))
        else:
            found[out] = idx
    if missing:
        raise SchemaDriftError(location, missing, [str(h) for h in headers if h not in (None, "")])
    return found


def _find(keys: list[str], spellings: Sequence[str]) -> int | None:
    for spelling in spellings:
        prefix, suffix = spelling.endswith("*"), spelling.startswith("*")
        want = norm_header(spelling.strip("*"))
        for i, k in enumerate(keys):
            if not want:
                continue
            if prefix and suffix:
                hit = want in k
            elif prefix:
                hit = k.startswith(want)
            elif suffix:
                hit = k.endswith(want)
            else:
                hit = k == want
            if hit:
                return i
    return None


def open_zip(path: Path, location: str) -> zipfile.ZipFile:
    """Open ``path`` as a zip, turning "not a zip"/"truncated" into :class:`SourceFormatError`."""
    try:
        return zipfile.ZipFile(path)
    except FileNotFoundError:
        raise
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise SourceFormatError(location, f"not a readable zip archive ({exc})") from exc


def read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, location: str) -> bytes:
    """Read one member into memory, with a size cap and CRC/truncation errors mapped."""
    where = f"{location} [{info.filename}]"
    if info.file_size > MAX_MEMBER_BYTES:
        raise SourceFormatError(where, f"member is {info.file_size} bytes, over the cap")
    try:
        return zf.read(info)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise SourceFormatError(where, f"cannot read zip member ({exc})") from exc


def member_basename(name: str) -> str:
    """Last path component of a zip member name (either slash style)."""
    return name.replace("\\", "/").rsplit("/", 1)[-1]


def load_workbook(source: Path | bytes, location: str) -> CalamineWorkbook:
    """Open an xlsx from a path or in-memory bytes; corrupt files -> SourceFormatError."""
    try:
        if isinstance(source, bytes | bytearray):
            import io

            return CalamineWorkbook.from_filelike(io.BytesIO(source))
        return CalamineWorkbook.from_path(str(source))
    except FileNotFoundError:
        raise
    except (CalamineError, OSError, ValueError, TypeError) as exc:
        raise SourceFormatError(location, f"not a readable xlsx workbook ({exc})") from exc
    except Exception as exc:  # calamine raises its own zip/xml error types
        raise SourceFormatError(location, f"not a readable xlsx workbook ({exc})") from exc


def sheet_rows(wb: CalamineWorkbook, sheet: str, location: str) -> list[list[Any]]:
    """All rows of ``sheet`` as Python values (calamine's typed cells, empty -> '')."""
    try:
        return wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    except Exception as exc:
        raise SourceFormatError(f"{location} [{sheet}]", f"cannot read sheet ({exc})") from exc


def find_header_row(
    rows: Sequence[Sequence[Any]],
    predicate: Callable[[list[str]], bool],
    location: str,
    *,
    limit: int = 40,
    what: str = "header row",
    anchors: Sequence[str] = (),
) -> int:
    """Index of the first of the top ``limit`` rows whose normalised cells satisfy ``predicate``.

    Official workbooks put a title block above the header; its height changes between
    editions, so the header is found by content rather than position. ``anchors`` names the
    columns the predicate looks for: when no row qualifies, the most header-like row (the
    most text cells) is taken as the header and the anchors it lacks are named, since a
    renamed anchor column is schema drift, not a missing header.
    """
    top = rows[:limit]
    for i, row in enumerate(top):
        if predicate([norm_header(c) for c in row]):
            return i
    if anchors and top:
        best = max(range(len(top)), key=lambda i: sum(bool(cell_text(c)) for c in top[i]))
        keys = [norm_header(c) for c in top[best]]
        missing = [a for a in anchors if not any(norm_header(a) in k for k in keys)]
        if missing and sum(bool(k) for k in keys) >= 3:
            raise SchemaDriftError(location, missing, [cell_text(c) for c in top[best]])
    raise SourceFormatError(location, f"no {what} found in the first {limit} rows")


def cell_text(value: Any) -> str:
    """A cell as trimmed text: floats that are whole print without '.0' (codes typed as numbers)."""
    if value is None:
        return ""
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, bool):
        return str(value)
    return str(value).strip()
