"""Posting profiles and the canonical posting columns they map onto.

A *profile* (``data/profiles/<name>.toml``, see ``generic.toml`` for every key) maps a
publisher's columns onto the canonical posting columns (``CANONICAL_COLUMNS``);
``load_profile`` parses and validates one. Reading a file with it is
``transforms.postings_io.read_postings_file``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from transforms.errors import SourceFormatError

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

_FORMATS = ("csv", "jsonl", "parquet")
_PROFILE_KEYS = frozenset(
    {"source", "format", "delimiter", "required", "columns", "dates", "constants", "salary",
     "json_locations", "description"}
)  # fmt: skip


# --- profiles ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    """A parsed mapping profile. ``columns`` maps a canonical column to the publisher columns
    to take it from (first non-empty wins), or, for a column in ``joined`` (a profile's
    ``{ join = [...] }``), whose non-empty values are joined with a blank line between them:
    an ad whose text is split over description, requirements and benefits columns."""

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
    joined: frozenset[str] = frozenset()


def _profile_error(path: Path, reason: str) -> SourceFormatError:
    return SourceFormatError(str(path), f"bad posting profile: {reason}")


def load_profile(name_or_path: str | Path, profiles_dir: Path | None = None) -> Profile:
    """Load ``<profiles_dir>/<name>.toml`` by name, or any profile file by path.

    The caller says where the named profiles live (``outlook.config.PROFILES_DIR`` for the
    project's own); a bare name without ``profiles_dir`` is not found.
    """
    candidate = Path(name_or_path)
    if candidate.suffix == ".toml" or candidate.exists():
        path = candidate
    elif profiles_dir is not None:
        path = Path(profiles_dir) / f"{name_or_path}.toml"
    else:
        raise FileNotFoundError(
            f"posting profile {name_or_path!r} is a name: pass the profiles_dir to look it up in"
        )
    if not path.is_file():
        known = sorted(p.stem for p in Path(profiles_dir).glob("*.toml")) if profiles_dir else []
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
    joined: set[str] = set()
    for canon, src in data.get("columns", {}).items():
        if canon not in MAPPABLE:
            raise _profile_error(path, f"[columns] {canon!r} is not a canonical column")
        if isinstance(src, dict):
            if set(src) != {"join"} or canon != "description":
                raise _profile_error(
                    path, f"[columns] {canon!r}: only description takes {{ join = [...] }}"
                )
            joined.add(canon)
            src = src["join"]
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
        joined=frozenset(joined),
        date_formats=tuple(dates.get("formats", ("ISO8601",))),
        date_precision=precision,
        constants=constants,
        zero_salary_is_missing=bool(salary.get("zero_is_missing", False)),
        compose_salary_text=bool(salary.get("compose_text", True)),
        json_locations=dict(json_locations) if json_locations else None,
    )
