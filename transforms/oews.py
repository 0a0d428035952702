"""BLS OEWS national industry-specific estimates (``oesm{YY}in4.zip``) -> one DataFrame.

Grain: one row per (release, source member, industry, occupation) exactly as published;
rows are never dropped or aggregated.  The archive holds ``oesm{YY}in4/nat{sector,3d,4d,
5d,6d,...}_M20YY_dl.xlsx``; every such member present is read (in memory) and each row is
tagged with ``source_member`` (the member's full name in the zip).

Columns, in order:

- ``release`` ('M2024', from the member name), ``source_member``
- ``naics_code`` (text as published: '62', '31' -- OEWS's own code for the 31-33 sector, see
  :func:`transforms.taxonomy.naics_sector` --, '000000' cross-industry, '6211A0'),
  ``naics_title``, ``i_group`` ('sector', 'cross-industry', '3-digit', ...)
- ``soc_code`` ('11-9111'), ``occ_title``, ``o_group`` ('total', 'major', ..., 'detailed')
- ``tot_emp`` (Int64), ``emp_prse``, ``pct_total`` (Float64)
- ``h_mean``, ``a_mean``, ``h_pct10``, ``h_pct25``, ``h_median``, ``h_pct75``, ``h_pct90``,
  ``a_pct10``, ``a_pct25``, ``a_median``, ``a_pct75``, ``a_pct90`` (Float64, dollars)
- ``annual_only``, ``hourly_only`` (bool: BLS publishes only annual / only hourly wages)
- ``emp_suppressed`` (bool: ``**`` -- employment not released; tot_emp, emp_prse and
  pct_total are then NULL)
- ``wage_not_available`` (bool: ``*`` in at least one wage cell)
- ``wage_top_coded`` (bool: ``#`` in at least one wage cell, i.e. the wage is at or above
  the top of the published scale, $115.00/hr or $239,200/yr in 2024)
- ``wage_markers`` (string: every wage cell that is NULL, as ``'h_pct90=#;a_pct90=#'``;
  NULL when all wage cells are numbers).  This keeps per-cell fidelity: a NULL wage cell
  is always listed here with its marker.

Numbers are the published cell values (the xlsx stores doubles; they are not rounded or
rescaled).  Markers never become zeros.
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
    member_basename,
    open_zip,
    read_member,
    sheet_rows,
)
from transforms.errors import SourceFormatError

__all__ = ["OEWS_COLUMNS", "oews_release_from_name", "read_oews_industry_zip"]

EMPLOYMENT = ["tot_emp", "emp_prse", "pct_total"]
WAGES = [
    "h_mean",
    "a_mean",
    "h_pct10",
    "h_pct25",
    "h_median",
    "h_pct75",
    "h_pct90",
    "a_pct10",
    "a_pct25",
    "a_median",
    "a_pct75",
    "a_pct90",
]
OEWS_COLUMNS = [
    "release",
    "source_member",
    "naics_code",
    "naics_title",
    "i_group",
    "soc_code",
    "occ_title",
    "o_group",
    *EMPLOYMENT,
    *WAGES,
    "annual_only",
    "hourly_only",
    "emp_suppressed",
    "wage_not_available",
    "wage_top_coded",
    "wage_markers",
]

# Output column -> header spellings seen across releases (upper case since 2019, lower
# case before; OCC_GROUP became O_GROUP in 2019).
_SPEC: dict[str, tuple[str, ...]] = {
    "naics_code": ("NAICS",),
    "naics_title": ("NAICS_TITLE",),
    "i_group": ("I_GROUP",),
    "soc_code": ("OCC_CODE",),
    "occ_title": ("OCC_TITLE",),
    "o_group": ("O_GROUP", "OCC_GROUP"),
    "tot_emp": ("TOT_EMP",),
    "emp_prse": ("EMP_PRSE",),
    "pct_total": ("PCT_TOTAL",),
    **{w: (w.upper(),) for w in WAGES},
    "annual_only": ("ANNUAL",),
    "hourly_only": ("HOURLY",),
}

_MEMBER = re.compile(r"^nat[a-z0-9]*_m(\d{4})_dl\.xlsx?$", re.IGNORECASE)
_ARCHIVE = re.compile(r"oesm(\d{2})in4", re.IGNORECASE)
_SOC = re.compile(r"^[0-9]{2}-[0-9]{4}$")  # ASCII only: \d matches any script
_TRUE = {"TRUE", "T", "Y", "YES", "1"}
_FALSE = {"", "FALSE", "F", "N", "NO", "0"}


def oews_release_from_name(name: str) -> str:
    """OEWS release label from a member or archive name.

    ``'oesm24in4/natsector_M2024_dl.xlsx'`` -> ``'M2024'``; ``'oesm23in4.zip'`` -> ``'M2023'``.
    Raises ValueError for names carrying neither form.
    """
    base = member_basename(name)
    m = _MEMBER.match(base)
    if m:
        return f"M{m.group(1)}"
    m = _ARCHIVE.search(base)
    if m:
        return f"M20{m.group(1)}"
    raise ValueError(f"not an OEWS industry file name: {name!r}")


def read_oews_industry_zip(path: Path, location: str | None = None) -> pd.DataFrame:
    """Parse every ``nat*_M20YY_dl.xlsx`` member of an OEWS industry archive (see module doc).

    Raises SourceFormatError for a non-zip/truncated archive, an archive without any
    ``nat*_dl`` member, unexpected cell contents (naming member, row and column), and
    SchemaDriftError when expected headers are missing.
    """
    location = location or str(path)
    frames: list[pd.DataFrame] = []
    with open_zip(Path(path), location) as zf:
        members = [
            i
            for i in zf.infolist()
            if not i.is_dir() and _MEMBER.match(member_basename(i.filename))
        ]
        if not members:
            names = [i.filename for i in zf.infolist()][:10]
            raise SourceFormatError(
                location, f"archive has no nat*_M20YY_dl.xlsx member (members: {names})"
            )
        for info in members:
            raw = read_member(zf, info, location)
            frames.append(_parse_member(raw, info.filename, f"{location} [{info.filename}]"))
    out = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    return out


def _parse_member(raw: bytes, member: str, where: str) -> pd.DataFrame:
    wb = load_workbook(raw, where)
    sheet, rows, header_idx = _find_data_sheet(wb, where)
    where = f"{where} [{sheet}]"
    header = rows[header_idx]
    cols = match_columns(header, _SPEC, where)
    body = rows[header_idx + 1 :]
    first_row = header_idx + 2  # spreadsheet row number of body[0]
    body = _trim_trailing_notes(body, cols["soc_code"])
    n = len(body)

    def column(out: str) -> pd.Series:
        j = cols[out]
        return pd.Series([r[j] if j < len(r) else "" for r in body], dtype=object)

    df = pd.DataFrame(index=pd.RangeIndex(n))
    df["release"] = pd.Series([oews_release_from_name(member)] * n, dtype="string")
    df["source_member"] = pd.Series([member] * n, dtype="string")
    for out in ("naics_code", "naics_title", "i_group", "soc_code", "occ_title", "o_group"):
        df[out] = _text(column(out), code=out == "naics_code")
    _check_soc(df["soc_code"], where, header[cols["soc_code"]], first_row)

    emp_marks = []
    for out in EMPLOYMENT:
        values, marks = _numbers(column(out), {"**"}, where, str(header[cols[out]]), first_row)
        df[out] = values.astype("Int64") if out == "tot_emp" else values
        emp_marks.append(marks.notna())
    df_wage_marks: dict[str, pd.Series] = {}
    for out in WAGES:
        values, marks = _numbers(column(out), {"*", "#"}, where, str(header[cols[out]]), first_row)
        df[out] = values
        df_wage_marks[out] = marks

    df["annual_only"] = _flag(column("annual_only"), where, "ANNUAL", first_row)
    df["hourly_only"] = _flag(column("hourly_only"), where, "HOURLY", first_row)
    df["emp_suppressed"] = np.logical_or.reduce([m.to_numpy() for m in emp_marks])
    marks = pd.DataFrame(df_wage_marks)
    df["wage_not_available"] = (marks == "*").any(axis=1).to_numpy()
    df["wage_top_coded"] = (marks == "#").any(axis=1).to_numpy()
    df["wage_markers"] = _marker_list(marks)
    return df[OEWS_COLUMNS]


def _find_data_sheet(wb: Any, where: str) -> tuple[str, list[list[Any]], int]:
    # The data sheet is named like the file ('Natsector_M2024_dl') next to 'UpdateTime' and
    # 'Filler'; pick the first sheet whose top rows hold OCC_CODE and OCC_TITLE headers
    # (other columns are checked by match_columns, which names the missing ones).
    def is_header(keys: list[str]) -> bool:
        return "occcode" in keys and "occtitle" in keys

    for name in wb.sheet_names:
        rows = sheet_rows(wb, name, where)
        try:
            return name, rows, find_header_row(rows, is_header, where, limit=15)
        except SourceFormatError:
            continue
    raise SourceFormatError(
        where, f"no sheet with OCC_CODE/OCC_TITLE headers (sheets: {wb.sheet_names})"
    )


def _trim_trailing_notes(body: list[list[Any]], soc_idx: int) -> list[list[Any]]:
    # Trailing rows without an occupation code (blank padding, a source note) are not data.
    end = len(body)
    while end and (soc_idx >= len(body[end - 1]) or cell_text(body[end - 1][soc_idx]) == ""):
        end -= 1
    return body[:end]


def _text(values: pd.Series, *, code: bool = False) -> pd.Series:
    out = values.map(cell_text).astype("string")
    if code:
        # NAICS may be typed as a number in the sheet (31, 44, 48 are numeric cells in the
        # sector files); the cross-industry code 000000 would then read as 0.
        out = out.mask(out == "0", "000000")
    return out.mask(out == "")


def _check_soc(codes: pd.Series, where: str, header: object, first_row: int) -> None:
    ok = codes.fillna("").str.match(_SOC)
    if not ok.all():
        i = int((~ok).to_numpy().nonzero()[0][0])
        raise SourceFormatError(
            where,
            f"not a SOC code: {codes.iloc[i]!r}",
            row=first_row + i,
            column=str(header),
        )


def _numbers(
    values: pd.Series, markers: set[str], where: str, header: str, first_row: int
) -> tuple[pd.Series, pd.Series]:
    """Numbers as Float64 plus the marker (or NULL) per cell; anything else is an error.

    A blank cell counts as the column family's "not available" marker (``**`` for
    employment, ``*`` for wages) so that every NULL stays explained by a flag.
    """
    vals = values.to_numpy(dtype=object)
    # Calamine yields floats for numeric cells, str for text, None/'' for blanks.
    is_str = np.fromiter((v is None or isinstance(v, str) for v in vals), bool, len(vals))
    numeric = pd.Series(np.nan, index=values.index, dtype="float64")
    if (~is_str).any():
        numeric[~is_str] = pd.to_numeric(values[~is_str], errors="coerce").to_numpy(
            dtype="float64", na_value=np.nan
        )
    mark = pd.Series(pd.NA, index=values.index, dtype="string")
    if is_str.any():
        strs = values[is_str].map(lambda v: "" if v is None else str(v).strip())
        known = strs.isin(markers) | (strs == "")
        parsed = pd.to_numeric(strs[~known].str.replace(",", "", regex=False), errors="coerce")
        if parsed.isna().any():
            bad = parsed.index[parsed.isna()][0]
            raise SourceFormatError(
                where,
                f"unexpected cell {values[bad]!r} (allowed markers: {sorted(markers)})",
                row=first_row + int(bad),
                column=header,
            )
        numeric[parsed.index] = parsed.to_numpy(dtype="float64")
        default = "**" if "**" in markers else "*"
        mk = strs[known].replace("", default)
        mark[mk.index] = mk
    return numeric.astype("Float64"), mark


def _flag(values: pd.Series, where: str, header: str, first_row: int) -> np.ndarray:
    text = values.map(lambda v: cell_text(v).upper() if not isinstance(v, bool) else str(v).upper())
    bad = ~text.isin(_TRUE | _FALSE)
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise SourceFormatError(
            where,
            f"expected TRUE or blank, got {values.iloc[i]!r}",
            row=first_row + i,
            column=header,
        )
    return text.isin(_TRUE).to_numpy(dtype=bool)


def _marker_list(marks: pd.DataFrame) -> pd.Series:
    acc = pd.Series("", index=marks.index, dtype="string")
    for col in marks.columns:
        acc = acc + (col + "=" + marks[col] + ";").fillna("")
    acc = acc.str.rstrip(";")
    return acc.mask(acc == "")
