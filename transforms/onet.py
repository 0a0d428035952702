"""O*NET database, text-format archive (``db_<major>_<minor>_text.zip``) -> DataFrames.

Each member is a tab-separated UTF-8 file with a header row (``db_29_3_text/Occupation
Data.txt`` ...).  Column sets drift between releases, so columns are mapped by header
name, never by position.  Members are read in memory; nothing is extracted to disk.

Returned tables (keys and columns are a contract other modules code against):

=====================  ==============================================================
key                    columns (one row per ...)
=====================  ==============================================================
occupation_data        onet_soc_code, title, description (O*NET-SOC occupation)
alternate_titles       onet_soc_code, title, alternate_title, short_title, sources
                       (occupation x alternate title)
reported_titles        onet_soc_code, title, reported_title, shown_in_my_next_move
                       (occupation x sampled reported title)
task_statements        onet_soc_code, task_id, task, task_type (occupation x task)
technology_skills      onet_soc_code, example, commodity_code, commodity_title,
                       hot_technology, in_demand (occupation x technology example)
job_zones              onet_soc_code, title, job_zone, date, domain_source (occupation)
related_occupations    onet_soc_code, title, related_onet_soc_code, related_title,
                       relatedness_tier, related_index (occupation x related occupation)
=====================  ==============================================================

``occupation_data`` and ``alternate_titles`` are required (SourceFormatError naming the
member if absent); the others appear only when their member is in the archive.  Codes
and free text are pandas strings; blanks are NULL; ``Y``/``N`` flags are nullable booleans;
``task_id``/``job_zone``/``related_index`` are Int64.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from transforms._official import match_columns, member_basename, open_zip, read_member
from transforms.errors import SourceFormatError

__all__ = ["ONET_TABLES", "onet_release_from_name", "read_onet_archive"]


@dataclass(frozen=True)
class _Table:
    member: str  # file name inside the release folder
    spec: dict[str, tuple[str, ...]]  # output column -> accepted header spellings
    optional: frozenset[str] = frozenset()
    booleans: frozenset[str] = frozenset()
    integers: frozenset[str] = frozenset()
    required: bool = False
    codes: tuple[str, ...] = field(default=("onet_soc_code",))


_CODE = ("O*NET-SOC Code",)
_TITLE = ("Title",)

ONET_TABLES: dict[str, _Table] = {
    "occupation_data": _Table(
        "Occupation Data.txt",
        {"onet_soc_code": _CODE, "title": _TITLE, "description": ("Description",)},
        required=True,
    ),
    "alternate_titles": _Table(
        "Alternate Titles.txt",
        {
            "onet_soc_code": _CODE,
            "title": _TITLE,
            "alternate_title": ("Alternate Title",),
            "short_title": ("Short Title",),
            "sources": ("Source(s)", "Sources", "Source"),
        },
        optional=frozenset({"short_title", "sources"}),
        required=True,
    ),
    "reported_titles": _Table(
        "Sample of Reported Titles.txt",
        {
            "onet_soc_code": _CODE,
            "title": _TITLE,
            "reported_title": ("Reported Job Title", "Reported Title"),
            "shown_in_my_next_move": ("Shown in My Next Move",),
        },
        optional=frozenset({"shown_in_my_next_move"}),
        booleans=frozenset({"shown_in_my_next_move"}),
    ),
    "task_statements": _Table(
        "Task Statements.txt",
        {
            "onet_soc_code": _CODE,
            "task_id": ("Task ID",),
            "task": ("Task",),
            "task_type": ("Task Type",),
        },
        optional=frozenset({"task_type"}),
        integers=frozenset({"task_id"}),
    ),
    "technology_skills": _Table(
        "Technology Skills.txt",
        {
            "onet_soc_code": _CODE,
            "example": ("Example", "T2 Example"),
            "commodity_code": ("Commodity Code",),
            "commodity_title": ("Commodity Title",),
            "hot_technology": ("Hot Technology",),
            "in_demand": ("In Demand",),
        },
        # "In Demand" arrived in 28.x; older releases get NULLs rather than an error.
        optional=frozenset({"hot_technology", "in_demand"}),
        booleans=frozenset({"hot_technology", "in_demand"}),
    ),
    "job_zones": _Table(
        "Job Zones.txt",
        {
            "onet_soc_code": _CODE,
            "title": _TITLE,
            "job_zone": ("Job Zone",),
            "date": ("Date",),
            "domain_source": ("Domain Source",),
        },
        optional=frozenset({"title", "date", "domain_source"}),
        integers=frozenset({"job_zone"}),
    ),
    "related_occupations": _Table(
        "Related Occupations.txt",
        {
            "onet_soc_code": _CODE,
            "title": _TITLE,
            "related_onet_soc_code": ("Related O*NET-SOC Code",),
            "related_title": ("Related Title",),
            "relatedness_tier": ("Relatedness Tier",),
            "related_index": ("Index",),
        },
        optional=frozenset({"title", "related_title", "relatedness_tier", "related_index"}),
        integers=frozenset({"related_index"}),
        codes=("onet_soc_code", "related_onet_soc_code"),
    ),
}

_ONET_CODE = re.compile(r"^[0-9]{2}-[0-9]{4}\.[0-9]{2}$")  # ASCII only
_RELEASE = re.compile(r"db_(\d+)_(\d+)(?:_text)?", re.IGNORECASE)


def onet_release_from_name(name: str) -> str:
    """Release number from an archive or folder name: ``'db_29_3_text.zip'`` -> ``'29.3'``.

    Raises ValueError when the name carries no ``db_<major>_<minor>`` part.
    """
    m = _RELEASE.search(Path(name).name)
    if not m:
        raise ValueError(f"not an O*NET database archive name: {name!r}")
    return f"{int(m.group(1))}.{int(m.group(2))}"


def read_onet_archive(path: Path, location: str | None = None) -> dict[str, pd.DataFrame]:
    """Parse the O*NET text archive at ``path`` into the tables described in the module doc.

    ``location`` (default ``str(path)``) is used in error messages, e.g. the source URL.
    """
    location = location or str(path)
    out: dict[str, pd.DataFrame] = {}
    with open_zip(Path(path), location) as zf:
        members = _index_members(zf)
        for key, table in ONET_TABLES.items():
            info = members.get(table.member.lower())
            if info is None:
                if table.required:
                    raise SourceFormatError(
                        location, f"archive has no member {table.member!r} (required)"
                    )
                continue
            where = f"{location} [{info.filename}]"
            out[key] = _parse_table(read_member(zf, info, location), table, where)
    return out


def _index_members(zf: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    # Keyed by lower-case base name: the release folder name changes every release and the
    # archive may be repacked without it.  First occurrence wins (no duplicates upstream).
    index: dict[str, zipfile.ZipInfo] = {}
    for info in zf.infolist():
        if not info.is_dir():
            index.setdefault(member_basename(info.filename).lower(), info)
    return index


def _parse_table(raw: bytes, table: _Table, where: str) -> pd.DataFrame:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceFormatError(
            where, f"not UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from exc
    try:
        # Every field as text, no quoting (O*NET text files never quote; descriptions may
        # contain '"'), no NA guessing: blanks are handled explicitly below.
        frame = pd.read_csv(
            io.StringIO(text),
            sep="\t",
            dtype=str,
            quoting=csv.QUOTE_NONE,
            keep_default_na=False,
            na_filter=False,
            on_bad_lines="error",
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise SourceFormatError(where, f"malformed tab-separated text ({exc})") from exc

    cols = match_columns(list(frame.columns), table.spec, where, optional=table.optional)
    result = pd.DataFrame(index=pd.RangeIndex(len(frame)))
    for out in table.spec:
        if out in cols:
            s = frame.iloc[:, cols[out]].astype("string").str.strip()
            s = s.mask(s == "")
        else:
            s = pd.Series(pd.NA, index=result.index, dtype="string")
        if out in table.booleans:
            s = _to_bool(s, where, out)
        elif out in table.integers:
            s = _to_int(s, where, out)
        result[out] = s

    for code_col in table.codes:
        _check_codes(result[code_col], where, code_col)
    return result


def _to_bool(s: pd.Series, where: str, column: str) -> pd.Series:
    upper = s.str.upper()
    bad = upper.notna() & ~upper.isin(["Y", "N"])
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise SourceFormatError(where, f"expected Y/N, got {s.iloc[i]!r}", row=i + 2, column=column)
    return upper.map({"Y": True, "N": False}).astype("boolean")


def _to_int(s: pd.Series, where: str, column: str) -> pd.Series:
    # Some members write integer ids as '21280.0'; accept whole floats, reject anything else.
    num = pd.to_numeric(s, errors="coerce")
    bad = (s.notna() & num.isna()) | (num.notna() & (num % 1 != 0))
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise SourceFormatError(
            where, f"expected an integer, got {s.iloc[i]!r}", row=i + 2, column=column
        )
    return num.astype("Int64")


def _check_codes(s: pd.Series, where: str, column: str) -> None:
    ok = s.fillna("").str.match(_ONET_CODE)
    if not ok.all():
        i = int((~ok).to_numpy().nonzero()[0][0])
        raise SourceFormatError(
            where, f"not an O*NET-SOC code: {s.iloc[i]!r}", row=i + 2, column=column
        )
