"""Occupation and industry taxonomies (SOC 2018, O*NET-SOC crosswalk, NAICS) and code helpers.

Readers (each returns one DataFrame; all codes are strings):

- :func:`read_soc_structure` -- ``soc_structure_2018.xlsx``; one row per SOC group or
  occupation: ``soc_code, soc_title, level ('major'|'minor'|'broad'|'detailed'),
  major_code, minor_code, broad_code``.  Parent codes are ancestor-or-self (a broad row's
  ``broad_code`` is its own code; finer levels are NULL), taken from the file's hierarchy
  because minor groups such as 15-1200 cannot be derived from digits alone.
- :func:`read_soc_definitions` -- ``soc_2018_definitions.xlsx``; ``soc_code, soc_title,
  definition`` (definition NULL for groups).
- :func:`read_naics_codes` -- ``2-6 digit_2022_Codes.xlsx``; ``naics_code ('31-33' kept as
  published), naics_title, level (Int64 2..6; ranges are 2), sector_code``.
- :func:`read_soc_onet_crosswalk` -- ``soc_2019_onet_crosswalk.xlsx``; ``onet_soc_code,
  onet_title, soc_code, soc_title`` (one row per O*NET-SOC occupation).
- :func:`read_soc_direct_match_titles` -- ``soc_2018_direct_match_title_file.xlsx``;
  ``soc_code, soc_title, direct_match_title, illustrative`` (one row per direct match
  title; ``illustrative`` is True where the "Illustrative Example" column is marked 'x').

Code helpers never raise on bad input; they return None.

Sector codes (:func:`naics_sector`): NAICS writes three sectors as ranges -- 31-33
Manufacturing, 44-45 Retail Trade, 48-49 Transportation and Warehousing.  Any code whose
first two digits fall in a range maps to the range.  OEWS industry files write those
sectors as '31', '44', '48' (and industries as '311000', '3250A1', ...), which map the same
way.  OEWS also uses '99' (and '999100' federal, '999200' state, '999300' local government,
'999000' ...) for "Federal, State, and Local Government, excluding state and local schools
and hospitals and the U.S. Postal Service (OEWS designation)"; that is not NAICS sector 92
(Public Administration), so it maps to '99', its own sector.  '000000' (OEWS
cross-industry) has no sector: None.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from transforms._official import (
    cell_text,
    find_header_row,
    load_workbook,
    match_columns,
    sheet_rows,
)
from transforms.errors import SourceFormatError

__all__ = [
    "NAICS_SECTORS",
    "naics_sector",
    "parse_naics_code",
    "parse_onet_soc_code",
    "parse_soc_code",
    "read_naics_codes",
    "read_soc_definitions",
    "read_soc_direct_match_titles",
    "read_soc_onet_crosswalk",
    "read_soc_structure",
]

# NAICS 2022 sectors (2-digit or range) -> title.  Used to validate codes.
NAICS_SECTORS: dict[str, str] = {
    "11": "Agriculture, Forestry, Fishing and Hunting",
    "21": "Mining, Quarrying, and Oil and Gas Extraction",
    "22": "Utilities",
    "23": "Construction",
    "31-33": "Manufacturing",
    "42": "Wholesale Trade",
    "44-45": "Retail Trade",
    "48-49": "Transportation and Warehousing",
    "51": "Information",
    "52": "Finance and Insurance",
    "53": "Real Estate and Rental and Leasing",
    "54": "Professional, Scientific, and Technical Services",
    "55": "Management of Companies and Enterprises",
    "56": "Administrative and Support and Waste Management and Remediation Services",
    "61": "Educational Services",
    "62": "Health Care and Social Assistance",
    "71": "Arts, Entertainment, and Recreation",
    "72": "Accommodation and Food Services",
    "81": "Other Services (except Public Administration)",
    "92": "Public Administration",
}
_TWO_TO_SECTOR: dict[str, str] = {}
for _s in NAICS_SECTORS:
    if "-" in _s:
        lo, hi = (int(x) for x in _s.split("-"))
        _TWO_TO_SECTOR.update({str(d): _s for d in range(lo, hi + 1)})
    else:
        _TWO_TO_SECTOR[_s] = _s
OEWS_GOVERNMENT = "99"

_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2212"})
# [0-9], not \d: \d also matches Arabic-Indic, fullwidth, ... digits, which would make
# codes that never join to the ASCII codes in the reference tables.
_SOC_RE = re.compile(r"^([0-9]{2})[-\s]?([0-9]{4})(?:\.[0-9]{2})?$")
_ONET_RE = re.compile(r"^([0-9]{2})[-\s]?([0-9]{4})\.([0-9]{2})$")
_NAICS_RE = re.compile(r"^[0-9]{2,6}$")
_RANGE_RE = re.compile(r"^([0-9]{2})\s*-\s*([0-9]{2})$")
_OEWS_INDUSTRY_RE = re.compile(r"^[0-9]{2}[0-9A-Z]{0,4}$")
_YEAR = re.compile(r"(?:19|20)\d\d")
# Census marks titles of industries that are US-specific with a trailing superscript 'T'
# (rendered as a plain 'T' glued to the title): "Soybean FarmingT".
_TITLE_T = re.compile(r"(?<=[a-z)])T\s*$")
_LEVELS = ("major", "minor", "broad", "detailed")


def _code_text(text: object) -> str:
    if text is None or isinstance(text, bool):
        return ""
    if isinstance(text, float | int):
        return cell_text(text)
    return str(text).strip().translate(_DASHES)


def parse_soc_code(text: object) -> str | None:
    """'11-9111', '119111', '11 9111', '11-9111.00' (O*NET) -> '11-9111'; otherwise None."""
    m = _SOC_RE.match(_code_text(text))
    return f"{m.group(1)}-{m.group(2)}" if m else None


def parse_onet_soc_code(text: object) -> str | None:
    """'11-9111.00' (also '119111.00') -> '11-9111.00'; a bare SOC code or junk -> None."""
    m = _ONET_RE.match(_code_text(text))
    return f"{m.group(1)}-{m.group(2)}.{m.group(3)}" if m else None


def parse_naics_code(text: object) -> str | None:
    """A NAICS code (2-6 digits in a real sector) or published range ('31-33') else None.

    Numeric cells (11.0) are accepted.  OEWS-only codes ('000000', '99', '3250A1') are not
    NAICS and return None.
    """
    s = _code_text(text)
    m = _RANGE_RE.match(s)
    if m:
        rng = f"{m.group(1)}-{m.group(2)}"
        return rng if rng in NAICS_SECTORS else None
    if _NAICS_RE.match(s) and s[:2] in _TWO_TO_SECTOR:
        return s
    return None


def naics_sector(code: object) -> str | None:
    """Sector of a NAICS or OEWS industry code (see module doc for the mapping).

    '622110' -> '62', '311111' -> '31-33', '44'/'45' -> '44-45', '31-33' -> '31-33',
    OEWS '99'/'999200' -> '99', '000000' or junk -> None.
    """
    s = _code_text(code)
    m = _RANGE_RE.match(s)
    if m:
        rng = f"{m.group(1)}-{m.group(2)}"
        return rng if rng in NAICS_SECTORS else None
    if not _OEWS_INDUSTRY_RE.match(s):
        return None
    if s[:2] == OEWS_GOVERNMENT:
        return OEWS_GOVERNMENT
    return _TWO_TO_SECTOR.get(s[:2])


def _dated(header: list[Any]) -> list[str]:
    # Headers embed the edition year ("2022 NAICS US   Code", "O*NET-SOC 2019 Code");
    # dropping 4-digit years lets one spec serve every edition.
    return [_YEAR.sub("", cell_text(h)) for h in header]


def _sheet_with_header(
    path: Path, location: str, required: set[str]
) -> tuple[str, list[list[Any]], int]:
    """First sheet whose top rows contain all ``required`` normalised, year-free headers."""
    wb = load_workbook(Path(path), location)

    def is_header(keys: list[str]) -> bool:
        return required <= {_YEAR.sub("", k) for k in keys}

    for name in wb.sheet_names:
        rows = sheet_rows(wb, name, location)
        try:
            return name, rows, find_header_row(rows, is_header, location, limit=30)
        except SourceFormatError:
            continue
    raise SourceFormatError(
        location, f"no sheet has a header row with {sorted(required)} (sheets: {wb.sheet_names})"
    )


def _cells(rows: list[list[Any]], idx: int) -> list[str]:
    return [cell_text(r[idx]) if idx < len(r) else "" for r in rows]


def read_soc_structure(path: Path, location: str | None = None) -> pd.DataFrame:
    """SOC hierarchy, one row per group/occupation in file order (see module doc)."""
    location = location or str(path)
    sheet, rows, h = _sheet_with_header(path, location, {"majorgroup", "detailedoccupation"})
    where = f"{location} [{sheet}]"
    spec = {
        "major": ("Major Group",),
        "minor": ("Minor Group",),
        "broad": ("Broad Group",),
        "detailed": ("Detailed Occupation",),
    }
    cols = match_columns(_dated(rows[h]), spec, where)
    # The title sits in the first column to the right of the four code columns.
    title_idx = max(cols.values()) + 1
    records: list[dict[str, Any]] = []
    parents: dict[str, str | None] = dict.fromkeys(_LEVELS)
    for offset, row in enumerate(rows[h + 1 :]):
        rownum = h + 2 + offset
        present = [(lvl, cell_text(row[cols[lvl]])) for lvl in _LEVELS if cols[lvl] < len(row)]
        present = [(lvl, c) for lvl, c in present if c]
        title = cell_text(row[title_idx]) if title_idx < len(row) else ""
        if not present:
            if title:
                raise SourceFormatError(where, f"title without a code: {title!r}", row=rownum)
            continue  # blank spacer row
        if len(present) > 1:
            raise SourceFormatError(where, f"several codes in one row: {present}", row=rownum)
        level, raw = present[0]
        code = parse_soc_code(raw)
        if code is None:
            raise SourceFormatError(where, f"not a SOC code: {raw!r}", row=rownum, column=level)
        depth = _LEVELS.index(level)
        parents[level] = code
        for finer in _LEVELS[depth + 1 :]:
            parents[finer] = None
        for coarser in _LEVELS[:depth]:
            parent = parents[coarser]
            # Every row must sit under a parent of the same major group.
            if parent is None or parent[:2] != code[:2]:
                raise SourceFormatError(
                    where, f"{level} {code} has no enclosing {coarser} group", row=rownum
                )
        records.append(
            {
                "soc_code": code,
                "soc_title": title or None,
                "level": level,
                "major_code": parents["major"],
                "minor_code": parents["minor"],
                "broad_code": parents["broad"],
            }
        )
    if not records:
        raise SourceFormatError(where, "no SOC rows below the header")
    return pd.DataFrame.from_records(records).astype("string")


def read_soc_definitions(path: Path, location: str | None = None) -> pd.DataFrame:
    """SOC titles and definitions: ``soc_code, soc_title, definition`` in file order."""
    location = location or str(path)
    sheet, rows, h = _sheet_with_header(path, location, {"soccode", "socdefinition"})
    where = f"{location} [{sheet}]"
    spec = {
        "soc_code": ("SOC Code",),
        "soc_title": ("SOC Title",),
        "definition": ("SOC Definition",),
    }
    cols = match_columns(_dated(rows[h]), spec, where)
    body = rows[h + 1 :]
    codes = _cells(body, cols["soc_code"])
    out: dict[str, list[str | None]] = {k: [] for k in spec}
    for offset, raw in enumerate(codes):
        row = body[offset]
        if not raw:
            if any(cell_text(c) for c in row):
                raise SourceFormatError(
                    where, "row without a SOC code", row=h + 2 + offset, column="SOC Code"
                )
            continue
        code = parse_soc_code(raw)
        if code is None:
            raise SourceFormatError(
                where, f"not a SOC code: {raw!r}", row=h + 2 + offset, column="SOC Code"
            )
        out["soc_code"].append(code)
        for k in ("soc_title", "definition"):
            text = cell_text(row[cols[k]]) if cols[k] < len(row) else ""
            out[k].append(text or None)
    return pd.DataFrame(out, dtype="string")


def read_naics_codes(path: Path, location: str | None = None) -> pd.DataFrame:
    """NAICS codes 2-6 digits: ``naics_code, naics_title, level, sector_code`` in file order."""
    location = location or str(path)
    sheet, rows, h = _sheet_with_header(path, location, {"naicsuscode"})
    where = f"{location} [{sheet}]"
    spec = {"naics_code": ("NAICS US Code",), "naics_title": ("NAICS US Title",)}
    cols = match_columns(_dated(rows[h]), spec, where)
    codes: list[str] = []
    titles: list[str | None] = []
    for offset, row in enumerate(rows[h + 1 :]):
        raw = row[cols["naics_code"]] if cols["naics_code"] < len(row) else ""
        title = cell_text(row[cols["naics_title"]]) if cols["naics_title"] < len(row) else ""
        if cell_text(raw) == "" and not title:
            continue
        code = parse_naics_code(raw)
        if code is None:
            raise SourceFormatError(
                where,
                f"not a NAICS code: {raw!r}",
                row=h + 2 + offset,
                column=cell_text(rows[h][cols["naics_code"]]),
            )
        codes.append(code)
        titles.append(_TITLE_T.sub("", title).strip() or None)
    df = pd.DataFrame({"naics_code": codes, "naics_title": titles}, dtype="string")
    df["level"] = pd.Series([2 if "-" in c else len(c) for c in codes], dtype="Int64")
    df["sector_code"] = pd.Series([naics_sector(c) for c in codes], dtype="string")
    return df


def read_soc_onet_crosswalk(path: Path, location: str | None = None) -> pd.DataFrame:
    """O*NET-SOC -> SOC 2018: ``onet_soc_code, onet_title, soc_code, soc_title``."""
    location = location or str(path)
    sheet, rows, h = _sheet_with_header(path, location, {"onetsoccode", "soccode"})
    where = f"{location} [{sheet}]"
    spec = {
        "onet_soc_code": ("O*NET-SOC Code",),
        "onet_title": ("O*NET-SOC Title",),
        "soc_code": ("SOC Code",),
        "soc_title": ("SOC Title",),
    }
    cols = match_columns(_dated(rows[h]), spec, where)
    out: dict[str, list[str | None]] = {k: [] for k in spec}
    for offset, row in enumerate(rows[h + 1 :]):
        cells = {k: cell_text(row[j]) if j < len(row) else "" for k, j in cols.items()}
        if not any(cells.values()):
            continue
        rownum = h + 2 + offset
        onet = parse_onet_soc_code(cells["onet_soc_code"])
        soc = parse_soc_code(cells["soc_code"])
        if onet is None or soc is None:
            bad = "onet_soc_code" if onet is None else "soc_code"
            raise SourceFormatError(where, f"bad code {cells[bad]!r}", row=rownum, column=bad)
        out["onet_soc_code"].append(onet)
        out["soc_code"].append(soc)
        out["onet_title"].append(cells["onet_title"] or None)
        out["soc_title"].append(cells["soc_title"] or None)
    return pd.DataFrame(out, dtype="string")


# The "Illustrative Example" column marks titles with 'x' (a few with 'X'); blank is False.
_ILLUSTRATIVE = {"": False, "x": True}


def read_soc_direct_match_titles(path: Path, location: str | None = None) -> pd.DataFrame:
    """SOC direct match titles: ``soc_code, soc_title, direct_match_title, illustrative``.

    One row per published title, in file order.  A row with no code, a bad code, no title
    or an unknown illustrative marker is an error naming the row; blank rows are skipped.
    """
    location = location or str(path)
    sheet, rows, h = _sheet_with_header(path, location, {"soccode", "socdirectmatchtitle"})
    where = f"{location} [{sheet}]"
    spec = {
        "soc_code": ("SOC Code",),
        "soc_title": ("SOC Title",),
        "direct_match_title": ("SOC Direct Match Title",),
        "illustrative": ("Illustrative Example",),
    }
    cols = match_columns(_dated(rows[h]), spec, where)
    published = {k: cell_text(rows[h][j]) for k, j in cols.items()}
    out: dict[str, list[Any]] = {k: [] for k in spec}
    for offset, row in enumerate(rows[h + 1 :]):
        cells = {k: cell_text(row[j]) if j < len(row) else "" for k, j in cols.items()}
        if not any(cells.values()):
            continue
        rownum = h + 2 + offset
        code = parse_soc_code(cells["soc_code"])
        if code is None:
            raise SourceFormatError(
                where,
                f"not a SOC code: {cells['soc_code']!r}",
                row=rownum,
                column=published["soc_code"],
            )
        if not cells["direct_match_title"]:
            raise SourceFormatError(
                where,
                f"empty direct match title for {code}",
                row=rownum,
                column=published["direct_match_title"],
            )
        marker = cells["illustrative"].lower()
        if marker not in _ILLUSTRATIVE:
            raise SourceFormatError(
                where,
                f"illustrative marker is {cells['illustrative']!r}, expected 'x' or blank",
                row=rownum,
                column=published["illustrative"],
            )
        out["soc_code"].append(code)
        out["soc_title"].append(cells["soc_title"] or None)
        out["direct_match_title"].append(cells["direct_match_title"])
        out["illustrative"].append(_ILLUSTRATIVE[marker])
    if not out["soc_code"]:
        raise SourceFormatError(where, "no direct match titles below the header")
    df = pd.DataFrame({k: out[k] for k in spec if k != "illustrative"}, dtype="string")
    df["illustrative"] = pd.Series(out["illustrative"], dtype="boolean")
    return df
