"""BLS Employment Projections ``occupation.xlsx``, table 1.2 -> one DataFrame.

Table 1.2 ("Occupational projections, 2024-34, and worker characteristics, 2024") lists
every National Employment Matrix occupation: summary rows (major/minor/broad groups,
indented titles) and line items (detailed occupations, 832 in the 2024-34 edition).

Grain: one row per matrix code as published, summaries included (filter on
``occupation_type``).  Footnote, note and source rows below the table are dropped.

Columns, in order:

- ``projection_period`` ('2024-34', from the headers), ``base_year``, ``projected_year`` (Int64)
- ``soc_code`` ('11-9111'; '00-0000' is the all-occupations total), ``title`` (indentation
  stripped), ``occupation_type`` ('line_item' or 'summary')
- ``employment_base``, ``employment_projected`` (thousands, as published),
  ``employment_dist_pct_base``, ``employment_dist_pct_projected``,
  ``employment_change`` (thousands), ``employment_change_pct``, ``self_employed_pct``,
  ``annual_openings`` (thousands per year, average over the period),
  ``median_annual_wage`` (dollars) -- all Float64
- ``median_wage_top_coded`` (bool: published as '>=$239,200'; the wage is then NULL)
- ``typical_education``, ``work_experience``, ``on_the_job_training`` (text)

``—`` (not available) is NULL everywhere; it is the published value for the education
and training columns of summary rows.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from transforms._official import (
    cell_text,
    find_header_row,
    load_workbook,
    match_columns,
    norm_header,
    sheet_rows,
)
from transforms.errors import SchemaDriftError, SourceFormatError

__all__ = ["PROJECTION_COLUMNS", "read_occupation_projections"]

NUMERIC = [
    "employment_base",
    "employment_projected",
    "employment_dist_pct_base",
    "employment_dist_pct_projected",
    "employment_change",
    "employment_change_pct",
    "self_employed_pct",
    "annual_openings",
    "median_annual_wage",
]
PROJECTION_COLUMNS = [
    "projection_period",
    "base_year",
    "projected_year",
    "soc_code",
    "title",
    "occupation_type",
    *NUMERIC,
    "median_wage_top_coded",
    "typical_education",
    "work_experience",
    "on_the_job_training",
]

_SHEET = re.compile(r"^\s*table\s*1\.2(?!\d)", re.IGNORECASE)
_PERIOD = re.compile(r"(\d{4})\s*-\s*(\d{2,4})")
_SOC = re.compile(r"^[0-9]{2}-[0-9]{4}$")  # ASCII only: \d matches any script
_NA = {"\u2014", "\u2013", "-", "--", "n/a", "NA", ""}  # '—' is the published n/a
_TOP_CODED = re.compile(r"^>=?\s*\$?\s*[\d,]+(\.\d+)?$")
_TYPES = {"lineitem": "line_item", "summary": "summary"}


def read_occupation_projections(path: Path, location: str | None = None) -> pd.DataFrame:
    """Parse table 1.2 of ``occupation.xlsx`` at ``path`` (see module doc for columns).

    Raises SourceFormatError when the sheet is missing or a cell is not what the column
    holds (naming sheet, row and column), SchemaDriftError when headers are missing.
    """
    location = location or str(path)
    wb = load_workbook(Path(path), location)
    sheet = next((s for s in wb.sheet_names if _SHEET.match(s)), None)
    if sheet is None:
        raise SourceFormatError(location, f"no 'Table 1.2' sheet (sheets: {wb.sheet_names})")
    where = f"{location} [{sheet}]"
    rows = sheet_rows(wb, sheet, where)
    h = find_header_row(
        rows,
        lambda keys: any(k.endswith("matrixcode") for k in keys) and "occupationtype" in keys,
        where,
        anchors=("National Employment Matrix code", "Occupation type"),
    )
    header = [cell_text(c) for c in rows[h]]
    base, projected = _period(header, where)
    p2 = f"{projected % 100:02d}"
    spec = {
        "title": ("*National Employment Matrix title", "Title"),
        "soc_code": ("*National Employment Matrix code", "Code"),
        "occupation_type": ("Occupation type",),
        "employment_base": (f"Employment, {base}",),
        "employment_projected": (f"Employment, {projected}",),
        "employment_dist_pct_base": (f"Employment distribution, percent, {base}",),
        "employment_dist_pct_projected": (f"Employment distribution, percent, {projected}",),
        "employment_change": (f"Employment change, numeric, {base}-{p2}",),
        "employment_change_pct": (f"Employment change, percent, {base}-{p2}",),
        "self_employed_pct": ("Percent self employed*",),
        "annual_openings": (f"Occupational openings, {base}-{p2}*", "*openings*"),
        "median_annual_wage": ("Median annual wage*",),
        "typical_education": ("Typical education needed for entry", "*education*"),
        "work_experience": ("Work experience in a related occupation", "Work experience*"),
        "on_the_job_training": ("Typical on-the-job training*", "*on-the-job training*"),
    }
    optional = {"employment_dist_pct_base", "employment_dist_pct_projected", "self_employed_pct"}
    cols = match_columns(header, spec, where, optional=optional)
    body = _data_rows(rows[h + 1 :], cols["soc_code"], where, h + 2)
    n = len(body)

    def column(out: str) -> list[Any]:
        j = cols.get(out)
        return [r[j] if j is not None and j < len(r) else "" for r, _ in body]

    df = pd.DataFrame(index=pd.RangeIndex(n))
    df["projection_period"] = pd.Series([f"{base}-{p2}"] * n, dtype="string")
    df["base_year"] = pd.Series([base] * n, dtype="Int64")
    df["projected_year"] = pd.Series([projected] * n, dtype="Int64")
    df["soc_code"] = pd.Series([cell_text(v) for v in column("soc_code")], dtype="string")
    df["title"] = pd.Series([cell_text(v) for v in column("title")], dtype="string")
    types = [norm_header(v) for v in column("occupation_type")]
    for i, t in enumerate(types):
        if t not in _TYPES:
            raise SourceFormatError(
                where,
                f"unknown occupation type {column('occupation_type')[i]!r}",
                row=body[i][1],
                column=header[cols["occupation_type"]],
            )
    df["occupation_type"] = pd.Series([_TYPES[t] for t in types], dtype="string")

    top_coded = np.zeros(n, dtype=bool)
    for out in NUMERIC:
        label = header[cols[out]] if out in cols else out
        values, flags = _numbers(column(out), [r for _, r in body], where, label, out)
        df[out] = values
        if out == "median_annual_wage":
            top_coded = flags
    df["median_wage_top_coded"] = top_coded
    for out in ("typical_education", "work_experience", "on_the_job_training"):
        text = pd.Series([cell_text(v) for v in column(out)], dtype="string")
        df[out] = text.mask(text.isin(_NA))
    return df[PROJECTION_COLUMNS]


def _period(header: list[str], where: str) -> tuple[int, int]:
    # The percent-change header carries the period: "Employment change, percent, 2024–34".
    for text in header:
        key = norm_header(text)
        if key.startswith("employmentchangepercent"):
            m = _PERIOD.search(text.replace("\u2013", "-").replace("\u2014", "-"))
            if m:
                base = int(m.group(1))
                tail = m.group(2)
                projected = int(tail) if len(tail) == 4 else base // 100 * 100 + int(tail)
                if projected < base:
                    projected += 100
                return base, projected
    raise SchemaDriftError(where, ["Employment change, percent, YYYY-YY"], header)


def _data_rows(
    rows: list[list[Any]], code_idx: int, where: str, first_row: int
) -> list[tuple[list[Any], int]]:
    """(row, spreadsheet row number) for each table row; notes below the table dropped.

    The table ends at the first row without a matrix code; what follows (footnotes, the
    n/a note, the source line) is not data.  A coded row after that point, or a code that
    is not a SOC-style code, is an error: silently dropping it would lose an occupation.
    """
    out: list[tuple[list[Any], int]] = []
    ended = False
    for offset, row in enumerate(rows):
        rownum = first_row + offset
        code = cell_text(row[code_idx]) if code_idx < len(row) else ""
        if not code:
            ended = True
        elif ended or not _SOC.match(code):
            reason = "coded row below the table's notes" if ended else "not a matrix code"
            raise SourceFormatError(where, f"{reason}: {code!r}", row=rownum, column="code")
        else:
            out.append((row, rownum))
    if not out:
        raise SourceFormatError(where, "table has no data rows")
    return out


def _numbers(
    values: list[Any], rownums: list[int], where: str, label: str, out: str
) -> tuple[pd.Series, np.ndarray]:
    """Float64 values; '—' -> NULL; '>=$239,200' -> NULL + top-coded flag (wage only)."""
    nums = np.full(len(values), np.nan)
    isna = np.zeros(len(values), dtype=bool)
    flags = np.zeros(len(values), dtype=bool)
    for i, v in enumerate(values):
        if isinstance(v, int | float) and not isinstance(v, bool):
            nums[i] = float(v)
            continue
        text = cell_text(v)
        if text in _NA:
            isna[i] = True
        elif out == "median_annual_wage" and _TOP_CODED.match(text):
            isna[i] = flags[i] = True
        else:
            try:
                nums[i] = float(text.replace(",", ""))
            except ValueError:
                raise SourceFormatError(
                    where, f"expected a number or '\u2014', got {v!r}", row=rownums[i], column=label
                ) from None
    series = pd.Series(nums, dtype="Float64")
    return series.mask(isna), flags
